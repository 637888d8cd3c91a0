"""Content-addressed store of synthesised segment audio.

A segment's key is a hash of everything that determines its sound, so the file at a key never changes:
two renders (or two workers) that need the same segment can share it, and writing it twice is harmless
because the second atomic rename puts identical bytes in place.
"""

from __future__ import annotations

import contextlib
import os
from dataclasses import dataclass
from pathlib import Path

import soundfile as sf

from audio.export import WriteError, read_audio, write_flac
from audio.postprocess import Samples
from i18n import N_

CACHE_HINT = N_("free space or set LESSONAUDIO_CACHE_DIR")
"""What to do when the segment cache cannot be written (it lives under the cache folder)."""


def segment_cache_root(cache_dir: Path) -> Path:
    """Where a machine's segment cache lives: the store (``segments/``), cache records, results, locks.

    One definition, because the render flow writes here and publishing reads the store without
    importing the flow (which would load the voice engines just to publish).
    """
    return cache_dir / "segment-cache"


def mark_used(path: Path) -> None:
    """Set ``path``'s modification time to now: the stores' record of a render's reuse, which
    ``storage.housekeeping`` prunes by. A file that has just gone is no error."""
    with contextlib.suppress(FileNotFoundError):
        os.utime(path)


def segment_store_root(cache_dir: Path) -> Path:
    return segment_cache_root(cache_dir) / "segments"


@dataclass(frozen=True, slots=True)
class StoredInfo:
    sample_rate: int
    frames: int


class SegmentStore:
    """Segment audio as ``<root>/<key[:2]>/<key>.flac``; the two-character fan-out keeps folders small."""

    def __init__(self, root: Path) -> None:
        self.root = root

    def path(self, key: str) -> Path:
        return self.root / key[:2] / f"{key}.flac"

    def has(self, key: str) -> bool:
        return self.path(key).is_file()

    def touch(self, key: str) -> None:
        """Mark the segment as used by a render (``storage.housekeeping`` prunes by last use)."""
        mark_used(self.path(key))

    def put(self, key: str, samples: Samples, sample_rate: int) -> Path:
        path = self.path(key)
        try:
            write_flac(path, samples, sample_rate)
        except WriteError as err:
            raise err.with_hint(CACHE_HINT) from err
        return path

    def get(self, key: str) -> tuple[Samples, int]:
        return read_audio(self.path(key))

    def get_info(self, key: str) -> StoredInfo:
        """Length and rate from the file header, without decoding the audio."""
        info = sf.info(self.path(key))
        return StoredInfo(int(info.samplerate), int(info.frames))

"""Token times of a cached segment, kept in a small JSON file beside its audio.

A separate file, not part of the segment's key or its cache record: segments cached before times
existed keep their keys and audio, and simply have no times file (the caller estimates). The file
is written before the audio, so audio that is in the store came with its times when the voice had any.
"""

from __future__ import annotations

import json
import os
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from audio.export import WriteError, write_bytes
from storage.segments import CACHE_HINT, mark_used

TIMES_SUFFIX = ".times.json"
_VERSION = 1


@dataclass(frozen=True, slots=True)
class StoredTimes:
    """[start, end) samples of each token of the segment, in its cleaned (trimmed) audio."""

    spans: tuple[tuple[int, int], ...]
    source: str
    """``durations`` (the voice's own) or ``estimate``."""


def times_path(audio_path: Path) -> Path:
    return audio_path.with_name(audio_path.name.split(".")[0] + TIMES_SUFFIX)


def write_times(audio_path: Path, spans: Sequence[tuple[int, int]], source: str) -> None:
    data = {"v": _VERSION, "source": source, "spans": [list(s) for s in spans]}
    try:  # not fsynced: a torn file does not parse, and the segment's marks are then estimated
        write_bytes(times_path(audio_path), json.dumps(data, separators=(",", ":")).encode(), durable=False)
    except WriteError as err:
        raise err.with_hint(CACHE_HINT) from err


_READ: dict[Path, StoredTimes] = {}
_READ_LIMIT = 16384


def read_times(audio_path: Path) -> StoredTimes | None:
    """The stored times, or None when there are none (an older cache entry) or they are unreadable.

    A key's times never change, so what a process has read once it keeps (a worker re-rendering a
    lesson parses only new segments' files); the file is still marked used on every read, and one
    that has gone is gone for this process too.
    """
    path = times_path(audio_path)
    known = _READ.get(path)
    if known is not None:
        try:
            os.utime(path)
            return known
        except FileNotFoundError:
            _READ.pop(path, None)
            return None
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
        spans = tuple((int(a), int(b)) for a, b in data["spans"])
        source = str(data["source"])
    except (OSError, ValueError, KeyError, TypeError):
        return None
    if data.get("v") != _VERSION:
        return None
    mark_used(path)  # pruned by last use, like the audio beside it
    if len(_READ) >= _READ_LIMIT:
        _READ.clear()
    _READ[path] = StoredTimes(spans, source)
    return _READ[path]

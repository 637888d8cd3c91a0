"""What the segment cache holds, and pruning what no render has used for a while.

Renders only ever add to the cache: every new wording of a segment adds a FLAC file, every new
version of a paragraph a mastered piece (16-bit PCM, MP3 frames and its loudness energy). Stores
mark what a render reuses by touching it, so a file's modification time is its last use, and pruning
by age removes what no recent render needed. Anything pruned is simply made again when a script
needs it: a cache record whose audio is gone is synthesised again, a missing piece is mastered again.
"""

from __future__ import annotations

import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from storage.piece_files import DATA, INDEX

KINDS = {
    "segments": "synthesised segments (FLAC, character times)",
    "pieces": "mastered paragraphs (PCM, MP3, energy)",
    "records": "Prefect cache records",
    "results": "Prefect cached results",
    "plans": "lesson plans read from scripts (the front end's work)",
    "backcheck": "back-check results and the QA report's players (MP3)",
}


@dataclass(frozen=True, slots=True)
class Usage:
    kind: str
    files: int
    bytes: int


def _files(folder: Path) -> Iterator[Path]:
    if folder.is_dir():
        yield from (p for p in folder.rglob("*") if p.is_file())


def usage(cache_root: Path) -> list[Usage]:
    """Files and bytes per kind under the segment cache root."""
    rows = []
    for kind in KINDS:
        sizes = [p.stat().st_size for p in _files(cache_root / kind)]
        rows.append(Usage(kind, len(sizes), sum(sizes)))
    return rows


def prune(cache_root: Path, *, older_than_s: float, dry_run: bool = False) -> list[Usage]:
    """Delete cache files last used more than ``older_than_s`` seconds ago; what went, per kind.

    A piece goes as a whole, its JSON first, so a render never finds half of one. Run it when no
    render is running: a render that has just chosen a piece would fail to read it.
    """
    cutoff = time.time() - older_than_s
    removed = []
    for kind in KINDS:
        count = size = 0
        for path in sorted(_files(cache_root / kind), key=lambda p: p.suffix != INDEX):
            if not path.exists():
                continue  # went with its piece's JSON
            if kind == "pieces" and path.suffix != INDEX and path.with_suffix(INDEX).exists():
                continue  # removed with its JSON
            if path.stat().st_mtime >= cutoff or path.name.startswith("."):
                continue
            group = [path]
            if kind == "pieces" and path.suffix == INDEX:
                group += [path.with_suffix(suffix) for suffix in DATA]
            for member in group:
                if member.is_file():
                    count += 1
                    size += member.stat().st_size
                    if not dry_run:
                        member.unlink(missing_ok=True)
        removed.append(Usage(kind, count, size))
    return removed

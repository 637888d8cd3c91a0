"""Cleaning up after renders that died: abandoned catalog rows and their staging folders.

A render writes into ``{root}/{course}/{lesson_id}/.{render_id}.partial`` and renames it into place
when done (``storage.layout.staging_dir``); a render killed on the way leaves that hidden folder
behind (up to tens of megabytes), and its catalog row ``running``. :func:`reap` runs when a render
starts: every machine that renders reaps, and it needs no extra service. It first marks the
renders whose process is gone as abandoned, then removes the staging folders under the output root
that no live render owns:

* the catalog knows the render and it is not ``running`` (abandoned, failed, or finished, in which
  case the folder is debris of a crash between the rename and the cleanup): removed;
* the catalog knows it and it is ``running``: kept, whatever its age (it may be on another machine
  that shares the output folder);
* the catalog does not know it (a render by an older version, or by another catalog writing to the
  same folder): removed once nothing in it changed for ``UNKNOWN_OWNER_AFTER``.
"""

from __future__ import annotations

import contextlib
import os
import re
import shutil
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from storage.catalog import AbandonedRender, Catalog
from storage.db.models import RenderStatus
from storage.liveness import UNKNOWN_OWNER_AFTER

_STAGING = re.compile(r"\.(?P<render_id>.+)\.partial")


@dataclass(frozen=True, slots=True)
class Reaped:
    abandoned: tuple[AbandonedRender, ...]
    removed: tuple[Path, ...]
    """Staging folders deleted."""


def staging_folders(root: Path) -> Iterator[tuple[str, Path]]:
    """``(render_id, folder)`` for every staging folder in the output layout under ``root``."""
    for course in _subfolders(root):
        for lesson in _subfolders(course):
            for entry in _subfolders(lesson):
                match = _STAGING.fullmatch(entry.name)
                if match:
                    yield match["render_id"], entry


def _subfolders(folder: Path) -> Iterator[Path]:
    with contextlib.suppress(OSError), os.scandir(folder) as entries:
        yield from (Path(e.path) for e in entries if e.is_dir(follow_symlinks=False))


def newest_change(folder: Path) -> float:
    """The latest modification time of ``folder`` and what is directly in it (staging is flat)."""
    newest = folder.stat().st_mtime
    with contextlib.suppress(OSError), os.scandir(folder) as entries:
        for entry in entries:
            with contextlib.suppress(OSError):
                newest = max(newest, entry.stat(follow_symlinks=False).st_mtime)
    return newest


def dead_staging(root: Path, catalog: Catalog, *, now: float | None = None) -> list[Path]:
    """The staging folders under ``root`` that no live render owns (see the module doc)."""
    found = list(staging_folders(root))
    statuses = catalog.statuses([render_id for render_id, _ in found])
    cutoff = (time.time() if now is None else now) - UNKNOWN_OWNER_AFTER.total_seconds()
    dead = []
    for render_id, folder in found:
        status = statuses.get(render_id)
        if status == RenderStatus.RUNNING.value:
            continue
        if status is None:
            try:
                if newest_change(folder) >= cutoff:
                    continue
            except OSError:
                continue  # gone already
        dead.append(folder)
    return dead


def reap(catalog: Catalog, root: Path) -> Reaped:
    """Mark dead renders abandoned, then remove the staging folders no live render owns."""
    abandoned = catalog.abandon_dead_renders()
    removed = []
    for folder in dead_staging(root, catalog):
        shutil.rmtree(folder, ignore_errors=True)
        if not folder.exists():
            removed.append(folder)
    return Reaped(tuple(abandoned), tuple(removed))

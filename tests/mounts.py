"""Real disk failures for tests that run as root, which ignores file permissions.

A tmpfs mounted read-only gives EROFS, one filled to the last page gives ENOSPC: the same errors a
teacher's full or read-only disk gives. ``tests/conftest.py`` offers ``tmpfs`` as a fixture.
"""

from __future__ import annotations

import subprocess
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

Mount = Callable[[str], Path]
"""Mount a tmpfs with these options (``ro``, ``size=…``) and return where."""


def tmpfs_mounts(tmp_path: Path) -> Iterator[Mount]:
    """The body of the ``tmpfs`` fixture: mounts under ``tmp_path``, unmounted afterwards; skips with
    the reason where mounting is refused."""
    mounted: list[Path] = []

    def mount(options: str) -> Path:
        point = tmp_path / f"tmpfs-{len(mounted)}"
        point.mkdir()
        done = subprocess.run(
            ["mount", "-t", "tmpfs", "-o", options, "tmpfs", str(point)], capture_output=True, text=True
        )
        if done.returncode != 0:
            pytest.skip(f"cannot mount a tmpfs here (needs root): {done.stderr.strip()}")
        mounted.append(point)
        return point

    yield mount
    for point in reversed(mounted):
        subprocess.run(["umount", "-l", str(point)], check=False)

"""A render's peak memory, measured as the operating system sees it: a ``lessonaudio render`` process.

The render loads the voice, synthesises, assembles and then loads Whisper for the back-check, all in
one process; what a machine must have free is that process's peak resident size. The example lesson
is rendered from an empty segment cache with the back-check on, as ``benchmarks/bench_commands.py``'s
cold render does; the README's "What people wait for" table gives the measured value (about 800 MB).
"""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from tests.process_tree import ROOT, command_env
from text_frontend.normalize.wetn import default_cache_dir

pytestmark = [
    pytest.mark.skipif(not sys.platform.startswith("linux"), reason="ru_maxrss is in kB on Linux"),
    pytest.mark.real_voice,
    pytest.mark.whisper,
    pytest.mark.slow,  # starts the render's own Prefect server
]

EXAMPLE = ROOT / "lesson_specs" / "examples" / "chinese-g3-spring.yaml"
BUDGET_MB = 900
"""The target for a render's peak; the render measures about 800 MB, the rest is headroom for other
CPUs' kernels and library builds."""

_LAUNCHER = """
import os, sys
pid = os.fork()
if pid == 0:
    os.execv(sys.argv[2], sys.argv[2:])
_, status, usage = os.wait4(pid, 0)
open(sys.argv[1], "w").write(str(usage.ru_maxrss))
sys.exit(os.waitstatus_to_exitcode(status))
"""
"""Starts the render from a small process. Linux counts a child's peak from before its exec too (the
copy of its parent it began as), so a render forked straight from this test session, which holds
hundreds of MB by then, would be charged the session's size; forked from this launcher it is charged
its own. ``wait4`` gives that child's peak alone, not the largest of every child the session had."""

# Read at import, before a fixture points LESSONAUDIO_CACHE_DIR at a session folder.
_MACHINE_GRAMMARS = default_cache_dir()


def grammars_into(cache_dir: Path) -> None:
    """Compiled text-normalisation grammars, so the render does not compile them (a once-per-machine
    step of its own, not a render's memory)."""
    if _MACHINE_GRAMMARS.is_dir():
        shutil.copytree(_MACHINE_GRAMMARS, cache_dir / "wetn")
    else:
        from text_frontend.normalize.wetn import WeTextNormalizer

        WeTextNormalizer(cache_dir / "wetn")


def test_a_render_with_back_check_stays_under_its_memory_budget(models_dir: Path, tmp_path: Path) -> None:
    cache_dir = tmp_path / "cache"
    grammars_into(cache_dir)
    env = command_env(
        LESSONAUDIO_CACHE_DIR=str(cache_dir),
        LESSONAUDIO_MODELS_DIR=str(models_dir),
        LESSONAUDIO_DATABASE_URL=f"sqlite:///{tmp_path / 'catalog.db'}",
        LESSONAUDIO_BACKCHECK="true",
        PREFECT_HOME=str(tmp_path / "prefect-home"),  # not the user's Prefect profile
    )
    log = tmp_path / "render.log"
    peak_file = tmp_path / "peak-kb"
    render_command = [sys.executable, "-m", "app.cli", "render", str(EXAMPLE), "--out", str(tmp_path / "out")]
    with log.open("wb") as err:
        launched = subprocess.run(
            [sys.executable, "-c", _LAUNCHER, str(peak_file), *render_command],
            cwd=ROOT,
            env=env,
            stdin=subprocess.DEVNULL,
            stdout=subprocess.DEVNULL,
            stderr=err,
            check=False,
        )
    output = log.read_text(encoding="utf-8", errors="replace")
    assert launched.returncode == 0, output[-3000:]
    assert "6 synthesised" in output and "back-check: PER" in output, output[-3000:]
    assert "reused: this audio was checked before" not in output  # Whisper was loaded and ran
    peak_mb = int(peak_file.read_text()) / 1024
    assert peak_mb <= BUDGET_MB, f"peak RSS {peak_mb:.0f} MB, budget {BUDGET_MB} MB"

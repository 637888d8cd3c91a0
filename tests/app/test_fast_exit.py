"""A finished command ends at once, yet as an ordinary exit would: handlers run, output is kept, and
the exit status is the command's."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from app.exit_codes import INPUT

ROOT = Path(__file__).resolve().parents[2]

_SCRIPT = """
import atexit, sys, threading, time
from app.fast_exit import leave

class Torn:
    def __del__(self):
        print("torn down", flush=True)

kept = Torn()  # freed only by the interpreter's teardown
atexit.register(lambda: print("exit handler ran"))
if "--thread" in sys.argv:
    def late():
        time.sleep(0.5)
        print("thread finished")
    threading.Thread(target=late).start()
print("unflushed output", end="")
leave(eval(sys.argv[1]))
"""


def leave_with(code: str, *extra: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-c", _SCRIPT, code, *extra], cwd=ROOT, capture_output=True, text=True, timeout=60
    )


@pytest.mark.parametrize(("code", "status"), [("0", 0), ("None", 0), ("3", 3), ("256 + 4", 4)])
def test_leaving_runs_the_handlers_keeps_the_output_and_skips_the_teardown(code: str, status: int) -> None:
    done = leave_with(code)
    assert done.returncode == status
    assert done.stdout.startswith("unflushed output")
    assert "exit handler ran" in done.stdout
    assert "torn down" not in done.stdout


def test_a_running_thread_or_a_message_means_the_ordinary_exit() -> None:
    waited = leave_with("0", "--thread")
    assert waited.returncode == 0 and "thread finished" in waited.stdout
    assert "torn down" in waited.stdout  # the ordinary way
    said = leave_with("'no such lesson'")
    assert said.returncode == 1 and said.stderr.strip() == "no such lesson"


def test_the_command_line_ends_with_its_exit_code(tmp_path: Path) -> None:
    missing = tmp_path / "missing.yaml"
    done = subprocess.run(
        [sys.executable, "-m", "app.cli", "validate", str(missing)],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode == INPUT and str(missing) in done.stderr, done

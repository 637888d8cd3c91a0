"""SIGTERM ends a command even when it arrives while Python runs a finaliser."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]

# The signal lands inside __del__ (run by a GC or a refcount drop), where an exception is only printed.
PROBE = """
import os, signal, time
from app.child_lifetime import exit_on_sigterm
{setup}
class Finalised:
    def __del__(self):
        os.kill(os.getpid(), signal.SIGTERM)
        time.sleep(0.2)  # the handler runs here, inside the finaliser
item = Finalised()
del item
for _ in range(30):
    time.sleep(0.1)
print("ran on after SIGTERM", flush=True)
"""


def _run(setup: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-c", PROBE.format(setup=setup)],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )


def test_a_sigterm_raised_in_a_finaliser_still_ends_the_command() -> None:
    done = _run("exit_on_sigterm()")
    assert "ran on after SIGTERM" not in done.stdout, done.stderr
    assert done.returncode == 143, (done.returncode, done.stderr)


def test_the_same_with_prefects_termination_signal() -> None:
    """During a flow run Prefect's own handler raises ``TerminationSignal`` instead."""
    setup = (
        "exit_on_sigterm()\n"
        "class TerminationSignal(BaseException):\n"
        "    def __init__(self, signal): self.signal = signal\n"
        "def prefect_like(signum, frame): raise TerminationSignal(signum)\n"
        "signal.signal(signal.SIGTERM, prefect_like)\n"
        "restore = lambda: signal.signal(signal.SIGTERM, signal.SIG_DFL)\n"
        "import threading; threading.Timer(1.0, restore).start()\n"
    )
    done = _run(setup)
    assert "ran on after SIGTERM" not in done.stdout, done.stderr


def test_without_the_guard_the_signal_is_lost() -> None:
    """What the guard is for: the same probe with only a raising handler runs on to the end."""
    done = _run("signal.signal(signal.SIGTERM, lambda s, f: (_ for _ in ()).throw(SystemExit(143)))")
    assert "ran on after SIGTERM" in done.stdout and done.returncode == 0, (done.returncode, done.stderr)

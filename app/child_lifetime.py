"""Child servers that never outlive the command that started them.

A command that starts a Prefect server stops it on its way out (a ``with`` block). Two exits skip that
way out, and each gets its own guard here:

- SIGTERM (``kill``, systemd, a container stop): Python's default action ends the process at once,
  without unwinding ``with`` blocks or running ``atexit``. ``exit_on_sigterm`` turns it into
  ``SystemExit`` so the normal cleanup runs.
- SIGKILL or a crash of the parent: nothing in the parent runs at all. On Linux the child asks the
  kernel for a signal when its parent dies (``PR_SET_PDEATHSIG``), set between fork and exec by
  ``die_with_parent``. Other systems have no such call; there the ``with`` blocks are the only guard.
"""

from __future__ import annotations

import ctypes
import os
import signal
import sys
import threading
from collections.abc import Callable
from types import FrameType

_PR_SET_PDEATHSIG = 1  # from <linux/prctl.h>


def die_with_parent(sig: signal.Signals = signal.SIGTERM) -> Callable[[], None] | None:
    """A ``preexec_fn`` that makes the child receive ``sig`` when this process dies; None off Linux.

    SIGTERM rather than SIGKILL lets a server shut down cleanly (close its database, free its port).
    The setting survives ``exec`` and is cleared in the child's own children, so a child that spawns
    workers must stop them itself: ``prefect server start`` (one worker) and the temporary server run
    everything in their one process. The kernel sends the signal when the *thread* that forked the
    child ends, so call this from the main thread of a long-lived command.
    """
    if not sys.platform.startswith("linux"):
        return None
    # Resolved here, in the parent: between fork and exec the child must not import or load libraries.
    prctl = ctypes.CDLL(None, use_errno=True).prctl
    parent = os.getpid()

    def preexec() -> None:
        prctl(_PR_SET_PDEATHSIG, int(sig), 0, 0, 0)
        # The parent may have died between fork and prctl: then no signal would ever come.
        if os.getppid() != parent:
            os.kill(os.getpid(), int(sig))

    return preexec


def _raise_exit(signum: int, _frame: FrameType | None) -> None:
    raise SystemExit(128 + signum)


def _is_termination(error: BaseException | None) -> bool:
    """Ours (``SystemExit(143)``) or Prefect's ``TerminationSignal`` (told by its ``signal``, so
    Prefect need not be imported to recognise it)."""
    if isinstance(error, SystemExit):
        return error.code == 128 + signal.SIGTERM
    return getattr(error, "signal", None) == signal.SIGTERM


def _send_swallowed_termination_again(unraisable: sys.UnraisableHookArgs) -> None:
    """A handler's exception raised while Python ran a finaliser or a GC callback is only printed
    ("Exception ignored in ..."), and the SIGTERM would be lost: the command would run on to the
    end. Send the signal again, from another thread once this hook has returned (sent from here it
    would be handled here, and ignored again), so the handler raises where it can take effect."""
    if _is_termination(unraisable.exc_value):
        again = threading.Timer(0.05, os.kill, (os.getpid(), signal.SIGTERM))
        again.daemon = True
        again.start()
        return
    _previous_unraisable_hook(unraisable)


_previous_unraisable_hook = sys.unraisablehook


def exit_on_sigterm() -> None:
    """Make SIGTERM raise ``SystemExit`` in the main thread, so ``with`` blocks and atexit run.

    Servers such as uvicorn take SIGTERM over while they run and raise it again once they have shut
    down; the handler installed here is the one that then receives it. Prefect's flow engine puts
    its own in place during a run (raising ``TerminationSignal``); either way, a termination raised
    where Python cannot propagate it is sent again rather than lost.
    """
    signal.signal(signal.SIGTERM, _raise_exit)
    sys.unraisablehook = _send_swallowed_termination_again

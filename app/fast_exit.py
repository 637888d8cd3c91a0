"""End a finished command without tearing down everything it imported.

Once a command is done, what is left for the interpreter is freeing its modules one object at a time.
After a render that is most of Prefect's and FastAPI's pydantic models, each holding a validator
that is freed piece by piece: a large share of the CPU time of a cached render, of use to no one, as
the operating system takes the memory back at once. So the exit handlers run (log handlers flush,
Prefect drains its clients, coverage saves its data), the standard streams are flushed, and the
process ends with the command's exit code.

A process that still has a non-daemon thread running, or whose exit status is a message rather than a
number, exits the ordinary way, which waits for that thread or prints that message.
"""

from __future__ import annotations

import atexit
import os
import sys
import threading
from typing import NoReturn


def _threads_to_wait_for() -> bool:
    main = threading.main_thread()
    return any(t is not main and not t.daemon and t.is_alive() for t in threading.enumerate())


def leave(code: object) -> NoReturn:
    """Exit with ``code`` (a ``SystemExit`` code), skipping the interpreter's teardown when that is safe."""
    if code is None:
        code = 0
    if not isinstance(code, int) or isinstance(code, bool) or _threads_to_wait_for():
        raise SystemExit(code)
    atexit._run_exitfuncs()
    for stream in (sys.stdout, sys.stderr):
        try:
            if stream is not None:
                stream.flush()
        except (OSError, ValueError):  # a closed pipe (``| head``) or stream: nothing left to say
            pass
    os._exit(code & 0xFF)  # as the system truncates any exit status

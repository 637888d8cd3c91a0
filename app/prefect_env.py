"""Prefect defaults for interactive commands, applied before Prefect is imported.

The CLI shows its own progress bars, so Prefect's per-task INFO lines are noise; and the temporary
local server logs cancelled background flushes as errors when the process exits, which reads like a
failure to a teacher. Prefect's client telemetry is off: at a terminal it prints an English notice on
first use and sends usage events from school machines that are often offline. Anything the operator
sets explicitly in the environment wins.
"""

from __future__ import annotations

import os

_DEFAULTS = {
    "PREFECT_LOGGING_LEVEL": "WARNING",
    "PREFECT_SERVER_LOGGING_LEVEL": "CRITICAL",
    "PREFECT_SERVER_ANALYTICS_ENABLED": "false",
    "DO_NOT_TRACK": "1",
    # The first start on a new machine migrates a fresh database; on 2 busy cores that exceeds the
    # default 20 s and the command would die before doing anything.
    "PREFECT_SERVER_EPHEMERAL_STARTUP_TIMEOUT_SECONDS": "180",
}


def quiet_prefect(*, log_failures: bool = True) -> None:
    """Apply the defaults. ``log_failures=False`` also keeps Prefect's console log of a failed run
    (a traceback) off the terminal: ``render`` says what failed in one line of its own, and the run's
    log in Prefect still holds the traceback."""
    for name, value in _DEFAULTS.items():
        os.environ.setdefault(name, value)
    if not log_failures:
        os.environ.setdefault("PREFECT_LOGGING_HANDLERS_CONSOLE_LEVEL", "CRITICAL")

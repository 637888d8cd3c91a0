"""Is the process that started a render still there? Owners, heartbeats, and the verdict.

A render killed with ``kill -9`` (or on a machine that lost power) never records its end, so its
catalog row would say ``running`` for ever. Each render therefore records its owner (host and pid)
and beats: it stamps ``heartbeat_at`` every :data:`HEARTBEAT_EVERY_S` seconds while it runs. A
``running`` render is abandoned when

* it was started on this machine and its process is gone: known at once, which is the common case
  of one machine with a SQLite catalog; or
* it has not beaten for :data:`STALE_AFTER`, from any machine: a render on another machine sharing a
  PostgreSQL catalog cannot be asked about its pid, but a live one beats ten times in that span, so
  a slow render is never mistaken for a dead one.

"This machine" is the host name *and* the pid namespace: containers that share the host's name
(``--network host``) have separate process tables, and a pid missing from ours says nothing about
theirs. A verdict that is wrong anyway (a render stopped with SIGSTOP for longer than
:data:`STALE_AFTER`) heals itself: the render's next beat marks it ``running`` again, and its end is
recorded as usual.
"""

from __future__ import annotations

import contextlib
import logging
import os
import socket
import threading
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta

from i18n import _

log = logging.getLogger(__name__)

HEARTBEAT_EVERY_S = 60.0
STALE_AFTER = timedelta(minutes=10)
"""Ten missed beats: a database that stalls for a minute or two never abandons a live render."""
UNKNOWN_OWNER_AFTER = timedelta(hours=24)
"""Rows written by a version that recorded no owner or heartbeat, and staging folders that no row
names, are left alone for a day: no lesson takes that long to render."""


@dataclass(frozen=True, slots=True)
class ProcessOwner:
    host: str
    """``hostname/pid-namespace`` (just the host name where there are no namespaces)."""
    pid: int

    @property
    def hostname(self) -> str:
        return self.host.rsplit("/", 1)[0]

    def describe(self) -> str:
        return _("pid {pid} on {host}").format(pid=self.pid, host=self.hostname)


def _pid_namespace() -> str | None:
    with contextlib.suppress(OSError):
        return str(os.stat("/proc/self/ns/pid").st_ino)
    return None


def this_host() -> str:
    namespace = _pid_namespace()
    name = socket.gethostname()
    return f"{name}/{namespace}" if namespace else name


def this_process() -> ProcessOwner:
    return ProcessOwner(this_host(), os.getpid())


def pid_alive(pid: int) -> bool:
    """Whether a process with ``pid`` exists in this pid namespace (signal 0 checks, sends nothing)."""
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True  # someone else's process, but there
    return True


def abandoned_reason(
    owner: ProcessOwner | None,
    heartbeat_at: datetime | None,
    started_at: datetime,
    now: datetime,
    *,
    here: str | None = None,
    alive: Callable[[int], bool] = pid_alive,
) -> str | None:
    """Why a ``running`` render is gone, or None while it may be alive."""
    host = this_host() if here is None else here
    if owner is not None and owner.host == host and not alive(owner.pid):
        return _("abandoned: its process ({process}) ended without recording the outcome").format(
            process=owner.describe()
        )
    if heartbeat_at is not None:
        if now - heartbeat_at > STALE_AFTER:
            since = f"{heartbeat_at:%Y-%m-%d %H:%M:%S}"
            if owner is None:
                return _("abandoned: no heartbeat since {time} UTC").format(time=since)
            return _("abandoned: no heartbeat ({process}) since {time} UTC").format(
                process=owner.describe(), time=since
            )
        return None
    if now - started_at > UNKNOWN_OWNER_AFTER:
        return _("abandoned: started {time} UTC and never finished").format(
            time=f"{started_at:%Y-%m-%d %H:%M}"
        )
    return None


class Heartbeat:
    """Calls ``beat`` every ``every_s`` seconds on a daemon thread until the ``with`` block ends.

    A failing beat is logged and the render goes on: a database hiccup must not fail a render, and a
    render that cannot beat for :data:`STALE_AFTER` is marked abandoned, then running again by its
    next successful beat. Leaving the block stops the thread at once (no sleeping it out).
    """

    def __init__(self, beat: Callable[[], None], every_s: float = HEARTBEAT_EVERY_S) -> None:
        self._beat = beat
        self._every_s = every_s
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, name="render-heartbeat", daemon=True)

    def _run(self) -> None:
        while not self._stop.wait(self._every_s):
            try:
                self._beat()
            except Exception as err:
                log.warning("render heartbeat failed: %s", err)

    def __enter__(self) -> Heartbeat:
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._stop.set()
        self._thread.join()

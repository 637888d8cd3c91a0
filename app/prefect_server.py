"""Start and stop the Prefect servers that ``serve``, ``web``, ``render`` and the scale test run as children.

- ``local_prefect_server``: ``prefect server start``, a full server with its services. Schedules and
  work pools need the scheduler and the other loop services, which Prefect's temporary server does
  not run for a deployment. ``serve`` and the scale test use it.
- ``temporary_prefect_server``: the server Prefect itself starts on first use when no
  ``PREFECT_API_URL`` is set (the API in its "ephemeral" mode: no UI, no scheduler), started here
  instead so that ``web`` owns its lifetime. Prefect's own copy is stopped only by ``atexit``, which
  SIGTERM and SIGKILL skip.
- ``prefect_api``: what ``web`` wraps itself in: the operator's ``PREFECT_API_URL`` if set, else a
  temporary server of its own, named in ``PREFECT_API_URL`` for Prefect to find. ``render`` uses the
  server that outlives it instead (``app.shared_server``), and this only when it cannot.

Each runs in its own session, so Ctrl-C in the terminal reaches the command, which then stops its
server in order. Each is stopped as a whole process group when its block exits, and on Linux it also
receives SIGTERM from the kernel if the command dies without reaching that exit (see
``app.child_lifetime``). Neither imports Prefect: the command sets ``PREFECT_API_URL`` from the
server's address before Prefect reads its settings.
"""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import BinaryIO

from app.child_lifetime import die_with_parent
from errors import UnavailableError
from i18n import _


class PrefectServerError(UnavailableError):
    """The server did not come up; the message carries the end of its log, ``log`` names the file."""

    def __init__(self, message: str, log: Path) -> None:
        super().__init__(message)
        self.log = log


@dataclass(frozen=True, slots=True)
class LocalServer:
    api_url: str
    ui_url: str
    pid: int
    log: Path


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
        return port


def healthy(api_url: str) -> bool:
    try:
        with urllib.request.urlopen(f"{api_url}/health", timeout=2) as answer:
            return bool(answer.status == 200)
    except (urllib.error.URLError, OSError):
        return False


def stop_process_group(process: subprocess.Popen[bytes], timeout: float = 15.0) -> None:
    """SIGTERM the child's whole group (uvicorn workers, services), then SIGKILL what remains."""
    if process.poll() is not None:
        return
    try:
        os.killpg(process.pid, signal.SIGTERM)
        process.wait(timeout=timeout)
    except subprocess.TimeoutExpired:
        os.killpg(process.pid, signal.SIGKILL)
        process.wait(timeout=timeout)
    except ProcessLookupError:
        pass


def _open_log(log: Path) -> tuple[Path, BinaryIO]:
    """``log`` opened for writing; a temporary file when its folder cannot be written.

    A read-only or full cache folder is the command's own error to report, in its own words, once
    it gets to use that folder: the server it needs first must not fail on it instead.
    """
    try:
        log.parent.mkdir(parents=True, exist_ok=True)
        return log, open(log, "wb")  # closed by the caller's ``with``
    except OSError:
        handle, name = tempfile.mkstemp(prefix="lessonaudio-prefect-", suffix=".log")
        return Path(name), os.fdopen(handle, "wb")


@contextmanager
def _server_process(
    args: list[str], env: dict[str, str], log: Path, port: int, startup_timeout: float
) -> Iterator[subprocess.Popen[bytes]]:
    """Run ``args`` tied to this process, wait until ``/api/health`` answers, stop it on exit."""
    wanted = log
    log, sink = _open_log(log)
    with sink:
        process = subprocess.Popen(
            args,
            env=env,
            stdout=sink,
            stderr=subprocess.STDOUT,
            stdin=subprocess.DEVNULL,
            start_new_session=True,
            preexec_fn=die_with_parent(),
        )
    started = False
    try:
        deadline = time.monotonic() + startup_timeout
        while not healthy(f"http://127.0.0.1:{port}/api"):
            if process.poll() is not None or time.monotonic() > deadline:
                tail = log.read_text(errors="replace")[-2000:]
                raise PrefectServerError(
                    _("Prefect server on port {port} did not start:").format(port=port) + "\n" + tail, log
                )
            time.sleep(0.5)
        started = True
        yield process
    finally:
        stop_process_group(process)
        if started and log != wanted:  # a stand-in log that no error message names: nobody looks there
            log.unlink(missing_ok=True)


@contextmanager
def local_prefect_server(
    *,
    home: Path,
    port: int | None = None,
    database_url: str | None = None,
    log_level: str = "WARNING",
    startup_timeout: float = 180.0,
) -> Iterator[LocalServer]:
    """Run ``prefect server start`` on 127.0.0.1 for the duration of the block.

    ``database_url`` (``postgresql+asyncpg://…``) puts Prefect's own state in PostgreSQL; the default
    is a SQLite file under ``home``. The server logs to ``home/server.log`` at ``log_level``: a
    service that fails on every pass (the scheduler, say) shows up there, and nowhere else.
    """
    home.mkdir(parents=True, exist_ok=True)
    port = port or free_port()
    env = dict(os.environ)
    env.pop("PREFECT_API_URL", None)
    env.update(
        PREFECT_HOME=str(home),
        PREFECT_SERVER_ANALYTICS_ENABLED="false",
        PREFECT_SERVER_LOGGING_LEVEL=log_level,
    )
    if database_url:
        env["PREFECT_API_DATABASE_CONNECTION_URL"] = database_url
    args = [sys.executable, "-m", "prefect", "server", "start", "--host", "127.0.0.1", "--port", str(port)]
    log = home / "server.log"
    with _server_process(args, env, log, port, startup_timeout) as process:
        yield LocalServer(f"http://127.0.0.1:{port}/api", f"http://127.0.0.1:{port}", process.pid, log)


@contextmanager
def temporary_prefect_server(*, log: Path, startup_timeout: float = 180.0) -> Iterator[LocalServer]:
    """Run the API the way Prefect's temporary server does, on a free port, for the block.

    Same command, flags and database (the profile's, under ``PREFECT_HOME``) as the server Prefect
    would start by itself on first use, so renders behave as before; only the owner differs.
    """
    port = free_port()
    env = dict(os.environ)
    env.pop("PREFECT_API_URL", None)
    # What Prefect's SubprocessASGIServer sets: API only, ephemeral services (no scheduler), no UI.
    env.update(PREFECT_UI_ENABLED="0", PREFECT__SERVER_EPHEMERAL="1", PREFECT__SERVER_FINAL="1")
    args = [
        *(sys.executable, "-m", "uvicorn", "--factory", "prefect.server.api.server:create_app"),
        *("--host", "127.0.0.1", "--port", str(port), "--log-level", "error", "--lifespan", "on"),
    ]
    with _server_process(args, env, log, port, startup_timeout) as process:
        yield LocalServer(f"http://127.0.0.1:{port}/api", f"http://127.0.0.1:{port}", process.pid, log)


@contextmanager
def prefect_api(*, log: Path, announce: Callable[[str], None] | None = None) -> Iterator[None]:
    """Flows in the block report to ``PREFECT_API_URL``'s server; without one, to a temporary server.

    Prefect would start that server by itself on the first flow run, from a worker thread, and stop it
    only at exit, which SIGTERM and SIGKILL skip. Started here instead, it is stopped when the block
    exits and dies with this process. Call this from the main thread (``die_with_parent``), after
    ``exit_on_sigterm`` and before Prefect is imported: Prefect reads ``PREFECT_API_URL`` once, on
    import. Raises ``PrefectServerError`` if the server does not come up.
    """
    if os.environ.get("PREFECT_API_URL"):
        yield
        return
    if announce is not None:
        announce(_("starting Prefect's temporary server …"))
    with temporary_prefect_server(log=log) as server:
        os.environ["PREFECT_API_URL"] = server.api_url
        try:
            yield
        finally:
            flush_prefect_clients()
            # Gone with its server: a later block in this process must not find a dead address.
            os.environ.pop("PREFECT_API_URL", None)


def flush_prefect_clients(timeout: float = 10.0) -> None:
    """Send the run logs and events Prefect still holds while their server is up.

    Prefect sends them from background workers that it drains only at interpreter exit, after this
    server has stopped: they would fail and print connection errors under the command's last line.
    ``timeout`` bounds the wait, so a server that no longer answers cannot hold up the exit.
    """
    if "prefect" not in sys.modules:  # nothing ran, and importing Prefect now would only cost time
        return
    from prefect.events.worker import EventsWorker
    from prefect.logging.handlers import APILogWorker

    for worker in (APILogWorker, EventsWorker):
        worker.drain_all(timeout=timeout)

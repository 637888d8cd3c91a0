"""Start and stop a real local Prefect server (not the temporary one) for ``serve`` and the scale test.

Schedules and work pools need a server with its services running, which Prefect's temporary
in-process server does not give a deployment. This runs ``prefect server start`` as a child in its own
process group, waits until its health endpoint answers, and stops the whole group on exit, so no
stray server outlives the command or test that started it.
"""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path


class PrefectServerError(Exception):
    """The server did not come up; the message carries the end of its log."""


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


def _healthy(api_url: str) -> bool:
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


@contextmanager
def local_prefect_server(
    *,
    home: Path,
    port: int | None = None,
    database_url: str | None = None,
    startup_timeout: float = 180.0,
) -> Iterator[LocalServer]:
    """Run ``prefect server start`` on 127.0.0.1 for the duration of the block.

    ``database_url`` (``postgresql+asyncpg://…``) puts Prefect's own state in PostgreSQL; the default
    is a SQLite file under ``home``.
    """
    home.mkdir(parents=True, exist_ok=True)
    port = port or free_port()
    env = dict(os.environ)
    env.pop("PREFECT_API_URL", None)
    env.update(PREFECT_HOME=str(home), PREFECT_SERVER_ANALYTICS_ENABLED="false")
    if database_url:
        env["PREFECT_API_DATABASE_CONNECTION_URL"] = database_url
    log = home / "server.log"
    with open(log, "wb") as sink:
        process = subprocess.Popen(
            [sys.executable, "-m", "prefect", "server", "start", "--host", "127.0.0.1", "--port", str(port)],
            env=env,
            stdout=sink,
            stderr=subprocess.STDOUT,
            stdin=subprocess.DEVNULL,
            start_new_session=True,
        )
    api_url = f"http://127.0.0.1:{port}/api"
    try:
        deadline = time.monotonic() + startup_timeout
        while not _healthy(api_url):
            if process.poll() is not None or time.monotonic() > deadline:
                tail = log.read_text(errors="replace")[-2000:]
                raise PrefectServerError(f"Prefect server on port {port} did not start:\n{tail}")
            time.sleep(0.5)
        yield LocalServer(api_url, f"http://127.0.0.1:{port}", process.pid, log)
    finally:
        stop_process_group(process)

"""One local Prefect server per cache folder, started on first use and kept for the commands after it.

Starting a Prefect server costs a render more time than the render itself when its segments are
cached. So the first ``render`` that needs a server starts ``prefect server start`` detached from
itself (its own session, no parent-death signal), with its home and SQLite database under
``<cache_dir>/prefect-shared/`` (``serve`` runs its own server in ``prefect-server/``), and records
where it listens in ``server.json`` there. Later commands find it through that file and a
``GET /api/health``, and report their flow runs to it, so they stay ordinary Prefect runs in its UI.
``lessonaudio server stop`` ends it.

A file lock around "find or start" keeps two commands that start together from starting two servers;
a recorded server that no longer answers (killed, or the machine restarted) is replaced. A process
is only ever signalled after its command line shows it is the recorded server, so a recycled pid
never receives a stray SIGTERM. Nothing here imports Prefect: a command names the server in
``PREFECT_API_URL`` before Prefect reads its settings.
"""

from __future__ import annotations

import fcntl
import json
import os
import signal
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import asdict, dataclass
from importlib.metadata import PackageNotFoundError, version
from pathlib import Path

from app.prefect_server import PrefectServerError, flush_prefect_clients, free_port, healthy, prefect_api
from i18n import _

SERVER_DIR = "prefect-shared"
STATE_FILE = "server.json"
LOCK_FILE = "server.lock"
LOG_FILE = "server.log"

_detached: list[subprocess.Popen[bytes]] = []
"""Started servers, held so that Python neither warns about nor reaps a child meant to outlive it."""


@dataclass(frozen=True, slots=True)
class SharedServer:
    api_url: str
    ui_url: str
    pid: int
    port: int
    home: str
    log: str
    started_at: float
    prefect: str
    """Prefect's version when it started: a server from before an upgrade is replaced, not reused."""
    csrf_protection: bool | None = None
    """Whether it was started to demand CSRF tokens (None: recorded before this was kept)."""


def server_home(cache_dir: Path) -> Path:
    return cache_dir / SERVER_DIR


def _prefect_version() -> str:
    try:
        return version("prefect")
    except PackageNotFoundError:  # pragma: no cover - Prefect is a dependency
        return "unknown"


def read_state(home: Path) -> SharedServer | None:
    """The recorded server, or None when there is no record or it cannot be read."""
    try:
        data = json.loads((home / STATE_FILE).read_text(encoding="utf-8"))
        return SharedServer(**data)
    except (OSError, ValueError, TypeError):
        return None


def _write_state(home: Path, server: SharedServer) -> None:
    temporary = home / f".{STATE_FILE}.{os.getpid()}"
    temporary.write_text(json.dumps(asdict(server), indent=1) + "\n", encoding="utf-8")
    os.replace(temporary, home / STATE_FILE)


def _is_server_process(server: SharedServer) -> bool:
    """``server.pid`` is alive (not a zombie) and is ``prefect server start`` on the recorded port."""
    proc = Path("/proc") / str(server.pid)
    if not proc.is_dir():
        if sys.platform.startswith("linux"):
            return False
        try:  # no /proc: trust the pid
            os.kill(server.pid, 0)
            return True
        except OSError:
            return False
    try:
        state = (proc / "stat").read_text().rsplit(")", 1)[1].split()[0]
        words = (proc / "cmdline").read_bytes().split(b"\0")
    except OSError:
        return False
    wanted = [b"prefect", b"server", b"start", b"--port", str(server.port).encode()]
    return state != "Z" and all(word in words for word in wanted)


def alive(server: SharedServer) -> bool:
    """The recorded process runs and answers its health check."""
    return _is_server_process(server) and healthy(server.api_url)


def _answers_soon(server: SharedServer, grace: float = 20.0) -> bool:
    """``alive``, with time for a busy machine: a slow answer must not get a working server replaced."""
    deadline = time.monotonic() + grace
    while _is_server_process(server):
        if healthy(server.api_url):
            return True
        if time.monotonic() > deadline:
            return False
        time.sleep(0.5)
    return False


@contextmanager
def _locked(home: Path) -> Iterator[None]:
    """Held while one command finds, starts or stops the server; others wait for it."""
    home.mkdir(parents=True, exist_ok=True)
    with open(home / LOCK_FILE, "a+b") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(lock, fcntl.LOCK_UN)


def _terminate(server: SharedServer, timeout: float = 20.0) -> None:
    """SIGTERM the recorded server's process group, SIGKILL it if it is still there after ``timeout``."""
    if not _is_server_process(server):
        return
    for sig, wait in ((signal.SIGTERM, timeout), (signal.SIGKILL, 5.0)):
        try:
            os.killpg(server.pid, sig)
        except ProcessLookupError:
            return
        deadline = time.monotonic() + wait
        while time.monotonic() < deadline:
            _reap(server.pid)
            if not _is_server_process(server):
                return
            time.sleep(0.2)


def _reap(pid: int) -> None:
    """Collect the exit status when this process started the server, so it does not stay a zombie."""
    for process in _detached:
        if process.pid == pid:
            process.poll()


_WATCHED_SERVER = """
import json, os, runpy, signal, sys, threading, time
home, me = sys.argv[1], os.getpid()
def watch():
    recorded = False
    while os.path.isdir(home):
        try:
            with open(os.path.join(home, "server.json")) as state:
                owner = json.load(state).get("pid")
        except (OSError, ValueError):
            owner = None
        recorded = recorded or owner == me
        if recorded and owner != me:
            break
        time.sleep(5)
    os.kill(me, signal.SIGTERM)
    time.sleep(30)
    os._exit(1)
threading.Thread(target=watch, daemon=True).start()
sys.argv = sys.argv[2:]
runpy.run_module("prefect", run_name="__main__", alter_sys=True)
"""
"""``prefect server start`` (the arguments after the home folder) with a watch that ends it once its
home is gone (a deleted cache folder, a test's temporary folder) or no longer records it: a server
nobody can find is one nobody would ever stop."""


def _start(home: Path, previous: SharedServer | None, startup_timeout: float) -> SharedServer:
    port = previous.port if previous is not None and _port_free(previous.port) else free_port()
    env = dict(os.environ)
    env.pop("PREFECT_API_URL", None)
    env.update(
        PREFECT_HOME=str(home),
        PREFECT_SERVER_ANALYTICS_ENABLED="false",
        PREFECT_SERVER_LOGGING_LEVEL="WARNING",
    )
    server_args = ["prefect", "server", "start", "--host", "127.0.0.1", "--port", str(port)]
    args = [sys.executable, "-c", _WATCHED_SERVER, str(home), *server_args]
    log = home / LOG_FILE
    with open(log, "wb") as sink:
        process = subprocess.Popen(
            args,
            env=env,
            cwd=home,
            stdout=sink,
            stderr=subprocess.STDOUT,
            stdin=subprocess.DEVNULL,
            start_new_session=True,  # Ctrl-C in the command's terminal must not reach it
        )
    _detached.append(process)
    api_url = f"http://127.0.0.1:{port}/api"
    server = SharedServer(
        api_url=api_url,
        ui_url=f"http://127.0.0.1:{port}",
        pid=process.pid,
        port=port,
        home=str(home),
        log=str(log),
        started_at=time.time(),
        prefect=_prefect_version(),
        csrf_protection=_truthy(env.get("PREFECT_SERVER_CSRF_PROTECTION_ENABLED")),
    )
    try:
        deadline = time.monotonic() + startup_timeout
        while not healthy(api_url):
            if process.poll() is not None or time.monotonic() > deadline:
                tail = log.read_text(errors="replace")[-2000:]
                raise PrefectServerError(
                    _("Prefect server on port {port} did not start:").format(port=port) + "\n" + tail, log
                )
            time.sleep(0.3)
        _write_state(home, server)
    except BaseException:  # Ctrl-C and SIGTERM too: an unrecorded server is one nobody would stop
        _terminate(server, timeout=5.0)
        raise
    return server


def _truthy(value: str | None) -> bool:
    return value is not None and value.strip().lower() in ("1", "true", "yes", "on")


def client_settings(server: SharedServer) -> dict[str, str]:
    """Prefect client settings that spare each command handshakes this server needs no longer.

    The server runs the Prefect version recorded when it started (a different one is replaced), so
    the client's version check, a request per client, can only pass. A server started without CSRF
    protection refuses no request for lack of a token, so the client need not fetch one first.
    """
    settings = {"PREFECT_CLIENT_SERVER_VERSION_CHECK_ENABLED": "false"}
    if server.csrf_protection is False:
        settings["PREFECT_CLIENT_CSRF_SUPPORT_ENABLED"] = "false"
    return settings


def _port_free(port: int) -> bool:
    import socket

    with socket.socket() as probe:
        try:
            probe.bind(("127.0.0.1", port))
        except OSError:
            return False
    return True


def ensure_server(
    cache_dir: Path,
    *,
    announce: Callable[[str], None] | None = None,
    startup_timeout: float = 180.0,
) -> tuple[SharedServer, bool]:
    """The cache folder's running server, started first if needed; True when this call started it.

    Raises ``PrefectServerError`` (naming the server's log) if a new server does not come up, or
    ``OSError`` if its folder cannot be created.
    """
    home = server_home(cache_dir)
    recorded = read_state(home)
    if recorded is not None and recorded.prefect == _prefect_version() and alive(recorded):
        return recorded, False  # the common case, without waiting for the lock
    with _locked(home):
        recorded = read_state(home)  # another command may have started one while this one waited
        if recorded is not None:
            if recorded.prefect == _prefect_version() and _answers_soon(recorded):
                return recorded, False
            _terminate(recorded)  # hung, or from before an upgrade
            (home / STATE_FILE).unlink(missing_ok=True)
        if announce is not None:
            announce(_("starting the local Prefect server (it keeps running: `lessonaudio server stop`) …"))
        return _start(home, recorded, startup_timeout), True


def stop_server(cache_dir: Path) -> SharedServer | None:
    """Stop the cache folder's server; the one that was running, or None if none was."""
    home = server_home(cache_dir)
    if not (home / STATE_FILE).exists():
        return None
    with _locked(home):
        recorded = read_state(home)
        if recorded is None:
            return None
        running = _is_server_process(recorded)
        _terminate(recorded)
        (home / STATE_FILE).unlink(missing_ok=True)
        return recorded if running else None


def stop_servers_under(root: Path) -> list[SharedServer]:
    """Stop the server of every cache folder below ``root`` (a test session's temporary folders)."""
    stopped = []
    for state in sorted(root.glob(f"**/{SERVER_DIR}/{STATE_FILE}")):
        server = stop_server(state.parent.parent)
        if server is not None:
            stopped.append(server)
    return stopped


@contextmanager
def shared_prefect_api(
    cache_dir: Path, *, announce: Callable[[str], None] | None = None
) -> Iterator[SharedServer | None]:
    """Flows in the block report to ``PREFECT_API_URL``'s server if set, else to the shared server.

    Yields the shared server, or None when the operator's ``PREFECT_API_URL`` is used. Call it before
    Prefect is imported: Prefect reads ``PREFECT_API_URL`` once, on import.
    """
    if os.environ.get("PREFECT_API_URL"):
        yield None
        return
    try:
        server, _started = ensure_server(cache_dir, announce=announce)
    except OSError:
        # A cache folder that cannot be written: the command reports that in its own words once it
        # uses the folder; a server of its own, logging elsewhere, must not fail on it first.
        with prefect_api(log=cache_dir / "prefect-render.log", announce=announce):
            yield None
        return
    os.environ["PREFECT_API_URL"] = server.api_url
    added = [name for name in client_settings(server) if name not in os.environ]  # the operator's win
    os.environ.update({name: client_settings(server)[name] for name in added})
    try:
        yield server
    finally:
        flush_prefect_clients()
        for name in ("PREFECT_API_URL", *added):
            os.environ.pop(name, None)

"""Run a ``lessonaudio`` command as a subprocess and find every process it left behind.

Each command gets a unique marker in its environment. Its children inherit it (Prefect passes its own
environment on to the servers and flow runs it starts), and it stays readable in ``/proc`` after a
child has been reparented, so a scan of ``/proc`` finds the whole tree even once its root is dead.
"""

from __future__ import annotations

import contextlib
import json
import os
import signal
import socket
import subprocess
import sys
import time
import urllib.request
import uuid
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
MARKER = "LESSONAUDIO_TEST_TREE"


_KEPT = ("LESSONAUDIO_LANG", "LESSONAUDIO_WEB_LANGUAGE")  # the session's language (tests/conftest.py)


def command_env(**settings: str) -> dict[str, str]:
    """This environment less any Prefect server or lessonaudio setting of the caller, plus ``settings``.

    The language the test session reads messages in is kept, so a child answers as the tests expect.
    """
    env = {
        k: v
        for k, v in os.environ.items()
        if k in _KEPT or not k.startswith(("PREFECT_API_URL", "LESSONAUDIO_"))
    }
    env.update(settings)
    return env


def processes_marked(marker: str) -> dict[int, str]:
    """Live processes (pid -> command line) whose environment carries ``marker``; zombies excluded."""
    found: dict[int, str] = {}
    needle = f"{MARKER}={marker}".encode()
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            if needle not in (entry / "environ").read_bytes().split(b"\0"):
                continue
            state = (entry / "stat").read_text().rsplit(")", 1)[1].split()[0]
            cmdline = (entry / "cmdline").read_bytes().replace(b"\0", b" ").decode(errors="replace")
        except OSError:  # gone meanwhile, or not ours to read
            continue
        if state != "Z":
            found[int(entry.name)] = cmdline.strip()
    return found


def ports_of(cmdlines: dict[int, str]) -> set[int]:
    """The ``--port N`` of every command line: where the servers in a tree listen."""
    ports: set[int] = set()
    for cmdline in cmdlines.values():
        words = cmdline.split()
        ports.update(int(words[i + 1]) for i, word in enumerate(words[:-1]) if word == "--port")
    return ports


def answers(port: int) -> bool:
    with socket.socket() as probe:
        probe.settimeout(1)
        return probe.connect_ex(("127.0.0.1", port)) == 0


def wait_for(condition: Callable[[], bool], timeout: float, what: str, log: Path | None = None) -> None:
    deadline = time.monotonic() + timeout
    while not condition():
        if time.monotonic() > deadline:
            tail = log.read_text(errors="replace")[-3000:] if log and log.exists() else ""
            raise AssertionError(f"{what} not within {timeout:.0f} s\n{tail}")
        time.sleep(0.5)


def api(url: str, body: dict[str, Any] | None = None, *, headers: dict[str, str] | None = None) -> Any:
    """POST ``body`` as JSON (GET without one) and decode the JSON answer."""
    data = None if body is None else json.dumps(body).encode()
    request = urllib.request.Request(
        url, data=data, headers={"Content-Type": "application/json", **(headers or {})}
    )
    with urllib.request.urlopen(request, timeout=10) as answer:
        return json.loads(answer.read())


class Command:
    """A running ``python -m app.cli ARGS`` with a marked environment, its log in a file."""

    def __init__(self, args: list[str], env: dict[str, str], log: Path) -> None:
        self.marker = uuid.uuid4().hex
        self.log = log
        with open(log, "wb") as sink:
            self.process = subprocess.Popen(
                [sys.executable, "-m", "app.cli", *args],
                cwd=ROOT,
                env={**env, MARKER: self.marker},
                stdout=sink,
                stderr=subprocess.STDOUT,
                stdin=subprocess.DEVNULL,
                start_new_session=True,  # so the test can clean up the whole group, whatever happens
            )

    @property
    def pid(self) -> int:
        return self.process.pid

    def output(self) -> str:
        return self.log.read_text(errors="replace")

    def tree(self) -> dict[int, str]:
        return processes_marked(self.marker)

    def assert_running(self) -> None:
        assert self.process.poll() is None, f"command exited early:\n{self.output()[-3000:]}"

    def signal(self, sig: signal.Signals) -> None:
        """Signal the command's own process only, as ``kill`` or a supervisor would."""
        self.process.send_signal(sig)

    def cleanup(self) -> None:
        """Whatever the test did, leave nothing running: the group, then any marked stragglers."""
        with contextlib.suppress(ProcessLookupError):
            os.killpg(self.process.pid, signal.SIGKILL)
        with contextlib.suppress(subprocess.TimeoutExpired):
            self.process.wait(timeout=10)
        for pid in self.tree():
            with contextlib.suppress(ProcessLookupError):
                os.kill(pid, signal.SIGKILL)


@contextmanager
def running(args: list[str], env: dict[str, str], log: Path) -> Iterator[Command]:
    command = Command(args, env, log)
    try:
        yield command
    finally:
        command.cleanup()

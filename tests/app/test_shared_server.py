"""The local Prefect server that renders share: started by the first, reused by the next, replaced when
it died, started once however many commands start together, and unused when ``PREFECT_API_URL`` is set.

Commands run as an operator runs them, as subprocesses, against real servers; the conftest stops every
server a test leaves behind.
"""

from __future__ import annotations

import json
import os
import shutil
import signal
import subprocess
import sys
import time
import urllib.error
from dataclasses import dataclass
from pathlib import Path

import pytest

from app.shared_server import SERVER_DIR, STATE_FILE
from tests.process_tree import ROOT, api, command_env, wait_for

SCRIPT = "id: shared\ntitle: 共用\nparagraphs:\n  - 春天来了。\n"
STARTING = "starting the local Prefect server"

pytestmark = pytest.mark.skipif(not sys.platform.startswith("linux"), reason="reads /proc")


@dataclass(frozen=True, slots=True)
class Ran:
    returncode: int
    stdout: str
    stderr: str
    seconds: float


def run(args: list[str], env: dict[str, str], timeout: float = 300) -> Ran:
    started = time.monotonic()
    command = [sys.executable, "-m", "app.cli", *args]
    done = subprocess.run(command, cwd=ROOT, env=env, capture_output=True, text=True, timeout=timeout)
    return Ran(done.returncode, done.stdout, done.stderr, time.monotonic() - started)


def environment(root: Path, models_dir: Path, **extra: str) -> dict[str, str]:
    return command_env(
        LESSONAUDIO_CACHE_DIR=str(root / "cache"),
        LESSONAUDIO_MODELS_DIR=str(models_dir),
        LESSONAUDIO_OUTPUT_DIR=str(root / "out"),
        LESSONAUDIO_BACKCHECK="false",
        **extra,
    )


def state(root: Path) -> dict[str, object]:
    data: dict[str, object] = json.loads((root / "cache" / SERVER_DIR / STATE_FILE).read_text())
    return data


def pid_alive(pid: int) -> bool:
    try:
        status = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return False
    return status.rsplit(")", 1)[1].split()[0] != "Z"


def flow_runs(api_url: str) -> list[dict[str, object]]:
    runs: list[dict[str, object]] = api(f"{api_url}/flow_runs/filter", {})
    return runs


@pytest.fixture
def spec(tmp_path: Path) -> Path:
    path = tmp_path / "shared.yaml"
    path.write_text(SCRIPT, encoding="utf-8")
    return path


def test_first_render_starts_the_server_and_the_next_reuses_it(
    tmp_path: Path, models_dir: Path, spec: Path
) -> None:
    env = environment(tmp_path, models_dir)
    assert run(["server", "status"], env).returncode == 1

    first = run(["render", str(spec)], env)
    assert first.returncode == 0, first.stderr
    assert STARTING in first.stderr
    server = state(tmp_path)
    pid = int(str(server["pid"]))
    assert pid_alive(pid)  # outlived the render that started it

    second = run(["render", str(spec)], env)
    assert second.returncode == 0, second.stderr
    assert STARTING not in second.stderr
    assert state(tmp_path) == server
    assert second.seconds < first.seconds, (first.seconds, second.seconds)
    # Both renders are ordinary flow runs of that server, for its UI.
    runs = flow_runs(str(server["api_url"]))
    assert len(runs) == 2 and {r["state_type"] for r in runs} == {"COMPLETED"}, runs
    given = {"spec_path": str(spec), "out_dir": str(tmp_path / "out"), "voice": None, "publish": False}
    given |= {"spec_sha256": None, "lexicon_path": None, "lexicon_sha256": None, "language": None}
    assert [r["parameters"] for r in runs] == [given, given]  # recorded as given
    assert server["csrf_protection"] is False  # so the renders' clients fetched no CSRF token

    status = run(["server", "status"], env)
    assert status.returncode == 0 and f"pid {pid}" in status.stdout, status

    stopped = run(["server", "stop"], env)
    assert stopped.returncode == 0 and f"pid {pid}" in stopped.stdout, stopped
    wait_for(lambda: not pid_alive(pid), 30, "the server's exit")
    assert run(["server", "status"], env).returncode == 1
    assert run(["server", "stop"], env).stdout.strip() == "not running"


def test_a_killed_server_is_replaced(tmp_path: Path, models_dir: Path, spec: Path) -> None:
    env = environment(tmp_path, models_dir)
    assert run(["server", "start"], env).returncode == 0
    dead = int(str(state(tmp_path)["pid"]))
    os.kill(dead, signal.SIGKILL)
    wait_for(lambda: not pid_alive(dead), 30, "the killed server's exit")
    assert run(["server", "status"], env).returncode == 1

    rendered = run(["render", str(spec)], env)
    assert rendered.returncode == 0, rendered.stderr
    assert STARTING in rendered.stderr
    replacement = int(str(state(tmp_path)["pid"]))
    assert replacement != dead and pid_alive(replacement)


def test_commands_starting_together_start_one_server_that_goes_with_its_folder(
    tmp_path: Path, models_dir: Path
) -> None:
    env = environment(tmp_path, models_dir)
    command = [sys.executable, "-m", "app.cli", "server", "start"]
    pipe = subprocess.PIPE
    starts = [
        subprocess.Popen(command, cwd=ROOT, env=env, stdout=pipe, stderr=pipe, text=True) for _ in range(3)
    ]
    outputs = [start.communicate(timeout=300) for start in starts]
    assert all(start.returncode == 0 for start in starts), outputs
    pid = state(tmp_path)["pid"]
    assert all(f"pid {pid}," in out for out, _ in outputs), outputs
    assert sum(out.startswith("started:") for out, _ in outputs) == 1, outputs
    assert sum(STARTING in err for _, err in outputs) == 1, outputs

    # A cache folder deleted without `server stop` (a temporary one, say) takes its server with it.
    shutil.rmtree(tmp_path / "cache")
    wait_for(lambda: not pid_alive(int(str(pid))), 60, "the end of the server whose folder was deleted")


def test_prefect_api_url_wins(tmp_path: Path, models_dir: Path, spec: Path) -> None:
    """With the operator's server named, a render starts none and its flow run is on that server."""
    operator = environment(tmp_path / "operator", models_dir)
    assert run(["server", "start"], operator).returncode == 0
    api_url = str(state(tmp_path / "operator")["api_url"])

    env = environment(tmp_path / "render", models_dir, PREFECT_API_URL=api_url)
    rendered = run(["render", str(spec)], env)
    assert rendered.returncode == 0, rendered.stderr
    assert STARTING not in rendered.stderr
    assert not (tmp_path / "render" / "cache" / SERVER_DIR).exists()
    assert len(flow_runs(api_url)) == 1


def test_a_server_that_demands_csrf_tokens_gets_them(tmp_path: Path, models_dir: Path, spec: Path) -> None:
    """Renders skip fetching a CSRF token only from a server started without CSRF protection."""
    env = environment(tmp_path, models_dir, PREFECT_SERVER_CSRF_PROTECTION_ENABLED="true")
    assert run(["server", "start"], env).returncode == 0
    server = state(tmp_path)
    assert server["csrf_protection"] is True

    env.pop("PREFECT_SERVER_CSRF_PROTECTION_ENABLED")  # the server keeps demanding them
    rendered = run(["render", str(spec)], env)
    assert rendered.returncode == 0, rendered.stderr
    with pytest.raises(urllib.error.HTTPError, match="403"):
        flow_runs(str(server["api_url"]))  # a request without a token is refused

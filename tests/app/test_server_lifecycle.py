"""The Prefect servers that ``serve`` and ``web`` start stop with them, however they are stopped; a killed
``render`` leaves only the local server that later renders share.

Each command runs as an operator runs it, as a subprocess. The test signals the command's own
process only (as ``kill``, systemd or a container runtime would), then requires that no process of
its tree is left and that the ports its servers listened on are closed. Before a test signals, it
checks that the tree did hold a Prefect server, so an empty tree cannot pass by accident.
"""

from __future__ import annotations

import signal
import sqlite3
import subprocess
import sys
from collections.abc import Iterator
from contextlib import closing
from dataclasses import dataclass
from pathlib import Path

import pytest

from app.exit_codes import UNAVAILABLE
from app.prefect_server import free_port
from app.shared_server import alive, read_state, server_home
from tests.process_tree import ROOT, Command, answers, api, command_env, ports_of, running, wait_for

SCRIPT = "id: lifecycle\ntitle: 生命周期\nparagraphs:\n  - 春天来了。\n"
TEMPORARY_SERVER = "prefect.server.api.server:create_app"
SHARED_SERVER = "prefect server start"

# /proc to find the tree, and the kernel's parent-death signal for SIGKILL: both Linux only.
pytestmark = [
    pytest.mark.skipif(not sys.platform.startswith("linux"), reason="needs Linux /proc and prctl"),
    pytest.mark.slow,  # starts Prefect servers of its own
]


@dataclass(frozen=True, slots=True)
class Folders:
    """Shared by the tests of one module, so Prefect's database is migrated once, not per test."""

    env: dict[str, str]
    root: Path


@pytest.fixture(scope="module")
def folders(tmp_path_factory: pytest.TempPathFactory, models_dir: Path) -> Folders:
    root = tmp_path_factory.mktemp("lifecycle")
    env = command_env(
        LESSONAUDIO_CACHE_DIR=str(root / "cache"),
        LESSONAUDIO_MODELS_DIR=str(models_dir),
        LESSONAUDIO_OUTPUT_DIR=str(root / "out"),
        LESSONAUDIO_DATABASE_URL=f"sqlite:///{root / 'catalog.db'}",
        LESSONAUDIO_BACKCHECK="false",
        PREFECT_HOME=str(root / "prefect-home"),  # the temporary server's database, not the user's
    )
    return Folders(env, root)


def _stops_with_its_tree(command: Command, sig: signal.Signals, server: str) -> None:
    """Signal ``command``; require that its tree held ``server`` and is gone afterwards, ports closed."""
    before = command.tree()
    assert any(server in cmdline for cmdline in before.values()), before
    ports = ports_of(before)
    assert ports, before
    command.signal(sig)
    wait_for(lambda: not command.tree(), 45, f"the end of every process of {before} after {sig.name}")
    assert not [port for port in ports if answers(port)], ports


def _serve_args() -> tuple[list[str], str]:
    """Arguments for ``serve`` on a free port, and the API address its server will have."""
    port = free_port()
    return ["serve", "--port", str(port)], f"http://127.0.0.1:{port}/api"


@pytest.mark.parametrize("sig", [signal.SIGTERM, signal.SIGKILL], ids=lambda s: s.name)
def test_serve_takes_its_server_down(folders: Folders, tmp_path: Path, sig: signal.Signals) -> None:
    args, api_url = _serve_args()
    with running(args, folders.env, tmp_path / "serve.log") as serve:

        def serving() -> bool:
            serve.assert_running()
            try:
                return len(api(f"{api_url}/deployments/filter", {})) == 2
            except OSError:
                return False

        wait_for(serving, 180, "serve's deployments", serve.log)
        _stops_with_its_tree(serve, sig, "prefect server start")


def test_serve_terminated_while_its_server_starts(folders: Folders, tmp_path: Path) -> None:
    """SIGTERM before the runner is up, while ``serve`` still waits for its server to answer."""
    args, _ = _serve_args()
    with running(args, folders.env, tmp_path / "serve.log") as serve:

        def server_spawned() -> bool:
            serve.assert_running()
            return any("prefect server start" in cmdline for cmdline in serve.tree().values())

        wait_for(server_spawned, 60, "serve's Prefect server process", serve.log)
        _stops_with_its_tree(serve, signal.SIGTERM, "prefect server start")


@pytest.fixture(scope="module")
def token(folders: Folders) -> str:
    created = subprocess.run(
        [sys.executable, "-m", "app.cli", "web", "token", "create", "lifecycle"],
        cwd=ROOT,
        env=folders.env,
        capture_output=True,
        text=True,
        timeout=120,
        check=True,
    )
    return created.stdout.strip()


@pytest.fixture
def web_with_a_render(folders: Folders, token: str, tmp_path: Path) -> Iterator[Command]:
    """``lessonaudio web`` after one render through its API: whatever Prefect server it needs is up."""
    port = free_port()
    with running(["web", "--port", str(port)], folders.env, tmp_path / "web.log") as web:
        base = f"http://127.0.0.1:{port}"

        def listening() -> bool:
            web.assert_running()
            return answers(port)

        wait_for(listening, 180, "lessonaudio web", web.log)
        auth = {"Authorization": f"Bearer {token}"}
        job = api(f"{base}/api/renders", {"script": SCRIPT}, headers=auth)
        state: dict[str, str] = {}

        def finished() -> bool:
            web.assert_running()
            state.update(api(f"{base}{job['status_url']}", headers=auth))
            return state["state"] in ("finished", "failed")

        wait_for(finished, 240, "the render", web.log)
        assert state["state"] == "finished", state
        yield web


@pytest.mark.parametrize("sig", [signal.SIGTERM, signal.SIGINT, signal.SIGKILL], ids=lambda s: s.name)
def test_web_takes_its_prefect_server_down(web_with_a_render: Command, sig: signal.Signals) -> None:
    servers = [cmdline for cmdline in web_with_a_render.tree().values() if TEMPORARY_SERVER in cmdline]
    assert len(servers) == 1, servers  # the render used the server web started; Prefect started none
    _stops_with_its_tree(web_with_a_render, sig, TEMPORARY_SERVER)


def _long_script(paragraphs: int) -> str:
    """A lesson whose synthesis takes long enough to signal the render in the middle of it."""
    sentence = "春天来了，小草绿了，我们一起去公园看花。"
    lines = "".join(f"  - 第{n}段：{sentence}\n" for n in range(1, paragraphs + 1))
    return f"id: lifecycle-long\ntitle: 很长的一课\nparagraphs:\n{lines}"


def _render_statuses(database: Path) -> list[str]:
    if not database.is_file():
        return []
    with closing(sqlite3.connect(database)) as connection:
        try:
            return [row[0] for row in connection.execute("SELECT status FROM renders")]
        except sqlite3.OperationalError:  # the catalog is still being created
            return []


@pytest.mark.parametrize("sig", [signal.SIGTERM, signal.SIGKILL], ids=lambda s: s.name)
def test_a_killed_render_leaves_only_the_shared_server(
    folders: Folders, tmp_path: Path, sig: signal.Signals
) -> None:
    """``render`` killed mid-render: its own processes end; the local Prefect server it started for
    every render of this cache folder (``lessonaudio server``) stays up and answers."""
    spec = tmp_path / "long.yaml"
    spec.write_text(_long_script(60), encoding="utf-8")
    database = tmp_path / "catalog.db"
    env = {**folders.env, "LESSONAUDIO_DATABASE_URL": f"sqlite:///{database}"}
    env["LESSONAUDIO_CACHE_DIR"] = str(tmp_path / "cache")  # a server this render starts, not a neighbour's
    with running(["render", str(spec)], env, tmp_path / "render.log") as render:

        def rendering() -> bool:
            render.assert_running()
            return _render_statuses(database) == ["running"]

        wait_for(rendering, 240, "the render's catalog row", render.log)
        before = render.tree()
        servers = {pid for pid, cmdline in before.items() if SHARED_SERVER in cmdline}
        assert len(servers) == 1 and len(before) > 1, before
        render.signal(sig)
        wait_for(lambda: set(render.tree()) == servers, 45, f"the render's exit after {sig.name}")
        shared = read_state(server_home(tmp_path / "cache"))
        assert shared is not None and shared.pid in servers and alive(shared)
        if sig == signal.SIGTERM:  # SIGKILL leaves the row to the abandoned-render sweep
            assert _render_statuses(database) == ["failed"], render.output()[-3000:]


def test_render_whose_server_cannot_start_says_so_in_one_line(folders: Folders, tmp_path: Path) -> None:
    """A Prefect database that cannot be created: the server dies at start, and the render says where
    its log is."""
    spec = tmp_path / "short.yaml"
    spec.write_text(SCRIPT, encoding="utf-8")
    database = f"sqlite+aiosqlite:///{tmp_path / 'no-such-folder' / 'prefect.db'}"
    cache = tmp_path / "cache"
    env = {**folders.env, "LESSONAUDIO_CACHE_DIR": str(cache)}
    env["PREFECT_API_DATABASE_CONNECTION_URL"] = database
    with running(["render", str(spec)], env, tmp_path / "render.log") as render:
        assert render.process.wait(timeout=180) == UNAVAILABLE, render.output()
        output = render.output()
        assert "Traceback" not in output, output
        last = output.strip().splitlines()[-1]
        assert last.startswith("error: Prefect server on port "), output
        assert last.endswith(f"(its log: {server_home(cache) / 'server.log'})"), output
        assert not render.tree(), render.tree()

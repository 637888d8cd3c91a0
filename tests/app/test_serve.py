"""``lessonaudio serve`` as an operator runs it: the inbox scan fires on its schedule, by itself.

Every run (scan and render) is run inside serve's own process, where the models stay loaded: a
run that got a process of its own fails these tests.

Nothing here creates a flow run: the Prefect server's scheduler must turn the ``scan-inbox`` schedule
into runs, ``serve``'s runner must start them, and the scan must render what it finds. That is
checked on both kinds of server an operator gets: the one ``serve`` starts itself (SQLite, no
``PREFECT_API_URL``) and a separate server on PostgreSQL. A scheduler that fails on every pass (as
Prefect 3.8's does with SQLAlchemy 2.1) fails these tests, with the server's log in the message.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

import pytest

from app.exit_codes import INPUT
from app.prefect_server import LocalServer, free_port, local_prefect_server
from tests.process_tree import Command, api, command_env, running, wait_for

SCRIPT = "id: served\ntitle: 服务\ncourse: 定时\nparagraphs:\n  - 春天来了。\n"
BROKEN = "id: Broken Id\ntitle: t\nparagraphs: []\n"


@pytest.fixture
def inbox(tmp_path: Path) -> Path:
    folder = tmp_path / "inbox"
    folder.mkdir()
    (folder / "served.yaml").write_text(SCRIPT, "utf-8")
    (folder / "broken.yaml").write_text(BROKEN, "utf-8")
    return folder


@pytest.fixture
def postgres_prefect(tmp_path: Path) -> Iterator[LocalServer]:
    """``prefect server start`` on a fresh PostgreSQL database, as the scale test runs it."""
    from tests.s3_server import fresh_postgres_database

    with (
        fresh_postgres_database("prefect_serve") as url,
        local_prefect_server(
            home=tmp_path / "prefect-pg",
            database_url=url.set(drivername="postgresql+asyncpg").render_as_string(hide_password=False),
        ) as server,
    ):
        yield server


def _settings(tmp_path: Path, models_dir: Path, inbox: Path) -> dict[str, str]:
    return command_env(
        LESSONAUDIO_CACHE_DIR=str(tmp_path / "cache"),
        LESSONAUDIO_MODELS_DIR=str(models_dir),
        LESSONAUDIO_INBOX=str(inbox),
        LESSONAUDIO_OUTPUT_DIR=str(tmp_path / "out"),
        LESSONAUDIO_BACKCHECK="false",
        PREFECT_HOME=str(tmp_path / "prefect-home"),  # the runner's and flow runs' files, not the user's
    )


def _when(stamp: str) -> datetime:
    return datetime.fromisoformat(stamp.replace("Z", "+00:00"))


def _deployments(serve: Command, api_url: str) -> dict[str, dict[str, Any]]:
    found: dict[str, dict[str, Any]] = {}

    def registered() -> bool:
        serve.assert_running()
        try:
            found.update({d["name"]: d for d in api(f"{api_url}/deployments/filter", {})})
        except OSError:
            return False
        return len(found) == 2

    wait_for(registered, 180, "serve's two deployments", serve.log)
    return found


def _scheduled_scans(api_url: str, deployment_id: str) -> list[dict[str, Any]]:
    body = {"deployments": {"id": {"any_": [deployment_id]}}, "sort": "EXPECTED_START_TIME_ASC"}
    runs: list[dict[str, Any]] = api(f"{api_url}/flow_runs/filter", body)
    return [r for r in runs if r["auto_scheduled"] and r["created_by"]["type"] == "SCHEDULE"]


def _runs_in_serve(serve: Command) -> None:
    """No flow run gets a process of its own: serve runs every one in its own process, warm."""
    spawned = {
        pid: cmd for pid, cmd in serve.tree().items() if "spawn_main" in cmd or "prefect.engine" in cmd
    }
    assert not spawned, f"a flow run got a process of its own: {spawned}"


def _assert_schedule_fires(
    serve: Command, api_url: str, server_log: Path, out: Path, inbox: Path, interval: timedelta
) -> None:
    """The first scheduled scan starts within two intervals of the schedule's registration, and
    renders and publishes the good script and reports the broken one."""
    scan = _deployments(serve, api_url)["scan-inbox"]
    registered = _when(scan["created"])
    fired: list[dict[str, Any]] = []

    def poll(*, finished: bool) -> Callable[[], bool]:
        def check() -> bool:
            serve.assert_running()
            _runs_in_serve(serve)
            fired[:] = [r for r in _scheduled_scans(api_url, scan["id"]) if r["start_time"]]
            return any(r["state_type"] == "COMPLETED" for r in fired) if finished else bool(fired)

        return check

    def logs() -> str:
        return f"serve:\n{serve.output()[-3000:]}\nserver:\n{server_log.read_text(errors='replace')[-4000:]}"

    try:  # a little slack over two intervals for this polling and a busy machine
        wait_for(poll(finished=False), 2 * interval.total_seconds() + 20, "a scheduled scan-inbox run")
        first = min(_when(r["start_time"]) for r in fired)
        assert first - registered <= 2 * interval, f"registered {registered}, first scan {first}"
        wait_for(poll(finished=True), 120, "a completed scheduled scan")
    except AssertionError as err:
        raise AssertionError(f"{err}\n{logs()}") from None

    pointer = out / "定时" / "served" / "latest.json"

    def published() -> bool:
        _runs_in_serve(serve)
        return pointer.exists()

    wait_for(published, 180, "the render's latest.json (published last)", serve.log)
    render_id = json.loads(pointer.read_text("utf-8"))["render_id"]
    assert (pointer.parent / render_id / "lesson.mp3").stat().st_size > 0
    report = inbox / "broken.yaml.errors.txt"
    wait_for(report.exists, 30, "the broken script's report", serve.log)
    assert "is not a slug" in report.read_text("utf-8")


def test_cron_fires_on_serves_own_server(tmp_path: Path, models_dir: Path, inbox: Path) -> None:
    """What an operator gets with no PREFECT_API_URL: serve's own SQLite server, a one-minute cron."""
    port = free_port()
    env = _settings(tmp_path, models_dir, inbox) | {"LESSONAUDIO_INBOX_CRON": "* * * * *"}
    with running(["serve", "--port", str(port)], env, tmp_path / "serve.log") as serve:
        api_url = f"http://127.0.0.1:{port}/api"
        server_log = tmp_path / "cache" / "prefect-server" / "server.log"
        scan = _deployments(serve, api_url)["scan-inbox"]
        assert [s["schedule"]["cron"] for s in scan["schedules"]] == ["* * * * *"]
        assert f"Prefect UI: http://127.0.0.1:{port}" in serve.output()
        _assert_schedule_fires(serve, api_url, server_log, tmp_path / "out", inbox, timedelta(minutes=1))


def test_interval_fires_on_a_postgres_server(
    tmp_path: Path, models_dir: Path, inbox: Path, postgres_prefect: LocalServer
) -> None:
    """The production layout: serve against a Prefect server on PostgreSQL, a 15 s interval."""
    env = _settings(tmp_path, models_dir, inbox) | {
        "LESSONAUDIO_INBOX_INTERVAL_S": "15",
        "PREFECT_API_URL": postgres_prefect.api_url,
    }
    with running(["serve"], env, tmp_path / "serve.log") as serve:
        scan = _deployments(serve, postgres_prefect.api_url)["scan-inbox"]
        assert [s["schedule"]["interval"] for s in scan["schedules"]] == [15.0]
        assert "every 15 s" in serve.output()
        _assert_schedule_fires(
            serve,
            postgres_prefect.api_url,
            postgres_prefect.log,
            tmp_path / "out",
            inbox,
            timedelta(seconds=15),
        )


def test_a_bad_cron_is_one_line(tmp_path: Path, models_dir: Path, inbox: Path) -> None:
    env = _settings(tmp_path, models_dir, inbox) | {"LESSONAUDIO_INBOX_CRON": "every minute"}
    with running(["serve", "--port", str(free_port())], env, tmp_path / "serve.log") as serve:
        assert serve.process.wait(timeout=60) == INPUT
    assert "LESSONAUDIO_INBOX_CRON='every minute' is not a cron expression" in serve.output()
    assert "Traceback" not in serve.output()
    assert not (tmp_path / "cache" / "prefect-server").exists()  # refused before a server was started


@pytest.mark.parametrize("where", ["missing-folder", "a-file.yaml", "ftp://host/inbox"])
def test_an_inbox_that_is_not_a_folder_is_one_line(tmp_path: Path, models_dir: Path, where: str) -> None:
    (tmp_path / "a-file.yaml").write_text("title: not a folder\n")
    inbox = tmp_path / where if "://" not in where else where
    env = _settings(tmp_path, models_dir, tmp_path) | {"LESSONAUDIO_INBOX": str(inbox)}
    with running(["serve", "--port", str(free_port())], env, tmp_path / "serve.log") as serve:
        assert serve.process.wait(timeout=60) == INPUT
    lines = serve.output().strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("error: "), serve.output()
    assert ("is not a folder" in lines[0]) != ("://" in where), lines[0]
    assert not (tmp_path / "cache" / "prefect-server").exists()  # refused before a server was started

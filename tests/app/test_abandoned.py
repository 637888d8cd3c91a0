"""Renders whose process died: marked ``abandoned`` (never a live one), staging folders removed.

Catalogs are real SQLite and PostgreSQL; processes are real (a child that exited is a pid that is
gone, a sleeping child is a live one). The render flow's use of this (a render killed with
``kill -9``, then the next render) is in ``tests/flows/test_render.py``.
"""

from __future__ import annotations

import os
import subprocess
import sys
import time
from collections.abc import Iterator
from datetime import timedelta
from pathlib import Path

import pytest
from typer.testing import CliRunner

from app.commands import renders as renders_command
from storage.catalog import Catalog
from storage.db import Render
from storage.db.models import utcnow
from storage.layout import render_dir, staging_dir
from storage.liveness import (
    STALE_AFTER,
    UNKNOWN_OWNER_AFTER,
    Heartbeat,
    ProcessOwner,
    this_host,
    this_process,
)
from storage.staging import reap

pytest_plugins = ["tests.s3_server"]


@pytest.fixture
def live_child() -> Iterator[int]:
    child = subprocess.Popen([sys.executable, "-c", "import time; time.sleep(120)"])
    yield child.pid
    child.kill()
    child.wait()


def gone_pid() -> int:
    child = subprocess.Popen([sys.executable, "-c", "pass"])
    child.wait()  # reaped: the pid names no process
    return child.pid


def started(
    catalog: Catalog, owner: ProcessOwner, lesson: str = "lesson-a", render_id: str | None = None
) -> int:
    return catalog.record_render_started("数学", lesson, render_id=render_id, owner=owner)


def test_a_render_whose_process_is_gone_is_abandoned_at_once(catalog: Catalog, live_child: int) -> None:
    dead = started(catalog, ProcessOwner(this_host(), gone_pid()), "dead")
    alive = started(catalog, ProcessOwner(this_host(), live_child), "alive")
    ours = started(catalog, this_process(), "ours")

    abandoned = catalog.abandon_dead_renders()

    assert [a.render_pk for a in abandoned] == [dead]
    row = catalog.get_render(dead)
    assert row.status == "abandoned" and row.error is not None
    assert "ended without recording the outcome" in row.error
    assert catalog.get_render(alive).status == catalog.get_render(ours).status == "running"
    assert catalog.abandon_dead_renders() == []  # marked once


def test_renders_on_other_machines_are_abandoned_only_when_their_heartbeat_stops(catalog: Catalog) -> None:
    # A pid that is gone here says nothing about a process on another machine (or pid namespace).
    elsewhere = started(catalog, ProcessOwner("worker-2/4026531836", gone_pid()))
    assert catalog.abandon_dead_renders() == []
    assert catalog.abandon_dead_renders(utcnow() + STALE_AFTER - timedelta(seconds=5)) == []

    later = utcnow() + STALE_AFTER + timedelta(seconds=5)
    assert [a.render_pk for a in catalog.abandon_dead_renders(later)] == [elsewhere]
    assert catalog.get_render(elsewhere).error.startswith("abandoned: no heartbeat (pid ")  # type: ignore[union-attr]


def test_a_beating_render_stays_running_and_a_wrongly_abandoned_one_comes_back(catalog: Catalog) -> None:
    pk = started(catalog, ProcessOwner("worker-2", 1234))
    first = catalog.get_render(pk).heartbeat_at
    with Heartbeat(lambda: catalog.beat(pk), every_s=0.05):
        deadline = time.monotonic() + 10
        while catalog.get_render(pk).heartbeat_at == first and time.monotonic() < deadline:
            time.sleep(0.02)
    beaten = catalog.get_render(pk).heartbeat_at
    assert beaten is not None and first is not None and beaten > first

    # Stopped (not dead) for longer than STALE_AFTER: abandoned, then back with its next beat.
    catalog.abandon_dead_renders(utcnow() + STALE_AFTER * 2)
    assert catalog.get_render(pk).status == "abandoned"
    catalog.beat(pk)
    row = catalog.get_render(pk)
    assert row.status == "running" and row.error is None
    catalog.record_render_failed(pk, "boom")
    catalog.beat(pk)  # a late beat never reopens a render that ended
    assert catalog.get_render(pk).status == "failed"


def test_an_old_running_row_without_an_owner_is_abandoned_after_a_day(catalog: Catalog) -> None:
    pk = started(catalog, ProcessOwner("old-version", 1))
    with catalog.session() as session:  # as a version that recorded no owner or heartbeat left it
        row = session.get(Render, pk)
        assert row is not None
        row.host = row.pid = row.heartbeat_at = None
    assert catalog.abandon_dead_renders(utcnow() + UNKNOWN_OWNER_AFTER - timedelta(minutes=1)) == []
    assert len(catalog.abandon_dead_renders(utcnow() + UNKNOWN_OWNER_AFTER + timedelta(minutes=1))) == 1


def test_abandoned_renders_in_the_cli(
    catalog: Catalog, db_url: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    pk = started(catalog, ProcessOwner(this_host(), gone_pid()), render_id="20261126T000000Z-deadbeef-0001")
    catalog.abandon_dead_renders()
    assert catalog.course_qa("数学").abandoned_renders == 1
    monkeypatch.setenv("LESSONAUDIO_DATABASE_URL", db_url)
    monkeypatch.setenv("LESSONAUDIO_CACHE_DIR", str(tmp_path / "cache"))

    listed = CliRunner().invoke(renders_command.app, ["list", "--status", "abandoned"])
    assert listed.exit_code == 0, listed.output
    assert listed.output.splitlines()[1].split()[:5] == [
        str(pk),
        "20261126T000000Z-deadbeef-0001",
        "数学",
        "lesson-a",
        "abandoned",
    ]
    shown = CliRunner().invoke(renders_command.app, ["show", str(pk)])
    fields = dict(line.split(None, 1) for line in shown.output.splitlines() if not line.startswith(" "))
    assert fields["status"].strip() == "abandoned"
    assert fields["process"].startswith(f"pid {catalog.get_render(pk).pid} on {os.uname().nodename}")
    assert "ended without recording the outcome" in fields["error"]


def _staging(root: Path, render_id: str, lesson: str = "lesson-a") -> Path:
    folder = staging_dir(render_dir(root, "数学", lesson, render_id))
    folder.mkdir(parents=True)
    (folder / "lesson.wav").write_bytes(b"RIFF" + bytes(1000))
    return folder


def test_reaping_removes_the_staging_folders_of_dead_renders_only(
    catalog: Catalog, tmp_path: Path, live_child: int
) -> None:
    out = tmp_path / "out"
    dead_id, live_id, failed_id = (f"20261126T00000{i}Z-aaaaaaaa-000{i}" for i in range(3))
    started(catalog, ProcessOwner(this_host(), gone_pid()), render_id=dead_id)
    started(catalog, ProcessOwner(this_host(), live_child), render_id=live_id)
    catalog.record_render_failed(started(catalog, this_process(), render_id=failed_id), "engine crashed")
    dead, live, failed = (_staging(out, r) for r in (dead_id, live_id, failed_id))
    unknown_recent = _staging(out, "20261126T000009Z-bbbbbbbb-0009", lesson="lesson-b")
    unknown_old = _staging(out, "20261101T000000Z-bbbbbbbb-0001", lesson="lesson-b")
    long_ago = time.time() - UNKNOWN_OWNER_AFTER.total_seconds() - 60
    for path in (unknown_old, unknown_old / "lesson.wav"):
        os.utime(path, (long_ago, long_ago))
    finished = render_dir(out, "数学", "lesson-a", "20261126T000008Z-aaaaaaaa-0008")
    finished.mkdir(parents=True)

    reaped = reap(catalog, out)

    assert [a.render_id for a in reaped.abandoned] == [dead_id]
    assert sorted(reaped.removed) == sorted([dead, failed, unknown_old])
    assert not dead.exists() and not failed.exists() and not unknown_old.exists()
    assert live.is_dir() and unknown_recent.is_dir() and finished.is_dir()
    assert reap(catalog, out).removed == ()

"""The render catalog on SQLite and PostgreSQL: migrations, recording renders, CLI output, QA summary."""

from __future__ import annotations

import types
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import TYPE_CHECKING

import pytest
import typer
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from sqlalchemy import func, insert, inspect, select
from typer.testing import CliRunner

from app.commands import db as db_command
from app.commands import qa_summary as qa_summary_command
from app.commands import renders as renders_command
from app.exit_codes import INPUT, NOT_FOUND, UNAVAILABLE, ExitCodeGroup
from storage.catalog import Catalog, CatalogError, SegmentQA, open_catalog
from storage.db import (
    Base,
    Lesson,
    Render,
    Segment,
    current_revision,
    head_revision,
    make_engine,
    upgrade_database,
)
from storage.db.session import VERSION_TABLE

if TYPE_CHECKING:
    from tests.s3_server import FakeRender, RenderFactory

pytest_plugins = ["tests.s3_server"]


def cli_app() -> typer.Typer:
    """The sub-apps mounted the way app/cli.py mounts them, under its root that maps errors to codes."""
    app = typer.Typer(cls=ExitCodeGroup, pretty_exceptions_enable=False)
    app.add_typer(db_command.app, name="db")
    app.add_typer(renders_command.app, name="renders")
    qa = typer.Typer(no_args_is_help=True)
    qa.command("summary")(qa_summary_command.qa_summary)
    app.add_typer(qa, name="qa")
    return app


@pytest.fixture
def run_cli(db_url: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> CliRunner:
    monkeypatch.setenv("LESSONAUDIO_DATABASE_URL", db_url)
    monkeypatch.setenv("LESSONAUDIO_CACHE_DIR", str(tmp_path / "cache"))
    return CliRunner()


def finished(catalog: Catalog, render: FakeRender) -> int:
    manifest = render.manifest
    pk = catalog.record_render_started(
        manifest["course"], manifest["lesson_id"], title=manifest["title"], spec_sha256="0" * 64
    )
    catalog.record_render_finished(pk, manifest, folder=str(render.folder), render_seconds=12.5)
    return pk


def test_migrations_build_the_models_schema_from_empty(db_url: str) -> None:
    engine = make_engine(db_url)
    assert current_revision(engine) is None
    assert upgrade_database(engine) == head_revision()
    assert upgrade_database(engine) == head_revision()  # a second upgrade is a no-op
    with engine.connect() as conn:
        context = MigrationContext.configure(conn, opts={"version_table": VERSION_TABLE})
        assert compare_metadata(context, Base.metadata) == []
        tables = set(inspect(conn).get_table_names())
    assert {"lessons", "renders", "segments", VERSION_TABLE} <= tables
    assert "alembic_version" not in tables
    engine.dispose()


def test_db_upgrade_command(run_cli: CliRunner, db_url: str) -> None:
    first = run_cli.invoke(cli_app(), ["db", "upgrade"])
    assert first.exit_code == 0, first.output
    assert f"upgraded from empty to revision {head_revision()}" in first.output
    second = run_cli.invoke(cli_app(), ["db", "upgrade"])
    assert second.exit_code == 0 and f"is current (revision {head_revision()})" in second.output


def test_render_lifecycle_is_recorded_once(catalog: Catalog, render_factory: RenderFactory) -> None:
    render = render_factory()
    pk = finished(catalog, render)
    catalog.record_render_finished(pk, render.manifest)  # repeated: updates, never duplicates
    catalog.record_published(pk, ["a/b", "c/d"], latest_key="x/latest.json", store="s3://b", bytes_uploaded=9)
    catalog.record_published(pk, ["a/b", "c/d"], latest_key="x/latest.json", store="s3://b", bytes_uploaded=0)

    row = catalog.get_render(render.render_id)
    assert row.id == pk and row.status == "published" and row.render_id == render.render_id
    assert row.engine_id == "baker-fastspeech2-mbmelgan-onnx" and row.model_sha256 == "ab" * 32
    assert row.segment_count == 3 and row.reused_count == 1 and row.synthesized_count == 2
    assert row.duration_s == render.manifest["duration"] and row.render_seconds == 12.5
    assert row.object_keys == ["a/b", "c/d"] and row.latest_key == "x/latest.json"
    assert row.qa_summary is None and row.started_at.tzinfo is not None
    assert [s.index for s in row.segments] == [0, 1, 2]
    assert row.segments[0].emotion == "happy" and row.segments[0].cer is None
    with catalog.session() as session:
        assert session.scalar(select(func.count(Render.id))) == 1
        assert session.scalar(select(func.count(Segment.id))) == 3

    catalog.record_render_failed(pk, "later re-publish failed")  # a visible render stays published
    assert catalog.get_render(pk).status == "published"


def test_failure_is_recorded_with_its_reason(catalog: Catalog) -> None:
    pk = catalog.record_render_started("数学", "lesson-a")
    catalog.record_render_failed(pk, "publish to s3://x failed: EndpointConnectionError: " + "x" * 10_000)
    row = catalog.get_render(str(pk))
    assert row.status == "failed" and row.error is not None
    assert row.error.startswith("publish to s3://x failed") and len(row.error) <= 4000
    with pytest.raises(CatalogError):
        catalog.record_render_failed(9999, "no such row")
    with pytest.raises(CatalogError, match="no render"):
        catalog.get_render("20990101T000000Z-missing")


def test_renders_list_and_show(catalog: Catalog, run_cli: CliRunner, render_factory: RenderFactory) -> None:
    math = render_factory()
    physics = render_factory(course="初中物理", lesson_id="physics-light")
    math_pk = finished(catalog, math)
    finished(catalog, physics)
    catalog.record_published(math_pk, ["k/lesson.mp3"], latest_key="k/l.json", store="s3", bytes_uploaded=1)
    failed_pk = catalog.record_render_started("初中物理", "physics-light")
    catalog.record_render_failed(failed_pk, "engine crashed")

    listed = run_cli.invoke(cli_app(), ["renders", "list"])
    assert listed.exit_code == 0, listed.output
    lines = listed.output.splitlines()
    assert lines[0].split()[:7] == ["id", "render", "course", "lesson", "status", "audio", "segments"]
    assert len(lines) == 4 and lines[1].split()[0] == str(failed_pk)  # newest first

    only = run_cli.invoke(cli_app(), ["renders", "list", "--course", "初中物理", "--status", "failed"])
    assert only.exit_code == 0
    assert [line.split()[0] for line in only.output.splitlines()[1:]] == [str(failed_pk)]
    none = run_cli.invoke(cli_app(), ["renders", "list", "--course", "无此课程"])
    assert none.exit_code == 0 and none.output.strip() == "no renders match"

    bad = run_cli.invoke(cli_app(), ["renders", "list", "--status", "done"])
    assert bad.exit_code == INPUT
    assert bad.output.strip() == (
        "error: unknown status 'done' (choose from running, finished, published, failed, abandoned)"
    )

    shown = run_cli.invoke(cli_app(), ["renders", "show", math.render_id])
    assert shown.exit_code == 0, shown.output
    fields = dict(line.split(None, 1) for line in shown.output.splitlines() if not line.startswith(" "))
    assert fields["status"].strip() == "published" and fields["lesson"].strip() == "math-g8-pythagoras"
    assert "3 (2 synthesised, 1 reused)" in shown.output and "  k/lesson.mp3" in shown.output
    assert run_cli.invoke(cli_app(), ["renders", "show", str(failed_pk)]).output.count("engine crashed") == 1

    missing = run_cli.invoke(cli_app(), ["renders", "show", "nope"])
    assert missing.exit_code == NOT_FOUND and len(missing.output.strip().splitlines()) == 1
    assert "no render 'nope'" in missing.output


def test_course_qa_summary(catalog: Catalog, run_cli: CliRunner, render_factory: RenderFactory) -> None:
    course = "初中数学八年级"
    a_old = finished(catalog, render_factory(lesson_id="lesson-a", render_id="20261101T000000Z-aaaaaaaa-01"))
    a_new = finished(catalog, render_factory(lesson_id="lesson-a", render_id="20261102T000000Z-aaaaaaaa-02"))
    b = finished(catalog, render_factory(lesson_id="lesson-b"))
    finished(catalog, render_factory(course="其他课程", lesson_id="lesson-c"))
    catalog.record_published(a_old, [], latest_key="l", store="s", bytes_uploaded=0)
    failed = catalog.record_render_started(course, "lesson-b")
    catalog.record_render_failed(failed, "boom")
    # lesson-a: the published (older) render is current, not the newer unpublished one.
    catalog.record_qa(a_old, {"passed": False}, [SegmentQA(0, 0.0), SegmentQA(1, 0.2, 0.1, ("cer_high",))])
    catalog.record_qa(a_new, {"passed": True}, [SegmentQA(0, 0.9), SegmentQA(1, 0.9), SegmentQA(2, 0.9)])
    catalog.record_qa(b, {"passed": True}, [SegmentQA(0, 0.05, 0.0), SegmentQA(1, 0.05, 0.02)])

    summary = catalog.course_qa(course)
    by_lesson = {q.lesson_id: q for q in summary.lessons}
    assert set(by_lesson) == {"lesson-a", "lesson-b"}
    assert by_lesson["lesson-a"].render_pk == a_old and by_lesson["lesson-a"].status == "published"
    assert (by_lesson["lesson-a"].checked, by_lesson["lesson-a"].flagged) == (2, 1)
    assert by_lesson["lesson-a"].mean_cer == pytest.approx(0.1) and by_lesson["lesson-a"].max_cer == 0.2
    assert by_lesson["lesson-b"].segments == 3 and by_lesson["lesson-b"].checked == 2
    assert by_lesson["lesson-b"].mean_per == pytest.approx(0.01)
    assert summary.mean_cer == pytest.approx((0.0 + 0.2 + 0.05 + 0.05) / 4)
    assert summary.flagged == 1 and summary.failed_renders == 1 and summary.segments == 6

    shown = run_cli.invoke(cli_app(), ["qa", "summary", "--course", course])
    assert shown.exit_code == 0, shown.output
    lines = shown.output.splitlines()
    assert lines[0].split()[:6] == ["lesson", "render", "status", "segments", "checked", "flagged"]
    assert lines[1].split()[0] == "lesson-a" and "10.0 %" in lines[1] and "20.0 %" in lines[1]
    assert lines[-1] == (
        f"course {course}: 2 lessons, 6 segments, 4 checked, 1 flagged, mean CER 7.5 %, 1 failed renders"
    )
    unknown = run_cli.invoke(cli_app(), ["qa", "summary", "--course", "化学"])
    assert unknown.exit_code == NOT_FOUND and len(unknown.output.strip().splitlines()) == 1
    assert "no lessons of course '化学'" in unknown.output and "其他课程" in unknown.output


def test_unreachable_or_malformed_database_is_one_line(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("LESSONAUDIO_CACHE_DIR", str(tmp_path))
    runner = CliRunner()
    for url, code, words in (
        (
            "postgresql+psycopg://nobody:secret@127.0.0.1:1/none",
            UNAVAILABLE,
            "error: the catalog database postgresql+psycopg://nobody:***@127.0.0.1:1/none: connection failed",
        ),
        (
            "not a url",
            INPUT,
            "error: cannot read LESSONAUDIO_DATABASE_URL 'not a url': expected e.g. sqlite:////",
        ),
        (
            "mysql+nosuchdriver://x/y",
            INPUT,
            "error: LESSONAUDIO_DATABASE_URL mysql+nosuchdriver://x/y names an",
        ),
    ):
        monkeypatch.setenv("LESSONAUDIO_DATABASE_URL", url)
        result = runner.invoke(cli_app(), ["renders", "list"])
        assert result.exit_code == code, (url, result.output)
        assert len(result.output.strip().splitlines()) == 1 and words in result.output
        assert "secret" not in result.output and "Traceback" not in result.output


def test_default_database_is_a_sqlite_file_in_the_cache_dir(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("LESSONAUDIO_DATABASE_URL", raising=False)
    monkeypatch.setenv("LESSONAUDIO_CACHE_DIR", str(tmp_path / "fresh-cache"))
    created = CliRunner().invoke(cli_app(), ["db", "upgrade"])
    assert created.exit_code == 0, created.output
    assert (tmp_path / "fresh-cache" / "lessonaudio.db").is_file()
    result = CliRunner().invoke(cli_app(), ["renders", "list"])
    assert result.exit_code == 0, result.output
    assert result.output.strip() == "no renders recorded yet"


@pytest.mark.parametrize(
    "command",
    [
        ["renders", "list"],
        ["renders", "show", "1"],
        ["renders", "publish", "1"],
        ["qa", "summary", "--course", "数学"],
    ],
)
def test_reading_a_missing_sqlite_catalog_creates_nothing(
    command: list[str], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    typo = tmp_path / "catalgo" / "lessonaudio.db"
    monkeypatch.setenv("LESSONAUDIO_DATABASE_URL", f"sqlite:///{typo}")
    monkeypatch.setenv("LESSONAUDIO_CACHE_DIR", str(tmp_path / "cache"))
    result = CliRunner().invoke(cli_app(), command)
    assert result.exit_code == NOT_FOUND
    assert result.output.strip() == (
        f"error: no catalog at {typo} (run `lessonaudio db upgrade` or render a lesson first; "
        "check LESSONAUDIO_DATABASE_URL)"
    )
    assert not typo.parent.exists()  # neither the file nor its folder


def test_publishing_a_render_folder_creates_the_catalog(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, render_factory: RenderFactory
) -> None:
    render = render_factory()
    monkeypatch.setenv("LESSONAUDIO_DATABASE_URL", f"sqlite:///{tmp_path / 'new' / 'catalog.db'}")
    monkeypatch.setenv("LESSONAUDIO_CACHE_DIR", str(tmp_path / "cache"))
    monkeypatch.delenv("LESSONAUDIO_S3_BUCKET", raising=False)
    result = CliRunner().invoke(cli_app(), ["renders", "publish", str(render.folder)])
    assert result.exit_code == 0, result.output  # it records the render: a write, like rendering
    shown = CliRunner().invoke(cli_app(), ["renders", "show", render.render_id])
    assert shown.exit_code == 0 and "published" in shown.output


def test_upgrading_keeps_every_row_of_an_older_catalog(db_url: str) -> None:
    from alembic import command

    from storage.db.session import _alembic_config

    engine = make_engine(db_url)
    with engine.begin() as conn:
        command.upgrade(_alembic_config(conn), "0003_inbox_items")
    two_days_ago = datetime.now(UTC) - timedelta(days=2)
    with engine.begin() as conn:  # the columns revision 0003 has, nothing newer
        conn.execute(
            insert(Base.metadata.tables["lessons"]).values(id=1, course="数学", lesson_id="lesson-a")
        )
        conn.execute(
            insert(Base.metadata.tables["renders"]).values(
                id=1, lesson_pk=1, render_id="r1", status="running", started_at=two_days_ago
            )
        )
        for index in range(3):
            conn.execute(
                insert(Base.metadata.tables["segments"]).values(
                    render_pk=1,
                    index=index,
                    paragraph=1,
                    text="t",
                    emotion="neutral",
                    start_s=0.0,
                    end_s=1.0,
                    duration_s=1.0,
                    pause_after_ms=0,
                    cache_key="k",
                    reused=False,
                    flagged=False,
                )
            )
    old = Catalog(engine)

    upgrade_database(engine)  # on SQLite, renders is copied into a new table: no cascade may fire

    row = old.get_render("r1")
    assert [s.index for s in row.segments] == [0, 1, 2]
    assert row.host is None and row.heartbeat_at is None
    # A row from before owners were recorded is abandoned only after a day without finishing.
    assert old.abandon_dead_renders() != [] and old.get_render("r1").status == "abandoned"
    engine.dispose()


def test_a_lesson_created_by_a_concurrent_render_is_reused(db_url: str) -> None:
    """Two renders of a new lesson: the other one commits the lesson row between this one's look-up
    and its insert. The loser must reuse the winner's row, not fail on the unique key."""
    winner = open_catalog(db_url)
    loser = open_catalog(db_url)
    original = Catalog._lesson
    raced: list[int] = []

    def lesson_after_a_race(self: Catalog, session, course, lesson_id, title):  # type: ignore[no-untyped-def]
        if not raced:
            missing = session.scalar(select(Lesson).where(Lesson.lesson_id == lesson_id))
            assert missing is None
            raced.append(winner.record_render_started(course, lesson_id, title=title))
            fresh = Lesson(course=course or "", lesson_id=lesson_id, title=title)
            session.add(fresh)
            session.flush()
            return fresh
        return original(self, session, course, lesson_id, title)

    try:
        loser._lesson = types.MethodType(lesson_after_a_race, loser)  # type: ignore[method-assign]
        pk = loser.record_render_started("c", "twins", title="同时")
        with loser.session() as session:
            lessons = session.scalars(select(Lesson).where(Lesson.lesson_id == "twins")).all()
            renders = session.scalars(select(Render).where(Render.lesson_pk == lessons[0].id)).all()
        assert len(lessons) == 1
        assert sorted(r.id for r in renders) == sorted([pk, raced[0]])
    finally:
        winner.close()
        loser.close()

"""``lessonaudio web token create/list/revoke``: tokens printed once, listed without secrets, revoked
for good; and the catalog migration that holds them."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import pytest
import typer
from alembic import command
from alembic.script import ScriptDirectory
from fastapi.testclient import TestClient
from sqlalchemy import inspect, text
from typer.testing import CliRunner

from app.commands import web as web_command
from app.exit_codes import INPUT, NOT_FOUND, UNAVAILABLE, ExitCodeGroup
from storage.db import make_engine, upgrade_database
from storage.db.session import _alembic_config
from tests.browser.support import fake_app, web_settings
from web.token_store import SqlTokenStore
from web.tokens import Role, token_hash


def cli() -> typer.Typer:
    """The sub-app mounted the way app/cli.py mounts it (``app.add_typer(web.app, name="web")``)."""
    root = typer.Typer(cls=ExitCodeGroup, pretty_exceptions_enable=False)
    root.add_typer(web_command.app, name="web")
    return root


@pytest.fixture
def runner(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> CliRunner:
    monkeypatch.setenv("LESSONAUDIO_CACHE_DIR", str(tmp_path / "cache"))
    monkeypatch.setenv("LESSONAUDIO_DATABASE_URL", f"sqlite:///{tmp_path / 'web.db'}")
    return CliRunner()


def test_token_lifecycle(runner: CliRunner, tmp_path: Path) -> None:
    created = runner.invoke(cli(), ["web", "token", "create", "wang.laoshi"])
    assert created.exit_code == 0, created.output
    token = created.stdout.strip()
    assert token.startswith("la_") and len(token) > 40
    assert "shown only now" in created.stderr

    listed = runner.invoke(cli(), ["web", "token", "list"])
    assert listed.exit_code == 0 and "wang.laoshi" in listed.stdout and "active" in listed.stdout
    assert token not in listed.stdout

    app = fake_app(web_settings(tmp_path))
    with TestClient(app) as client:
        auth = {"Authorization": f"Bearer {token}"}
        assert client.get("/api/voices", headers=auth).status_code == 200
        assert runner.invoke(cli(), ["web", "token", "revoke", "wang.laoshi"]).exit_code == 0
        assert client.get("/api/voices", headers=auth).status_code == 401
    assert "revoked" in runner.invoke(cli(), ["web", "token", "list"]).stdout


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["create", "has space"], "invalid token name"),
        (["revoke", "nobody"], "no token named 'nobody'"),
    ],
)
def test_token_errors_are_one_line(runner: CliRunner, args: list[str], message: str) -> None:
    assert runner.invoke(cli(), ["web", "token", "create", "someone"]).exit_code == 0
    result = runner.invoke(cli(), ["web", "token", *args])
    assert result.exit_code == INPUT and message in result.stderr
    assert "Traceback" not in result.output


def test_duplicate_names_are_refused(runner: CliRunner) -> None:
    assert runner.invoke(cli(), ["web", "token", "create", "li"]).exit_code == 0
    again = runner.invoke(cli(), ["web", "token", "create", "li"])
    assert again.exit_code == INPUT and "already exists" in again.stderr


def test_unreachable_database_is_one_line(runner: CliRunner, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("LESSONAUDIO_DATABASE_URL", "sqlite:////proc/no/such/dir/web.db")
    result = runner.invoke(cli(), ["web", "token", "create", "li"])
    assert result.exit_code == UNAVAILABLE, result.output
    assert "error: the catalog database /proc/no/such/dir/web.db: " in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1


@pytest.mark.parametrize("args", [["token", "list"], ["token", "revoke", "li"], []])
def test_reading_a_mistyped_catalog_url_creates_nothing(
    runner: CliRunner, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, args: list[str]
) -> None:
    """A typo in a SQLite URL must not silently start a new, empty catalog (no tokens: no one signs in)."""
    typo = tmp_path / "sub" / "wbe.db"
    monkeypatch.setenv("LESSONAUDIO_DATABASE_URL", f"sqlite:///{typo}")
    result = runner.invoke(cli(), ["web", *args])
    assert result.exit_code == NOT_FOUND, result.output
    assert f"no catalog at {typo}" in result.stderr and "LESSONAUDIO_DATABASE_URL" in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1
    assert not typo.exists() and not typo.parent.exists()


def test_tokens_live_in_their_own_catalog_migration(tmp_path: Path) -> None:
    engine = make_engine(f"sqlite:///{tmp_path / 'fresh.db'}")
    upgrade_database(engine)
    with engine.connect() as conn:
        columns = {c["name"] for c in inspect(conn).get_columns("web_tokens")}
    engine.dispose()
    assert columns == {"id", "name", "token_sha256", "role", "created_at", "last_used_at", "revoked_at"}
    script = ScriptDirectory.from_config(_alembic_config())
    mine = script.get_revision("0002_web_tokens")
    assert mine is not None and mine.down_revision == "0001"


def test_admin_tokens_are_created_on_purpose(runner: CliRunner, tmp_path: Path) -> None:
    teacher = runner.invoke(cli(), ["web", "token", "create", "wang"])
    admin = runner.invoke(cli(), ["web", "token", "create", "office", "--admin"])
    assert teacher.exit_code == 0 and admin.exit_code == 0, admin.output
    assert "created admin token 'office'" in admin.stderr
    listed = runner.invoke(cli(), ["web", "token", "list"]).stdout.splitlines()
    roles = {line.split()[0]: line.split()[1] for line in listed[1:]}
    assert roles == {"office": "admin", "wang": "teacher"}
    store = SqlTokenStore.open(f"sqlite:///{tmp_path / 'web.db'}")
    try:
        office = store.authenticate(admin.stdout.strip())
        wang = store.authenticate(teacher.stdout.strip())
    finally:
        store.close()
    assert office is not None and office.is_admin and wang is not None and not wang.is_admin


def test_tokens_from_before_roles_become_teachers(tmp_path: Path) -> None:
    """An existing catalog upgrades in place; its tokens keep working, with a teacher's view."""
    url = f"sqlite:///{tmp_path / 'old.db'}"
    engine = make_engine(url)
    with engine.begin() as conn:
        command.upgrade(_alembic_config(conn), "0004_render_owner")
        conn.execute(
            text("INSERT INTO web_tokens (name, token_sha256, created_at) VALUES ('li', :h, :t)"),
            {"h": token_hash("la_old-token"), "t": datetime.now(UTC)},
        )
    engine.dispose()
    store = SqlTokenStore.open(url)
    try:
        info = store.authenticate("la_old-token")
    finally:
        store.close()
    assert info is not None and info.role is Role.TEACHER
    script = ScriptDirectory.from_config(_alembic_config())
    roles = script.get_revision("0005_web_roles_sessions")
    assert roles is not None and roles.down_revision == "0004_render_owner"

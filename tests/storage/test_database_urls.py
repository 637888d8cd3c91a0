"""LESSONAUDIO_DATABASE_URL and the catalog file: every command that opens the catalog or the token
store says in one line what is wrong and how to fix it, never a traceback.

Read-only and full disks are made real as in tests/audio/test_disk_errors.py (the tests run as root, which
ignores file permissions): a small tmpfs mounted read-only, one filled to the last page. Where
mounting is refused those cases skip with the reason.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from typer.testing import CliRunner

from app.cli import app as cli_app
from app.exit_codes import INPUT, UNAVAILABLE
from storage.catalog import open_catalog
from storage.db import CatalogUnavailable, DatabaseUrlError
from storage.db.session import check_database_url
from tests.mounts import Mount

ROOT = Path(__file__).resolve().parents[2]
PG_URL = "postgresql://postgres@127.0.0.1:5432/test"
EXAMPLE = "expected e.g. sqlite:////path/lessonaudio.db or postgresql+psycopg://user@host/db"
SUPPORTED = "use sqlite or postgresql+psycopg"
LONG = "sqlite:///" + "a" * 5000

COMMANDS = [
    ["renders", "list"],
    ["renders", "show", "1"],
    ["qa", "summary", "--course", "数学"],
    ["db", "upgrade"],
    ["web", "token", "create", "li"],
    ["web", "token", "list"],
    ["web", "token", "revoke", "li"],
    ["web"],
]

BAD_URLS = [
    ("garbage", "cannot read LESSONAUDIO_DATABASE_URL 'garbage': " + EXAMPLE),
    (" ", "cannot read LESSONAUDIO_DATABASE_URL ' ': " + EXAMPLE),
    ("oracle://x", "names an unsupported database 'oracle'; " + SUPPORTED),
    ("mysql://u:secret@127.0.0.1/x", "mysql://u:***@127.0.0.1/x names an unsupported database 'mysql'"),
    (
        "postgresql+psycopg2://u:secret@127.0.0.1/test",
        "driver 'psycopg2', which lessonaudio does not",
    ),
    ("postgresql+asyncpg://u@127.0.0.1/test", "uses the async driver 'asyncpg'; " + SUPPORTED),
    ("sqlite+aiosqlite:////tmp/x.db", "uses the async driver 'aiosqlite'"),
    ("sqlite:///", "is an in-memory SQLite database, which forgets every render"),
    ("sqlite://", "is an in-memory SQLite database"),
    ("sqlite:///:memory:", "is an in-memory SQLite database"),
    (LONG, "File name too long"),
]


@pytest.fixture
def env(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv("LESSONAUDIO_CACHE_DIR", str(tmp_path / "cache"))
    monkeypatch.delenv("PREFECT_API_URL", raising=False)
    return tmp_path


def _one_error_line(result: object, *, code: int, width: int = 500) -> str:
    output = getattr(result, "output", "")
    assert getattr(result, "exit_code", None) == code, output
    assert "Traceback" not in output
    lines = output.strip().splitlines()
    assert len(lines) == 1, output
    assert len(lines[0]) <= width, lines[0]
    return lines[0]


@pytest.mark.parametrize(("url", "words"), BAD_URLS, ids=[u[:30] or "empty" for u, _ in BAD_URLS])
@pytest.mark.parametrize("command", COMMANDS, ids=" ".join)
def test_a_bad_database_url_is_one_line(
    command: list[str], url: str, words: str, env: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("LESSONAUDIO_DATABASE_URL", url)
    # A URL that names no usable database is input; one too long for the file system is refused by it.
    code = UNAVAILABLE if url == LONG else INPUT
    line = _one_error_line(CliRunner().invoke(cli_app, command), code=code)
    assert line.startswith("error: ") and words in line, line
    assert "secret" not in line
    assert not (env / "cache").exists() or not any((env / "cache").glob("*.db"))


def test_a_long_url_is_quoted_as_a_bounded_excerpt(env: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("LESSONAUDIO_DATABASE_URL", "oracle://" + "u" * 5000)
    line = _one_error_line(CliRunner().invoke(cli_app, ["db", "upgrade"]), code=INPUT)
    assert "…" in line and "unsupported database 'oracle'" in line


def test_plain_postgresql_means_psycopg_3(env: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """SQLAlchemy would load psycopg2 for ``postgresql://``; the package ships psycopg 3 only."""
    assert check_database_url(PG_URL).drivername == "postgresql+psycopg"
    monkeypatch.setenv("LESSONAUDIO_DATABASE_URL", PG_URL)
    upgraded = CliRunner().invoke(cli_app, ["db", "upgrade"])
    assert upgraded.exit_code == 0, upgraded.output
    assert f"catalog at {PG_URL}" in upgraded.output
    listed = CliRunner().invoke(cli_app, ["renders", "list"])
    assert listed.exit_code == 0, listed.output
    catalog = open_catalog(PG_URL)
    try:
        assert catalog.engine.dialect.driver == "psycopg"
    finally:
        catalog.close()


def test_in_memory_sqlite_is_refused_by_the_library_too() -> None:
    for url in ("sqlite:///", "sqlite://", "sqlite:///:memory:", "sqlite:///file:x?mode=memory&uri=true"):
        with pytest.raises(DatabaseUrlError, match="in-memory SQLite"):
            open_catalog(url)


def _fill(point: Path) -> None:
    with pytest.raises(OSError, match="No space left"), open(point / "filler", "wb") as filler:
        filler.write(bytes(4 * 1024 * 1024))
        filler.flush()


@pytest.mark.parametrize("command", [["db", "upgrade"], ["web", "token", "create", "li"]], ids=" ".join)
def test_a_read_only_cache_names_the_catalog_file_and_the_reason(
    command: list[str], env: Path, tmpfs: Mount, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The default catalog lives in the cache dir: a read-only one is named, with the way out."""
    cache = tmpfs("ro")
    monkeypatch.setenv("LESSONAUDIO_CACHE_DIR", str(cache))
    monkeypatch.delenv("LESSONAUDIO_DATABASE_URL", raising=False)
    line = _one_error_line(CliRunner().invoke(cli_app, command), code=UNAVAILABLE)
    assert f"the catalog database {cache / 'lessonaudio.db'}: unable to open database file" in line
    assert "the file or its folder is read-only" in line
    assert "LESSONAUDIO_DATABASE_URL or LESSONAUDIO_CACHE_DIR" in line


def test_a_full_disk_names_the_catalog_file_and_says_free_space(
    env: Path, tmpfs: Mount, monkeypatch: pytest.MonkeyPatch
) -> None:
    point = tmpfs("size=1m")
    database = point / "lessonaudio.db"
    monkeypatch.setenv("LESSONAUDIO_DATABASE_URL", f"sqlite:///{database}")
    assert CliRunner().invoke(cli_app, ["db", "upgrade"]).exit_code == 0
    _fill(point)
    line = _one_error_line(CliRunner().invoke(cli_app, ["web", "token", "create", "li"]), code=UNAVAILABLE)
    # SQLite says "database or disk is full" or, when the WAL index is what cannot grow, "disk I/O error"
    assert f"the catalog database {database}: " in line and "disk is full" in line
    assert "free space on that disk" in line and "LESSONAUDIO_CACHE_DIR" in line


@pytest.mark.slow  # a CLI render: starts a Prefect server of its own
def test_render_names_a_read_only_catalog(env: Path, tmpfs: Mount) -> None:
    """The render command and the flow it runs raise the same one line as the other commands."""
    cache = tmpfs("ro")
    environ = {**os.environ, "LESSONAUDIO_CACHE_DIR": str(cache)}
    environ["LESSONAUDIO_DATABASE_URL"] = f"sqlite:///{cache / 'catalog.db'}"
    environ["PREFECT_HOME"] = str(env / "prefect")
    spec = ROOT / "lesson_specs" / "examples" / "math-g8-pythagoras.yaml"
    done = subprocess.run(
        [sys.executable, "-m", "app.cli", "render", str(spec), "--out", str(env / "out")],
        cwd=ROOT,
        env=environ,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert done.returncode == UNAVAILABLE, done.stderr
    # Prefect may log its own shutdown noise after the error line, so the line is found, not assumed last.
    failed = [line for line in done.stderr.splitlines() if line.startswith("error:")]
    assert len(failed) == 1, done.stderr
    assert failed[0].startswith(f"error: the catalog database {cache / 'catalog.db'}: "), done.stderr
    assert "read-only" in failed[0] and "Traceback" not in done.stderr


def test_the_library_error_is_one_class(tmp_path: Path) -> None:
    """Deployed flows and the web app see the same error the CLI prints."""
    with pytest.raises(CatalogUnavailable, match="File name too long"):
        open_catalog(LONG)

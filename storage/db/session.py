"""Engines and migrations for the catalog.

Why a lock around upgrades: the CLI and the flow upgrade a database on first use, and two renders
started at once on a fresh machine would otherwise both try to create the tables. PostgreSQL takes a
transaction-scoped advisory lock; SQLite takes an ``flock`` on a file next to the database.
"""

from __future__ import annotations

import fcntl
import os
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import Engine, create_engine, event, text
from sqlalchemy.engine import Connection, make_url

MIGRATIONS = Path(__file__).resolve().parent / "migrations"
VERSION_TABLE = "lessonaudio_alembic_version"
"""Not ``alembic_version``: the catalog may share a PostgreSQL database with other applications."""
_PG_LOCK_KEY = 0x1E55_0A0D10
DEFAULT_DB_NAME = "lessonaudio.db"


@dataclass(frozen=True, slots=True)
class DatabaseConfig:
    """What the flow and CLI pass down: the URL only (engines are made where they are used)."""

    url: str


def default_database_url(cache_dir: Path) -> str:
    """The embedded default: one SQLite file per machine, next to the segment cache."""
    return f"sqlite:///{(cache_dir / DEFAULT_DB_NAME).resolve()}"


def _sqlite_pragmas(dbapi_connection: Any, connection_record: Any) -> None:
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute("PRAGMA busy_timeout=30000")
    cursor.close()


def sqlite_file(url: str) -> Path | None:
    """The file behind a SQLite URL; None for other databases, in-memory and ``file:`` URIs."""
    parsed = make_url(url)
    if parsed.get_backend_name() != "sqlite":
        return None
    database = parsed.database
    if not database or database == ":memory:" or database.startswith("file:"):
        return None
    return Path(database).resolve()


def make_engine(url: str) -> Engine:
    """An engine for ``url``; SQLite gets foreign keys, WAL and a busy timeout for concurrent renders."""
    parsed = make_url(url)
    if parsed.get_backend_name() == "sqlite":
        database = parsed.database
        if database and database != ":memory:" and not database.startswith("file:"):
            Path(database).parent.mkdir(parents=True, exist_ok=True)
        engine = create_engine(url, connect_args={"timeout": 30})
        event.listen(engine, "connect", _sqlite_pragmas)
        if database and database != ":memory:":
            with engine.connect() as conn:
                conn.exec_driver_sql("PRAGMA journal_mode=WAL")
        return engine
    return create_engine(url, pool_pre_ping=True)


def _alembic_config(connection: Connection | None = None) -> Config:
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    config.set_main_option("version_table", VERSION_TABLE)
    if connection is not None:
        config.attributes["connection"] = connection
    return config


def head_revision() -> str:
    head = ScriptDirectory.from_config(_alembic_config()).get_current_head()
    assert head is not None, "the package ships no migrations"
    return head


def current_revision(engine: Engine) -> str | None:
    with engine.connect() as conn:
        context = MigrationContext.configure(conn, opts={"version_table": VERSION_TABLE})
        return context.get_current_revision()


@contextmanager
def _sqlite_file_lock(engine: Engine) -> Iterator[None]:
    database = engine.url.database
    if not database or database == ":memory:" or database.startswith("file:"):
        yield
        return
    fd = os.open(f"{database}.migrate-lock", os.O_CREAT | os.O_RDWR, 0o644)
    try:
        fcntl.flock(fd, fcntl.LOCK_EX)
        yield
    finally:
        fcntl.flock(fd, fcntl.LOCK_UN)
        os.close(fd)


def upgrade_database(engine: Engine) -> str:
    """Bring the database to the newest schema this package knows; cheap when it is already there.

    SQLite cannot alter a constraint, so a migration that changes one copies the table and drops
    the old one; with foreign keys on, that drop would cascade and delete every row that points at
    the table (all segments of all renders). Migrations therefore run with foreign keys off, and
    ``PRAGMA foreign_key_check`` must find nothing broken before they commit.
    """
    head = head_revision()
    if current_revision(engine) == head:
        return head
    if engine.dialect.name != "sqlite":
        with engine.begin() as conn:
            if engine.dialect.name == "postgresql":
                conn.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": _PG_LOCK_KEY})
            command.upgrade(_alembic_config(conn), "head")
        return head
    with _sqlite_file_lock(engine), engine.connect() as conn:
        conn.exec_driver_sql("PRAGMA foreign_keys=OFF")  # a no-op inside a transaction: before it
        conn.commit()
        try:
            with conn.begin():
                command.upgrade(_alembic_config(conn), "head")
                broken = conn.exec_driver_sql("PRAGMA foreign_key_check").fetchall()
                if broken:
                    raise RuntimeError(f"catalog migration broke foreign keys: {broken[:5]}")
        finally:
            conn.exec_driver_sql("PRAGMA foreign_keys=ON")  # the pooled connection goes back as it came
            conn.commit()
    return head


@contextmanager
def _nothing() -> Iterator[None]:
    yield

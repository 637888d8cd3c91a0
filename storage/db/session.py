"""Engines and migrations for the catalog.

Why a lock around upgrades: the CLI and the flow upgrade a database on first use, and two renders
started at once on a fresh machine would otherwise both try to create the tables. PostgreSQL takes a
transaction-scoped advisory lock; SQLite takes an ``flock`` on a file next to the database.
"""

from __future__ import annotations

import ast
import errno
import fcntl
import os
import re
from collections.abc import Iterator
from contextlib import contextmanager
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING, Any

from sqlalchemy import Engine, create_engine, event, inspect, text
from sqlalchemy.engine import URL, Connection, make_url
from sqlalchemy.exc import ArgumentError, SQLAlchemyError

from errors import InputError, UnavailableError
from i18n import N_, _
from text_frontend.excerpt import one_line

if TYPE_CHECKING:
    from alembic.config import Config

MIGRATIONS = Path(__file__).resolve().parent / "migrations"
VERSION_TABLE = "lessonaudio_alembic_version"
"""Not ``alembic_version``: the catalog may share a PostgreSQL database with other applications."""
_PG_LOCK_KEY = 0x1E55_0A0D10
URL_EXAMPLE = "sqlite:////path/lessonaudio.db or postgresql+psycopg://user@host/db"
SUPPORTED = "sqlite or postgresql+psycopg (psycopg 3)"
URL_CHARS = 200
"""Longest quote of a database URL or file in an error: a URL can be thousands of characters long."""
_ASYNC_DRIVERS = frozenset({"asyncpg", "psycopg_async", "aiosqlite", "asyncmy", "aiomysql"})
_FULL_BYTES = 64 * 1024
"""Less free space than this under the catalog's folder is what made a write fail."""
_HINT = N_("set LESSONAUDIO_DATABASE_URL or LESSONAUDIO_CACHE_DIR")


class CatalogUnavailable(UnavailableError):
    """The catalog database cannot be used: the message is one line naming the database and the way out."""


class DatabaseUrlError(CatalogUnavailable, InputError, ValueError):
    """LESSONAUDIO_DATABASE_URL names no database this package can use."""


def _sqlite_pragmas(dbapi_connection: Any, connection_record: Any) -> None:
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute("PRAGMA busy_timeout=30000")
    cursor.close()


def shown_url(url: str | URL) -> str:
    """``url`` for an error message: password masked, cut to a bounded excerpt."""
    try:
        shown = make_url(url).render_as_string(hide_password=True)
    except (ArgumentError, ValueError):
        shown = str(url)
    return one_line(shown, URL_CHARS)


def _bad_url(url: str, why: str) -> DatabaseUrlError:
    return DatabaseUrlError(_("LESSONAUDIO_DATABASE_URL {url} {why}").format(url=shown_url(url), why=why))


def check_database_url(url: str) -> URL:
    """``url`` parsed and checked: a SQLite file or PostgreSQL through psycopg 3, nothing else.

    Plain ``postgresql://`` means psycopg 3 here. SQLAlchemy would pick psycopg2 for it, which this
    package does not ship, yet ``postgresql://user@host/db`` is the form psql, libpq and hosting
    providers hand out; both drivers speak the same protocol to the same server, so taking it as
    ``postgresql+psycopg://`` changes nothing but the library that is loaded.

    Refused, because each would run and then quietly lose the catalog or hang: an in-memory SQLite
    database (every connection gets a new, empty one, so renders and tokens vanish), and async
    drivers (the catalog is written from synchronous code and Prefect threads).
    """
    try:
        parsed = make_url(url.strip())
    except (ArgumentError, ValueError):
        raise DatabaseUrlError(
            _("cannot read LESSONAUDIO_DATABASE_URL {url}: expected e.g. {example}").format(
                url=one_line(repr(url), URL_CHARS), example=URL_EXAMPLE
            )
        ) from None
    backend, driver = parsed.get_backend_name(), parsed.get_driver_name()
    if driver in _ASYNC_DRIVERS or "async" in driver:
        raise _bad_url(
            url,
            _("uses the async driver {driver}; use {supported}, e.g. {example}").format(
                driver=repr(driver), supported=SUPPORTED, example=URL_EXAMPLE
            ),
        )
    if backend == "postgresql":
        if "+" not in parsed.drivername:
            parsed = parsed.set(drivername="postgresql+psycopg")
        elif driver != "psycopg":
            raise _bad_url(
                url,
                _("uses the driver {driver}, which lessonaudio does not ship; use {supported}").format(
                    driver=repr(driver), supported=SUPPORTED
                ),
            )
        return parsed
    if backend != "sqlite":
        raise _bad_url(
            url,
            _("names an unsupported database {backend}; use {supported}, e.g. {example}").format(
                backend=repr(backend), supported=SUPPORTED, example=URL_EXAMPLE
            ),
        )
    if driver != "pysqlite":
        raise _bad_url(
            url,
            _("uses the driver {driver}; use {supported}, e.g. {example}").format(
                driver=repr(driver), supported=SUPPORTED, example=URL_EXAMPLE
            ),
        )
    database = parsed.database or ""
    if database in ("", ":memory:") or "mode=memory" in database or parsed.query.get("mode") == "memory":
        raise _bad_url(
            url,
            _(
                "is an in-memory SQLite database, which forgets every render; name a file, e.g. "
                "sqlite:////path/lessonaudio.db"
            ),
        )
    return parsed


def sqlite_file(url: str) -> Path | None:
    """The file behind a SQLite URL; None for other databases and ``file:`` URIs.

    Raises :class:`DatabaseUrlError` for a URL :func:`check_database_url` refuses.
    """
    parsed = check_database_url(url)
    if parsed.get_backend_name() != "sqlite":
        return None
    database = parsed.database
    if not database or database == ":memory:" or database.startswith("file:"):
        return None
    return Path(database).resolve()


def _sqlite_reason(path: Path, err: BaseException) -> str:
    """SQLite's reason plus what the system says about the file's folder, which SQLite leaves out."""
    reason = one_line(err.strerror if isinstance(err, OSError) and err.strerror else _first_line(err))
    folder = path.parent
    hint = _(_HINT)
    if "disk is full" in reason or (isinstance(err, OSError) and err.errno == errno.ENOSPC):
        return _("{reason} (free space on that disk, or {hint})").format(reason=reason, hint=hint)
    if _nearly_full(folder):  # SQLite says "disk I/O error" when the WAL runs out of space
        return _("{reason}: the disk is full (free space on that disk, or {hint})").format(
            reason=reason, hint=hint
        )
    if isinstance(err, OSError):
        return _("{reason} (check the folder, or {hint})").format(reason=reason, hint=hint)
    try:
        os.stat(path)
        exists = True
    except FileNotFoundError:
        exists = False
    except OSError as stat_err:  # a name too long, a path through a file: the system's own words
        return f"{reason}: {stat_err.strerror} ({hint})"
    if not os.path.isdir(folder):
        why = _("the folder {folder} does not exist or is not a folder").format(
            folder=one_line(str(folder), URL_CHARS)
        )
    elif not os.access(folder, os.W_OK) or (exists and not os.access(path, os.W_OK)):
        why = _("the file or its folder is read-only")
    else:
        return _("{reason} (check the file and its folder, or {hint})").format(reason=reason, hint=hint)
    return f"{reason}: {why} ({hint})"


def _nearly_full(folder: Path) -> bool:
    try:
        stats = os.statvfs(folder)
    except OSError:
        return False
    return stats.f_bavail * stats.f_frsize < _FULL_BYTES


def _first_line(err: BaseException) -> str:
    """The driver's own message without SQLAlchemy's SQL echo and help links."""
    origin = getattr(err, "orig", None) or err
    lines = str(origin).strip().splitlines()
    return lines[0] if lines else type(origin).__name__


def database_error(url: str, err: BaseException) -> CatalogUnavailable:
    """``err`` (from SQLAlchemy, the driver or the file system) as one line naming the database."""
    if isinstance(err, CatalogUnavailable):
        return err
    try:
        path = sqlite_file(url)
    except DatabaseUrlError as bad:
        return bad
    if path is not None:
        where = one_line(str(path), URL_CHARS)
        return CatalogUnavailable(
            _("the catalog database {where}: {reason}").format(where=where, reason=_sqlite_reason(path, err))
        )
    if isinstance(err, ImportError):
        reason = _("its driver is not installed ({error}); use {supported}").format(
            error=one_line(str(err)), supported=SUPPORTED
        )
    else:
        reason = one_line(_first_line(err))
    return CatalogUnavailable(
        _("the catalog database {where}: {reason}").format(where=shown_url(url), reason=reason)
    )


@contextmanager
def explained(url: str) -> Iterator[None]:
    """Turn database and file-system errors inside the block into :class:`CatalogUnavailable`."""
    try:
        yield
    except (SQLAlchemyError, OSError, ImportError) as err:
        raise database_error(url, err) from err


def make_engine(url: str) -> Engine:
    """An engine for ``url``; SQLite gets foreign keys, WAL and a busy timeout for concurrent renders.

    Raises :class:`CatalogUnavailable` (one line) for a URL that is refused or a SQLite file that
    cannot be created or opened.
    """
    parsed = check_database_url(url)
    with explained(url):
        if parsed.get_backend_name() == "sqlite":
            database = parsed.database or ""
            if not database.startswith("file:"):
                Path(database).parent.mkdir(parents=True, exist_ok=True)
            engine = create_engine(parsed, connect_args={"timeout": 30})
            event.listen(engine, "connect", _sqlite_pragmas)
            with engine.connect() as conn:
                conn.exec_driver_sql("PRAGMA journal_mode=WAL")
            return engine
        return create_engine(parsed, pool_pre_ping=True)


def open_database(url: str) -> Engine:
    """An engine on ``url`` with the schema up to date; any failure is :class:`CatalogUnavailable`."""
    engine = make_engine(url)
    try:
        with explained(url):
            upgrade_database(engine)
    except BaseException:
        engine.dispose()
        raise
    return engine


def _alembic_config(connection: Connection | None = None) -> Config:
    from alembic.config import Config

    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    config.set_main_option("version_table", VERSION_TABLE)
    if connection is not None:
        config.attributes["connection"] = connection
    return config


def head_revision() -> str:
    from alembic.script import ScriptDirectory

    head = ScriptDirectory.from_config(_alembic_config()).get_current_head()
    assert head is not None, "the package ships no migrations"
    return head


def current_revision(engine: Engine) -> str | None:
    from alembic.runtime.migration import MigrationContext

    with engine.connect() as conn:
        context = MigrationContext.configure(conn, opts={"version_table": VERSION_TABLE})
        return context.get_current_revision()


_REVISION_LINE = re.compile(r"^(revision|down_revision)\s*(?::[^=\n]*)?=\s*(.+?)\s*$", re.MULTILINE)


@cache
def shipped_head() -> str | None:
    """The newest shipped migration, read from the scripts' ``revision`` lines without Alembic.

    Every command that opens the catalog asks whether its schema is current; answering through
    Alembic loads Alembic and Mako and parses every script. None when the scripts do not name
    exactly one head plainly (a merge, an unusual layout): Alembic then decides.
    """
    revisions: set[str] = set()
    parents: set[str] = set()
    for script in (MIGRATIONS / "versions").glob("*.py"):
        found = dict(_REVISION_LINE.findall(script.read_text(encoding="utf-8")))
        if "revision" not in found:
            continue
        try:
            revision = ast.literal_eval(found["revision"])
            parent = ast.literal_eval(found.get("down_revision", "None"))
        except (ValueError, SyntaxError):
            return None
        if not isinstance(revision, str):
            return None
        revisions.add(revision)
        if isinstance(parent, str):
            parents.add(parent)
        elif isinstance(parent, tuple | list):
            parents.update(p for p in parent if isinstance(p, str))
        elif parent is not None:
            return None
    heads = revisions - parents
    return heads.pop() if len(heads) == 1 else None


def _recorded_revision(engine: Engine) -> str | None:
    """The revision in the version table by plain SQL; None for a new database or an odd table."""
    with engine.connect() as conn:
        if not inspect(conn).has_table(VERSION_TABLE):
            return None
        rows = conn.execute(text(f"SELECT version_num FROM {VERSION_TABLE}")).scalars().all()
        return str(rows[0]) if len(rows) == 1 else None


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
    shipped = shipped_head()
    if shipped is not None and _recorded_revision(engine) == shipped:
        return shipped  # current: neither Alembic nor a lock is needed
    from alembic import command

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

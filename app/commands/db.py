"""``lessonaudio db``: the render catalog's schema.

Other commands open the catalog through :func:`open_catalog_or_exit`, which also migrates an older
database, so ``db upgrade`` is only needed to migrate ahead of time (e.g. a shared PostgreSQL before
rolling out workers). A SQLite catalog is created only by ``db upgrade`` or a render: commands that
read it refuse a missing file, since a typo in the URL would otherwise show a new, empty catalog.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, NoReturn

import typer

if TYPE_CHECKING:
    from config import Settings
    from storage.catalog import Catalog, CatalogMissing

app = typer.Typer(
    help="The render catalog database (SQLite by default, PostgreSQL by URL).", no_args_is_help=True
)


def fail(message: str) -> NoReturn:
    typer.echo(message, err=True)
    raise typer.Exit(1)


def one_line(error: BaseException) -> str:
    """The driver's own message without SQLAlchemy's SQL echo and help links."""
    origin = getattr(error, "orig", None) or error
    text = str(origin).strip().splitlines()
    return text[0] if text else type(origin).__name__


def safe_url(url: str) -> str:
    """The URL with its password masked, cut to a bounded excerpt."""
    from storage.db.session import shown_url

    return shown_url(url)


def missing_catalog_message(err: CatalogMissing) -> str:
    """What a read command says instead of creating a catalog where none is."""
    return (
        f"error: {err} (run `lessonaudio db upgrade` or render a lesson first; "
        "check LESSONAUDIO_DATABASE_URL)"
    )


def open_catalog_or_exit(settings: Settings, *, create: bool = False) -> Catalog:
    """Open (and migrate if needed) the catalog, or exit 1 with one line that names the database.

    A missing SQLite file is created only with ``create`` (a command that records a render).
    """
    from storage.catalog import CatalogMissing, open_catalog
    from storage.db import CatalogUnavailable
    from wiring import database_config

    url = database_config(settings).url
    try:
        return open_catalog(url, create=create)
    except CatalogMissing as err:
        fail(missing_catalog_message(err))
    except CatalogUnavailable as err:
        fail(f"error: {err}")


@app.command()
def upgrade() -> None:
    """Create the catalog or migrate it to this version's schema; does nothing when already current."""
    from config import load_settings
    from storage.db import (
        CatalogUnavailable,
        current_revision,
        make_engine,
        upgrade_database,
    )
    from storage.db.session import explained
    from wiring import database_config

    url = database_config(load_settings()).url
    try:
        engine = make_engine(url)
        with explained(url):
            before = current_revision(engine)
            after = upgrade_database(engine)
        engine.dispose()
    except CatalogUnavailable as err:
        fail(f"error: {err}")
    if before == after:
        typer.echo(f"catalog at {safe_url(url)} is current (revision {after})")
    else:
        typer.echo(f"catalog at {safe_url(url)} upgraded from {before or 'empty'} to revision {after}")

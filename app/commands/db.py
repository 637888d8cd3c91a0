"""``lessonaudio db``: the render catalog's schema.

Other commands open the catalog through :func:`open_catalog_for_command`, which also migrates an
older database, so ``db upgrade`` is only needed to migrate ahead of time (e.g. a shared PostgreSQL before
rolling out workers). A SQLite catalog is created only by ``db upgrade`` or a render: commands that
read it refuse a missing file, since a typo in the URL would otherwise show a new, empty catalog.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import typer

from errors import NotFoundError
from i18n import N_, _

if TYPE_CHECKING:
    from config import Settings
    from storage.catalog import Catalog, CatalogMissing

app = typer.Typer(
    help=N_("The render catalog database (SQLite by default, PostgreSQL by URL)."), no_args_is_help=True
)


def safe_url(url: str) -> str:
    """The URL with its password masked, cut to a bounded excerpt."""
    from storage.db.session import shown_url

    return shown_url(url)


def missing_catalog(err: CatalogMissing) -> NotFoundError:
    """What a read command says instead of creating a catalog where none is: the steps that make one."""
    return NotFoundError(
        _(
            "{error} (run `lessonaudio db upgrade` or render a lesson first; check LESSONAUDIO_DATABASE_URL)"
        ).format(error=err)
    )


def open_catalog_for_command(settings: Settings, *, create: bool = False) -> Catalog:
    """Open (and migrate if needed) the catalog; a missing one is a ``NotFoundError`` naming the fix.

    A missing SQLite file is created only with ``create`` (a command that records a render). A
    catalog that cannot be reached raises ``CatalogUnavailable``, which names the database.
    """
    from storage.catalog import CatalogMissing, open_catalog
    from wiring import database_config

    url = database_config(settings).url
    try:
        return open_catalog(url, create=create)
    except CatalogMissing as err:
        raise missing_catalog(err) from None


@app.command()
def upgrade() -> None:
    """Create the catalog or migrate it to this version's schema; does nothing when already current."""
    from config import load_settings
    from storage.db import current_revision, make_engine, upgrade_database
    from storage.db.session import explained
    from wiring import database_config

    url = database_config(load_settings()).url
    engine = make_engine(url)
    with explained(url):
        before = current_revision(engine)
        after = upgrade_database(engine)
    engine.dispose()
    if before == after:
        typer.echo(
            _("catalog at {url} is current (revision {revision})").format(url=safe_url(url), revision=after)
        )
    else:
        typer.echo(
            _("catalog at {url} upgraded from {before} to revision {revision}").format(
                url=safe_url(url), before=before or _("empty"), revision=after
            )
        )

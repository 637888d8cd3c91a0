"""``lessonaudio web``: serve the teachers' page and HTTP API; ``web token …`` manages teacher tokens.

Settings are read here, once, and handed to ``create_app``. Token commands work on the catalog
database (migrated on first use), so they need no running server.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from datetime import datetime
from typing import TYPE_CHECKING, Annotated

import typer

from app.commands.columns import table_lines
from errors import NotFoundError
from i18n import N_, _

if TYPE_CHECKING:
    from config import Settings

app = typer.Typer(
    help=N_("The teachers' web page and HTTP API."),
    invoke_without_command=True,
    no_args_is_help=False,
)
token_app = typer.Typer(
    help=N_("Teacher tokens for the page and API (stored as sha256 only)."), no_args_is_help=True
)
app.add_typer(token_app, name="token")


@app.callback()
def serve(
    ctx: typer.Context,
    host: Annotated[
        str | None, typer.Option(help=N_("Listen address; default from settings (127.0.0.1)."))
    ] = None,
    port: Annotated[int | None, typer.Option(help=N_("Port; default from settings (8000)."))] = None,
) -> None:
    """Serve the page and API until interrupted (Ctrl-C or SIGTERM). API docs at /docs."""
    if ctx.invoked_subcommand is not None:
        return
    from app.child_lifetime import exit_on_sigterm
    from app.prefect_env import quiet_prefect
    from config import load_settings

    settings = load_settings()
    _require_catalog(settings)
    quiet_prefect()
    exit_on_sigterm()
    with _prefect_api(settings):
        _serve_page(settings, host, port)


def _require_catalog(settings: Settings) -> None:
    """Nobody can sign in to a catalog without tokens, so a missing SQLite file is a mistyped URL or
    a skipped step: say so instead of creating an empty catalog and serving a page no one can use."""
    from storage.db.session import explained, sqlite_file
    from wiring import database_config

    url = database_config(settings).url
    with explained(url):
        path = sqlite_file(url)
        missing = path is not None and not path.is_file()
    if missing:
        raise NotFoundError(
            _(
                "no catalog at {path} (create a teacher token first: "
                "`lessonaudio web token create NAME`; check LESSONAUDIO_DATABASE_URL)"
            ).format(path=path)
        )


@contextmanager
def _prefect_api(settings: Settings) -> Iterator[None]:
    """``prefect_api`` with this command's log (its start-up failure names that log)."""
    from app.prefect_server import prefect_api

    with prefect_api(log=settings.cache_dir / "prefect-web.log", announce=_announce):
        yield


def _announce(message: str) -> None:
    typer.echo(message, err=True)


def _serve_page(settings: Settings, host: str | None, port: int | None) -> None:
    from web.app import create_app
    from web.server import serve as serve_http

    application = create_app(settings)
    bind_host = host or settings.web_host
    bind_port = port or settings.web_port
    serving = _("serving on {url} (API docs at /docs); Ctrl-C stops")
    typer.echo(serving.format(url=f"http://{bind_host}:{bind_port}/"))
    serve_http(application, host=bind_host, port=bind_port, request_timeout_s=settings.web_request_timeout_s)


@contextmanager
def _store(settings: Settings, *, create: bool) -> Iterator[object]:
    """The token store; only ``create`` (making a token) may create a SQLite catalog that is missing."""
    from app.commands.db import missing_catalog
    from storage.catalog import CatalogMissing
    from storage.db.session import explained, sqlite_file
    from web.token_store import SqlTokenStore
    from wiring import database_config

    url = database_config(settings).url
    with explained(url):
        path = sqlite_file(url)
    if not create and path is not None and not path.is_file():
        raise missing_catalog(CatalogMissing(path))
    store = SqlTokenStore.open(url)
    try:
        with explained(url):  # a write on a disk that filled up or went read-only since
            yield store
    finally:
        store.close()


_ROLES = {"teacher": N_("teacher"), "admin": N_("admin")}
"""A token's role as the reader calls it; ``--admin`` and the catalog keep the identifiers."""


def _role(role: str) -> str:
    return _(_ROLES[role]) if role in _ROLES else role


def _when(moment: datetime | None) -> str:
    return moment.strftime("%Y-%m-%d %H:%M") if moment else "-"


@token_app.command("create")
def create(
    name: Annotated[str, typer.Argument(help=N_("Who the token is for, e.g. a teacher's login."))],
    admin: Annotated[
        bool, typer.Option("--admin", help=N_("Sees every teacher's jobs and renders, not only its own."))
    ] = False,
) -> None:
    """Create a token and print it once; only its sha256 is stored. A teacher's token sees the
    renders it submitted; an --admin token sees all."""
    from config import load_settings
    from web.token_store import SqlTokenStore
    from web.tokens import Role

    role = Role.ADMIN if admin else Role.TEACHER
    with _store(load_settings(), create=True) as store:
        assert isinstance(store, SqlTokenStore)
        info, token = store.create(name, role)
    created = _("created {role} token {name!r}; it is shown only now, hand it over:")
    typer.echo(created.format(role=_role(role.value), name=info.name), err=True)
    typer.echo(token)


@token_app.command("list")
def list_tokens() -> None:
    """Show tokens: name, role, created, last used, and whether revoked (never the tokens themselves)."""
    from config import load_settings
    from web.token_store import SqlTokenStore

    with _store(load_settings(), create=False) as store:
        assert isinstance(store, SqlTokenStore)
        tokens = store.list()
    if not tokens:
        typer.echo(_("no tokens yet: create one with `lessonaudio web token create NAME`"))
        return
    header = (_("name"), _("role"), _("created (UTC)"), _("last used (UTC)"), _("status"))
    rows = [
        (
            t.name,
            _role(t.role.value),
            _when(t.created_at),
            _when(t.last_used_at),
            _("active") if t.active else _("revoked {moment}").format(moment=_when(t.revoked_at)),
        )
        for t in tokens
    ]
    for line in table_lines((header, *rows)):
        typer.echo(line)


@token_app.command("revoke")
def revoke(
    name: Annotated[str, typer.Argument(help=N_("The token's name, as `token list` shows it."))],
) -> None:
    """Revoke a token: every request and page session using it is refused from now on."""
    from config import load_settings
    from web.token_store import SqlTokenStore

    with _store(load_settings(), create=False) as store:
        assert isinstance(store, SqlTokenStore)
        info = store.revoke(name)
    typer.echo(_("revoked token {name!r}").format(name=info.name))

"""``lessonaudio server start|status|stop``: the local Prefect server that renders share.

``render`` starts it on first use; these commands let an operator see where it is (its UI shows every
render's flow run), start it ahead of a batch, and stop it when it is no longer wanted.
"""

from __future__ import annotations

import os
import time
from typing import TYPE_CHECKING

import typer

from app.exit_codes import FAILED
from errors import UnavailableError
from i18n import N_, _

if TYPE_CHECKING:
    from app.shared_server import SharedServer

app = typer.Typer(help=N_("The local Prefect server that renders report to."), no_args_is_help=True)


def _describe(server: SharedServer) -> str:
    up = max(time.time() - server.started_at, 0.0)
    return _("{ui} (API {api}), pid {pid}, up {minutes} min, log {log}").format(
        ui=server.ui_url, api=server.api_url, pid=server.pid, minutes=f"{up / 60:.0f}", log=server.log
    )


def _note_operator_server() -> None:
    url = os.environ.get("PREFECT_API_URL")
    if url:
        note = _("PREFECT_API_URL is set: renders report to {url}, not to the local server")
        typer.echo(note.format(url=url), err=True)


@app.command()
def start() -> None:
    """Start the server now (a render would start it on first use); no-op when it is running."""
    from app.shared_server import ensure_server
    from config import load_settings

    settings = load_settings()
    _note_operator_server()
    try:
        server, started = ensure_server(settings.cache_dir, announce=lambda line: typer.echo(line, err=True))
    except OSError as err:  # the state folder or the port: say what was being started
        raise UnavailableError(_("cannot start the local Prefect server: {error}").format(error=err)) from err
    done = _("started: {server}") if started else _("already running: {server}")
    typer.echo(done.format(server=_describe(server)))


@app.command()
def status() -> None:
    """Say whether the server runs, where, and since when; exit code 1 when it does not."""
    from app.shared_server import alive, read_state, server_home
    from config import load_settings

    settings = load_settings()
    _note_operator_server()
    server = read_state(server_home(settings.cache_dir))
    if server is None or not alive(server):
        typer.echo(_("not running (the next render starts it)"))
        raise typer.Exit(FAILED)
    typer.echo(_("running: {server}").format(server=_describe(server)))


@app.command()
def stop() -> None:
    """Stop the server; flow runs stay in its database for the next start."""
    from app.shared_server import stop_server
    from config import load_settings

    settings = load_settings()
    try:
        server = stop_server(settings.cache_dir)
    except OSError as err:
        raise UnavailableError(_("cannot stop the local Prefect server: {error}").format(error=err)) from err
    if server is None:
        typer.echo(_("not running"))
    else:
        typer.echo(_("stopped the server at {url} (pid {pid})").format(url=server.ui_url, pid=server.pid))

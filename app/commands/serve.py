"""``lessonaudio serve`` and ``deploy``: run the deployments locally, or register them for workers."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Annotated

import typer

from app.prefect_env import quiet_prefect
from app.prefect_server import PrefectServerError, local_prefect_server
from config import Settings, load_settings


def serve(
    port: Annotated[int, typer.Option(help="Port for the local Prefect server and UI.")] = 4200,
) -> None:
    """Serve render-lesson and scan-inbox (cron from LESSONAUDIO_INBOX_CRON) until Ctrl-C.

    With PREFECT_API_URL set, the deployments are served against that server; otherwise a local
    Prefect server (SQLite under the cache dir) is started first and stopped on exit.
    """
    settings = load_settings()
    quiet_prefect()
    if os.environ.get("PREFECT_API_URL"):
        _serve(settings, os.environ["PREFECT_API_URL"].removesuffix("/api"))
        return
    try:
        with local_prefect_server(home=settings.cache_dir / "prefect-server", port=port) as server:
            os.environ["PREFECT_API_URL"] = server.api_url
            _serve(settings, server.ui_url)
    except PrefectServerError as err:
        typer.echo(f"serve failed: {err}", err=True)
        raise typer.Exit(1) from None


def _serve(settings: Settings, ui_url: str) -> None:
    from prefect import serve as prefect_serve

    from flows.deployments import build_deployments  # imports Prefect: only after PREFECT_API_URL is set

    inbox = (
        f"scanning {settings.inbox} on '{settings.inbox_cron}'" if settings.inbox else "no inbox configured"
    )
    typer.echo(f"Prefect UI: {ui_url}  ({inbox}; Ctrl-C to stop)", err=True)
    prefect_serve(*build_deployments(settings), print_starting_message=False)


def deploy(
    pool: Annotated[str, typer.Option(help="Prefect work pool the workers poll (create it first).")],
    source: Annotated[
        Path, typer.Option(help="The project folder as the workers see it.", exists=True, file_okay=False)
    ] = Path("."),
) -> None:
    """Register render-lesson and scan-inbox on a work pool, for workers on PREFECT_API_URL's server.

    Production layout: a Prefect server on PostgreSQL, `prefect worker start --pool POOL` on each
    worker machine, and shared S3, catalog database and segment cache (see README).
    """
    settings = load_settings()
    quiet_prefect()
    if not os.environ.get("PREFECT_API_URL"):
        typer.echo("deploy needs a Prefect server: set PREFECT_API_URL (e.g. http://host:4200/api)", err=True)
        raise typer.Exit(1)
    from flows.deployments import deploy_to_pool

    for deployment_id in deploy_to_pool(settings, pool, source.resolve()):
        typer.echo(deployment_id)

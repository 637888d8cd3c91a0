"""``lessonaudio serve`` and ``deploy``: run the deployments locally, or register them for workers."""

from __future__ import annotations

import contextlib
import os
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

import typer

from app.child_lifetime import exit_on_sigterm
from app.prefect_env import quiet_prefect
from errors import InputError
from i18n import N_, _

if TYPE_CHECKING:
    from prefect import Flow
    from prefect.deployments.runner import RunnerDeployment

    from config import Settings


def serve(
    port: Annotated[int, typer.Option(help=N_("Port for the local Prefect server and UI."))] = 4200,
    runs: Annotated[
        int,
        typer.Option("--runs", min=1, max=16, help=N_("Flow runs (renders, scans) run at the same time.")),
    ] = 1,
) -> None:
    """Serve render-lesson and scan-inbox (LESSONAUDIO_INBOX_CRON or _INTERVAL_S) until Ctrl-C or SIGTERM.

    With PREFECT_API_URL set, the deployments are served against that server; otherwise a local
    Prefect server (SQLite under the cache dir) is started first and stopped on exit, however the
    command ends. Runs are executed in this process, so the voice and Whisper load once for all of
    them (flows.warm_runs).
    """
    from app.prefect_server import local_prefect_server
    from config import load_settings

    settings = load_settings()
    # The local server logs to a file, so its warnings and errors cost the terminal nothing; the
    # quiet default set below is for this process's own console.
    server_log_level = os.environ.get("PREFECT_SERVER_LOGGING_LEVEL", "WARNING")
    quiet_prefect()
    exit_on_sigterm()
    external = os.environ.get("PREFECT_API_URL")
    if not external:
        # Known before the server starts, so Prefect reads it on import like any other setting.
        os.environ["PREFECT_API_URL"] = f"http://127.0.0.1:{port}/api"
    from flows.deployments import build_deployments

    # Checked before a server is started for nothing.
    deployments = build_deployments(settings)
    if settings.inbox:
        _check_inbox(settings.inbox)
    inbox = _scanning(settings)
    if external:
        _serve(deployments, external.removesuffix("/api"), inbox, runs)
        return
    home = settings.cache_dir / "prefect-server"
    with local_prefect_server(home=home, port=port, log_level=server_log_level) as server:
        _serve(deployments, server.ui_url, inbox, runs)


def _scanning(settings: Settings) -> str:
    """What the scan-inbox deployment watches and how often, for the operator's terminal."""
    if not settings.inbox:
        return _("no inbox configured")
    if settings.inbox_interval_s is not None:
        every = _("scanning {inbox} every {seconds} s")
        return every.format(inbox=settings.inbox, seconds=f"{settings.inbox_interval_s:g}")
    return _("scanning {inbox} on '{cron}' (UTC)").format(inbox=settings.inbox, cron=settings.inbox_cron)


def _check_inbox(where: str) -> None:
    """Refuse a local inbox that is not a folder: every scan would fail on it, a mistyped path silently.

    An s3:// inbox is not checked here: the bucket may be created, or become reachable, after start.
    """
    from storage.inbox import InboxError, InboxLocation

    location = InboxLocation.parse(where)
    if location.bucket is None and not Path(location.root).is_dir():
        raise InboxError(
            _(
                "LESSONAUDIO_INBOX={where!r}: {folder} is not a folder "
                "(create it, or fix the path; s3://bucket/prefix for a bucket)"
            ).format(where=where, folder=location.root)
        )


def _serve(deployments: list[RunnerDeployment], ui_url: str, inbox: str, runs: int) -> None:
    from flows.deployments import RENDER, SCAN
    from flows.render import render_lesson
    from flows.scan_inbox import scan_inbox
    from flows.warm_runs import serve_warm

    typer.echo(_("Prefect UI: {url}  ({inbox}; Ctrl-C to stop)").format(url=ui_url, inbox=inbox), err=True)
    with contextlib.suppress(KeyboardInterrupt):  # Ctrl-C is how serve is meant to stop
        serve_warm(deployments, {RENDER: render_lesson, SCAN: scan_inbox}, slots=runs)


def worker(
    pool: Annotated[str, typer.Option(help=N_("Prefect work pool to take runs from (the one deploy used)."))],
    name: Annotated[
        str | None, typer.Option(help=N_("Worker name shown in Prefect (default: host name and process id)."))
    ] = None,
    runs: Annotated[
        int,
        typer.Option("--runs", min=1, max=16, help=N_("Flow runs (renders, scans) run at the same time.")),
    ] = 1,
) -> None:
    """Run the pool's render-lesson and scan-inbox runs in this process, voice and Whisper loaded once.

    In place of `prefect worker start --pool POOL`, which starts a new Python process (imports, model
    loads) for every run. Runs the code this command is installed with: the same version that deploy
    registered. Needs PREFECT_API_URL.
    """
    quiet_prefect()
    exit_on_sigterm()
    if not os.environ.get("PREFECT_API_URL"):
        raise InputError(_("worker needs a Prefect server: set PREFECT_API_URL (e.g. http://host:4200/api)"))
    import socket

    from flows.deployments import RENDER, SCAN
    from flows.render import render_lesson
    from flows.scan_inbox import scan_inbox
    from flows.warm_runs import work_pool_worker

    flows: dict[str, Flow[..., Any]] = {RENDER: render_lesson, SCAN: scan_inbox}
    name = name or f"{socket.gethostname()}-{os.getpid()}"
    started = _("worker {name}: runs of {flows} from pool {pool!r} (Ctrl-C to stop)")
    typer.echo(started.format(name=name, flows=", ".join(flows), pool=pool), err=True)
    with contextlib.suppress(KeyboardInterrupt):
        work_pool_worker(pool, flows, name=name, slots=runs)


def deploy(
    pool: Annotated[str, typer.Option(help=N_("Prefect work pool the workers poll (create it first)."))],
    source: Annotated[
        Path, typer.Option(help=N_("The project folder as the workers see it."), exists=True, file_okay=False)
    ] = Path("."),
) -> None:
    """Register render-lesson and scan-inbox on a work pool, for workers on PREFECT_API_URL's server.

    Production layout: a Prefect server on PostgreSQL, `prefect worker start --pool POOL` on each
    worker machine, and shared S3, catalog database and segment cache (see README).
    """
    from config import load_settings

    settings = load_settings()
    quiet_prefect()
    if not os.environ.get("PREFECT_API_URL"):
        raise InputError(_("deploy needs a Prefect server: set PREFECT_API_URL (e.g. http://host:4200/api)"))
    from flows.deployments import deploy_to_pool

    ids = deploy_to_pool(settings, pool, source.resolve())
    for deployment_id in ids:
        typer.echo(deployment_id)

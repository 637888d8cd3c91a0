"""The deployments ``lessonaudio serve`` runs: ``render-lesson`` on demand and ``scan-inbox`` on a cron."""

from __future__ import annotations

from pathlib import Path
from typing import Any, cast

from prefect import Flow
from prefect.deployments.runner import RunnerDeployment

from config import Settings
from flows.render import render_lesson
from flows.scan_inbox import scan_inbox

RENDER = "render-lesson"
SCAN = "scan-inbox"


def build_deployments(settings: Settings) -> list[RunnerDeployment]:
    """``scan-inbox`` is scheduled only when an inbox is configured; otherwise it can still be run by hand."""
    # Called from sync code, Prefect's dual sync/async API returns the deployments themselves.
    render = cast(
        RunnerDeployment,
        render_lesson.to_deployment(
            name=RENDER,
            description="Render one lesson script (a file path or s3:// URI) and publish it.",
        ),
    )
    scan = cast(
        RunnerDeployment,
        scan_inbox.to_deployment(
            name=SCAN,
            cron=settings.inbox_cron if settings.inbox else None,
            parameters={"inbox": settings.inbox} if settings.inbox else {},
            description="Submit a render for every new or changed script in the inbox.",
        ),
    )
    return [render, scan]


def deploy_to_pool(settings: Settings, pool: str, source: Path) -> list[str]:
    """Register both deployments on a work pool whose workers run the code found at ``source``.

    ``source`` is the project folder as the workers see it (a shared path or the same checkout on
    every worker machine); workers load ``flows/render.py`` and ``flows/scan_inbox.py`` from there.
    Returns the deployment ids.
    """
    ids = []
    render = cast(
        Flow[..., Any],
        render_lesson.from_source(
            source=str(source), entrypoint=f"flows/render.py:{render_lesson.fn.__name__}"
        ),
    )
    ids.append(
        render.deploy(
            name=RENDER,
            work_pool_name=pool,
            description="Render one lesson script (a file path or s3:// URI) and publish it.",
            print_next_steps=False,
        )
    )
    scan = cast(
        Flow[..., Any],
        scan_inbox.from_source(
            source=str(source), entrypoint=f"flows/scan_inbox.py:{scan_inbox.fn.__name__}"
        ),
    )
    ids.append(
        scan.deploy(
            name=SCAN,
            work_pool_name=pool,
            cron=settings.inbox_cron if settings.inbox else None,
            parameters={"inbox": settings.inbox} if settings.inbox else {},
            description="Submit a render for every new or changed script in the inbox.",
            print_next_steps=False,
        )
    )
    return [str(i) for i in ids]

"""The deployments ``lessonaudio serve`` runs: ``render-lesson`` on demand and ``scan-inbox`` on a cron."""

from __future__ import annotations

from typing import cast

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

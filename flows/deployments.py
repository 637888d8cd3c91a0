"""The two deployments: ``render-lesson`` on demand and ``scan-inbox`` on a cron.

``lessonaudio serve`` runs them in its own process; ``lessonaudio deploy`` registers them on a work
pool for workers. Both read the same table, so the names, schedules and descriptions cannot drift.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any, cast

from prefect import Flow
from prefect.deployments.runner import RunnerDeployment

from config import Settings
from flows.render import render_lesson
from flows.scan_inbox import scan_inbox

RENDER = "render-lesson"
SCAN = "scan-inbox"


@dataclass(frozen=True, slots=True)
class _Deployment:
    flow: Flow[..., Any]
    entrypoint: str
    """``path:function`` inside the project folder, for workers loading the code from source."""
    options: dict[str, Any]


def _deployments(settings: Settings) -> list[_Deployment]:
    """``scan-inbox`` is scheduled only when an inbox is configured; otherwise it can be run by hand."""
    return [
        _Deployment(
            render_lesson,
            "flows/render.py:render_lesson",
            {"name": RENDER, "description": "Render one lesson script (a path or s3:// URI) and publish it."},
        ),
        _Deployment(
            scan_inbox,
            "flows/scan_inbox.py:scan_inbox",
            {
                "name": SCAN,
                "cron": settings.inbox_cron if settings.inbox else None,
                "parameters": {"inbox": settings.inbox} if settings.inbox else {},
                "description": "Submit a render for every new or changed script in the inbox.",
            },
        ),
    ]


def build_deployments(settings: Settings) -> list[RunnerDeployment]:
    """The deployments for ``prefect.serve`` in this process."""
    # Called from sync code, Prefect's dual sync/async API returns the values themselves.
    return [cast(RunnerDeployment, d.flow.to_deployment(**d.options)) for d in _deployments(settings)]


def deploy_to_pool(settings: Settings, pool: str, source: Path) -> list[str]:
    """Register the deployments on a work pool whose workers run the code found at ``source``.

    ``source`` is the project folder as the workers see it (a shared path or the same checkout on
    every worker machine). Returns the deployment ids.
    """
    ids = []
    for d in _deployments(settings):
        loaded = cast(Flow[..., Any], d.flow.from_source(source=str(source), entrypoint=d.entrypoint))
        ids.append(str(loaded.deploy(work_pool_name=pool, print_next_steps=False, **d.options)))
    return ids

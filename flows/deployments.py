"""The two deployments: ``render-lesson`` on demand and ``scan-inbox`` on a schedule.

``lessonaudio serve`` runs them in its own process; ``lessonaudio deploy`` registers them on a work
pool for workers. Both read the same table, so the names, schedules and descriptions cannot drift.

The schedule only describes when runs are due: the Prefect server's scheduler service turns it into
scheduled flow runs (within seconds of a deployment being created or updated, then on its loop), and
the runner in ``serve`` or a worker polls for due runs and starts them.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta
from pathlib import Path
from typing import Any, cast

from prefect import Flow
from prefect.client.schemas.schedules import CronSchedule
from prefect.deployments.runner import RunnerDeployment

from config import Settings
from errors import InputError
from flows.render import render_lesson
from flows.scan_inbox import scan_inbox
from i18n import _

RENDER = "render-lesson"
SCAN = "scan-inbox"


class ScheduleError(InputError, ValueError):
    """The scan schedule in the settings cannot be used; the message says which setting and why."""


@dataclass(frozen=True, slots=True)
class _Deployment:
    flow: Flow[..., Any]
    entrypoint: str
    """``path:function`` inside the project folder, for workers loading the code from source."""
    options: dict[str, Any]


def _scan_schedule(settings: Settings) -> dict[str, Any]:
    """``interval`` or ``cron`` for ``to_deployment``/``deploy``; none without an inbox.

    The interval, when set, wins: it is the one way to scan more often than once a minute.
    """
    if not settings.inbox:
        return {}
    if settings.inbox_interval_s is not None:
        return {"interval": timedelta(seconds=settings.inbox_interval_s)}
    try:
        CronSchedule(cron=settings.inbox_cron)
    except ValueError:
        raise ScheduleError(
            _(
                "LESSONAUDIO_INBOX_CRON={cron} is not a cron expression: "
                "use five fields, minute hour day month weekday, e.g. '*/15 * * * *' (times in UTC)"
            ).format(cron=repr(settings.inbox_cron))
        ) from None
    return {"cron": settings.inbox_cron}


def describe_scan_schedule(settings: Settings) -> str:
    """How often the inbox is scanned, for the operator's terminal."""
    if settings.inbox_interval_s is not None:
        return f"every {settings.inbox_interval_s:g} s"
    return f"on '{settings.inbox_cron}' (UTC)"


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
                **_scan_schedule(settings),
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

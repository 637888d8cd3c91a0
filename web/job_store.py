"""Render jobs in the catalog database (``web_jobs``), so the job list survives a restart.

Every change of a job's state is one short transaction; the progress of a local render's stages is
not written (it changes many times a second and means nothing once the process that rendered is
gone). The store also answers the one question a restart asks of the render catalog: did the render
of this job's script copy finish after all (:meth:`JobStore.finished_render`)?
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from sqlalchemy import Engine, select, update
from sqlalchemy.orm import sessionmaker

from storage.db import Render, RenderStatus, WebJob
from storage.db.models import utcnow
from storage.liveness import ProcessOwner
from web.job_types import Job, JobRunner, JobState, RenderOutcome
from web.webhooks import DeliveryResult

MAX_ERROR_CHARS = 4000


@dataclass(frozen=True, slots=True)
class StoredJob:
    """A job with what only the server needs to carry it on: its script copy, voice and process."""

    job: Job
    spec_path: Path
    voice: str | None
    owner: ProcessOwner | None
    heartbeat_at: datetime | None


def _job(row: WebJob) -> Job:
    outcome = (
        RenderOutcome(row.render_id, row.folder or "", row.duration_s or 0.0)
        if row.render_id is not None and row.state == JobState.FINISHED
        else None
    )
    webhook = (
        DeliveryResult(
            bool(row.webhook_delivered), row.webhook_attempts or 0, row.webhook_status, row.webhook_error
        )
        if row.webhook_delivered is not None
        else None
    )
    return Job(
        id=row.id,
        lesson_id=row.lesson_id,
        title=row.title,
        owner=row.owner_name,
        owner_id=row.owner_token_id,
        submitted_at=row.submitted_at,
        callback_url=row.callback_url,
        state=JobState(row.state),
        started_at=row.started_at,
        finished_at=row.finished_at,
        outcome=outcome,
        error=row.error,
        webhook=webhook,
        script_sha256=row.script_sha256,
        runner=JobRunner(row.runner),
        flow_run_id=row.flow_run_id,
        language=row.language,
    )


def _stored(row: WebJob) -> StoredJob:
    owner = ProcessOwner(row.host, row.pid) if row.host is not None and row.pid is not None else None
    return StoredJob(_job(row), Path(row.spec_path), row.voice, owner, row.heartbeat_at)


def _short(text: str | None) -> str | None:
    if text is None or len(text) <= MAX_ERROR_CHARS:
        return text
    return text[: MAX_ERROR_CHARS - 1] + "…"


def _copy(job: Job, row: WebJob) -> None:
    """The fields of ``job`` that change as it moves on."""
    row.state = job.state.value
    row.started_at = job.started_at
    row.finished_at = job.finished_at
    row.error = _short(job.error)
    row.flow_run_id = job.flow_run_id
    row.render_id = job.outcome.render_id if job.outcome else None
    row.folder = job.outcome.folder if job.outcome else None
    row.duration_s = job.outcome.duration_s if job.outcome else None
    if job.webhook is not None:
        row.webhook_delivered = job.webhook.delivered
        row.webhook_attempts = job.webhook.attempts
        row.webhook_status = job.webhook.status
        row.webhook_error = _short(job.webhook.error)


class JobStore:
    """The ``web_jobs`` table on the catalog's engine (shared with the tokens; already migrated)."""

    def __init__(self, engine: Engine) -> None:
        self._sessions = sessionmaker(engine, expire_on_commit=False)

    def add(self, job: Job, spec_path: Path, voice: str | None, owner: ProcessOwner | None) -> None:
        row = WebJob(
            id=job.id,
            owner_token_id=job.owner_id,
            owner_name=job.owner,
            lesson_id=job.lesson_id,
            title=job.title,
            script_sha256=job.script_sha256,
            spec_path=str(spec_path),
            voice=voice,
            callback_url=job.callback_url,
            runner=job.runner.value,
            submitted_at=job.submitted_at,
            host=owner.host if owner else None,
            pid=owner.pid if owner else None,
            heartbeat_at=utcnow() if owner else None,
            language=job.language,
        )
        _copy(job, row)
        with self._sessions.begin() as session:
            session.add(row)

    def save(self, job: Job) -> None:
        with self._sessions.begin() as session:
            row = session.get(WebJob, job.id)
            if row is not None:
                _copy(job, row)

    def adopt(self, job_id: str, owner: ProcessOwner) -> None:
        """This process carries the job on from now (a queued job taken over after a restart)."""
        with self._sessions.begin() as session:
            session.execute(
                update(WebJob)
                .where(WebJob.id == job_id)
                .values(host=owner.host, pid=owner.pid, heartbeat_at=utcnow())
            )

    def beat(self, job_ids: Iterable[str]) -> None:
        """The jobs are alive in this process: stamp their heartbeat."""
        ids = list(job_ids)
        if not ids:
            return
        with self._sessions.begin() as session:
            session.execute(update(WebJob).where(WebJob.id.in_(ids)).values(heartbeat_at=utcnow()))

    def get(self, job_id: str) -> Job | None:
        with self._sessions.begin() as session:
            row = session.get(WebJob, job_id)
            return _job(row) if row is not None else None

    def recent(self, owner: int | None = None, limit: int = 50) -> list[Job]:
        """Newest first; only those ``owner`` submitted when given."""
        query = select(WebJob)
        if owner is not None:
            query = query.where(WebJob.owner_token_id == owner)
        query = query.order_by(WebJob.submitted_at.desc(), WebJob.id.desc()).limit(limit)
        with self._sessions.begin() as session:
            return [_job(row) for row in session.scalars(query)]

    def unfinished(self) -> list[StoredJob]:
        """Jobs still queued or running, oldest first (the order they were submitted in)."""
        query = (
            select(WebJob)
            .where(WebJob.state.in_([JobState.QUEUED.value, JobState.RUNNING.value]))
            .order_by(WebJob.submitted_at, WebJob.id)
        )
        with self._sessions.begin() as session:
            return [_stored(row) for row in session.scalars(query)]

    def finished_render(self, spec_path: Path) -> RenderOutcome | None:
        """The finished render of the script copy at ``spec_path``, if the render catalog has one.

        The render flow records the path it read on its render row, and each job's copy has a path of
        its own, so this finds the job's render wherever it ran, as long as it shares this catalog.
        """
        query = (
            select(Render.render_id, Render.folder, Render.duration_s)
            .where(
                Render.spec_path == str(spec_path),
                Render.status.in_([RenderStatus.FINISHED.value, RenderStatus.PUBLISHED.value]),
                Render.render_id.is_not(None),
                Render.folder.is_not(None),
            )
            .order_by(Render.id.desc())
            .limit(1)
        )
        with self._sessions.begin() as session:
            found = session.execute(query).first()
        if found is None:
            return None
        render_id, folder, duration_s = found
        return RenderOutcome(str(render_id), str(folder), float(duration_s or 0.0))

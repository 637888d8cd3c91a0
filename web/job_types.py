"""What a render job is, as the manager, its store and the routes pass it around: frozen snapshots."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum

from storage.db.web_jobs import JOB_RUNNERS, JOB_STATES
from web.webhooks import DeliveryResult


class JobState(StrEnum):
    QUEUED = "queued"
    RUNNING = "running"
    FINISHED = "finished"
    FAILED = "failed"


class JobRunner(StrEnum):
    LOCAL = "local"
    """Rendered on a thread of the web process."""
    PREFECT = "prefect"
    """A flow run of the ``render-lesson`` deployment, rendered by ``serve`` or a worker."""


assert tuple(s.value for s in JobState) == JOB_STATES, "keep JobState in step with the table's CHECK"
assert tuple(r.value for r in JobRunner) == JOB_RUNNERS, "keep JobRunner in step with the table's CHECK"


@dataclass(frozen=True, slots=True)
class StageProgress:
    name: str
    total: int
    done: int
    finished: bool


@dataclass(frozen=True, slots=True)
class RenderOutcome:
    render_id: str
    folder: str
    duration_s: float


@dataclass(frozen=True, slots=True)
class Job:
    """A snapshot; the manager replaces it as the job moves on, readers never see a half update."""

    id: str
    lesson_id: str
    title: str
    owner: str
    """The submitting token's name: who submitted the job, as the page and API show it."""
    owner_id: int
    """The submitting token's id: who may see the job and its render."""
    submitted_at: datetime
    callback_url: str | None = None
    state: JobState = JobState.QUEUED
    started_at: datetime | None = None
    finished_at: datetime | None = None
    stages: tuple[StageProgress, ...] = ()
    """Progress of a render in this process; none is known of a run on Prefect."""
    outcome: RenderOutcome | None = None
    error: str | None = None
    webhook: DeliveryResult | None = None
    script_sha256: str = ""
    runner: JobRunner = JobRunner.LOCAL
    flow_run_id: str | None = None
    language: str | None = None
    """The submitter's language: the job's failure reasons are written in it, also after a restart."""

    @property
    def ended(self) -> bool:
        return self.state in (JobState.FINISHED, JobState.FAILED)

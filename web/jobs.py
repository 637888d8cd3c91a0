"""Render jobs submitted from the page or API: queued, run one at a time, progress kept per stage.

A job is in memory only (a restarted server forgets queued and running jobs, never finished renders:
those are folders, listed by the render index). Each job's flow run reports into a
:class:`JobProgress` through the flow's ``Reporter`` protocol, which the status endpoint reads.
A job remembers the token that submitted it; when its render finishes, that token is recorded as the
render's owner in the catalog before the job reports ``finished``, so the render can be opened by
its teacher as soon as the job says it is there.
"""

from __future__ import annotations

import logging
import secrets
import threading
from collections import OrderedDict
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime
from enum import StrEnum
from pathlib import Path
from typing import Any, Protocol

from errors import LessonaudioError
from flows.progress import Reporter
from lesson_specs import LessonSpec
from web.render_owners import RenderOwners
from web.webhooks import DeliveryResult, WebhookSender

log = logging.getLogger("lessonaudio.web.jobs")

MAX_JOBS_KEPT = 500


class JobState(StrEnum):
    QUEUED = "queued"
    RUNNING = "running"
    FINISHED = "finished"
    FAILED = "failed"


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
    """The submitting token's name, for logs."""
    owner_id: int
    """The submitting token's id: who may see the job and its render."""
    submitted_at: datetime
    callback_url: str | None = None
    state: JobState = JobState.QUEUED
    started_at: datetime | None = None
    finished_at: datetime | None = None
    stages: tuple[StageProgress, ...] = ()
    outcome: RenderOutcome | None = None
    error: str | None = None
    webhook: DeliveryResult | None = None


class RenderRunner(Protocol):
    """Runs one render to the end (blocking), reporting stages to ``progress``."""

    def run(self, spec_path: Path, voice: str | None, progress: Reporter) -> RenderOutcome: ...


class JobProgress:
    """A ``flows.progress.Reporter`` writing into one job; called from the flow's thread."""

    def __init__(self, update: Callable[[Callable[[Job], Job]], None]) -> None:
        self._update = update
        self._stages: dict[str, StageProgress] = {}
        self._lock = threading.Lock()

    def _publish(self) -> None:
        stages = tuple(self._stages.values())
        self._update(lambda job: replace(job, stages=stages))

    def start(self, stage: str, total: int) -> None:
        with self._lock:
            self._stages[stage] = StageProgress(stage, max(total, 1), 0, False)
            self._publish()

    def advance(self, stage: str, amount: int = 1) -> None:
        with self._lock:
            s = self._stages.get(stage) or StageProgress(stage, 1, 0, False)
            self._stages[stage] = replace(s, done=min(s.total, s.done + amount))
            self._publish()

    def finish(self, stage: str) -> None:
        with self._lock:
            s = self._stages.get(stage) or StageProgress(stage, 1, 0, False)
            self._stages[stage] = replace(s, done=s.total, finished=True)
            self._publish()


def _now() -> datetime:
    return datetime.now(UTC)


@dataclass
class JobManager:
    runner: RenderRunner
    jobs_dir: Path
    owners: RenderOwners
    webhooks: WebhookSender | None = None
    workers: int = 1
    _jobs: OrderedDict[str, Job] = field(default_factory=OrderedDict)
    _lock: threading.Lock = field(default_factory=threading.Lock)

    def __post_init__(self) -> None:
        self._renders = ThreadPoolExecutor(max_workers=self.workers, thread_name_prefix="render")
        self._deliveries = ThreadPoolExecutor(max_workers=2, thread_name_prefix="webhook")

    def submit(
        self,
        script: str,
        spec: LessonSpec,
        *,
        owner: str,
        owner_id: int,
        voice: str | None,
        callback_url: str | None,
    ) -> Job:
        job = Job(
            id=secrets.token_hex(8),
            lesson_id=spec.id,
            title=spec.title,
            owner=owner,
            owner_id=owner_id,
            submitted_at=_now(),
            callback_url=callback_url,
        )
        self.jobs_dir.mkdir(parents=True, exist_ok=True)
        spec_path = self.jobs_dir / f"{job.id}.yaml"
        spec_path.write_text(script, encoding="utf-8")
        with self._lock:
            self._jobs[job.id] = job
            while len(self._jobs) > MAX_JOBS_KEPT:
                self._jobs.popitem(last=False)
        self._renders.submit(self._run, job.id, owner_id, spec_path, voice)
        return job

    def get(self, job_id: str) -> Job | None:
        with self._lock:
            return self._jobs.get(job_id)

    def recent(self) -> list[Job]:
        with self._lock:
            return list(reversed(self._jobs.values()))

    def close(self) -> None:
        """Stop taking work; queued jobs are dropped, a running render is left to finish its thread."""
        self._renders.shutdown(wait=False, cancel_futures=True)
        self._deliveries.shutdown(wait=False, cancel_futures=True)

    def _update(self, job_id: str, change: Callable[[Job], Job]) -> Job | None:
        with self._lock:
            job = self._jobs.get(job_id)
            if job is None:
                return None
            self._jobs[job_id] = changed = change(job)
            return changed

    def _run(self, job_id: str, owner_id: int, spec_path: Path, voice: str | None) -> None:
        self._update(job_id, lambda j: replace(j, state=JobState.RUNNING, started_at=_now()))

        def update(change: Callable[[Job], Job]) -> None:
            self._update(job_id, change)

        progress = JobProgress(update)
        try:
            outcome = self.runner.run(spec_path, voice, progress)
            self.owners.claim(outcome.render_id, Path(outcome.folder), owner_id)
        except Exception as err:  # any failure ends the job with its message; the server keeps serving
            message = str(err) if isinstance(err, LessonaudioError) else f"{type(err).__name__}: {err}"
            log.warning("render job %s failed: %s", job_id, message)
            done = self._update(
                job_id,
                lambda j: replace(j, state=JobState.FAILED, finished_at=_now(), error=message),
            )
        else:
            done = self._update(
                job_id,
                lambda j: replace(j, state=JobState.FINISHED, finished_at=_now(), outcome=outcome),
            )
        finally:
            spec_path.unlink(missing_ok=True)
        if done is not None and done.callback_url and self.webhooks is not None:
            self._deliveries.submit(self._notify, done)

    def _notify(self, job: Job) -> None:
        assert job.callback_url is not None and self.webhooks is not None
        result = self.webhooks.deliver(job.callback_url, event_for(job))
        self._update(job.id, lambda j: replace(j, webhook=result))


def event_for(job: Job) -> dict[str, Any]:
    """The webhook body: enough to fetch the files through the API without another lookup."""
    event: dict[str, Any] = {
        "event": "render.finished" if job.state == JobState.FINISHED else "render.failed",
        "job_id": job.id,
        "lesson_id": job.lesson_id,
        "title": job.title,
        "state": job.state.value,
        "finished_at": job.finished_at.isoformat(timespec="seconds") if job.finished_at else None,
    }
    if job.outcome is not None:
        event["render_id"] = job.outcome.render_id
        event["duration_s"] = round(job.outcome.duration_s, 3)
        event["files_url"] = f"/api/renders/{job.outcome.render_id}"
    if job.error is not None:
        event["error"] = job.error
    return event

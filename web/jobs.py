"""Render jobs submitted from the page or API: recorded in the catalog, rendered here or on Prefect.

Every job is a row of the catalog's ``web_jobs`` table (``web.job_store``) from the moment it is
submitted, so the page lists a teacher's jobs, with who submitted them and when, across restarts.

A job is rendered one of two ways:

* **locally** (no deployment set): on a thread of this process, as the CLI renders; the job's
  reporter collects progress per stage, which only this process knows and the status route shows;
* **on Prefect** (``LESSONAUDIO_WEB_RENDER_DEPLOYMENT``): submitted as a flow run of the
  ``render-lesson`` deployment (``web.prefect_runs``), rendered by ``lessonaudio serve`` or a
  worker, and followed by polling the flow run's state.

When a render finishes, the submitting token is recorded as the render's owner in the catalog before
the job reports ``finished``, so the render can be opened by its teacher as soon as the job says it
is there.

On start-up (:meth:`JobManager.recover`) the jobs a previous process left unfinished are settled:
one on Prefect is followed again by its flow run id; a local one whose process is gone is finished
if its render made it into the catalog after all, queued again if it never started, and otherwise
failed with :data:`STOPPED_REASON`. A local job of another web process that is still alive (same
machine and pid, or a recent heartbeat from another machine) is left to it.
"""

from __future__ import annotations

import hashlib
import logging
import os
import secrets
import threading
from collections import OrderedDict
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field, replace
from datetime import datetime
from pathlib import Path
from typing import Any, Protocol

from flows.progress import Reporter
from i18n import DEFAULT_LANGUAGE, N_, _, current_language, use_language
from lesson_specs import LessonSpec
from storage.db.models import utcnow
from storage.liveness import HEARTBEAT_EVERY_S, abandoned_reason, pid_alive, this_process
from web.job_store import JobStore, StoredJob
from web.job_types import Job, JobRunner, JobState, RenderOutcome, StageProgress
from web.prefect_runs import RunPhase, RunState
from web.render_owners import RenderOwners
from web.webhooks import WebhookSender

__all__ = [
    "Job",
    "JobManager",
    "JobProgress",
    "JobRunner",
    "JobState",
    "RemoteRuns",
    "RenderOutcome",
    "RenderRunner",
    "StageProgress",
    "event_for",
]

log = logging.getLogger("lessonaudio.web.jobs")

MAX_JOBS_KEPT = 500
"""Snapshots kept in memory (for their stage progress); the catalog keeps every job."""
STOPPED_REASON = N_("the web server stopped during the render; submit again")
FOLLOW_EVERY_S = 2.0


class RenderRunner(Protocol):
    """Runs one render to the end (blocking), reporting stages to ``progress``."""

    def run(self, spec_path: Path, voice: str | None, progress: Reporter) -> RenderOutcome: ...


class RemoteRuns(Protocol):
    """Renders run elsewhere as flow runs (``web.prefect_runs.DeploymentRuns``)."""

    def submit(self, job_id: str, spec_path: Path, voice: str | None) -> str:
        """Create the run; its id."""
        ...

    def state(self, flow_run_id: str) -> RunState: ...


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
    return utcnow()


def _message(err: BaseException) -> str:
    from i18n.failures import failure_reason

    return failure_reason(err)


def _speaking(language: str, work: Callable[..., None], *args: Any) -> None:
    """Run ``work`` with its messages in ``language``: a pool's thread starts in the default one."""
    with use_language(language):
        work(*args)


_IN_HAND: set[str] = set()
"""Jobs some manager of this process is carrying on (tests run several apps in one process)."""
_IN_HAND_LOCK = threading.Lock()


def _hold(job_id: str, holding: bool) -> None:
    with _IN_HAND_LOCK:
        if holding:
            _IN_HAND.add(job_id)
        else:
            _IN_HAND.discard(job_id)


def _alive_for(job_id: str) -> Callable[[int], bool]:
    """Whether the process recorded on ``job_id`` still carries it: another live process, or this
    one if a manager here holds the job (a recorded pid equal to ours may be an earlier process in
    a container whose web server is always pid 1)."""

    def alive(pid: int) -> bool:
        if pid != os.getpid():
            return pid_alive(pid)
        with _IN_HAND_LOCK:
            return job_id in _IN_HAND

    return alive


@dataclass
class JobManager:
    runner: RenderRunner
    jobs_dir: Path
    owners: RenderOwners
    webhooks: WebhookSender | None = None
    workers: int = 1
    remote: RemoteRuns | None = None
    """Set: new jobs are submitted as flow runs; unset: rendered by ``runner`` in this process."""
    follow_every_s: float = FOLLOW_EVERY_S
    beat_every_s: float = HEARTBEAT_EVERY_S
    language: str = DEFAULT_LANGUAGE
    """Failure reasons made where no request says whose they are (start-up, following runs on
    Prefect) are in this language, the page's default; a render submitted by a request fails in
    the language of that request, as the job list is read by whoever submitted it."""
    _jobs: OrderedDict[str, Job] = field(default_factory=OrderedDict)
    _followed: dict[str, Path] = field(default_factory=dict)
    """Jobs on Prefect this process follows: their script copies, removed once they end."""
    _lock: threading.RLock = field(default_factory=threading.RLock)

    def __post_init__(self) -> None:
        self.store = JobStore(self.owners.engine)
        self._process = this_process()
        self._renders = ThreadPoolExecutor(max_workers=self.workers, thread_name_prefix="render")
        self._submissions = ThreadPoolExecutor(max_workers=2, thread_name_prefix="render-submit")
        self._deliveries = ThreadPoolExecutor(max_workers=2, thread_name_prefix="webhook")
        self._stop = threading.Event()
        with use_language(self.language):
            self.recover()
        self._keeper = threading.Thread(
            target=_speaking, args=(self.language, self._keep), name="render-jobs", daemon=True
        )
        self._keeper.start()

    # -- taking jobs -------------------------------------------------------------------------------

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
            script_sha256=hashlib.sha256(script.encode("utf-8")).hexdigest(),
            runner=JobRunner.LOCAL if self.remote is None else JobRunner.PREFECT,
            language=current_language(),
        )
        self.jobs_dir.mkdir(parents=True, exist_ok=True)
        spec_path = (self.jobs_dir / f"{job.id}.yaml").resolve()
        spec_path.write_text(script, encoding="utf-8")
        try:
            self.store.add(job, spec_path, voice, self._process)
        except BaseException:
            spec_path.unlink(missing_ok=True)
            raise
        self._remember(job)
        _hold(job.id, True)
        self._start(job, spec_path, voice, job.language)
        return job

    def _start(self, job: Job, spec_path: Path, voice: str | None, language: str | None = None) -> None:
        speaking = language or self.language
        if job.runner is JobRunner.LOCAL:
            self._renders.submit(_speaking, speaking, self._run, job.id, job.owner_id, spec_path, voice)
        else:
            self._submissions.submit(_speaking, speaking, self._submit_remote, job.id, spec_path, voice)

    def _remember(self, job: Job) -> None:
        with self._lock:
            self._jobs[job.id] = job
            self._jobs.move_to_end(job.id)
            while len(self._jobs) > MAX_JOBS_KEPT:
                oldest = next(iter(self._jobs))
                if not self._jobs[oldest].ended:
                    break
                self._jobs.popitem(last=False)

    # -- reading -----------------------------------------------------------------------------------

    def get(self, job_id: str) -> Job | None:
        with self._lock:
            live = self._jobs.get(job_id)
        return live if live is not None else self.store.get(job_id)

    def recent(self, owner: int | None = None, limit: int = 50) -> list[Job]:
        """Newest first, from the catalog (with this process's progress where it has some); only
        the jobs token ``owner`` submitted when given."""
        stored = self.store.recent(owner, limit)
        with self._lock:
            return [self._jobs.get(job.id, job) for job in stored]

    def close(self) -> None:
        """Stop taking work; queued jobs are dropped, a running render is left to finish its thread.

        A dropped job stays ``queued`` in the catalog and is taken up by the next start.
        """
        self._stop.set()
        self._renders.shutdown(wait=False, cancel_futures=True)
        with self._lock:
            dropped = [j.id for j in self._jobs.values() if j.state is JobState.QUEUED]
        for job_id in dropped:  # free for a manager started next in this process (tests do)
            _hold(job_id, False)
        self._submissions.shutdown(wait=False, cancel_futures=True)
        self._deliveries.shutdown(wait=False, cancel_futures=True)

    # -- changes -----------------------------------------------------------------------------------

    def _update(self, job_id: str, change: Callable[[Job], Job], *, save: bool = True) -> Job | None:
        """Apply ``change`` to the job's snapshot; ``save`` writes it to the catalog (state changes
        do, stage progress does not)."""
        with self._lock:
            job = self._jobs.get(job_id)
            if job is None:
                return None
            self._jobs[job_id] = changed = change(job)
            if changed.ended:
                _hold(job_id, False)
            if save:
                self.store.save(changed)
            return changed

    def _end(self, job_id: str, outcome: RenderOutcome | None, error: str | None) -> None:
        """Finish or fail the job, then send its callback."""
        if outcome is not None:
            done = self._update(
                job_id, lambda j: replace(j, state=JobState.FINISHED, finished_at=_now(), outcome=outcome)
            )
        else:
            done = self._update(
                job_id, lambda j: replace(j, state=JobState.FAILED, finished_at=_now(), error=error)
            )
        if done is not None and done.callback_url and self.webhooks is not None and not self._stop.is_set():
            self._deliveries.submit(self._notify, done)

    def _run(self, job_id: str, owner_id: int, spec_path: Path, voice: str | None) -> None:
        self._update(job_id, lambda j: replace(j, state=JobState.RUNNING, started_at=_now()))

        def update(change: Callable[[Job], Job]) -> None:
            self._update(job_id, change, save=False)

        outcome: RenderOutcome | None = None
        message: str | None = None
        try:
            outcome = self.runner.run(spec_path, voice, JobProgress(update))
            self.owners.claim(outcome.render_id, Path(outcome.folder), owner_id)
        except Exception as err:  # any failure ends the job with its message; the server keeps serving
            outcome, message = None, _message(err)
            log.warning("render job %s failed: %s", job_id, message)
        finally:
            spec_path.unlink(missing_ok=True)  # before the job says it ended: nothing is left after
        self._end(job_id, outcome, message)

    def _submit_remote(self, job_id: str, spec_path: Path, voice: str | None) -> None:
        assert self.remote is not None
        try:
            flow_run_id = self.remote.submit(job_id, spec_path, voice)
        except Exception as err:  # the server went away since start-up: the job says so, one line
            message = _("could not submit the render to Prefect: {error}").format(error=_message(err))
            log.warning("render job %s: %s", job_id, message)
            spec_path.unlink(missing_ok=True)
            self._end(job_id, None, message)
            return
        self._update(job_id, lambda j: replace(j, flow_run_id=flow_run_id))
        with self._lock:
            self._followed[job_id] = spec_path

    def _notify(self, job: Job) -> None:
        assert job.callback_url is not None and self.webhooks is not None
        result = self.webhooks.deliver(job.callback_url, event_for(job))
        self._update(job.id, lambda j: replace(j, webhook=result))

    # -- following runs on Prefect, and heartbeats of local renders --------------------------------

    def _keep(self) -> None:
        last_beat = 0.0
        waited = 0.0
        while not self._stop.wait(self.follow_every_s):
            waited += self.follow_every_s
            try:
                self.follow_once()
                if waited - last_beat >= self.beat_every_s:
                    last_beat = waited
                    self.store.beat(self._local_ids())
            except Exception as err:  # a database or server hiccup: try again on the next round
                log.warning("could not follow the render jobs: %s", err)

    def _local_ids(self) -> list[str]:
        with self._lock:
            return [j.id for j in self._jobs.values() if j.runner is JobRunner.LOCAL and not j.ended]

    def follow_once(self) -> None:
        """Bring every followed Prefect job up to its flow run's state."""
        with self._lock:
            followed = list(self._followed.items())
        for job_id, spec_path in followed:
            job = self.get(job_id)
            if job is None or job.flow_run_id is None or job.ended:
                with self._lock:
                    self._followed.pop(job_id, None)
                continue
            with use_language(job.language or self.language):
                try:
                    state = self._state(job.flow_run_id)
                except Exception as err:  # unreachable server: the job keeps its state meanwhile
                    log.warning("render job %s: cannot read flow run %s: %s", job_id, job.flow_run_id, err)
                    continue
                self._apply(job, spec_path, state)

    def _state(self, flow_run_id: str) -> RunState:
        if self.remote is not None:
            return self.remote.state(flow_run_id)
        from web.prefect_runs import flow_run_state  # jobs submitted before the deployment was unset

        return flow_run_state(flow_run_id)

    def _apply(self, job: Job, spec_path: Path, state: RunState) -> None:
        if state.phase is RunPhase.RUNNING and job.state is JobState.QUEUED:
            started = state.since or _now()
            self._update(job.id, lambda j: replace(j, state=JobState.RUNNING, started_at=started))
            return
        if state.phase is RunPhase.COMPLETED:
            outcome = self.store.finished_render(spec_path)
            if outcome is None:
                error: str | None = _(
                    "flow run {run} completed, but its render is not in this catalog: "
                    "the workers must use the same LESSONAUDIO_DATABASE_URL as the web server"
                ).format(run=job.flow_run_id)
            else:
                error = self._claim(job, outcome)
            self._settle(job, spec_path, outcome if error is None else None, error)
        elif state.phase is RunPhase.FAILED:
            failed = _("flow run {run} failed").format(run=job.flow_run_id)
            self._settle(job, spec_path, None, state.message or failed)

    def _claim(self, job: Job, outcome: RenderOutcome) -> str | None:
        """Record the job's token as the render's owner; why not, if that failed."""
        try:
            self.owners.claim(outcome.render_id, Path(outcome.folder), job.owner_id)
        except Exception as err:
            return _("render {render} finished, but its owner could not be recorded: {error}").format(
                render=outcome.render_id, error=_message(err)
            )
        return None

    def _settle(self, job: Job, spec_path: Path, outcome: RenderOutcome | None, error: str | None) -> None:
        with self._lock:
            self._followed.pop(job.id, None)
        spec_path.unlink(missing_ok=True)
        self._end(job.id, outcome, error)

    # -- start-up ----------------------------------------------------------------------------------

    def recover(self) -> None:
        """Settle the jobs a previous process left queued or running (see the module docstring);
        each in its submitter's language."""
        now = _now()
        for stored in self.store.unfinished():
            with use_language(stored.job.language or self.language):
                self._recover_one(stored, now)

    def _recover_one(self, stored: StoredJob, now: datetime) -> None:
        job = stored.job
        if job.runner is JobRunner.PREFECT:
            self._recover_remote(stored)
            return
        reason = abandoned_reason(
            stored.owner, stored.heartbeat_at, job.submitted_at, now, alive=_alive_for(job.id)
        )
        if reason is None:
            return  # another web process renders it
        self._remember(job)
        outcome = self.store.finished_render(stored.spec_path)
        if outcome is not None:
            self._settle(job, stored.spec_path, outcome, self._claim(job, outcome))
        elif job.state is JobState.QUEUED and stored.spec_path.is_file():
            log.info("render job %s was queued when the web server stopped: queued again", job.id)
            self.store.adopt(job.id, self._process)
            _hold(job.id, True)
            self._start(job, stored.spec_path, stored.voice, job.language)
        else:
            self._settle(job, stored.spec_path, None, _(STOPPED_REASON))

    def _recover_remote(self, stored: StoredJob) -> None:
        job = stored.job
        self._remember(job)
        if job.flow_run_id is not None:
            with self._lock:
                self._followed[job.id] = stored.spec_path
        elif self.remote is not None and stored.spec_path.is_file():
            self.store.adopt(job.id, self._process)
            _hold(job.id, True)
            self._start(job, stored.spec_path, stored.voice, job.language)  # same idempotency key: one run
        else:
            self._settle(job, stored.spec_path, None, _(STOPPED_REASON))


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

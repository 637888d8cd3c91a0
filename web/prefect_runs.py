"""Renders as flow runs of a Prefect deployment: submitted from the web, rendered by ``serve`` or a worker.

The web process only creates the flow run (``run_deployment`` with ``timeout=0``) and then reads its
state; the render itself runs wherever the deployment's runs are picked up. The run is given the
job's script copy and the web's output folder, so the workers must see the same paths (one machine,
or a shared folder) and the same catalog database, where the render records which script copy it
rendered: that is how a finished run's render is found again.

Each submission carries the job id as its idempotency key: a job submitted again after a restart
that came between creating the run and recording its id gets the same flow run, not a second one.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum
from pathlib import Path
from typing import cast
from uuid import UUID

from errors import InputError
from i18n import N_, _, current_language

_ENDED_BADLY = frozenset({"FAILED", "CRASHED", "CANCELLED"})
_WAITING = frozenset({"SCHEDULED", "PENDING", "PAUSED", "CANCELLING"})
_ENDED_AS = {
    "FAILED": N_("flow run {run} failed: {message}"),
    "CRASHED": N_("flow run {run} crashed: {message}"),
    "CANCELLED": N_("flow run {run} cancelled: {message}"),
}
"""A run that ended badly, by its state type: one whole sentence each, for the translations."""
_ENDED_WITH_DETAIL = {
    "FAILED": N_("flow run {run} failed ({detail})"),
    "CRASHED": N_("flow run {run} crashed ({detail})"),
    "CANCELLED": N_("flow run {run} cancelled ({detail})"),
}
"""The same, where Prefect's message has no words in the reader's language: it follows as a detail."""


class DeploymentUnavailable(InputError):
    """The deployment the web is set to submit renders to is not on the Prefect server."""


class RunPhase(StrEnum):
    WAITING = "waiting"
    RUNNING = "running"
    COMPLETED = "completed"
    FAILED = "failed"


@dataclass(frozen=True, slots=True)
class RunState:
    phase: RunPhase
    message: str | None
    """Prefect's message for a run that ended without success (or why it is no longer known)."""
    since: datetime | None


def phase_of(state_type: str | None) -> RunPhase:
    """A Prefect state type (``RUNNING``, ``CRASHED``…) as the job sees it."""
    if state_type is None or state_type in _WAITING:
        return RunPhase.WAITING
    if state_type == "RUNNING":
        return RunPhase.RUNNING
    if state_type == "COMPLETED":
        return RunPhase.COMPLETED
    if state_type in _ENDED_BADLY:
        return RunPhase.FAILED
    return RunPhase.WAITING


class DeploymentRuns:
    """Flow runs of ``deployment`` (``flow-name/deployment-name``) on ``PREFECT_API_URL``'s server."""

    def __init__(self, deployment: str, out_dir: Path) -> None:
        self.deployment = deployment
        self.out_dir = out_dir.resolve()

    def check(self) -> None:
        """Raise :class:`DeploymentUnavailable` (one line) unless the server has the deployment."""
        from prefect import get_client
        from prefect.exceptions import ObjectNotFound
        from prefect.settings import PREFECT_API_URL

        server = PREFECT_API_URL.value() or "(no PREFECT_API_URL)"
        try:
            with get_client(sync_client=True) as client:
                client.read_deployment_by_name(self.deployment)
        except ObjectNotFound:
            raise DeploymentUnavailable(
                _(
                    "LESSONAUDIO_WEB_RENDER_DEPLOYMENT={deployment}: no such deployment on the "
                    "Prefect server {server}; start `lessonaudio serve` (or `lessonaudio deploy` and a "
                    "worker) with PREFECT_API_URL pointing at that server, or unset the setting to render "
                    "in the web process"
                ).format(deployment=repr(self.deployment), server=server)
            ) from None
        except Exception as err:  # unreachable server, bad URL: the client's own words, one line
            reason = str(err).strip().splitlines()[0] if str(err).strip() else type(err).__name__
            raise DeploymentUnavailable(
                _(
                    "LESSONAUDIO_WEB_RENDER_DEPLOYMENT={deployment}: cannot reach the Prefect "
                    "server {server}: {reason} (set PREFECT_API_URL to a running server)"
                ).format(deployment=repr(self.deployment), server=server, reason=reason)
            ) from None

    def submit(self, job_id: str, spec_path: Path, voice: str | None) -> str:
        """Create the flow run and return its id; the run starts when a worker picks it up."""
        from prefect.client.schemas.objects import FlowRun
        from prefect.deployments import run_deployment

        parameters: dict[str, object] = {
            "spec_path": str(spec_path),
            "out_dir": str(self.out_dir),
            "language": current_language(),  # the worker writes the job's messages in its reader's
        }
        if voice is not None:
            parameters["voice"] = voice
        run = cast(
            FlowRun,
            run_deployment(
                self.deployment,
                parameters=parameters,
                timeout=0,
                idempotency_key=f"lessonaudio-web-job-{job_id}",
                as_subflow=False,
            ),
        )
        return str(run.id)

    def state(self, flow_run_id: str) -> RunState:
        return flow_run_state(flow_run_id)


def flow_run_state(flow_run_id: str) -> RunState:
    """Where the run is on ``PREFECT_API_URL``'s server; a run the server no longer knows is failed."""
    from prefect import get_client
    from prefect.exceptions import ObjectNotFound

    try:
        with get_client(sync_client=True) as client:
            run = client.read_flow_run(UUID(flow_run_id))
    except ObjectNotFound:
        gone = _("the Prefect server no longer knows flow run {run}").format(run=flow_run_id)
        return RunState(RunPhase.FAILED, gone, None)
    state = run.state
    if state is None:
        return RunState(RunPhase.WAITING, None, None)
    phase = phase_of(state.type.value)
    message = None
    if phase is RunPhase.FAILED:
        message = ended_message(state.type.value, run.name, state.message)
    since = run.start_time if phase is not RunPhase.WAITING else None
    return RunState(phase, message, since)


def ended_message(state_type: str, run: str, said: str | None) -> str:
    """Why a run ended badly, in the reader's language (see :func:`i18n.failures.prefect_reason`)."""
    from i18n.failures import prefect_reason

    reason = prefect_reason(said) if said else _("no message")
    if reason is None:
        detail = (said or "").strip().splitlines()[0]
        ended = _ENDED_WITH_DETAIL.get(state_type, _ENDED_WITH_DETAIL["FAILED"])
        return _(ended).format(run=run, detail=detail)
    return _(_ENDED_AS.get(state_type, _ENDED_AS["FAILED"])).format(run=run, message=reason)

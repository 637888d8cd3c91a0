"""Flow runs run inside one long-lived process, so a nightly batch pays imports and model loads once.

Prefect's runner (``prefect.serve``) and its process workers start every flow run in a new Python
process. That process imports Prefect, the render code and its libraries and loads the voice and
Whisper again before it renders anything: for a batch of short lessons, more time than the rendering
(``benchmarks/bench_batch.py``). Here the runs are executed by Prefect's own flow engine
(``run_flow``, what that subprocess calls too) on threads of this process, so the voice
(``tasks.synthesize.engine_for``), Whisper (``tasks.backcheck.recognizer_for``) and the front end,
kept once per process, are loaded by the first render and reused by every later one. ``lessonaudio
serve`` runs its own deployments' runs this way (``serve_warm``), ``lessonaudio worker`` a work
pool's (``work_pool_worker``).

Each run stays an ordinary flow run of its deployment, with its own state, logs and parameters, and
the inbox scan follows it by id as before (``flows.inbox_runs``). A run is claimed the way Prefect's
runners and workers claim one: by proposing PENDING, which the server grants to one claimant only,
so two processes polling the same server never both start a run. A run that fails fails alone: the
engine records its state and the next run starts as usual.

What a process per run gave and this does not: a started run cannot be cancelled (one cancelled
before it starts is never started), and a crash of the interpreter itself ends every run in flight.
Runs in flight when the loop is stopped are marked crashed at once, so the next scan submits their
lessons again; if the process is killed outright they stay RUNNING until the scan finds no live
render of them in the catalog.
"""

from __future__ import annotations

import contextvars
import logging
import threading
from collections import deque
from collections.abc import Callable, Mapping, Sequence
from datetime import UTC, datetime
from typing import Any, Protocol, cast
from uuid import UUID

from prefect import Flow, get_client
from prefect.client.orchestration import SyncPrefectClient
from prefect.client.schemas.objects import FlowRun, State
from prefect.client.schemas.responses import FlowRunResponse
from prefect.deployments.runner import RunnerDeployment
from prefect.exceptions import Abort, ObjectNotFound
from prefect.flow_engine import run_flow
from prefect.states import Crashed, Pending
from prefect.utilities.engine import propose_state_sync

from errors import NotFoundError
from flows.in_process import in_process_runs
from i18n import _

log = logging.getLogger(__name__)

STOPPED = "the process running it stopped while it ran"


Due = list[tuple[FlowRun | FlowRunResponse, Flow[..., Any]]]
"""Scheduled runs that are due, each with the flow to run it with, earliest first."""


class RunSource(Protocol):
    def __call__(self, client: SyncPrefectClient, now: datetime) -> Due:
        """The runs due by ``now`` that this process can run."""
        ...


def _when(run: FlowRun | FlowRunResponse) -> datetime:
    return run.next_scheduled_start_time or run.expected_start_time or datetime.min.replace(tzinfo=UTC)


class Deployments:
    """Runs of the deployments this process serves (deployment id -> flow)."""

    def __init__(self, flows: Mapping[UUID, Flow[..., Any]]) -> None:
        self.flows = dict(flows)

    def __call__(self, client: SyncPrefectClient, now: datetime) -> Due:
        if not self.flows:
            return []
        runs = client.get_scheduled_flow_runs_for_deployments(list(self.flows), scheduled_before=now)
        due = [(run, self.flows[run.deployment_id]) for run in runs if run.deployment_id in self.flows]
        return sorted(due, key=lambda pair: _when(pair[0]))


class WorkPool:
    """Runs in a work pool whose deployment this process has the flow for (deployment name -> flow).

    The pool's deployments are registered with the project's code at a path (``lessonaudio deploy``);
    this process runs the code it was started with, which must be that same version. Runs of other
    deployments in the pool are left to other workers. Each poll is also the worker's heartbeat, so the
    pool shows it as ready in Prefect's UI.
    """

    def __init__(self, pool: str, flows: Mapping[str, Flow[..., Any]], worker: str) -> None:
        self.pool, self.flows, self.worker = pool, dict(flows), worker
        self._names: dict[UUID, str] = {}

    def __call__(self, client: SyncPrefectClient, now: datetime) -> Due:
        client.send_worker_heartbeat(self.pool, self.worker)
        due: Due = []
        for response in client.get_scheduled_flow_runs_for_work_pool(self.pool, scheduled_before=now):
            run = response.flow_run
            if run.deployment_id is None:
                continue
            if run.deployment_id not in self._names:
                self._names[run.deployment_id] = client.read_deployment(run.deployment_id).name
            flow = self.flows.get(self._names[run.deployment_id])
            if flow is not None:
                due.append((run, flow))
        return sorted(due, key=lambda pair: _when(pair[0]))


class WarmRunner:
    """Polls ``source`` for due runs and runs up to ``slots`` of them at once, each on a thread."""

    def __init__(
        self,
        source: RunSource,
        *,
        slots: int = 1,
        poll_s: float = 1.0,
        client: Callable[[], SyncPrefectClient] = lambda: get_client(sync_client=True),
    ) -> None:
        if slots < 1:
            raise ValueError("slots must be at least 1")
        self.source, self.slots, self.poll_s, self._client = source, slots, poll_s, client
        self._running: dict[UUID, threading.Thread] = {}
        self._lock = threading.Lock()
        self._stop = threading.Event()
        self._wake = threading.Event()
        """Set when a run ends or the loop must stop: the next poll need not wait out ``poll_s``."""
        # The poll and the runs see the Prefect settings (the server) of the code that made the runner,
        # whichever thread they run on.
        self._context = contextvars.copy_context()
        self.finished: deque[tuple[UUID, str]] = deque(maxlen=10_000)
        """(flow run id, final state type) of the runs this runner started and saw end, latest last."""

    def run(self) -> None:
        """Poll until :meth:`stop` (or an exception in this thread, such as Ctrl-C or SIGTERM)."""
        self._context.copy().run(self._poll)

    def _poll(self) -> None:
        with self._client() as client:
            try:
                while not self._stop.is_set():
                    try:
                        self.poll_once(client)
                    except Exception as err:  # a server restarting: try again on the next poll
                        log.warning("could not ask the Prefect server for due runs: %s", err)
                    self._wake.wait(self.poll_s)
                    self._wake.clear()
            finally:
                self._crash_in_flight(client)

    def stop(self) -> None:
        self._stop.set()
        self._wake.set()

    def in_flight(self) -> list[UUID]:
        with self._lock:
            return [run_id for run_id, thread in self._running.items() if thread.is_alive()]

    def wait(self, timeout: float | None = None) -> None:
        """Wait for the runs started so far to end (tests, and a graceful stop)."""
        with self._lock:
            threads = list(self._running.values())
        for thread in threads:
            thread.join(timeout)

    def poll_once(self, client: SyncPrefectClient) -> list[UUID]:
        """Claim and start due runs while slots are free; the ids of the runs started."""
        free = self.slots - len(self.in_flight())
        if free <= 0:
            return []
        started: list[UUID] = []
        for run, flow in self.source(client, datetime.now(UTC)):
            if len(started) == free:
                break
            if run.id in self._running:
                continue
            if not self._claim(client, run.id):
                continue
            thread = threading.Thread(
                target=self._context.copy().run,
                args=(self._execute, run.id, flow),
                name=f"flow-run-{run.name}",
                daemon=True,  # a stopping process does not wait for a render: its run is marked crashed
            )
            with self._lock:
                self._running[run.id] = thread
            thread.start()
            started.append(run.id)
        return started

    @staticmethod
    def _claim(client: SyncPrefectClient, flow_run_id: UUID) -> bool:
        """PENDING is granted once: whoever gets it is the only one to start the run."""
        try:
            state = propose_state_sync(client, Pending(), flow_run_id=flow_run_id)
        except Abort:  # claimed by another runner or worker, or cancelled meanwhile
            return False
        return state.is_pending()

    def _execute(self, flow_run_id: UUID, flow: Flow[..., Any]) -> None:
        final = "CRASHED"
        try:
            with self._client() as client:
                flow_run = client.read_flow_run(flow_run_id)
            # A sync flow's engine runs here and returns its final state. Without Prefect's
            # heartbeat thread, joined at the end of every run (up to a second each): a run here
            # dies with this process, and the scan finds dead renders by the catalog's own beats.
            with in_process_runs():
                state = cast(State[Any] | None, run_flow(flow, flow_run=flow_run, return_type="state"))
            final = state.type.value if state is not None else "COMPLETED"
        except BaseException as err:  # the engine records a run's own failure; this is anything else
            log.exception("flow run %s ended outside its flow: %s", flow_run_id, err)
            self._mark_crashed(flow_run_id, f"{type(err).__name__}: {err}")
        finally:
            with self._lock:
                self._running.pop(flow_run_id, None)
                self.finished.append((flow_run_id, final))
            self._wake.set()  # a slot is free: the next due run starts now, not at the next poll

    def _mark_crashed(self, flow_run_id: UUID, message: str, client: SyncPrefectClient | None = None) -> None:
        try:
            if client is not None:
                client.set_flow_run_state(flow_run_id, Crashed(message=message), force=True)
                return
            with self._client() as own:
                own.set_flow_run_state(flow_run_id, Crashed(message=message), force=True)
        except Exception as err:
            log.warning("could not mark flow run %s crashed: %s", flow_run_id, err)

    def _crash_in_flight(self, client: SyncPrefectClient) -> None:
        """Runs still in flight will not finish once this process ends: say so, so they are redone."""
        for flow_run_id in self.in_flight():
            self._mark_crashed(flow_run_id, STOPPED, client)


def serve_warm(
    deployments: Sequence[RunnerDeployment],
    flows: Mapping[str, Flow[..., Any]],
    *,
    slots: int = 1,
    poll_s: float = 1.0,
) -> None:
    """Register ``deployments`` and run their runs in this process until interrupted.

    ``flows`` gives each deployment's flow by deployment name. As with ``prefect.serve``, the
    deployments' schedules are paused when this returns (and resumed by the next registration), so
    scheduled runs do not pile up while nothing serves them.
    """
    ids: dict[UUID, Flow[..., Any]] = {}
    for deployment in deployments:
        # Called from sync code, Prefect's dual sync/async API returns the id itself.
        deployment_id = deployment.apply()
        assert isinstance(deployment_id, UUID)
        ids[deployment_id] = flows[deployment.name]
    runner = WarmRunner(Deployments(ids), slots=slots, poll_s=poll_s)
    try:
        runner.run()
    finally:
        with get_client(sync_client=True) as client:
            for deployment_id in ids:
                try:
                    client.pause_deployment(deployment_id)
                except Exception as err:  # the server may be going away first
                    log.warning("could not pause the schedule of deployment %s: %s", deployment_id, err)


class UnknownPool(NotFoundError, LookupError):
    """The work pool does not exist on the server; the message says how to create it."""


def work_pool_worker(
    pool: str, flows: Mapping[str, Flow[..., Any]], *, name: str, slots: int = 1, poll_s: float = 1.0
) -> None:
    """Run ``pool``'s runs of the deployments named in ``flows`` in this process until interrupted."""
    with get_client(sync_client=True) as client:
        try:
            client.read_work_pool(pool)
        except ObjectNotFound:
            raise UnknownPool(
                _(
                    "no work pool {pool} on this Prefect server "
                    "(create it: prefect work-pool create {name} --type process)"
                ).format(pool=repr(pool), name=pool)
            ) from None
    WarmRunner(WorkPool(pool, flows, name), slots=slots, poll_s=poll_s).run()

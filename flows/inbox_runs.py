"""What became of a render the inbox scan submitted, asked of Prefect and the render catalog.

A run that ended without success (failed, crashed, cancelled) or that Prefect no longer knows is
retried. Prefect alone cannot tell a live ``RUNNING`` run from one whose process was killed: 3.x
marks such runs crashed only when runner heartbeats and a zombie-detection automation are both
configured, which ``serve`` does not assume. The render catalog can: every render beats while it
runs and one whose process is gone is marked ``abandoned`` (``storage.liveness``). So a run
``RUNNING`` for longer than :data:`~storage.liveness.STALE_AFTER` with no live render of its script
in the catalog is dead; it is marked crashed in Prefect and retried.

A run waiting to start is left alone while it may still start: a ``SCHEDULED`` run is picked up by
the runner whenever ``serve`` runs again, and a queue of renders can keep one waiting for hours. It
is given up only after :data:`SCHEDULED_FOR_AT_MOST`; a ``PENDING`` run (being started) after
:data:`~storage.liveness.STALE_AFTER`. A given-up run is cancelled first, so it cannot start as
well as its replacement.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from typing import Literal
from uuid import UUID

from prefect.client.orchestration import SyncPrefectClient
from prefect.client.schemas.objects import State, StateType
from prefect.exceptions import ObjectNotFound
from prefect.states import Cancelled, Crashed
from sqlalchemy import select

from storage.catalog import Catalog
from storage.db.models import Render, RenderStatus, utcnow
from storage.liveness import STALE_AFTER

RunVerdict = Literal["rendered", "waiting", "retry"]
"""What became of a submitted render: it succeeded, it may still succeed, or it never will."""

SCHEDULED_FOR_AT_MOST = timedelta(days=1)
"""A run still scheduled a day after it was due will not be started by anything."""

_ENDED_BADLY = {StateType.FAILED, StateType.CRASHED, StateType.CANCELLED}


def _aware(moment: datetime) -> datetime:
    """SQLite hands back naive datetimes; the ledger writes UTC."""
    return moment if moment.tzinfo is not None else moment.replace(tzinfo=UTC)


class PrefectRuns:
    """The scan's ``Runs``, backed by a Prefect client and the catalog."""

    def __init__(
        self, client: SyncPrefectClient, catalog: Catalog, *, clock: Callable[[], datetime] = utcnow
    ) -> None:
        self.client, self.catalog, self.clock = client, catalog, clock

    def __call__(self, run_id: str | None, spec_sha256: str, recorded_at: datetime) -> RunVerdict:
        now = self.clock()
        try:
            flow_run_id = UUID(run_id or "")
        except ValueError:  # a scan died while replacing the run: retry once it is clearly gone
            return "retry" if now - _aware(recorded_at) > STALE_AFTER else "waiting"
        try:
            run = self.client.read_flow_run(flow_run_id)
        except ObjectNotFound:
            return "retry"
        state = run.state
        if state is None or state.type in _ENDED_BADLY:
            return "retry"
        if state.type == StateType.COMPLETED:
            return "rendered"
        age = now - _aware(state.timestamp)
        if state.type == StateType.RUNNING:
            if age > STALE_AFTER and not self._rendering(spec_sha256):
                return self._give_up(flow_run_id, Crashed(message="its render process is gone"))
            return "waiting"
        if state.type == StateType.PENDING and age > STALE_AFTER:
            return self._give_up(flow_run_id, Cancelled(message="never started; submitted again"))
        due = run.next_scheduled_start_time or run.expected_start_time or state.timestamp
        if state.type == StateType.SCHEDULED and now - _aware(due) > SCHEDULED_FOR_AT_MOST:
            return self._give_up(flow_run_id, Cancelled(message="never started; submitted again"))
        return "waiting"

    def _rendering(self, spec_sha256: str) -> bool:
        """Is a render of these bytes alive, by the catalog's heartbeats?"""
        self.catalog.abandon_dead_renders()
        query = select(Render.id).where(
            Render.spec_sha256 == spec_sha256, Render.status == RenderStatus.RUNNING.value
        )
        with self.catalog.session() as session:
            return session.scalar(query.limit(1)) is not None

    def _give_up(self, flow_run_id: UUID, state: State) -> RunVerdict:
        # Forced: a dead run cannot answer, and a final state stops a late start of the old run.
        self.client.set_flow_run_state(flow_run_id, state, force=True)
        return "retry"

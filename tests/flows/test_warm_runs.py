"""Flow runs of served deployments run in this process (``flows.warm_runs``), against a real server.

Two runners polling one server must never both start a run, a failing run must fail alone, and runs
in flight when a runner stops must be marked crashed (so the inbox scan submits them again).
"""

from __future__ import annotations

import os
import threading
import time
from collections import Counter
from collections.abc import Iterator
from pathlib import Path
from typing import Any, cast
from uuid import UUID

import pytest
from prefect import flow
from prefect.deployments.runner import RunnerDeployment
from prefect.runtime import flow_run

from app.prefect_server import LocalServer, local_prefect_server
from flows.warm_runs import STOPPED, Deployments, UnknownPool, WarmRunner, work_pool_worker

pytestmark = pytest.mark.slow

TERMINAL = {"COMPLETED", "FAILED", "CRASHED", "CANCELLED"}


@flow(name="warm-runs-probe")
def probe(log: str, fail: bool = False, hold_s: float = 0.0) -> int:
    """Notes which run ran in which process; ``fail`` stands for a lesson that cannot render."""
    time.sleep(hold_s)
    with open(log, "a", encoding="utf-8") as sink:
        sink.write(f"{flow_run.id} {os.getpid()}\n")
    if fail:
        raise ValueError("this lesson cannot be rendered")
    return os.getpid()


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[LocalServer]:
    from prefect.settings import PREFECT_API_URL, temporary_settings

    with (
        local_prefect_server(home=tmp_path_factory.mktemp("prefect")) as running,
        temporary_settings({PREFECT_API_URL: running.api_url}),
    ):
        yield running


@pytest.fixture(scope="module")
def deployment(server: LocalServer) -> UUID:
    deployment_id = cast(RunnerDeployment, probe.to_deployment(name="warm-runs-probe")).apply()
    assert isinstance(deployment_id, UUID)
    return deployment_id


def _submit(deployment: UUID, runs: list[dict[str, Any]]) -> list[UUID]:
    from prefect import get_client

    with get_client(sync_client=True) as client:
        return [client.create_flow_run_from_deployment(deployment, parameters=p).id for p in runs]


def _states(ids: list[UUID]) -> dict[UUID, str]:
    from prefect import get_client

    with get_client(sync_client=True) as client:
        return {i: s.type.value if (s := client.read_flow_run(i).state) else "NONE" for i in ids}


def _wait(ids: list[UUID], want: set[str], timeout: float = 120) -> dict[UUID, str]:
    deadline = time.monotonic() + timeout
    while True:
        states = _states(ids)
        if all(state in want for state in states.values()):
            return states
        assert time.monotonic() < deadline, f"runs not {want} within {timeout:.0f} s: {states}"
        time.sleep(0.3)


def _start(runner: WarmRunner) -> threading.Thread:
    thread = threading.Thread(target=runner.run, daemon=True)
    thread.start()
    return thread


def test_two_runners_start_each_run_once_and_a_failure_stays_alone(tmp_path: Path, deployment: UUID) -> None:
    log = tmp_path / "ran.txt"
    ids = _submit(deployment, [{"log": str(log), "fail": n == 3} for n in range(10)])
    runners = [WarmRunner(Deployments({deployment: probe}), slots=2, poll_s=0.1) for _ in range(2)]
    threads = [_start(r) for r in runners]
    try:
        states = _wait(ids, TERMINAL)
    finally:
        for runner in runners:
            runner.stop()
        for thread in threads:
            thread.join(30)
        for runner in runners:
            runner.wait(30)
    assert Counter(states.values()) == {"COMPLETED": 9, "FAILED": 1}, states
    assert states[ids[3]] == "FAILED"
    lines = [line.split() for line in log.read_text("utf-8").splitlines()]
    ran = Counter(UUID(run_id) for run_id, _ in lines)
    assert ran == Counter(ids), "a run was started twice or not at all"
    assert {int(pid) for _, pid in lines} == {os.getpid()}  # in this process: nothing imported again
    assert sorted(r for runner in runners for r, _ in runner.finished) == sorted(ids)


def test_runs_in_flight_when_the_runner_stops_are_marked_crashed(tmp_path: Path, deployment: UUID) -> None:
    [held] = _submit(deployment, [{"log": str(tmp_path / "ran.txt"), "hold_s": 5.0}])
    runner = WarmRunner(Deployments({deployment: probe}), slots=1, poll_s=0.1)
    thread = _start(runner)
    try:
        _wait([held], {"RUNNING"}, timeout=60)
    finally:
        runner.stop()
        thread.join(30)
    from prefect import get_client

    with get_client(sync_client=True) as client:
        state = client.read_flow_run(held).state
    assert state is not None and state.type.value == "CRASHED" and state.message == STOPPED
    runner.wait(30)


def test_a_run_claimed_elsewhere_is_not_started(tmp_path: Path, deployment: UUID) -> None:
    """What a second runner sees when the first has proposed PENDING already: nothing to start."""
    from prefect import get_client
    from prefect.states import Pending

    [claimed] = _submit(deployment, [{"log": str(tmp_path / "ran.txt")}])
    with get_client(sync_client=True) as client:
        client.set_flow_run_state(claimed, Pending())
        runner = WarmRunner(Deployments({deployment: probe}), slots=1, poll_s=0.1)
        assert runner.poll_once(client) == []
        assert WarmRunner._claim(client, claimed) is False
    assert not (tmp_path / "ran.txt").exists()
    assert _states([claimed]) == {claimed: "PENDING"}


def test_a_missing_work_pool_is_one_clear_error(server: LocalServer) -> None:
    with pytest.raises(UnknownPool, match="prefect work-pool create nowhere --type process"):
        work_pool_worker("nowhere", {"warm-runs-probe": probe}, name="test")

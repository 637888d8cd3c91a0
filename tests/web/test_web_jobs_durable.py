"""Render jobs outlive the web process: kept in the catalog, settled on restart, run on Prefect workers.

The first tests recreate the app on one catalog (SQLite and PostgreSQL) with the fake runner of
``tests.browser.support``; the slow ones run ``lessonaudio web`` itself as a subprocess with the
real voice, kill it with SIGKILL mid-render and start it again, and submit a page render to a
Prefect server whose worker renders it.
"""

from __future__ import annotations

import hashlib
import json
import os
import signal
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field, replace
from datetime import timedelta
from pathlib import Path
from typing import Any
from uuid import UUID

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient

from app.prefect_server import free_port, local_prefect_server
from config import Settings
from i18n import _, use_language
from lesson_specs import load_spec_file
from storage.catalog import open_catalog
from storage.db.models import utcnow
from storage.liveness import ProcessOwner, this_host
from tests.browser.support import EXAMPLE, FakeRunner, fake_app, new_token, web_settings
from tests.process_tree import ROOT, Command, answers, command_env, running, wait_for
from web.job_store import JobStore
from web.job_types import Job, JobRunner, JobState
from web.jobs import STOPPED_REASON, JobManager
from web.prefect_runs import RunPhase, RunState
from web.render_owners import RenderOwners
from web.services import Services
from web.token_store import SqlTokenStore

pytest_plugins = ["tests.s3_server"]

SHORT = "id: durable\ntitle: 持久\ncourse: 测试\nparagraphs:\n  - 同学们好，今天我们学习勾股定理。\n"
TERMINAL = {"finished", "failed"}


def bearer(token: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {token}"}


def wait_for_state(
    read: Callable[[], dict[str, Any]], states: set[str], timeout: float = 60
) -> dict[str, Any]:
    deadline = time.monotonic() + timeout
    while True:
        job = read()
        if job["state"] in states:
            return job
        assert time.monotonic() < deadline, f"job still {job['state']} after {timeout:.0f} s: {job}"
        time.sleep(0.2)


# -- recreating the app on the same catalog ----------------------------------------------------------


@pytest.fixture
def settings(tmp_path: Path, db_url: str) -> Settings:
    return web_settings(tmp_path, database_url=db_url)


def test_a_job_survives_recreating_the_app(settings: Settings) -> None:
    first = fake_app(settings)
    alice, bob = new_token(first, "alice"), new_token(first, "bob")
    with TestClient(first) as client:
        submitted = client.post(
            "/api/renders", json={"script": EXAMPLE.read_text("utf-8")}, headers=bearer(alice)
        )
        assert submitted.status_code == 202, submitted.text
        url = submitted.json()["status_url"]
        done = wait_for_state(lambda: client.get(url, headers=bearer(alice)).json(), TERMINAL)
    assert done["state"] == "finished", done

    with TestClient(fake_app(settings)) as client:  # a new process would build exactly this
        listed = client.get("/api/jobs", headers=bearer(alice))
        assert listed.status_code == 200, listed.text
        (job,) = listed.json()
        assert job["id"] == done["id"] and job["state"] == "finished"
        assert job["submitted_by"] == "alice" and job["submitted_at"] == done["submitted_at"]
        assert job["render_id"] == done["render_id"] and job["runner"] == "local"
        assert job["script_sha256"] == hashlib.sha256(EXAMPLE.read_bytes()).hexdigest()
        assert client.get(url, headers=bearer(alice)).json()["render_id"] == done["render_id"]
        files = client.get(f"/api/renders/{job['render_id']}", headers=bearer(alice)).json()["files"]
        mp3 = next(f for f in files if f["name"] == "lesson.mp3")
        assert client.get(mp3["url"], headers=bearer(alice)).status_code == 200
        # The page lists it too, with who submitted it and when, and links its audio.
        assert client.post("/session", json={"token": alice}).status_code == 204
        page = client.get("/").text
        assert "<td>alice</td>" in page and done["submitted_at"][:16].replace("T", " ") in page
        assert f"/api/renders/{job['render_id']}/files/lesson.mp3" in page
        client.cookies.clear()
        # Another teacher neither lists it nor opens it.
        assert client.get("/api/jobs", headers=bearer(bob)).json() == []
        assert client.get(url, headers=bearer(bob)).status_code == 404


def _dead_pid() -> int:
    """The pid of a process that has ended (and been reaped)."""
    child = subprocess.Popen(["true"])
    child.wait()
    return child.pid


def _orphan(
    store: JobStore,
    tmp_path: Path,
    owner_id: int,
    state: JobState,
    *,
    script: bool,
    language: str | None = None,
) -> tuple[Job, Path]:
    """A job a killed web process left in ``state``: its owner's pid is dead."""
    job = Job(
        id=os.urandom(8).hex(),
        lesson_id="math-g8-pythagoras",
        title="勾股定理",
        owner="alice",
        owner_id=owner_id,
        submitted_at=utcnow() - timedelta(minutes=1),
        state=state,
        started_at=utcnow() if state is JobState.RUNNING else None,
        language=language,
    )
    spec_path = tmp_path / "cache" / "web-jobs" / f"{job.id}.yaml"
    if script:
        spec_path.parent.mkdir(parents=True, exist_ok=True)
        spec_path.write_text(EXAMPLE.read_text("utf-8"), "utf-8")
    store.add(job, spec_path, None, ProcessOwner(this_host(), _dead_pid()))
    return job, spec_path


def test_jobs_of_a_dead_web_process_are_settled_on_start(settings: Settings, tmp_path: Path) -> None:
    assert settings.database_url is not None
    tokens = SqlTokenStore.open(settings.database_url)
    try:
        info, alice = tokens.create("alice")
        store = JobStore(tokens.engine)
        running_job, running_spec = _orphan(store, tmp_path, info.id, JobState.RUNNING, script=True)
        queued_job, _queued_spec = _orphan(store, tmp_path, info.id, JobState.QUEUED, script=True)
        # A render that finished (recorded in the catalog) though its job never heard of it.
        finished_job, finished_spec = _orphan(store, tmp_path, info.id, JobState.RUNNING, script=False)
        outcome = FakeRunner(settings.output_dir).run(EXAMPLE, None, _no_progress())
        catalog = open_catalog(settings.database_url)
        try:
            pk = catalog.record_render_started(None, "math-g8-pythagoras", spec_path=str(finished_spec))
            manifest = json.loads((Path(outcome.folder) / "manifest.json").read_text("utf-8"))
            catalog.record_render_finished(pk, manifest, folder=outcome.folder)
        finally:
            catalog.close()
    finally:
        tokens.close()

    app = fake_app(settings)
    with TestClient(app) as client:

        def read(job_id: str) -> dict[str, Any]:
            return client.get(f"/api/jobs/{job_id}", headers=bearer(alice)).json()  # type: ignore[no-any-return]

        stopped = read(running_job.id)
        assert stopped["state"] == "failed" and stopped["error"] == STOPPED_REASON
        assert not running_spec.exists()  # the script copy of an ended job is not kept
        assert read(finished_job.id)["state"] == "finished"
        assert read(finished_job.id)["render_id"] == outcome.render_id
        assert client.get(f"/api/renders/{outcome.render_id}", headers=bearer(alice)).status_code == 200
        requeued = wait_for_state(lambda: read(queued_job.id), TERMINAL)
        assert requeued["state"] == "finished", requeued  # queued, never started: rendered now
        assert client.post("/session", json={"token": alice}).status_code == 204
        assert STOPPED_REASON in client.get("/").text


def test_a_job_settled_on_start_fails_in_its_submitters_language(settings: Settings, tmp_path: Path) -> None:
    assert settings.database_url is not None and settings.web_language == "en"
    tokens = SqlTokenStore.open(settings.database_url)
    try:
        info, alice = tokens.create("alice")
        store = JobStore(tokens.engine)
        chinese, _spec = _orphan(store, tmp_path, info.id, JobState.RUNNING, script=True, language="zh-CN")
        english, _spec = _orphan(store, tmp_path, info.id, JobState.RUNNING, script=True, language="en")
    finally:
        tokens.close()

    with TestClient(fake_app(settings)) as client:
        errors = {
            job.id: client.get(f"/api/jobs/{job.id}", headers=bearer(alice)).json()["error"]
            for job in (chinese, english)
        }
    with use_language("zh-CN"):
        in_chinese = _(STOPPED_REASON)
    assert in_chinese != STOPPED_REASON
    assert errors == {chinese.id: in_chinese, english.id: STOPPED_REASON}


def test_a_job_of_a_live_web_process_is_left_alone(settings: Settings, tmp_path: Path) -> None:
    """Two web servers may share a catalog: a job whose process is alive is not failed by the other."""
    assert settings.database_url is not None
    tokens = SqlTokenStore.open(settings.database_url)
    try:
        info, alice = tokens.create("alice")
        store = JobStore(tokens.engine)
        job = Job(
            id=os.urandom(8).hex(),
            lesson_id="x",
            title="x",
            owner="alice",
            owner_id=info.id,
            submitted_at=utcnow(),
            state=JobState.RUNNING,
        )
        with subprocess.Popen(["sleep", "60"]) as other:
            try:
                store.add(job, tmp_path / "x.yaml", None, ProcessOwner(this_host(), other.pid))
                with TestClient(fake_app(settings)) as client:
                    seen = client.get(f"/api/jobs/{job.id}", headers=bearer(alice)).json()
            finally:
                other.kill()
    finally:
        tokens.close()
    assert seen["state"] == "running", seen


def test_a_second_app_in_the_same_process_leaves_the_first_ones_render_alone(settings: Settings) -> None:
    """The recorded pid is this process's: the job is alive because a manager here holds it."""
    first = fake_app(settings, FakeRunner(settings.output_dir, delay_s=3.0))
    alice = new_token(first, "alice")
    with TestClient(first) as client:
        answer = client.post(
            "/api/renders", json={"script": EXAMPLE.read_text("utf-8")}, headers=bearer(alice)
        )
        url = answer.json()["status_url"]
        wait_for_state(lambda: client.get(url, headers=bearer(alice)).json(), {"running"})
        with TestClient(fake_app(settings)) as second:
            assert second.get(url, headers=bearer(alice)).json()["state"] == "running"
        done = wait_for_state(lambda: client.get(url, headers=bearer(alice)).json(), TERMINAL)
    assert done["state"] == "finished", done


def _no_progress() -> Any:
    from web.jobs import JobProgress

    return JobProgress(lambda change: None)


def test_the_job_list_is_newest_first_and_admins_see_everyone(settings: Settings) -> None:
    app: FastAPI = fake_app(settings)
    alice, bob = new_token(app, "alice"), new_token(app, "bob")
    from web.tokens import Role

    root = new_token(app, "root", Role.ADMIN)
    with TestClient(app) as client:
        ids = []
        for token in (alice, bob, alice):
            answer = client.post(
                "/api/renders", json={"script": EXAMPLE.read_text("utf-8")}, headers=bearer(token)
            )
            ids.append(answer.json()["id"])
        assert [j["id"] for j in client.get("/api/jobs", headers=bearer(alice)).json()] == [ids[2], ids[0]]
        everyone = client.get("/api/jobs", headers=bearer(root)).json()
        assert [(j["id"], j["submitted_by"]) for j in everyone] == [
            (ids[2], "alice"),
            (ids[1], "bob"),
            (ids[0], "alice"),
        ]
        assert len(client.get("/api/jobs?limit=1", headers=bearer(root)).json()) == 1
        assert client.get("/api/jobs?limit=0", headers=bearer(root)).status_code == 422
    services: Services = app.state.services
    assert services.jobs.store.recent() != []


# -- following flow runs (the Prefect side replaced by a recording fake; the real one is below) ----


@dataclass
class FakeRuns:
    """``RemoteRuns`` whose flow runs are in the states the test sets."""

    states: dict[str, RunState] = field(default_factory=dict)
    refuse: str | None = None
    submitted: list[tuple[str, Path]] = field(default_factory=list)

    def submit(self, job_id: str, spec_path: Path, voice: str | None) -> str:
        if self.refuse:
            raise ConnectionError(self.refuse)
        self.submitted.append((job_id, spec_path))
        run_id = str(UUID(int=len(self.submitted)))
        self.states[run_id] = RunState(RunPhase.WAITING, None, None)
        return run_id

    def state(self, flow_run_id: str) -> RunState:
        return self.states[flow_run_id]


@contextmanager
def remote_jobs(settings: Settings, runs: FakeRuns) -> Iterator[tuple[JobManager, int]]:
    assert settings.database_url is not None
    tokens = SqlTokenStore.open(settings.database_url)
    manager = JobManager(
        runner=FakeRunner(settings.output_dir),
        jobs_dir=settings.cache_dir / "web-jobs",
        owners=RenderOwners(tokens.engine),
        remote=runs,
        follow_every_s=0.05,
    )
    try:
        yield manager, tokens.create("alice")[0].id
    finally:
        manager.close()
        tokens.close()


def wait_for_job(manager: JobManager, job_id: str, states: set[JobState]) -> Job:
    deadline = time.monotonic() + 30
    while (job := manager.get(job_id)) is None or job.state not in states:
        assert time.monotonic() < deadline, f"job {job_id} still {job}"
        time.sleep(0.05)
    return job


def submit_example(manager: JobManager, owner_id: int) -> Job:
    script = EXAMPLE.read_text("utf-8")
    spec = load_spec_file(EXAMPLE)
    return manager.submit(script, spec, owner="alice", owner_id=owner_id, voice=None, callback_url=None)


def wait_for_run(manager: JobManager, job_id: str) -> str:
    """The job's flow run id, once it has been submitted."""
    deadline = time.monotonic() + 30
    while (job := manager.get(job_id)) is None or job.flow_run_id is None:
        assert time.monotonic() < deadline, f"job {job_id} was never submitted"
        time.sleep(0.05)
    return job.flow_run_id


def test_a_job_follows_its_flow_run_to_the_end(settings: Settings) -> None:
    runs = FakeRuns()
    with remote_jobs(settings, runs) as (manager, alice):
        job = submit_example(manager, alice)
        assert job.runner is JobRunner.PREFECT
        flow_run_id = wait_for_run(manager, job.id)
        (_, spec_path) = runs.submitted[0]
        assert spec_path.is_file()  # the worker reads it
        started = utcnow()
        runs.states[flow_run_id] = RunState(RunPhase.RUNNING, None, started)
        running_job = wait_for_job(manager, job.id, {JobState.RUNNING})
        assert running_job.started_at == started
        runs.states[flow_run_id] = RunState(RunPhase.FAILED, "flow run x crashed: worker lost", None)
        failed = wait_for_job(manager, job.id, {JobState.FAILED})
        assert failed.error == "flow run x crashed: worker lost"
        assert not spec_path.exists()
        assert manager.store.get(job.id) == replace(failed, stages=())


def test_a_completed_run_whose_render_is_not_in_the_catalog_says_why(settings: Settings) -> None:
    runs = FakeRuns()
    with remote_jobs(settings, runs) as (manager, alice):
        job = submit_example(manager, alice)
        flow_run_id = wait_for_run(manager, job.id)
        runs.states[flow_run_id] = RunState(RunPhase.COMPLETED, None, utcnow())
        failed = wait_for_job(manager, job.id, {JobState.FAILED})
        assert failed.error is not None and "same LESSONAUDIO_DATABASE_URL" in failed.error


def test_a_submission_the_server_refuses_fails_the_job_with_the_reason(settings: Settings) -> None:
    runs = FakeRuns(refuse="connection refused")
    with remote_jobs(settings, runs) as (manager, alice):
        job = submit_example(manager, alice)
        failed = wait_for_job(manager, job.id, {JobState.FAILED})
        assert failed.error == "could not submit the render to Prefect: ConnectionError: connection refused"


def test_a_job_fails_in_the_language_of_the_request_that_submitted_it(settings: Settings) -> None:
    runs = FakeRuns(refuse="connection refused")
    with remote_jobs(settings, runs) as (manager, alice):
        with use_language("zh-CN"):  # as the page's request is answered
            job = submit_example(manager, alice)
        failed = wait_for_job(manager, job.id, {JobState.FAILED})
        assert failed.error == "无法把生成任务提交给 Prefect：连接失败（ConnectionError: connection refused）"


# -- the real server, killed and started again -------------------------------------------------------


class WebServer:
    """``lessonaudio web`` as a subprocess on ``port``, with a teacher token."""

    def __init__(self, command: Command, port: int, token: str) -> None:
        self.command, self.url, self.token = command, f"http://127.0.0.1:{port}", token

    def call(self, path: str, body: dict[str, Any] | None = None) -> Any:
        """JSON in and out; generous time, for the first script check loads the front end."""
        data = None if body is None else json.dumps(body).encode()
        headers = {"Content-Type": "application/json", **bearer(self.token)}
        request = urllib.request.Request(self.url + path, data=data, headers=headers)
        with urllib.request.urlopen(request, timeout=120) as answer:
            return json.loads(answer.read())

    def submit(self, script: str) -> dict[str, Any]:
        answer: dict[str, Any] = self.call("/api/renders", {"script": script})
        return answer

    def job(self, job_id: str) -> dict[str, Any]:
        answer: dict[str, Any] = self.call(f"/api/jobs/{job_id}")
        return answer

    def status(self, path: str) -> int:
        request = urllib.request.Request(self.url + path, headers=bearer(self.token))
        try:
            with urllib.request.urlopen(request, timeout=60) as answer:
                return int(answer.status)
        except urllib.error.HTTPError as err:
            return int(err.code)


@contextmanager
def web_server(env: dict[str, str], port: int, token: str, log: Path) -> Iterator[WebServer]:
    with running(["web", "--port", str(port)], env, log) as command:
        wait_for(lambda: answers(port) or command.process.poll() is not None, 120, "the web server", log)
        command.assert_running()
        yield WebServer(command, port, token)


def kill_hard(server: WebServer) -> None:
    """SIGKILL the web process itself, as the OOM killer or a power cut would end it."""
    server.command.signal(signal.SIGKILL)
    server.command.process.wait(timeout=30)


def teacher_token(database_url: str) -> str:
    tokens = SqlTokenStore.open(database_url)
    try:
        return tokens.create("alice")[1]
    finally:
        tokens.close()


def web_env(tmp_path: Path, models_dir: Path, **more: str) -> dict[str, str]:
    return command_env(
        LESSONAUDIO_CACHE_DIR=str(tmp_path / "cache"),
        LESSONAUDIO_MODELS_DIR=str(models_dir),
        LESSONAUDIO_OUTPUT_DIR=str(tmp_path / "out"),
        LESSONAUDIO_DATABASE_URL=f"sqlite:///{tmp_path / 'catalog.db'}",
        LESSONAUDIO_BACKCHECK="false",  # the back-check has its own tests; these are about jobs
        PREFECT_LOGGING_LEVEL="WARNING",
        **more,
    )


def assert_files_reachable(server: WebServer, render_id: str) -> None:
    files = {f["name"]: f["url"] for f in server.call(f"/api/renders/{render_id}")["files"]}
    assert "lesson.mp3" in files, files
    assert server.status(files["lesson.mp3"]) == 200


@pytest.mark.slow
@pytest.mark.real_voice
def test_a_render_killed_with_the_web_server_shows_failed_after_restart(
    tmp_path: Path, models_dir: Path
) -> None:
    env = web_env(tmp_path, models_dir)
    token = teacher_token(env["LESSONAUDIO_DATABASE_URL"])
    port = free_port()
    with web_server(env, port, token, tmp_path / "web-1.log") as server:
        job = server.submit(SHORT)
        wait_for_state(lambda: server.job(job["id"]), {"running", *TERMINAL}, timeout=120)
        assert server.job(job["id"])["state"] == "running", "the render ended before it could be killed"
        kill_hard(server)
    with web_server(env, port, token, tmp_path / "web-2.log") as server:
        (listed,) = server.call("/api/jobs")
        assert listed["id"] == job["id"] and listed["state"] == "failed", listed
        assert listed["error"] == STOPPED_REASON and listed["submitted_by"] == "alice"
        # The page works as before: a new render finishes and its files are served.
        again = server.submit(SHORT)
        done = wait_for_state(lambda: server.job(again["id"]), TERMINAL, timeout=600)
        assert done["state"] == "finished", done
    with web_server(env, port, token, tmp_path / "web-3.log") as server:
        states = {j["id"]: j["state"] for j in server.call("/api/jobs")}
        assert states == {job["id"]: "failed", again["id"]: "finished"}
        assert_files_reachable(server, done["render_id"])


# -- renders on a Prefect worker ---------------------------------------------------------------------

POOL = "lessonaudio-web"


def _run(args: list[str], env: dict[str, str]) -> str:
    done = subprocess.run(args, env=env, cwd=ROOT, capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, f"{args}: {done.stdout[-2000:]}\n{done.stderr[-3000:]}"
    return done.stdout


def flow_run_state(api_url: str, flow_run_id: str) -> tuple[str, str | None]:
    from prefect.client.orchestration import get_client
    from prefect.settings import PREFECT_API_URL, temporary_settings

    with temporary_settings({PREFECT_API_URL: api_url}), get_client(sync_client=True) as client:
        run = client.read_flow_run(UUID(flow_run_id))
        deployment = client.read_deployment(run.deployment_id).name if run.deployment_id else None
    return (run.state.type.value if run.state else "PENDING"), deployment


@pytest.mark.slow
@pytest.mark.real_voice
def test_a_page_render_runs_on_a_prefect_worker_and_survives_a_web_restart(
    tmp_path: Path, models_dir: Path
) -> None:
    with local_prefect_server(home=tmp_path / "prefect") as prefect:
        env = web_env(
            tmp_path,
            models_dir,
            PREFECT_API_URL=prefect.api_url,
            LESSONAUDIO_WEB_RENDER_DEPLOYMENT="render-lesson/render-lesson",
        )
        token = teacher_token(env["LESSONAUDIO_DATABASE_URL"])
        _run([sys.executable, "-m", "prefect", "work-pool", "create", POOL, "--type", "process"], env)
        _run([sys.executable, "-m", "app.cli", "deploy", "--pool", POOL, "--source", str(ROOT)], env)
        port = free_port()
        with running(
            ["worker", "--pool", POOL, "--name", "web-test"], env, tmp_path / "worker.log"
        ) as worker:
            with web_server(env, port, token, tmp_path / "web-1.log") as server:
                job = server.submit(SHORT)
                assert job["runner"] == "prefect"
                wait_for(lambda: server.job(job["id"])["flow_run_id"] is not None, 60, "the flow run")
                flow_run_id = server.job(job["id"])["flow_run_id"]
                kill_hard(server)  # the render goes on on the worker meanwhile
            with web_server(env, port, token, tmp_path / "web-2.log") as server:
                done = wait_for_state(lambda: server.job(job["id"]), TERMINAL, timeout=600)
                worker.assert_running()
                assert done["state"] == "finished", f"{done}\n{worker.output()[-3000:]}"
                assert done["flow_run_id"] == flow_run_id and done["submitted_by"] == "alice"
                assert flow_run_state(prefect.api_url, flow_run_id) == ("COMPLETED", "render-lesson")
                assert_files_reachable(server, done["render_id"])
        assert "web-test: runs of" in worker.output()


@pytest.mark.slow
def test_an_unknown_deployment_stops_the_web_server_with_one_line(tmp_path: Path) -> None:
    """Without the deployment on the server every job would wait for ever: refuse to start instead."""
    with local_prefect_server(home=tmp_path / "prefect") as prefect:
        env = web_env(
            tmp_path,
            tmp_path / "no-models",
            PREFECT_API_URL=prefect.api_url,
            LESSONAUDIO_WEB_RENDER_DEPLOYMENT="render-lesson/nowhere",
        )
        teacher_token(env["LESSONAUDIO_DATABASE_URL"])
        with running(["web", "--port", str(free_port())], env, tmp_path / "web.log") as command:
            assert command.process.wait(timeout=120) != 0
    output = command.output().strip()
    assert "Traceback" not in output and len(output.splitlines()) == 1, output
    assert "render-lesson/nowhere" in output and "no such deployment" in output, output

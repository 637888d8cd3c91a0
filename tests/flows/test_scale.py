"""Scale-out: a Prefect server on PostgreSQL, a work pool, two workers, shared S3, catalog and cache.

Six lessons that share paragraphs are submitted to the ``render-lesson`` deployment at once. Every
shared segment must be synthesised exactly once across the two workers, every lesson published
exactly once, and the audio must equal a plain local render. The workers are ``lessonaudio worker``:
every run is rendered inside a worker's own process (no process per run), with its models loaded
once. Every process started here is stopped by its process group at the end. Run alone with
``make test-scale``.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
from collections import Counter
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING, Any
from uuid import UUID

import numpy as np
import pytest
import soundfile as sf

from app.prefect_server import LocalServer, local_prefect_server, stop_process_group
from tests.process_tree import MARKER, processes_marked

if TYPE_CHECKING:
    from tests.s3_server import MotoS3

pytest_plugins = ["tests.s3_server"]
pytestmark = pytest.mark.scale

ROOT = Path(__file__).resolve().parents[2]
POOL = "lessonaudio-scale"
SHARED = ("同学们好，欢迎来到今天的课堂。", "请大家认真听讲，做好笔记。")
LESSONS = 6
TERMINAL = {"COMPLETED", "FAILED", "CRASHED", "CANCELLED"}
PREFECT = (sys.executable, "-m", "prefect")


def write_lessons(folder: Path) -> list[Path]:
    folder.mkdir(parents=True, exist_ok=True)
    paths = []
    for n in range(LESSONS):
        path = folder / f"lesson-{n}.yaml"
        own = f"这是第{'一二三四五六'[n]}课的新内容。"
        path.write_text(
            f"id: scale-{n}\ntitle: 第{n}课\ncourse: 扩展测试\nparagraphs:\n"
            + "".join(f"  - {text}\n" for text in (SHARED[0], own, SHARED[1])),
            encoding="utf-8",
        )
        paths.append(path)
    return paths


@pytest.fixture(scope="module")
def prefect_database() -> Iterator[str]:
    """A fresh PostgreSQL database for Prefect's own state (asyncpg URL); dropped afterwards."""
    from tests.s3_server import fresh_postgres_database

    with fresh_postgres_database("prefect_scale") as url:
        yield url.set(drivername="postgresql+asyncpg").render_as_string(hide_password=False)


def redis_url() -> str:
    import redis

    url = "redis://127.0.0.1:6379/5"
    try:
        redis.Redis.from_url(url, socket_connect_timeout=2).ping()
    except redis.RedisError as err:
        pytest.skip(f"Redis unreachable at {url} for the scale test's cross-worker locks: {err}")
    return url


def _run(args: list[str], env: dict[str, str]) -> str:
    done = subprocess.run(args, env=env, cwd=ROOT, capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, f"{args}: {done.stdout[-2000:]}\n{done.stderr[-3000:]}"
    return done.stdout


def _wait_for_runs(
    server: LocalServer, run_ids: list[str], logs: list[Path], marker: str, workers: set[int]
) -> dict[str, Any]:
    """The runs' final states; meanwhile no process but the workers themselves may ever run one."""
    from prefect.client.orchestration import get_client
    from prefect.settings import PREFECT_API_URL, temporary_settings

    deadline = time.monotonic() + 240
    with temporary_settings({PREFECT_API_URL: server.api_url}), get_client(sync_client=True) as client:
        while True:
            extra = {pid: cmd for pid, cmd in processes_marked(marker).items() if pid not in workers}
            assert not extra, f"a run got a process of its own: {extra}"
            runs = {rid: client.read_flow_run(UUID(rid)) for rid in run_ids}
            states = {rid: run.state.type.value if run.state else "PENDING" for rid, run in runs.items()}
            if all(state in TERMINAL for state in states.values()):
                break
            if time.monotonic() > deadline:
                tails = "\n".join(log.read_text(errors="replace")[-3000:] for log in logs)
                pytest.fail(f"flow runs did not finish in 240 s: {states}\n{tails}")
            time.sleep(1.0)
    return {rid: run.state for rid, run in runs.items()}


def test_two_workers_share_cache_and_publish_once(
    tmp_path: Path, s3: MotoS3, postgres_database: str, prefect_database: str, models_dir: Path
) -> None:
    locks = redis_url()
    bucket = s3.new_bucket(versioned=True)
    env = dict(os.environ)
    env.pop("PREFECT_API_URL", None)
    env.update(
        LESSONAUDIO_CACHE_DIR=str(tmp_path / "shared-cache"),
        LESSONAUDIO_MODELS_DIR=str(models_dir),
        LESSONAUDIO_DATABASE_URL=postgres_database,
        LESSONAUDIO_S3_BUCKET=bucket,
        LESSONAUDIO_S3_ENDPOINT_URL=s3.endpoint,
        LESSONAUDIO_S3_REGION="us-east-1",
        LESSONAUDIO_LOCK_URL=locks,
        LESSONAUDIO_SYNTHESIS_SLOTS="2",
        LESSONAUDIO_BACKCHECK="false",  # the back-check has its own tests; this one is about sharing
        LESSONAUDIO_OUTPUT_DIR=str(tmp_path / "out"),
        PREFECT_LOGGING_LEVEL="WARNING",
    )
    scripts = write_lessons(tmp_path / "scripts")
    marker = f"scale-{os.getpid()}-{time.monotonic_ns()}"
    workers: list[subprocess.Popen[bytes]] = []
    logs: list[Path] = []
    with local_prefect_server(home=tmp_path / "prefect", database_url=prefect_database) as server:
        env["PREFECT_API_URL"] = server.api_url
        _run([*PREFECT, "work-pool", "create", POOL, "--type", "process"], env)
        _run([sys.executable, "-m", "app.cli", "deploy", "--pool", POOL, "--source", str(ROOT)], env)
        try:
            for n in range(2):
                log = tmp_path / f"worker-{n}.log"
                logs.append(log)
                with open(log, "wb") as sink:
                    workers.append(
                        subprocess.Popen(
                            [
                                sys.executable,
                                "-m",
                                "app.cli",
                                "worker",
                                "--pool",
                                POOL,
                                "--name",
                                f"worker-{n}",
                                "--runs",
                                "1",
                            ],
                            env={**env, MARKER: marker},
                            cwd=ROOT,
                            stdout=sink,
                            stderr=subprocess.STDOUT,
                            start_new_session=True,
                        )
                    )
            run = [*PREFECT, "deployment", "run", "render-lesson/render-lesson", "--param", "publish=true"]
            outputs = [_run([*run, "--param", f"spec_path={script}"], env) for script in scripts]
            ids = [_flow_run_id(output) for output in outputs]
            states = _wait_for_runs(server, ids, logs, marker, {w.pid for w in workers})
        finally:
            for worker in workers:
                stop_process_group(worker)
    assert {state.type.value for state in states.values()} == {"COMPLETED"}, states
    _check_shared_outputs(tmp_path, s3, bucket, postgres_database, models_dir, scripts[0])


def _flow_run_id(cli_output: str) -> str:
    for line in cli_output.splitlines():
        if "UUID:" in line:
            return line.split("UUID:")[1].strip()
    raise AssertionError(f"no flow run id in: {cli_output}")


def _check_shared_outputs(
    tmp_path: Path, s3: MotoS3, bucket: str, catalog_url: str, models_dir: Path, first_script: Path
) -> None:
    client = s3.client()
    versions = s3.versions(bucket)
    assert versions and max(versions.values()) == 1, {k: v for k, v in versions.items() if v > 1}
    pointers = [key for key in versions if key.endswith("latest.json")]
    assert len(pointers) == LESSONS  # one published render per lesson

    manifests = []
    for key in pointers:
        pointer = json.loads(client.get_object(Bucket=bucket, Key=key)["Body"].read())
        prefix = key.rsplit("/", 1)[0] + f"/{pointer['render_id']}/"
        manifests.append(
            json.loads(client.get_object(Bucket=bucket, Key=prefix + "manifest.json")["Body"].read())
        )
    synthesised = Counter(s["cache_key"] for m in manifests for s in m["segments"] if not s["reused"])
    all_keys = {s["cache_key"] for m in manifests for s in m["segments"]}
    assert len(all_keys) == 2 + LESSONS
    assert set(synthesised) == all_keys and set(synthesised.values()) == {1}, synthesised

    from storage.catalog import open_catalog

    catalog = open_catalog(catalog_url)
    try:
        renders = catalog.list_renders()
        assert len(renders) == LESSONS and {r.status for r in renders} == {"published"}
    finally:
        catalog.close()

    # The same audio as a plain local render of the same script with its own, empty cache.
    local = subprocess.run(
        [sys.executable, "-m", "app.cli", "render", str(first_script), "--out", str(tmp_path / "local")],
        env={
            **{k: v for k, v in os.environ.items() if not k.startswith(("PREFECT_API_URL", "LESSONAUDIO_"))},
            "LESSONAUDIO_CACHE_DIR": str(tmp_path / "local-cache"),
            "LESSONAUDIO_MODELS_DIR": str(models_dir),
            "LESSONAUDIO_BACKCHECK": "false",
            "PREFECT_HOME": str(tmp_path / "local-prefect"),
        },
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert local.returncode == 0, local.stderr[-3000:]
    local_wav, _ = sf.read(Path(local.stdout.strip().splitlines()[-1]) / "lesson.wav", dtype="float32")
    lesson0 = next(m for m in manifests if m["lesson_id"] == "scale-0")
    key = next(k for k in versions if f"/scale-0/{lesson0['render_id']}/lesson.wav" in k)
    scaled_path = tmp_path / "scaled.wav"
    scaled_path.write_bytes(client.get_object(Bucket=bucket, Key=key)["Body"].read())
    scaled_wav, _ = sf.read(scaled_path, dtype="float32")
    assert np.array_equal(local_wav, scaled_wav)

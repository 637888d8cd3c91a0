"""Publishing while the S3 endpoint goes down and comes back, is killed, or races other publishes.

The server is moto over real HTTP on a fixed port; "down" is the server stopped (connections refused),
"back" is the same server started again with its objects kept.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import textwrap
import threading
import time
from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import TYPE_CHECKING, Any, cast

import pytest
from sqlalchemy import func, select
from typer.testing import CliRunner

from app.commands import renders as renders_command
from storage.catalog import Catalog, open_catalog
from storage.db import Render, Segment
from storage.objects import ObjectInfo, ObjectStore, S3ObjectStore, make_s3_client
from storage.publish import LATEST, PublishResult, publish_folder
from storage.segments import SegmentStore
from tasks.publish import PublishConfig, PublishFailed, S3Target, publish_and_record
from wiring import publish_config

if TYPE_CHECKING:
    from tests.s3_server import FakeRender, MotoS3, RenderFactory

pytest_plugins = ["tests.s3_server"]
pytestmark = [
    pytest.mark.usefixtures("prefect_server"),
    # The task runs outside a flow here, as in `lessonaudio renders publish`.
    pytest.mark.filterwarnings("ignore:Logger 'prefect.task_runs' attempted to send logs:UserWarning"),
]

POINTER = f"初中数学八年级/math-g8-pythagoras/{LATEST}"
ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture
def catalog(tmp_path: Path) -> Iterator[Catalog]:
    opened = open_catalog(f"sqlite:///{tmp_path / 'catalog.db'}")
    yield opened
    opened.close()


def started(catalog: Catalog, render: FakeRender) -> int:
    pk = catalog.record_render_started(render.manifest["course"], render.manifest["lesson_id"])
    catalog.record_render_finished(pk, render.manifest, folder=str(render.folder))
    return pk


def counts(catalog: Catalog) -> tuple[int, int]:
    with catalog.session() as session:
        return (
            session.scalar(select(func.count(Render.id))) or 0,
            session.scalar(select(func.count(Segment.id))) or 0,
        )


def test_endpoint_down_fails_after_retries_then_republish_completes(
    s3: MotoS3,
    render_factory: RenderFactory,
    catalog: Catalog,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    cache = tmp_path / "cache"
    render = render_factory(segments_root=cache / "segment-cache" / "segments")
    bucket = s3.new_bucket(versioned=True)
    config = PublishConfig(
        S3Target(s3.settings(bucket)), cache / "segment-cache" / "segments", retries=3, retry_delay_s=0.2
    )
    pk = started(catalog, render)
    uploads: list[str] = []

    def endpoint_dies(key: str, uploaded: bool) -> None:
        uploads.append(key)
        if len(uploads) == 1:
            s3.stop()

    began = time.monotonic()
    with pytest.raises(PublishFailed, match="EndpointConnectionError"):
        publish_and_record(render.folder, config, catalog, pk, on_object=endpoint_dies)
    assert time.monotonic() - began >= 0.8 * (0.2 + 0.4 + 0.8)  # three retries, backing off
    assert len(uploads) == 1  # later attempts could not reach the endpoint at all

    row = catalog.get_render(pk)
    assert row.status == "failed"
    assert row.error is not None
    assert row.error.startswith(f"publish to s3://{bucket}/ at {s3.endpoint} failed: EndpointConnectionError")

    s3.start()  # the endpoint is back: one object made it, nothing is visible
    assert list(s3.versions(bucket)) == [uploads[0]]
    assert POINTER not in s3.versions(bucket)

    # The operator re-runs the publish from the CLI: it finishes, skipping what is already there.
    monkeypatch.setenv("LESSONAUDIO_DATABASE_URL", str(catalog.engine.url))
    monkeypatch.setenv("LESSONAUDIO_CACHE_DIR", str(cache))
    monkeypatch.setenv("LESSONAUDIO_S3_BUCKET", bucket)
    monkeypatch.setenv("LESSONAUDIO_S3_ENDPOINT_URL", s3.endpoint)
    monkeypatch.setenv("LESSONAUDIO_S3_REGION", "us-east-1")
    result = CliRunner().invoke(renders_command.app, ["publish", str(pk)])
    assert result.exit_code == 0, result.output
    assert "6 uploaded" in result.output and "1 already there" in result.output

    versions = s3.versions(bucket)
    assert POINTER in versions and set(versions.values()) == {1}  # no object written twice
    assert len(versions) == 8  # 5 render files + 2 segments + the pointer
    assert catalog.get_render(pk).status == "published"
    assert counts(catalog) == (1, 3)  # no duplicate rows either

    again = CliRunner().invoke(renders_command.app, ["publish", render.render_id])
    assert again.exit_code == 0 and "0 uploaded" in again.output
    assert set(s3.versions(bucket).values()) == {1} and counts(catalog) == (1, 3)


def test_a_short_outage_is_ridden_out_by_the_retries(
    s3: MotoS3, render_factory: RenderFactory, catalog: Catalog, tmp_path: Path
) -> None:
    render = render_factory()
    bucket = s3.new_bucket(versioned=True)
    config = PublishConfig(S3Target(s3.settings(bucket)), tmp_path / "segments", retries=5, retry_delay_s=0.3)
    pk = started(catalog, render)
    outage: list[threading.Timer] = []

    def blip(key: str, uploaded: bool) -> None:
        if not outage:
            s3.stop()
            outage.append(threading.Timer(0.5, s3.start))
            outage[0].start()

    result = publish_and_record(render.folder, config, catalog, pk, on_object=blip)
    outage[0].join()

    # The successful attempt was a retry: it found the first object there and did not send it again.
    assert result.uploaded == 6 and result.skipped == 1
    assert set(s3.versions(bucket).values()) == {1}
    assert catalog.get_render(pk).status == "published"


def test_settings_make_the_publish_config(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from config import Settings
    from wiring import cache_config

    monkeypatch.setenv("LESSONAUDIO_CACHE_DIR", str(tmp_path))
    local = publish_config(Settings())
    assert local.segments_root == cache_config(Settings()).segments
    assert local.retries == 3 and local.target.prefix == ""
    monkeypatch.setenv("LESSONAUDIO_S3_BUCKET", "school-lessons")
    monkeypatch.setenv("LESSONAUDIO_S3_PREFIX", "/audio/")
    monkeypatch.setenv("LESSONAUDIO_S3_MULTIPART_THRESHOLD_MB", "32")
    monkeypatch.setenv("LESSONAUDIO_PUBLISH_RETRIES", "5")
    remote = publish_config(Settings())
    assert isinstance(remote.target, S3Target)
    assert remote.target.s3.bucket == "school-lessons" and remote.target.prefix == "audio"
    assert remote.target.s3.multipart_threshold == 32 * 1024 * 1024 and remote.retries == 5


# -- unfinished multipart uploads and objects written once ------------------------------------------

MIB = 1024 * 1024
NEVER_STALE = 1e10
"""``stale_upload_s`` under which no upload is old enough to abort (moto reports every upload as
initiated in 2010, so real ages cannot be used against it)."""


def unfinished_uploads(s3: MotoS3, bucket: str) -> list[str]:
    return [u["Key"] for u in s3.client().list_multipart_uploads(Bucket=bucket).get("Uploads", [])]


def test_an_upload_cut_off_by_an_outage_leaves_no_parts_once_retried(
    s3: MotoS3, render_factory: RenderFactory, tmp_path: Path
) -> None:
    render = render_factory(wav_bytes=12 * MIB)  # lesson.wav goes up in three parts
    bucket = s3.new_bucket()
    # Nothing counts as stale: the retry must abort the upload because this process left it.
    settings = s3.settings(
        bucket, multipart_threshold=5 * MIB, multipart_chunksize=5 * MIB, stale_upload_s=NEVER_STALE
    )
    client = make_s3_client(settings)
    outage: list[threading.Timer] = []

    def endpoint_dies_after_a_part(**kwargs: object) -> None:
        if not outage:
            s3.stop()
            outage.append(threading.Timer(0.5, s3.start))
            outage[0].start()

    client.meta.events.register("after-call.s3.UploadPart", endpoint_dies_after_a_part)
    segments = SegmentStore(tmp_path / "segments")
    with pytest.raises(Exception, match="Could not connect"):
        publish_folder(render.folder, S3ObjectStore(settings, client), segments=segments)
    outage[0].join()
    # The upload could not even be aborted while the endpoint was down: one part is stored.
    assert unfinished_uploads(s3, bucket) == [
        f"初中数学八年级/math-g8-pythagoras/{render.render_id}/lesson.wav"
    ]

    result = publish_folder(render.folder, S3ObjectStore(settings), segments=segments)  # the retry

    assert result.pointer_moved
    assert unfinished_uploads(s3, bucket) == []


_KILLED_MID_UPLOAD = textwrap.dedent(
    """
    import sys, time
    from pathlib import Path
    from storage.objects import S3ObjectStore, S3Settings, make_s3_client
    from storage.publish import publish_folder

    folder, endpoint, bucket = sys.argv[1:4]
    part = 5 * 1024 * 1024
    settings = S3Settings(bucket, endpoint, "us-east-1", multipart_threshold=part, multipart_chunksize=part)
    client = make_s3_client(settings)

    def stall(**kwargs):
        print("part", flush=True)
        time.sleep(60)  # killed here, with one part stored

    client.meta.events.register("after-call.s3.UploadPart", stall)
    publish_folder(Path(folder), S3ObjectStore(settings, client))
    """
)


def test_a_killed_publish_leaves_an_upload_the_next_publish_aborts_once_stale(
    s3: MotoS3, render_factory: RenderFactory, tmp_path: Path
) -> None:
    render = render_factory(wav_bytes=12 * MIB)
    bucket = s3.new_bucket()
    child = subprocess.Popen(
        [sys.executable, "-c", _KILLED_MID_UPLOAD, str(render.folder), s3.endpoint, bucket],
        cwd=ROOT,
        stdout=subprocess.PIPE,
        text=True,
        env={**os.environ, "PYTHONPATH": str(ROOT)},
    )
    try:
        assert child.stdout is not None and child.stdout.readline().strip() == "part"
    finally:
        child.send_signal(signal.SIGKILL)
        child.wait(timeout=30)
    assert len(unfinished_uploads(s3, bucket)) == 1

    big = {"multipart_threshold": 5 * MIB, "multipart_chunksize": 5 * MIB}
    # Another process's upload is aborted only once stale (older than an hour by default).
    publish_folder(render.folder, S3ObjectStore(s3.settings(bucket, stale_upload_s=NEVER_STALE, **big)))
    assert len(unfinished_uploads(s3, bucket)) == 1
    publish_folder(render.folder, S3ObjectStore(s3.settings(bucket, stale_upload_s=0, **big)))
    assert unfinished_uploads(s3, bucket) == []


class _Rendezvous:
    """A store whose first HEAD of each key returns only once every publish has made its own: all
    publishes find every object missing, the worst case of publishes racing."""

    def __init__(self, store: S3ObjectStore, barrier: Callable[[str], threading.Barrier]) -> None:
        self._store = store
        self._barrier = barrier
        self._seen: set[str] = set()

    def head(self, key: str) -> ObjectInfo | None:
        found = self._store.head(key)
        if key not in self._seen:
            self._seen.add(key)
            self._barrier(key).wait(timeout=60)
        return found

    def __getattr__(self, name: str) -> Any:
        return getattr(self._store, name)


def test_concurrent_publishes_store_one_version_of_each_object(
    s3: MotoS3, render_factory: RenderFactory, tmp_path: Path
) -> None:
    render = render_factory(wav_bytes=12 * MIB)  # a multipart upload races too
    bucket = s3.new_bucket(versioned=True)
    settings = s3.settings(bucket, multipart_threshold=5 * MIB, multipart_chunksize=5 * MIB)
    segments = SegmentStore(tmp_path / "segments")
    barriers: dict[str, threading.Barrier] = {}
    lock = threading.Lock()

    def barrier(key: str) -> threading.Barrier:
        with lock:
            return barriers.setdefault(key, threading.Barrier(3))

    # S3 checks If-None-Match and completes a multipart upload in one step; moto checks, then
    # joins the parts (slow, 12 MiB), then stores. One CompleteMultipartUpload at a time restores
    # the atomicity the real service has.
    completing = threading.Lock()

    def enter(**kwargs: object) -> None:  # a before-call handler that returned a value would be the reply
        completing.acquire()

    def leave(**kwargs: object) -> None:
        completing.release()

    def client() -> Any:
        made = make_s3_client(settings)
        made.meta.events.register("before-call.s3.CompleteMultipartUpload", enter)
        for done in ("after-call", "after-call-error"):
            made.meta.events.register(f"{done}.s3.CompleteMultipartUpload", leave)
        return made

    def publish() -> PublishResult:
        store = _Rendezvous(S3ObjectStore(settings, client()), barrier)
        return publish_folder(render.folder, cast(ObjectStore, store), segments=segments)

    with ThreadPoolExecutor(3) as pool:
        results = list(pool.map(lambda _: publish(), range(3)))

    versions = s3.versions(bucket)
    assert len(versions) == 8  # 5 render files, 2 segments, the pointer
    assert set(versions.values()) == {1}  # each written once, though all three found it missing
    assert sum(r.uploaded for r in results) == 7 and sum(r.skipped for r in results) == 14
    assert unfinished_uploads(s3, bucket) == []  # the losing multipart uploads were aborted

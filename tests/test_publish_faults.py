"""Publishing through the Prefect task while the S3 endpoint goes down and comes back.

The server is moto over real HTTP on a fixed port; "down" is the server stopped (connections refused),
"back" is the same server started again with its objects kept.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING

import pytest
from sqlalchemy import func, select
from typer.testing import CliRunner

from app.commands import renders as renders_command
from storage.catalog import Catalog, open_catalog
from storage.db import Render, Segment
from storage.publish import LATEST
from tasks.publish import PublishConfig, PublishFailed, S3Target, publish_and_record, publish_config

if TYPE_CHECKING:
    from tests.s3_server import FakeRender, MotoS3, RenderFactory

pytest_plugins = ["tests.s3_server"]
pytestmark = [
    pytest.mark.usefixtures("prefect_server"),
    # The task runs outside a flow here, as in `lessonaudio renders publish`.
    pytest.mark.filterwarnings("ignore:Logger 'prefect.task_runs' attempted to send logs:UserWarning"),
]

POINTER = f"初中数学八年级/math-g8-pythagoras/{LATEST}"


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
    from flows.render import cache_config

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

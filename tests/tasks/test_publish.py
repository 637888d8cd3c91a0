"""Publishing render folders to S3 (moto over HTTP) and to the local folder, without Prefect."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import textwrap
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any, cast

import pytest

from storage.objects import LocalObjectStore, ObjectStore, S3ObjectStore, sha256_file
from storage.publish import PublishInputError, publish_folder
from storage.segments import SegmentStore
from tasks.publish import LocalTarget, S3Target, publish_render_now

if TYPE_CHECKING:
    from tests.s3_server import MotoS3, RenderFactory

pytest_plugins = ["tests.s3_server"]

ROOT = Path(__file__).resolve().parents[2]
EXPECTED_TYPES = {
    "lesson.mp3": "audio/mpeg",
    "lesson.wav": "audio/wav",
    "captions.srt": "application/x-subrip; charset=utf-8",
    "captions.vtt": "text/vtt; charset=utf-8",
    "manifest.json": "application/json; charset=utf-8",
    "qa.json": "application/json; charset=utf-8",
    "qa.html": "text/html; charset=utf-8",
}


def test_s3_publish_layout_types_checksums_and_pointer(
    s3: MotoS3, render_factory: RenderFactory, tmp_path: Path
) -> None:
    extra = {"qa.json": b'{"cer": 0.01}', "qa.html": b"<html></html>", "notes.txt": b"x"}
    render = render_factory(extra=extra)
    bucket = s3.new_bucket()
    target = S3Target(s3.settings(bucket), prefix="school/")

    result = publish_render_now(render.folder, target, tmp_path / "segments")

    base = f"school/初中数学八年级/math-g8-pythagoras/{render.render_id}"
    client = s3.client()
    for name, content_type in EXPECTED_TYPES.items():
        head = client.head_object(Bucket=bucket, Key=f"{base}/{name}")
        assert head["ContentType"] == content_type, name
        assert head["Metadata"]["sha256"] == sha256_file(render.folder / name)
    segment_keys = {f"school/segments/{k[:2]}/{k}.flac" for k in render.segment_keys}
    assert len(segment_keys) == 2  # the repeated sentence is one content-addressed object
    for key in segment_keys:
        assert client.head_object(Bucket=bucket, Key=key)["ContentType"] == "audio/flac"
    assert set(s3.versions(bucket)) == {f"{base}/{n}" for n in EXPECTED_TYPES} | segment_keys | {
        "school/初中数学八年级/math-g8-pythagoras/latest.json"
    }  # notes.txt is not on the allow-list
    assert result.latest_key == "school/初中数学八年级/math-g8-pythagoras/latest.json"
    assert set(result.keys) == {f"{base}/{n}" for n in EXPECTED_TYPES} | segment_keys
    assert result.uploaded == 9 and result.skipped == 0 and result.pointer_moved
    assert result.bytes_uploaded == sum((render.folder / n).stat().st_size for n in EXPECTED_TYPES) + sum(
        (tmp_path / "segments" / k[:2] / f"{k}.flac").stat().st_size for k in render.segment_keys
    )

    pointer_head = client.head_object(Bucket=bucket, Key=result.latest_key)
    assert pointer_head["ContentType"] == "application/json; charset=utf-8"
    assert pointer_head["CacheControl"] == "no-cache"
    pointer = json.loads(client.get_object(Bucket=bucket, Key=result.latest_key)["Body"].read())
    assert pointer["render_id"] == render.render_id
    assert pointer["manifest"] == f"{base}/manifest.json"
    for entry in pointer["objects"] + pointer["segments"]:
        stored = client.head_object(Bucket=bucket, Key=entry["key"])
        assert stored["Metadata"]["sha256"] == entry["sha256"]
        assert stored["ContentLength"] == entry["size"]


def test_republishing_uploads_nothing_and_keeps_one_version(
    s3: MotoS3, render_factory: RenderFactory, tmp_path: Path
) -> None:
    render = render_factory()
    bucket = s3.new_bucket(versioned=True)
    target = S3Target(s3.settings(bucket))
    first = publish_render_now(render.folder, target, tmp_path / "segments")
    pointer_before = s3.client().get_object(Bucket=bucket, Key=first.latest_key)["Body"].read()

    second = publish_render_now(render.folder, target, tmp_path / "segments")

    assert second.uploaded == 0 and second.bytes_uploaded == 0
    assert second.skipped == first.uploaded == 7
    assert second.keys == first.keys
    assert set(s3.versions(bucket).values()) == {1}  # no object, not even latest.json, was rewritten
    assert s3.client().get_object(Bucket=bucket, Key=first.latest_key)["Body"].read() == pointer_before


def test_changed_bytes_are_uploaded_again(s3: MotoS3, render_factory: RenderFactory, tmp_path: Path) -> None:
    render = render_factory()
    bucket = s3.new_bucket()
    target = S3Target(s3.settings(bucket))
    first = publish_render_now(render.folder, target, tmp_path / "segments")
    key = next(k for k in first.keys if k.endswith("captions.srt"))
    s3.client().put_object(Bucket=bucket, Key=key, Body=b"tampered")

    again = publish_render_now(render.folder, target, tmp_path / "segments")

    assert again.uploaded == 1
    assert (
        s3.client().get_object(Bucket=bucket, Key=key)["Body"].read()
        == (render.folder / "captions.srt").read_bytes()
    )


def test_an_older_render_never_replaces_a_newer_pointer(
    s3: MotoS3, render_factory: RenderFactory, tmp_path: Path
) -> None:
    older = render_factory(render_id="20261101T000000Z-aaaaaaaa-0001")
    newer = render_factory(render_id="20261102T000000Z-aaaaaaaa-0002", texts=("新的一课。",))
    store = S3ObjectStore(s3.settings(s3.new_bucket()))
    segments = SegmentStore(tmp_path / "segments")

    publish_folder(newer.folder, store, segments=segments)
    result = publish_folder(older.folder, store, segments=segments)

    assert not result.pointer_moved
    pointer = json.loads(store.get_bytes(result.latest_key) or b"{}")
    assert pointer["render_id"] == newer.render_id
    assert store.head(f"{result.keys[0]}") is not None  # the older render's objects are still published


def test_local_publish_in_place_verifies_and_writes_only_the_pointer(
    render_factory: RenderFactory, tmp_path: Path
) -> None:
    render = render_factory(extra={"qa.json": b"{}"})
    out = tmp_path / "out"
    before = {p: p.stat().st_mtime_ns for p in out.rglob("*") if p.is_file()}

    result = publish_render_now(render.folder, LocalTarget(), tmp_path / "segments")

    pointer_path = out / "初中数学八年级" / "math-g8-pythagoras" / "latest.json"
    assert result.latest_key == "初中数学八年级/math-g8-pythagoras/latest.json"
    pointer = json.loads(pointer_path.read_text(encoding="utf-8"))
    assert pointer["render_id"] == render.render_id
    assert {o["key"].rsplit("/", 1)[1] for o in pointer["objects"]} == {
        "lesson.mp3",
        "lesson.wav",
        "captions.srt",
        "captions.vtt",
        "manifest.json",
        "qa.json",
    }
    for entry in pointer["objects"]:
        assert sha256_file(out / entry["key"]) == entry["sha256"]
    # Render files were verified in place, not rewritten; segments were copied into out/segments/.
    assert all(p.stat().st_mtime_ns == t for p, t in before.items())
    assert result.uploaded == 2 and result.skipped == 6
    for key in render.segment_keys:
        assert (out / "segments" / key[:2] / f"{key}.flac").read_bytes() == (
            tmp_path / "segments" / key[:2] / f"{key}.flac"
        ).read_bytes()
    again = publish_render_now(render.folder, LocalTarget(), tmp_path / "segments")
    assert again.uploaded == 0 and again.skipped == 8


def test_local_publish_to_another_root_copies(render_factory: RenderFactory, tmp_path: Path) -> None:
    render = render_factory()
    result = publish_render_now(render.folder, LocalTarget(root=tmp_path / "site", prefix="v1"), None)
    store = LocalObjectStore(tmp_path / "site")
    assert f"v1/初中数学八年级/math-g8-pythagoras/{render.render_id}/lesson.wav" in store.list_keys()
    # Without a segment store and with none in the target, segments are reported, not invented.
    assert len(result.missing_segments) == 2
    pointer = json.loads(store.get_bytes("v1/初中数学八年级/math-g8-pythagoras/latest.json") or b"{}")
    assert pointer["segments"] == []


def test_incomplete_or_moved_folders_are_refused(render_factory: RenderFactory, tmp_path: Path) -> None:
    render = render_factory()
    (render.folder / "lesson.mp3").unlink()
    with pytest.raises(PublishInputError, match=r"missing or empty lesson\.mp3"):
        publish_render_now(render.folder, LocalTarget(), None)

    other = render_factory(lesson_id="other-lesson")
    moved = other.folder.parent / "20990101T000000Z-renamed-0000"
    other.folder.rename(moved)
    with pytest.raises(PublishInputError, match="manifest says"):
        publish_render_now(moved, LocalTarget(), None)
    assert not (tmp_path / "out" / "初中数学八年级" / "other-lesson" / "latest.json").exists()


_KILLABLE_PUBLISH = textwrap.dedent(
    """
    import sys, time
    from pathlib import Path
    from storage.objects import S3Settings
    from tasks.publish import S3Target, publish_render_now

    folder, segments, endpoint, bucket = sys.argv[1:5]
    target = S3Target(S3Settings(bucket=bucket, endpoint_url=endpoint, region="us-east-1"))

    def slowly(key: str, uploaded: bool) -> None:
        print(key, flush=True)
        time.sleep(30)  # killed here, after the first object

    publish_render_now(Path(folder), target, Path(segments), slowly)
    """
)


def test_a_killed_publish_leaves_the_previous_pointer_intact(
    s3: MotoS3, render_factory: RenderFactory, tmp_path: Path
) -> None:
    bucket = s3.new_bucket()
    target = S3Target(s3.settings(bucket))
    old = render_factory(render_id="20261101T000000Z-aaaaaaaa-0001")
    publish_render_now(old.folder, target, tmp_path / "segments")
    new = render_factory(render_id="20261102T000000Z-aaaaaaaa-0002", texts=("第二版。", "新内容。"))

    args = [str(new.folder), str(tmp_path / "segments"), s3.endpoint, bucket]
    child = subprocess.Popen(
        [sys.executable, "-c", _KILLABLE_PUBLISH, *args],
        cwd=ROOT,
        stdout=subprocess.PIPE,
        text=True,
        env={**os.environ, "PYTHONPATH": str(ROOT)},
    )
    try:
        assert child.stdout is not None
        first_key = child.stdout.readline().strip()
        assert first_key.startswith("segments/")
    finally:
        child.send_signal(signal.SIGKILL)
        child.wait(timeout=30)

    store = S3ObjectStore(s3.settings(bucket))
    assert store.head(first_key) is not None  # the publish really got going
    pointer = json.loads(store.get_bytes("初中数学八年级/math-g8-pythagoras/latest.json") or b"{}")
    assert pointer["render_id"] == old.render_id
    for entry in pointer["objects"] + pointer["segments"]:
        assert store.head(entry["key"]) is not None  # nothing the pointer names is missing
    assert not [k for k in store.list_keys() if new.render_id in k and k.endswith("manifest.json")]

    resumed = publish_render_now(new.folder, target, tmp_path / "segments")
    assert resumed.skipped >= 1 and resumed.pointer_moved
    pointer = json.loads(store.get_bytes(resumed.latest_key) or b"{}")
    assert pointer["render_id"] == new.render_id


def test_configuration_errors_are_not_retried(s3: MotoS3, render_factory: RenderFactory) -> None:
    from tasks.publish import is_retryable

    render = render_factory()
    with pytest.raises(Exception) as missing_bucket:
        publish_render_now(render.folder, S3Target(s3.settings("no-such-bucket-here")), None)
    assert not is_retryable(missing_bucket.value)  # boto3 wraps the NoSuchBucket ClientError
    s3.stop()
    with pytest.raises(Exception) as down:
        publish_render_now(render.folder, S3Target(s3.settings("no-such-bucket-here")), None)
    assert is_retryable(down.value)
    assert not is_retryable(PublishInputError("missing lesson.mp3"))


def test_publish_with_retries_backs_off_then_gives_up(s3: MotoS3, render_factory: RenderFactory) -> None:
    from tasks.publish import PublishConfig, publish_with_retries

    render = render_factory()
    config = PublishConfig(S3Target(s3.settings(s3.new_bucket())), None, retries=3, retry_delay_s=0.5)
    s3.stop()
    slept: list[float] = []
    with pytest.raises(Exception, match="Could not connect"):
        publish_with_retries(render.folder, config, sleep=slept.append)
    assert slept == [0.5, 1.0, 2.0]
    s3.start()
    result = publish_with_retries(render.folder, config, sleep=slept.append)
    assert result.pointer_moved and slept == [0.5, 1.0, 2.0]


def test_failure_reasons_name_the_s3_error_not_its_wrapper(s3: MotoS3, render_factory: RenderFactory) -> None:
    from tasks.publish import root_cause

    render = render_factory()
    with pytest.raises(Exception) as missing_bucket:
        publish_render_now(render.folder, S3Target(s3.settings("no-such-bucket-here")), None)
    assert "NoSuchBucket" in str(root_cause(missing_bucket.value))
    s3.stop()
    with pytest.raises(Exception) as down:
        publish_render_now(render.folder, S3Target(s3.settings("no-such-bucket-here")), None)
    assert type(root_cause(down.value)).__name__ == "EndpointConnectionError"


def test_publishing_reads_the_store_the_render_writes(tmp_path: Path) -> None:
    from config import Settings
    from wiring import cache_config, publish_config

    settings = Settings(cache_dir=tmp_path)
    assert publish_config(settings).segments_root == cache_config(settings).segments


class _Interleaved:
    """A store where another publish completes between this publish's read of latest.json and its write."""

    def __init__(self, store: S3ObjectStore | LocalObjectStore, meanwhile: Callable[[], object]) -> None:
        self._store = store
        self._meanwhile: Callable[[], object] | None = meanwhile

    def get_tagged(self, key: str) -> tuple[bytes, str] | None:
        found = self._store.get_tagged(key)
        if key.endswith("latest.json") and self._meanwhile is not None:
            run, self._meanwhile = self._meanwhile, None
            run()
        return found

    def __getattr__(self, name: str) -> Any:
        return getattr(self._store, name)


@pytest.mark.parametrize("kind", ["s3", "local"])
def test_simultaneous_publishes_leave_the_newer_render_in_latest(
    kind: str, s3: MotoS3, render_factory: RenderFactory, tmp_path: Path
) -> None:
    older = render_factory(render_id="20261101T000000Z-aaaaaaaa-0001")
    newer = render_factory(render_id="20261102T000000Z-aaaaaaaa-0002", texts=("新的一课。",))
    store = (
        S3ObjectStore(s3.settings(s3.new_bucket())) if kind == "s3" else LocalObjectStore(tmp_path / "pub")
    )
    segments = SegmentStore(tmp_path / "segments")

    # The older render reads latest.json (absent), then the newer publish runs to the end, then the
    # older one writes: a plain read-compare-write would point latest.json back at the older render.
    racing = _Interleaved(store, lambda: publish_folder(newer.folder, store, segments=segments))
    result = publish_folder(older.folder, cast(ObjectStore, racing), segments=segments)

    assert not result.pointer_moved
    pointer = json.loads(store.get_bytes(result.latest_key) or b"{}")
    assert pointer["render_id"] == newer.render_id

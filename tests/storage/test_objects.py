"""Object stores against a real S3 server over HTTP (moto) and a real folder."""

from __future__ import annotations

import base64
import hashlib
import os
from pathlib import Path
from typing import TYPE_CHECKING

import pytest

from storage.objects import (
    ChecksumMismatch,
    LocalObjectStore,
    ObjectStoreError,
    S3ObjectStore,
    s3_checksum,
    sha256_file,
)

if TYPE_CHECKING:
    from tests.s3_server import MotoS3

pytest_plugins = ["tests.s3_server"]

MIB = 1024 * 1024


def test_s3_put_file_sets_type_checksum_and_sha_metadata(s3: MotoS3, tmp_path: Path) -> None:
    bucket = s3.new_bucket()
    store = S3ObjectStore(s3.settings(bucket))
    path = tmp_path / "captions.vtt"
    path.write_text("WEBVTT\n\n00:00.000 --> 00:01.000\n同学们好\n", encoding="utf-8")
    sha = sha256_file(path)

    sent = store.put_file("a/captions.vtt", path, content_type="text/vtt; charset=utf-8", sha256=sha)

    assert sent == path.stat().st_size
    head = s3.client().head_object(Bucket=bucket, Key="a/captions.vtt", ChecksumMode="ENABLED")
    assert head["ContentType"] == "text/vtt; charset=utf-8"
    assert head["Metadata"]["sha256"] == sha
    assert head["ChecksumSHA256"] == base64.b64encode(hashlib.sha256(path.read_bytes()).digest()).decode()
    info = store.head("a/captions.vtt")
    assert info is not None and info.sha256 == sha and info.size == path.stat().st_size
    assert store.head("a/missing") is None
    assert store.get_bytes("a/captions.vtt") == path.read_bytes()
    assert store.get_bytes("a/missing") is None


def test_s3_multipart_upload_is_verified_with_the_composite_checksum(s3: MotoS3, tmp_path: Path) -> None:
    bucket = s3.new_bucket()
    settings = s3.settings(bucket, multipart_threshold=1 * MIB, multipart_chunksize=1 * MIB)
    store = S3ObjectStore(settings)
    path = tmp_path / "lesson.wav"
    path.write_bytes(os.urandom(11 * MIB))  # s3transfer raises the 1 MiB part size to 5 MiB: 3 parts

    store.put_file("big/lesson.wav", path, content_type="audio/wav", sha256=sha256_file(path))

    head = s3.client().head_object(Bucket=bucket, Key="big/lesson.wav", ChecksumMode="ENABLED")
    assert head["ETag"].strip('"').endswith("-3")  # really went through CreateMultipartUpload
    assert head["ContentLength"] == 11 * MIB
    assert head["ChecksumSHA256"].split("-")[0] == s3_checksum(path, 11 * MIB, settings)
    whole = base64.b64encode(hashlib.sha256(path.read_bytes()).digest()).decode()
    assert s3_checksum(path, 11 * MIB, settings) != whole


def test_s3_store_notices_an_object_that_differs_from_the_upload(s3: MotoS3, tmp_path: Path) -> None:
    bucket = s3.new_bucket()
    store = S3ObjectStore(s3.settings(bucket))
    path = tmp_path / "x.json"
    path.write_bytes(b'{"a": 1}')
    sha = sha256_file(path)
    store.put_file("x.json", path, content_type="application/json", sha256=sha)
    # Someone replaces the bytes behind our back (same metadata, different content).
    s3.client().put_object(
        Bucket=bucket,
        Key="x.json",
        Body=b'{"a": 2}',
        Metadata={"sha256": sha},
        ChecksumAlgorithm="SHA256",
    )
    expected = s3_checksum(path, path.stat().st_size, store.settings)
    with pytest.raises(ChecksumMismatch):
        store._verify("x.json", path.stat().st_size, sha, expected)


def test_local_store_copies_atomically_and_verifies_in_place(tmp_path: Path) -> None:
    store = LocalObjectStore(tmp_path / "root")
    source = tmp_path / "src.bin"
    source.write_bytes(b"abc" * 1000)
    sha = sha256_file(source)

    assert store.put_file("c/l/r/lesson.wav", source, content_type="audio/wav", sha256=sha) == 3000
    placed = tmp_path / "root" / "c" / "l" / "r" / "lesson.wav"
    assert placed.read_bytes() == source.read_bytes()
    # The file already is the destination: nothing is written, only checked.
    assert store.put_file("c/l/r/lesson.wav", placed, content_type="audio/wav", sha256=sha) == 0
    with pytest.raises(ChecksumMismatch):
        store.put_file("c/l/r/lesson.wav", placed, content_type="audio/wav", sha256="0" * 64)
    # A copy that does not match its sha256 is never renamed into place.
    with pytest.raises(ChecksumMismatch):
        store.put_file("c/l/r/lesson.flac", source, content_type="audio/flac", sha256="0" * 64)
    assert not placed.with_name("lesson.flac").exists()

    store.put_bytes("c/l/latest.json", b"{}", content_type="application/json")
    assert store.get_bytes("c/l/latest.json") == b"{}"
    assert store.list_keys() == ["c/l/latest.json", "c/l/r/lesson.wav"]
    assert not [p for p in (tmp_path / "root").rglob(".*")]  # no temp files left behind
    for bad in ("../escape", "/abs", "a//b", ""):
        with pytest.raises(ObjectStoreError):
            store.head(bad)


@pytest.mark.parametrize("kind", ["s3", "local"])
def test_put_if_writes_only_over_what_was_read(kind: str, s3: MotoS3, tmp_path: Path) -> None:
    store = S3ObjectStore(s3.settings(s3.new_bucket())) if kind == "s3" else LocalObjectStore(tmp_path)
    put = {"content_type": "application/json", "cache_control": "no-cache"}
    assert store.get_tagged("c/l/latest.json") is None
    assert store.put_if("c/l/latest.json", b"first", tag=None, **put)
    assert not store.put_if("c/l/latest.json", b"again", tag=None, **put)  # it exists now
    found = store.get_tagged("c/l/latest.json")
    assert found is not None and found[0] == b"first"
    store.put_bytes("c/l/latest.json", b"someone else", **put)  # a concurrent publish wins the race
    assert not store.put_if("c/l/latest.json", b"mine", tag=found[1], **put)
    assert store.get_bytes("c/l/latest.json") == b"someone else"
    fresh = store.get_tagged("c/l/latest.json")
    assert fresh is not None and store.put_if("c/l/latest.json", b"mine", tag=fresh[1], **put)
    assert store.get_bytes("c/l/latest.json") == b"mine"

"""Fixture helpers for the storage tests: a real S3 server over HTTP, databases, fake render folders.

* ``s3`` — moto's server (``ThreadedMotoServer``) on a fixed 127.0.0.1 port, so a test can stop it (the
  endpoint goes down) and start it again on the same port with its objects kept (the endpoint comes
  back). Each test gets its own bucket.
* ``db_url`` — every catalog test runs on SQLite and on PostgreSQL. PostgreSQL gets one database per
  session (dropped at the end) and one schema per test (via ``search_path`` in the URL), so parallel
  runs never collide. When no server answers, the PostgreSQL cases skip with the reason.
* ``catalog`` — the catalog opened on ``db_url``.
* :func:`make_render` — a render folder laid out and described exactly as the flow writes one, without
  running the voice (publishing never decodes audio), plus its segment FLACs in a segment store.
"""

from __future__ import annotations

import hashlib
import json
import os
import secrets
import socket
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pytest

from storage.layout import new_render_id, render_dir
from storage.objects import S3Settings, make_s3_client

if TYPE_CHECKING:
    from sqlalchemy.engine import URL

    from storage.catalog import Catalog

POSTGRES_ADMIN_URL = os.environ.get(
    "LESSONAUDIO_TEST_POSTGRES_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/test"
)
_FAKE_CREDENTIALS = {
    "AWS_ACCESS_KEY_ID": "testing",
    "AWS_SECRET_ACCESS_KEY": "testing",
    "AWS_DEFAULT_REGION": "us-east-1",
}


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


class MotoS3:
    """moto's S3 in this process, served over real HTTP; its objects survive ``stop()``/``start()``."""

    def __init__(self) -> None:
        from moto.server import ThreadedMotoServer

        self._factory = ThreadedMotoServer
        self.port = _free_port()
        self.endpoint = f"http://127.0.0.1:{self.port}"
        self._server: Any = None
        self._client: Any = None

    def start(self) -> None:
        self._server = self._factory(ip_address="127.0.0.1", port=self.port, verbose=False)
        self._server.start()

    def stop(self) -> None:
        if self._server is not None:
            self._server.stop()
            self._server = None

    @property
    def running(self) -> bool:
        return self._server is not None

    def settings(self, bucket: str, **overrides: Any) -> S3Settings:
        fields: dict[str, Any] = {"endpoint_url": self.endpoint, "region": "us-east-1", "max_attempts": 1}
        fields.update(overrides)
        return S3Settings(bucket=bucket, **fields)

    def client(self) -> Any:
        if self._client is None:
            self._client = make_s3_client(self.settings("-"))
        return self._client

    def new_bucket(self, *, versioned: bool = False) -> str:
        bucket = f"lessons-{secrets.token_hex(4)}"
        client = self.client()
        client.create_bucket(Bucket=bucket)
        if versioned:
            client.put_bucket_versioning(Bucket=bucket, VersioningConfiguration={"Status": "Enabled"})
        return bucket

    def versions(self, bucket: str) -> dict[str, int]:
        """How many versions each key has (a versioned bucket keeps every overwrite)."""
        counts: dict[str, int] = {}
        for page in self.client().get_paginator("list_object_versions").paginate(Bucket=bucket):
            for version in page.get("Versions", []):
                counts[version["Key"]] = counts.get(version["Key"], 0) + 1
        return counts


@pytest.fixture(scope="session")
def s3_session() -> Iterator[MotoS3]:
    saved = {k: os.environ.get(k) for k in _FAKE_CREDENTIALS}
    os.environ.update(_FAKE_CREDENTIALS)
    server = MotoS3()
    server.start()
    yield server
    server.stop()
    for key, value in saved.items():
        if value is None:
            os.environ.pop(key, None)
        else:
            os.environ[key] = value


@pytest.fixture
def s3(s3_session: MotoS3) -> Iterator[MotoS3]:
    """The session's server, running (a test that stopped it gets it restarted afterwards)."""
    if not s3_session.running:
        s3_session.start()
    yield s3_session
    if not s3_session.running:
        s3_session.start()


# -- databases --------------------------------------------------------------------------------------


@contextmanager
def fresh_postgres_database(prefix: str) -> Iterator[URL]:
    """A new database named ``<prefix>_<random>`` on the local PostgreSQL, dropped (connections and
    all) on exit; the calling test skips, with the server's reason, when none answers."""
    from sqlalchemy import create_engine, text
    from sqlalchemy.engine import make_url

    admin = create_engine(POSTGRES_ADMIN_URL, isolation_level="AUTOCOMMIT", pool_pre_ping=True)
    name = f"{prefix}_{secrets.token_hex(4)}"
    try:
        with admin.connect() as conn:
            conn.execute(text(f'CREATE DATABASE "{name}"'))
    except Exception as err:
        admin.dispose()
        reason = str(getattr(err, "orig", err)).strip().splitlines()[0]
        pytest.skip(f"PostgreSQL unreachable at {make_url(POSTGRES_ADMIN_URL).render_as_string()}: {reason}")
    try:
        yield make_url(POSTGRES_ADMIN_URL).set(database=name)
    finally:
        with admin.connect() as conn:
            conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()


@pytest.fixture(scope="session")
def postgres_database() -> Iterator[str]:
    """A fresh database for this session on the local PostgreSQL; dropped afterwards."""
    with fresh_postgres_database("lessonaudio_test") as url:
        yield url.render_as_string(hide_password=False)


@pytest.fixture
def catalog(db_url: str) -> Iterator[Catalog]:
    """The catalog on ``db_url``, upgraded to the current schema; closed afterwards."""
    from storage.catalog import open_catalog

    opened = open_catalog(db_url)
    yield opened
    opened.close()


@pytest.fixture(params=["sqlite", "postgresql"])
def db_url(request: pytest.FixtureRequest, tmp_path: Path) -> str:
    """An empty catalog database: a SQLite file, or a fresh schema in the session's PostgreSQL database."""
    if request.param == "sqlite":
        return f"sqlite:///{tmp_path / 'catalog.db'}"
    from sqlalchemy import create_engine, text
    from sqlalchemy.engine import make_url

    base: str = request.getfixturevalue("postgres_database")
    schema = f"t_{secrets.token_hex(4)}"
    engine = create_engine(base, isolation_level="AUTOCOMMIT")
    with engine.connect() as conn:
        conn.execute(text(f"CREATE SCHEMA {schema}"))
    engine.dispose()
    return (
        make_url(base)
        .update_query_dict({"options": f"-csearch_path={schema}"})
        .render_as_string(hide_password=False)
    )


# -- render folders ---------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class FakeRender:
    folder: Path
    manifest: dict[str, Any]
    segment_keys: tuple[str, ...]

    @property
    def render_id(self) -> str:
        return str(self.manifest["render_id"])


def make_render(
    out: Path,
    segments_root: Path,
    *,
    course: str = "初中数学八年级",
    lesson_id: str = "math-g8-pythagoras",
    texts: tuple[str, ...] = ("同学们好！", "今天我们来学习勾股定理。", "同学们好！"),
    render_id: str | None = None,
    extra: dict[str, bytes] | None = None,
    wav_bytes: int = 48_000,
) -> FakeRender:
    """A finished render folder; the third default segment repeats the first (shared cache key)."""
    spec_sha = hashlib.sha256(lesson_id.encode()).hexdigest()
    render_id = render_id or new_render_id(spec_sha)
    folder = render_dir(out, course, lesson_id, render_id)
    folder.mkdir(parents=True)
    segments: list[dict[str, Any]] = []
    start = 0.3
    for index, text in enumerate(texts):
        key = hashlib.sha256(f"segment:{text}".encode()).hexdigest()
        flac = segments_root / key[:2] / f"{key}.flac"
        flac.parent.mkdir(parents=True, exist_ok=True)
        flac.write_bytes(b"fLaC" + hashlib.sha512(key.encode()).digest() * 8)
        duration = 0.2 * len(text)
        segments.append(
            {
                "index": index,
                "paragraph": index + 1,
                "emotion": "happy" if index == 0 else "neutral",
                "text": text,
                "normalized": text,
                "pinyin": "tong2 xue2 men5 hao3",
                "start": round(start, 3),
                "end": round(start + duration, 3),
                "duration": round(duration, 3),
                "pause_after_ms": 300,
                "cache_key": key,
                "reused": index == 2,
            }
        )
        start += duration + 0.3
    manifest: dict[str, Any] = {
        "manifest_version": 1,
        "lesson_id": lesson_id,
        "title": "勾股定理",
        "course": course,
        "render_id": render_id,
        "created_at": "2026-11-25T02:00:00+00:00",
        "spec_sha256": spec_sha,
        "voice": "baker",
        "engine_id": "baker-fastspeech2-mbmelgan-onnx",
        "model_sha256": "ab" * 32,
        "sample_rate": 24000,
        "duration": round(start, 3),
        "loudness": {"integrated_lufs": -16.0, "true_peak_dbtp": -1.2, "gain_db": 3.1},
        "segments": segments,
    }
    (folder / "lesson.wav").write_bytes(b"RIFF" + secrets.token_bytes(wav_bytes))
    (folder / "lesson.mp3").write_bytes(b"ID3" + secrets.token_bytes(wav_bytes // 8))
    (folder / "captions.srt").write_text("1\n00:00:00,300 --> 00:00:01,300\n同学们好！\n", encoding="utf-8")
    (folder / "captions.vtt").write_text("WEBVTT\n\n00:00.300 --> 00:01.300\n同学们好！\n", encoding="utf-8")
    manifest_text = json.dumps(manifest, ensure_ascii=False, indent=2)
    (folder / "manifest.json").write_text(manifest_text, encoding="utf-8")
    for name, data in (extra or {}).items():
        (folder / name).write_bytes(data)
    unique = tuple(dict.fromkeys(s["cache_key"] for s in segments))
    return FakeRender(folder, manifest, unique)


RenderFactory = Callable[..., FakeRender]


@pytest.fixture
def render_factory(tmp_path: Path) -> RenderFactory:
    """:func:`make_render`, by default into ``tmp_path/out`` with segments in ``tmp_path/segments``."""

    def factory(*, out: Path | None = None, segments_root: Path | None = None, **kwargs: Any) -> FakeRender:
        return make_render(out or tmp_path / "out", segments_root or tmp_path / "segments", **kwargs)

    return factory

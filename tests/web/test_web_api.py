"""The HTTP API's behaviour at its edges: auth, script errors, render jobs, limits, error shapes.

The voice and renderer are fakes here (these tests are about HTTP); ``test_web_real.py`` covers
the same routes with the real voice and render flow.
"""

from __future__ import annotations

import hashlib
import json
import sqlite3
import time
from collections.abc import Iterator
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient

from tests.browser.support import EXAMPLE, FakeRunner, fake_app, fake_services, new_token, web_settings
from web.app import create_app
from web.services import Services

BROKEN = "id: Bad Id\ntitle: 勾股定理\nparagraphs:\n  - text: 在银[行](hang)工作\n"


@pytest.fixture
def app(tmp_path: Path) -> FastAPI:
    return fake_app(web_settings(tmp_path, web_tts_per_minute=3))


@pytest.fixture
def client(app: FastAPI) -> Iterator[TestClient]:
    with TestClient(app) as test_client:
        yield test_client


@pytest.fixture
def auth(app: FastAPI) -> dict[str, str]:
    return {"Authorization": f"Bearer {new_token(app)}"}


def wait_for_job(client: TestClient, auth: dict[str, str], url: str) -> dict[str, Any]:
    deadline = time.monotonic() + 20
    while time.monotonic() < deadline:
        job: dict[str, Any] = client.get(url, headers=auth).json()
        if job["state"] in ("finished", "failed"):
            return job
        time.sleep(0.05)
    raise AssertionError(f"job did not finish: {job}")


def test_every_api_route_needs_a_token(client: TestClient) -> None:
    for method, path in [
        ("POST", "/tts"),
        ("GET", "/api/voices"),
        ("POST", "/api/scripts/validate"),
        ("POST", "/api/renders"),
        ("GET", "/api/renders"),
        ("GET", "/api/jobs/0123456789abcdef"),
    ]:
        response = client.request(method, path, json={})
        assert response.status_code == 401, (method, path)
        assert response.headers["WWW-Authenticate"].startswith("Bearer")
        error = response.json()["error"]
        assert error["code"] == "unauthorized" and "token create" in error["fix"]


def test_unknown_and_revoked_tokens_are_refused(app: FastAPI, client: TestClient) -> None:
    assert client.get("/api/voices", headers={"Authorization": "Bearer la_nope"}).status_code == 401
    token = new_token(app, "bob")
    headers = {"Authorization": f"Bearer {token}"}
    assert client.get("/api/voices", headers=headers).status_code == 200
    services: Services = app.state.services
    services.tokens.revoke("bob")
    response = client.get("/api/voices", headers=headers)
    assert response.status_code == 401
    assert "revoked" in response.json()["error"]["message"]


def test_tokens_are_stored_only_as_sha256(app: FastAPI, tmp_path: Path) -> None:
    token = new_token(app, "carol")
    with sqlite3.connect(tmp_path / "web.db") as db:
        rows = db.execute("SELECT name, token_sha256 FROM web_tokens").fetchall()
    assert rows == [("carol", hashlib.sha256(token.encode()).hexdigest())]
    for path in tmp_path.glob("web.db*"):  # the database and its WAL
        assert token.encode() not in path.read_bytes()


def test_page_session_cookie_signs_in_and_out(app: FastAPI, client: TestClient) -> None:
    token = new_token(app, "dora")
    assert "Teacher token" in client.get("/").text
    assert client.post("/session", json={"token": "la_wrong"}).status_code == 401
    signed_in = client.post("/session", json={"token": token})
    assert signed_in.status_code == 204
    cookie = signed_in.headers["set-cookie"]
    assert "HttpOnly" in cookie and "SameSite=strict" in cookie
    page = client.get("/")
    assert "Signed in as" in page.text and "dora" in page.text
    assert "script-src 'self'" in page.headers["Content-Security-Policy"]
    assert client.get("/api/voices").status_code == 200  # the cookie works for the API too
    client.delete("/session")
    assert client.get("/api/voices").status_code == 401


def session_rows(tmp_path: Path) -> list[tuple[str, int]]:
    with sqlite3.connect(tmp_path / "web.db") as db:
        return db.execute("SELECT session_sha256, token_id FROM web_sessions").fetchall()


def test_the_session_cookie_holds_a_server_side_session_id_not_the_token(
    app: FastAPI, client: TestClient, tmp_path: Path
) -> None:
    token = new_token(app, "dora")
    signed_in = client.post("/session", json={"token": token})
    session_id = client.cookies["lessonaudio_session"]
    assert token not in signed_in.headers["set-cookie"] and token not in session_id
    assert session_rows(tmp_path) == [(hashlib.sha256(session_id.encode()).hexdigest(), 1)]
    for path in tmp_path.glob("web.db*"):  # only its hash is stored
        assert session_id.encode() not in path.read_bytes()
    # A cookie holding a token (how sessions used to work) signs nobody in.
    client.cookies.clear()
    client.cookies.set("lessonaudio_session", token)
    assert client.get("/api/voices").status_code == 401
    assert "Signed in as" not in client.get("/").text


def test_signing_out_ends_the_session_on_the_server(app: FastAPI, client: TestClient, tmp_path: Path) -> None:
    client.post("/session", json={"token": new_token(app, "dora")})
    session_id = client.cookies["lessonaudio_session"]
    assert client.delete("/session").status_code == 204
    assert session_rows(tmp_path) == []
    client.cookies.clear()
    client.cookies.set("lessonaudio_session", session_id)  # a copy of the cookie kept elsewhere
    refused = client.get("/api/voices")
    assert refused.status_code == 401 and "session has ended" in refused.json()["error"]["message"]


def test_revoking_a_token_ends_its_sessions(app: FastAPI, client: TestClient, tmp_path: Path) -> None:
    client.post("/session", json={"token": new_token(app, "dora")})
    assert client.get("/api/voices").status_code == 200
    services: Services = app.state.services
    services.tokens.revoke("dora")
    assert session_rows(tmp_path) == []
    assert client.get("/api/voices").status_code == 401
    assert "Signed in as" not in client.get("/").text


def test_sessions_expire(app: FastAPI, client: TestClient) -> None:
    services: Services = app.state.services
    info, _ = services.tokens.create("dora")
    session_id = services.sessions.start(info)
    signed_in = services.sessions.authenticate(session_id)
    assert signed_in is not None and signed_in.name == "dora"
    services.sessions.lifetime = timedelta(seconds=-1)  # sessions started from now on are already over
    expired = services.sessions.start(info)
    assert services.sessions.authenticate(expired) is None
    assert services.sessions.authenticate(session_id) is not None
    assert client.post("/session", json={"token": "la_wrong"}).status_code == 401


def test_validate_reports_every_error_with_line_and_fix(client: TestClient, auth: dict[str, str]) -> None:
    report = client.post("/api/scripts/validate", headers=auth, json={"script": BROKEN}).json()
    assert report["ok"] is False and report["lesson"] is None
    found = {(d["line"], d["column"]) for d in report["errors"]}
    assert (1, 5) in found  # the id
    assert any(d["line"] == 4 and d["paragraph"] == 1 and "tone" in d["message"] for d in report["errors"])
    assert all(d["fix"] for d in report["errors"])


def test_validate_accepts_the_example_with_lesson_facts(client: TestClient, auth: dict[str, str]) -> None:
    script = EXAMPLE.read_text(encoding="utf-8")
    report = client.post("/api/scripts/validate", headers=auth, json={"script": script}).json()
    assert report["ok"] is True, report
    assert report["lesson"] == {
        "id": "math-g8-pythagoras",
        "title": "勾股定理",
        "course": "初中数学八年级",
        "paragraphs": 5,
    }


def test_validate_warns_about_a_reading_longer_than_a_segment(
    client: TestClient, auth: dict[str, str]
) -> None:
    """The page shows the same long-reading warning as ``lessonaudio validate``, quoting a bounded excerpt."""
    script = "id: pi\ntitle: 圆周率\nparagraphs:\n  - 圆周率是3." + "1415926535" * 20 + "。\n"
    report = client.post("/api/scripts/validate", headers=auth, json={"script": script}).json()
    assert report["ok"] is True, report
    (warning,) = report["warnings"]
    assert warning["line"] == 4 and "syllables" in warning["message"], warning
    assert len(warning["message"]) < 200


def test_a_broken_script_is_refused_before_anything_runs(
    tmp_path: Path, client: TestClient, auth: dict[str, str]
) -> None:
    response = client.post("/api/renders", headers=auth, json={"script": BROKEN})
    assert response.status_code == 422
    body = response.json()
    assert body["error"]["code"] == "invalid_script"
    assert body["error"]["where"].startswith("script line 1")
    assert len(body["diagnostics"]) >= 2
    assert not (tmp_path / "out").exists()


def test_render_job_reports_progress_then_files(client: TestClient, auth: dict[str, str]) -> None:
    script = EXAMPLE.read_text(encoding="utf-8")
    submitted = client.post("/api/renders", headers=auth, json={"script": script})
    assert submitted.status_code == 202
    job = wait_for_job(client, auth, submitted.json()["status_url"])
    assert job["state"] == "finished", job
    assert job["stages"] == [{"name": "synthesis", "total": 2, "done": 2, "finished": True}]
    render = client.get(f"/api/renders/{job['render_id']}", headers=auth).json()
    names = {f["name"] for f in render["files"]}
    assert {"lesson.mp3", "lesson.wav", "captions.srt", "captions.vtt", "manifest.json"} <= names
    assert "qa.html" not in names
    wav = client.get(f"/api/renders/{job['render_id']}/files/lesson.wav?download=true", headers=auth)
    assert wav.status_code == 200 and wav.headers["content-type"] == "audio/wav"
    assert wav.headers["content-disposition"].startswith("attachment")
    head = client.head(f"/api/renders/{job['render_id']}/files/lesson.wav", headers=auth)
    assert head.status_code == 200 and head.content == b""
    assert int(head.headers["content-length"]) == len(wav.content) > 0
    missing = client.get(f"/api/renders/{job['render_id']}/files/qa.html", headers=auth)
    assert missing.status_code == 404 and missing.json()["error"]["code"] == "no_such_file"
    listed = client.get("/api/renders", headers=auth).json()
    assert [r["render_id"] for r in listed] == [job["render_id"]]


def test_speech_marks_are_served_to_their_owner_only(
    app: FastAPI, client: TestClient, tmp_path: Path
) -> None:
    script = EXAMPLE.read_text(encoding="utf-8")
    alice, bob = ({"Authorization": f"Bearer {new_token(app, name)}"} for name in ("alice", "bob"))
    job = wait_for_job(
        client,
        alice,
        client.post("/api/renders", headers=alice, json={"script": script}).json()["status_url"],
    )
    url = f"/api/renders/{job['render_id']}/files/marks.json"
    assert client.get(url, headers=alice).json()["error"]["code"] == "no_such_file"  # not written yet
    (folder,) = (tmp_path / "out").rglob(job["render_id"])
    marks = {"marks_version": 1, "marks": [{"time": 0, "end_time": 300, "type": "character", "value": "同"}]}
    (folder / "marks.json").write_text(json.dumps(marks, ensure_ascii=False), encoding="utf-8")
    render = client.get(f"/api/renders/{job['render_id']}", headers=alice).json()
    listed = {f["name"]: f for f in render["files"]}
    assert listed["marks.json"]["url"].endswith("/files/marks.json")
    served = client.get(url, headers=alice)
    assert served.status_code == 200 and served.headers["content-type"] == "application/json"
    assert served.json() == marks
    head = client.head(url, headers=alice)
    assert head.status_code == 200 and int(head.headers["content-length"]) == len(served.content)
    # Another teacher gets what a render that does not exist gets.
    theirs = client.get(url, headers=bob)
    unknown = client.get("/api/renders/20990101T000000Z-00000000-0000/files/marks.json", headers=bob)
    assert theirs.status_code == unknown.status_code == 404
    assert theirs.json()["error"]["code"] == unknown.json()["error"]["code"]
    # Files beside it that the API does not name stay private.
    (folder / "lesson.times.json").write_text("{}", encoding="utf-8")
    assert client.get(url.replace("marks.json", "lesson.times.json"), headers=alice).status_code == 422


def test_a_failed_render_says_why(tmp_path: Path) -> None:
    settings = web_settings(tmp_path)
    app = fake_app(settings, FakeRunner(settings.output_dir, fail_with="paragraph 2: the voice failed"))
    with TestClient(app) as client:
        auth = {"Authorization": f"Bearer {new_token(app)}"}
        script = EXAMPLE.read_text(encoding="utf-8")
        url = client.post("/api/renders", headers=auth, json={"script": script}).json()["status_url"]
        job = wait_for_job(client, auth, url)
    assert job["state"] == "failed" and job["error"] == "paragraph 2: the voice failed"


def test_preview_is_rate_limited_per_token_with_retry_after(
    app: FastAPI, client: TestClient, auth: dict[str, str]
) -> None:
    for _ in range(3):
        ok = client.post("/tts", headers=auth, json={"text": "你好", "emotion": "happy"})
        assert ok.status_code == 200 and ok.headers["content-type"] == "audio/wav"
    limited = client.post("/tts", headers=auth, json={"text": "你好", "emotion": "happy"})
    assert limited.status_code == 429
    assert 1 <= int(limited.headers["Retry-After"]) <= 60
    assert limited.json()["error"]["code"] == "rate_limited"
    other = {"Authorization": f"Bearer {new_token(app, 'other')}"}
    assert client.post("/tts", headers=other, json={"text": "你好"}).status_code == 200


def test_script_checks_are_rate_limited_per_token_with_retry_after(tmp_path: Path) -> None:
    """Checking a large script costs seconds of CPU, so one token cannot ask for it without limit."""
    app = fake_app(web_settings(tmp_path, web_validations_per_minute=2))
    with TestClient(app) as client:
        auth = {"Authorization": f"Bearer {new_token(app)}"}
        body = {"script": BROKEN}
        for _ in range(2):
            assert client.post("/api/scripts/validate", headers=auth, json=body).status_code == 200
        limited = client.post("/api/scripts/validate", headers=auth, json=body)
        assert limited.status_code == 429
        assert 1 <= int(limited.headers["Retry-After"]) <= 60
        error = limited.json()["error"]
        assert error["code"] == "rate_limited" and "2 per minute" in error["message"]
        other = {"Authorization": f"Bearer {new_token(app, 'other')}"}
        assert client.post("/api/scripts/validate", headers=other, json=body).status_code == 200


def test_bodies_over_the_limit_are_refused_declared_or_chunked(
    client: TestClient, auth: dict[str, str]
) -> None:
    declared = client.post("/api/scripts/validate", headers=auth, content=b"x" * (600 * 1024))
    assert declared.status_code == 413
    assert declared.json()["error"]["code"] == "body_too_large"

    def chunks() -> Iterator[bytes]:
        for _ in range(100):
            yield b"x" * 10_000

    chunked = client.post(
        "/api/scripts/validate", headers={**auth, "Content-Type": "application/json"}, content=chunks()
    )
    assert chunked.status_code == 413
    assert chunked.json()["error"]["code"] == "body_too_large"


def test_scripts_over_200_kb_get_the_loaders_diagnostic(client: TestClient, auth: dict[str, str]) -> None:
    script = "id: big\ntitle: 大\nparagraphs:\n" + "  - 你好。\n" * 20_000  # 280 KB of UTF-8, 160 k chars
    assert len(script.encode()) > 200 * 1024 > len(script)
    report = client.post("/api/scripts/validate", headers=auth, json={"script": script}).json()
    assert report["ok"] is False
    assert "over the 200 KB limit" in report["errors"][0]["message"]
    assert "split the lesson" in report["errors"][0]["fix"]


def test_bad_requests_get_json_errors_not_tracebacks(client: TestClient, auth: dict[str, str]) -> None:
    cases = [
        client.post("/tts", headers=auth, content=b"{not json", params={}),
        client.post("/tts", headers=auth, json={"text": "你好", "emotion": "joyful"}),
        client.post("/tts", headers=auth, json={"text": ""}),
        client.get("/api/jobs/../../etc/passwd", headers=auth),
        client.get("/api/renders/nope/files/lesson.mp3", headers=auth),
        client.get("/api/renders/20261125T023249Z-8bebd2c5-be38/files/secret.txt", headers=auth),
        client.get("/api/jobs/0123456789abcdef", headers=auth),
    ]
    for response in cases:
        assert 400 <= response.status_code < 500, response.text
        error = response.json()["error"]
        assert error["code"] and error["message"], response.text
        assert "Traceback" not in response.text


def test_past_renders_can_come_from_the_catalog(tmp_path: Path) -> None:
    from storage.catalog import open_catalog
    from web.render_index import CatalogRenderIndex

    settings = web_settings(tmp_path)
    app = fake_app(settings)
    with TestClient(app) as client:
        auth = {"Authorization": f"Bearer {new_token(app)}"}
        url = client.post("/api/renders", headers=auth, json={"script": EXAMPLE.read_text(encoding="utf-8")})
        job = wait_for_job(client, auth, url.json()["status_url"])
    folder = next((tmp_path / "out").glob(f"*/*/{job['render_id']}"))
    assert settings.database_url is not None
    catalog = open_catalog(settings.database_url)
    catalog.import_render(
        json.loads((folder / "manifest.json").read_text(encoding="utf-8")), folder=str(folder)
    )
    catalog.close()
    index = CatalogRenderIndex(settings.database_url)
    try:
        assert [e.render_id for e in index.list()] == [job["render_id"]]
        found = index.get(job["render_id"])
        assert found is not None and found.folder == folder and "lesson.mp3" in found.files()
        assert index.get("20990101T000000Z-00000000-0000") is None
    finally:
        index.close()


def test_a_preview_with_too_much_pause_is_refused_before_any_synthesis(tmp_path: Path) -> None:
    """The real preview service, with no voice models at all: reaching synthesis would be a 503."""
    from engines.registry import VoiceConfig
    from storage.segments import SegmentStore
    from web.frontend import SharedFrontEnd
    from web.preview import PreviewService

    settings = web_settings(tmp_path)
    services = fake_services(settings)
    segments = tmp_path / "segments"
    services.preview = PreviewService(
        front_end=SharedFrontEnd(),
        voice=VoiceConfig(models_dir=tmp_path / "no-models", http_url=None, threads=1),
        store=SegmentStore(segments),
        default_voice="baker",
        max_segment_chars=settings.max_segment_chars,
    )
    app = create_app(settings, services)
    with TestClient(app) as client:
        auth = {"Authorization": f"Bearer {new_token(app)}"}
        response = client.post("/tts", headers=auth, json={"text": "好[[10s]]" * 250, "emotion": "sad"})
    assert response.status_code == 422, response.text
    error = response.json()["error"]
    assert error["code"] == "bad_markup"
    assert "over the 60s limit" in error["message"] and error["where"] == "text[49:56]"
    assert "fewer or shorter pauses" in error["fix"]
    assert not any(segments.rglob("*.*"))  # nothing was synthesised into the store

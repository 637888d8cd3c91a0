"""The web API with the real voice, front end and render flow: preview and lessons share the segment
cache, and a render submitted over HTTP finishes with downloadable audio and captions."""

from __future__ import annotations

import io
import json
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import soundfile as sf
from fastapi.testclient import TestClient

from config import Settings
from tests.browser.support import EXAMPLE
from web.app import create_app
from web.services import Services

pytestmark = [pytest.mark.slow, pytest.mark.real_voice, pytest.mark.usefixtures("prefect_server")]

FIRST_PARAGRAPH = "同学们好！今天我们来学习勾股定理。"


@pytest.fixture(scope="module")
def client(render_env: Path) -> Iterator[TestClient]:
    settings = Settings(
        output_dir=render_env / "web-real-out", database_url=f"sqlite:///{render_env / 'web-real.db'}"
    )
    app = create_app(settings)
    with TestClient(app) as test_client:
        services: Services = app.state.services
        test_client.headers["Authorization"] = f"Bearer {services.tokens.create('real')[1]}"
        yield test_client


def wait_for_job(client: TestClient, url: str, timeout_s: float = 600) -> dict[str, Any]:
    deadline = time.monotonic() + timeout_s
    seen_running = False
    while time.monotonic() < deadline:
        job: dict[str, Any] = client.get(url).json()
        seen_running |= job["state"] == "running"
        if job["state"] in ("finished", "failed"):
            return job
        time.sleep(0.5)
    raise AssertionError(f"render did not finish in {timeout_s} s: {job}")


def test_preview_speaks_long_text_segment_by_segment(client: TestClient) -> None:
    text = "直角三角形的两条直角边分别是3cm和4cm，斜边就是5cm，因为3²+4²=5²。" * 2
    response = client.post("/tts", json={"text": text, "emotion": "serious"})
    assert response.status_code == 200, response.text
    audio, rate = sf.read(io.BytesIO(response.content))
    assert rate == 24_000 and len(audio) / rate > 5.0
    assert int(response.headers["X-Lessonaudio-Segments"]) >= 2  # over 50 characters: split


def test_preview_and_lesson_render_share_the_segment_cache(client: TestClient) -> None:
    first = client.post("/tts", json={"text": FIRST_PARAGRAPH, "emotion": "happy"})
    assert first.status_code == 200
    segments = int(first.headers["X-Lessonaudio-Segments"])
    again = client.post("/tts", json={"text": FIRST_PARAGRAPH, "emotion": "happy"})
    assert again.headers["X-Lessonaudio-Cached-Segments"] == str(segments)
    assert again.content == first.content

    submitted = client.post("/api/renders", json={"script": EXAMPLE.read_text(encoding="utf-8")})
    assert submitted.status_code == 202, submitted.text
    job = wait_for_job(client, submitted.json()["status_url"])
    assert job["state"] == "finished", job
    assert {s["name"] for s in job["stages"]} >= {"front end", "synthesis", "assemble"}
    assert all(s["finished"] and s["done"] == s["total"] for s in job["stages"])

    render = client.get(f"/api/renders/{job['render_id']}").json()
    files = {f["name"]: f for f in render["files"]}
    manifest = client.get(files["manifest.json"]["url"]).json()
    opening = [s for s in manifest["segments"] if s["paragraph"] == 1]
    assert len(opening) == segments and all(s["reused"] for s in opening)  # previewed = already cached

    wav = client.get(files["lesson.wav"]["download_url"])
    audio, rate = sf.read(io.BytesIO(wav.content))
    assert abs(len(audio) / rate - manifest["duration"]) < 0.05
    mp3 = client.get(files["lesson.mp3"]["download_url"])
    assert (
        mp3.status_code == 200 and mp3.headers["content-type"] == "audio/mpeg" and len(mp3.content) > 10_000
    )
    vtt = client.get(files["captions.vtt"]["url"]).text
    assert vtt.startswith("WEBVTT") and "同学们好" in vtt
    partial = client.get(files["lesson.mp3"]["url"], headers={"Range": "bytes=0-99"})
    assert partial.status_code == 206 and len(partial.content) == 100  # seeking in the player
    listed = [r["render_id"] for r in client.get("/api/renders").json()]
    assert job["render_id"] in listed
    assert json.loads(json.dumps(render))["lesson_id"] == "math-g8-pythagoras"

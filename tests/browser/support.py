"""Helpers for the web tests: fake voice and renderer, app factories, and a live uvicorn server.

The fakes stand in only where a test is about HTTP behaviour (auth, limits, schema, webhooks); tests
about what the page and API do with real audio use the real voice, front end and render flow.
"""

from __future__ import annotations

import io
import json
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import soundfile as sf
import uvicorn
from fastapi import FastAPI

from config import Settings
from flows.progress import Reporter
from storage.layout import new_render_id, render_dir
from web.app import create_app
from web.frontend import SharedFrontEnd
from web.jobs import JobManager, RenderOutcome
from web.preview import PreviewAudio
from web.ratelimit import RateLimiter
from web.render_index import FolderRenderIndex
from web.render_owners import RenderOwners
from web.server import server_config
from web.services import Services, webhook_sender
from web.sessions import SqlSessionStore
from web.token_store import SqlTokenStore
from web.tokens import Role
from web.validation import ScriptChecker

EXAMPLE = Path(__file__).resolve().parents[2] / "lesson_specs" / "examples" / "math-g8-pythagoras.yaml"


def tone_wav(seconds: float = 0.5, rate: int = 24_000) -> bytes:
    t = np.arange(int(seconds * rate)) / rate
    buffer = io.BytesIO()
    sf.write(buffer, 0.2 * np.sin(2 * np.pi * 220 * t), rate, subtype="PCM_16", format="WAV")
    return buffer.getvalue()


class FakePreview:
    """A 0.5 s tone for any text: for tests about the HTTP layer, not the voice."""

    def __init__(self) -> None:
        self.calls: list[tuple[str, str]] = []

    def synthesize(self, text: str, emotion: str, voice: str | None = None) -> PreviewAudio:
        self.calls.append((text, emotion))
        return PreviewAudio(tone_wav(), 0.5, 1, 0)


@dataclass
class FakeRunner:
    """Writes a render folder shaped like the flow's (manifest + tiny files) and reports stages."""

    out_dir: Path
    delay_s: float = 0.0
    fail_with: str | None = None
    runs: list[Path] = field(default_factory=list)

    def run(self, spec_path: Path, voice: str | None, progress: Reporter) -> RenderOutcome:
        from flows.synthesis import RenderError
        from lesson_specs import load_spec_file

        self.runs.append(spec_path)
        spec = load_spec_file(spec_path)
        progress.start("synthesis", 2)
        time.sleep(self.delay_s)
        progress.advance("synthesis", 2)
        progress.finish("synthesis")
        if self.fail_with:
            raise RenderError(self.fail_with)
        render_id = new_render_id(spec.sha256)
        folder = render_dir(self.out_dir, spec.course, spec.id, render_id)
        folder.mkdir(parents=True)
        (folder / "lesson.wav").write_bytes(tone_wav())
        (folder / "lesson.mp3").write_bytes(b"ID3fake")
        (folder / "captions.srt").write_text("1\n00:00:00,000 --> 00:00:00,500\n你好\n", encoding="utf-8")
        (folder / "captions.vtt").write_text("WEBVTT\n", encoding="utf-8")
        manifest: dict[str, object] = {
            "render_id": render_id,
            "lesson_id": spec.id,
            "title": spec.title,
            "course": spec.course,
            "created_at": "2026-11-25T03:00:00+00:00",
            "duration": 0.5,
            "segments": [],
        }
        (folder / "manifest.json").write_text(json.dumps(manifest), encoding="utf-8")
        return RenderOutcome(render_id, str(folder), 0.5)


def web_settings(root: Path, **overrides: object) -> Settings:
    values: dict[str, object] = {
        "cache_dir": root / "cache",
        "output_dir": root / "out",
        "database_url": f"sqlite:///{root / 'web.db'}",
    }
    values.update(overrides)
    return Settings(**values)  # type: ignore[arg-type]


def fake_services(settings: Settings, runner: FakeRunner | None = None) -> Services:
    front_end = SharedFrontEnd()
    webhooks = webhook_sender(settings)
    assert settings.database_url is not None
    tokens = SqlTokenStore.open(settings.database_url)
    owners = RenderOwners(tokens.engine)
    return Services(
        tokens=tokens,
        sessions=SqlSessionStore(tokens.engine),
        owners=owners,
        checker=ScriptChecker(front_end, settings.max_segment_chars),
        preview=FakePreview(),
        jobs=JobManager(
            runner=runner or FakeRunner(settings.output_dir),
            jobs_dir=settings.cache_dir / "web-jobs",
            owners=owners,
            webhooks=webhooks,
        ),
        renders=FolderRenderIndex(settings.output_dir, owners),
        webhooks=webhooks,
        tts_limit=RateLimiter(settings.web_tts_per_minute),
        render_limit=RateLimiter(settings.web_renders_per_minute),
        validate_limit=RateLimiter(settings.web_validations_per_minute),
        edit_limit=RateLimiter(settings.web_edits_per_minute),
    )


def fake_app(settings: Settings, runner: FakeRunner | None = None) -> FastAPI:
    return create_app(settings, fake_services(settings, runner))


def new_token(app: FastAPI, name: str = "teacher", role: Role = Role.TEACHER) -> str:
    services: Services = app.state.services
    return services.tokens.create(name, role)[1]


@contextmanager
def live_server(app: FastAPI, request_timeout_s: float = 30.0) -> Iterator[str]:
    """Serve ``app`` as ``lessonaudio web`` does, on a free loopback port in a thread; yields the URL."""
    server = uvicorn.Server(server_config(app, host="127.0.0.1", port=0, request_timeout_s=request_timeout_s))
    thread = threading.Thread(target=server.run, name="uvicorn", daemon=True)
    thread.start()
    deadline = time.monotonic() + 30
    while not server.started:
        if time.monotonic() > deadline or not thread.is_alive():
            raise RuntimeError("the test web server did not start")
        time.sleep(0.05)
    port = server.servers[0].sockets[0].getsockname()[1]
    try:
        yield f"http://127.0.0.1:{port}"
    finally:
        server.should_exit = True
        thread.join(timeout=30)

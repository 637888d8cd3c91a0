"""The http engine against a real HTTP server on 127.0.0.1 (no client mocks)."""

from __future__ import annotations

import io
import json
import threading
import time
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import ClassVar

import numpy as np
import pytest
import soundfile as sf

from engines import EngineUnavailableError, Prosody, RemoteTTSError, VoiceConfig, create_engine
from engines.http import HttpEngine
from text_frontend.types import Punct, Syllable

TOKENS = (Syllable("你", "ni3", 0), Syllable("好", "hao3", 1), Punct("。", 2))


def wav_bytes(seconds: float = 0.25, rate: int = 16_000) -> bytes:
    t = np.arange(int(rate * seconds)) / rate
    buf = io.BytesIO()
    sf.write(buf, 0.3 * np.sin(2 * np.pi * 220 * t), rate, format="WAV", subtype="PCM_16")
    return buf.getvalue()


class Handler(BaseHTTPRequestHandler):
    mode = "ok"
    requests: ClassVar[list[tuple[str, dict[str, str]]]] = []

    def do_POST(self) -> None:
        body = json.loads(self.rfile.read(int(self.headers["Content-Length"])))
        Handler.requests.append((self.path, body))
        if Handler.mode == "slow":
            time.sleep(1.5)
        if Handler.mode == "error":
            self._send(500, "text/plain", b"model crashed")
        elif Handler.mode == "json":
            self._send(200, "application/json", b'{"error": "no"}')
        elif Handler.mode == "garbage":
            self._send(200, "audio/wav", b"not a wav at all")
        else:
            self._send(200, "audio/wav", wav_bytes())

    def _send(self, code: int, ctype: str, data: bytes) -> None:
        try:
            self.send_response(code)
            self.send_header("Content-Type", ctype)
            self.send_header("Content-Length", str(len(data)))
            self.end_headers()
            self.wfile.write(data)
        except (BrokenPipeError, ConnectionResetError):
            pass  # the client gave up (timeout test)

    def log_message(self, format: str, *args: object) -> None:
        pass


@pytest.fixture()
def server() -> Iterator[str]:
    Handler.mode = "ok"
    Handler.requests = []
    httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{httpd.server_address[1]}/"
    finally:
        httpd.shutdown()
        httpd.server_close()


def test_posts_text_and_emotion_and_decodes_wav(server: str) -> None:
    engine = HttpEngine(server)
    audio = engine.synthesize(TOKENS, Prosody(emotion="happy"))
    assert Handler.requests == [("/tts", {"text": "你好。", "emotion": "happy"})]
    assert audio.sample_rate == 16_000
    assert audio.samples.dtype == np.float32
    assert audio.duration_s == pytest.approx(0.25)
    assert 0.25 < float(np.max(np.abs(audio.samples))) < 0.35
    assert engine.engine_id == "http:" + server.rstrip("/")


def test_non_200_is_a_clear_error(server: str) -> None:
    Handler.mode = "error"
    with pytest.raises(RemoteTTSError, match="HTTP 500: model crashed"):
        HttpEngine(server).synthesize(TOKENS, Prosody())


@pytest.mark.parametrize(("mode", "message"), [("json", "application/json"), ("garbage", "not return a WAV")])
def test_non_wav_answers_are_rejected(server: str, mode: str, message: str) -> None:
    Handler.mode = mode
    with pytest.raises(RemoteTTSError, match=message):
        HttpEngine(server).synthesize(TOKENS, Prosody())


def test_timeout(server: str) -> None:
    Handler.mode = "slow"
    with pytest.raises(RemoteTTSError, match=r"did not answer within 0\.3 s"):
        HttpEngine(server, timeout_s=0.3).synthesize(TOKENS, Prosody())


def test_unreachable_service() -> None:
    probe = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    port = probe.server_address[1]
    probe.server_close()  # nothing listens there now
    with pytest.raises(RemoteTTSError, match="cannot reach"):
        HttpEngine(f"http://127.0.0.1:{port}", timeout_s=2).synthesize(TOKENS, Prosody())


def test_registry_needs_a_url(tmp_path: object) -> None:
    with pytest.raises(EngineUnavailableError, match="LESSONAUDIO_TTS_HTTP_URL"):
        create_engine("http", VoiceConfig(models_dir=tmp_path, http_url=None, threads=1))  # type: ignore[arg-type]

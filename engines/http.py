"""Client for a remote TTS service speaking the reference API: ``POST {base}/tts`` -> ``audio/wav``.

Request body ``{"text": ..., "emotion": ...}``. The service does its own G2P, so pinyin overrides are not
honoured and only ``Prosody.emotion`` is sent (the numeric knobs have no field in the API). stdlib
``urllib`` keeps this dependency-free; WAV bytes are decoded with soundfile.
"""

from __future__ import annotations

import io
import json
import urllib.error
import urllib.request
from collections.abc import Sequence

import numpy as np
import soundfile as sf

from engines.protocol import Audio, EngineUnavailableError, Prosody, RemoteTTSError, tokens_text
from i18n import _
from text_frontend.types import Token

_WAV_TYPES = ("audio/wav", "audio/x-wav", "audio/wave", "audio/vnd.wave")


def decode_wav(data: bytes, what: str) -> Audio:
    """WAV bytes -> mono float32 Audio; anything else is a ``RemoteTTSError`` naming ``what``."""
    if len(data) < 12 or data[:4] != b"RIFF" or data[8:12] != b"WAVE":
        raise RemoteTTSError(
            _("{what} did not return a WAV file (first bytes {first})").format(
                what=what, first=repr(data[:12])
            )
        )
    try:
        samples, rate = sf.read(io.BytesIO(data), dtype="float32", always_2d=True)
    except (sf.LibsndfileError, RuntimeError, ValueError) as exc:
        raise RemoteTTSError(
            _("{what} returned an unreadable WAV file: {error}").format(what=what, error=exc)
        ) from None
    mono = samples.mean(axis=1) if samples.shape[1] > 1 else samples[:, 0]
    return Audio(np.ascontiguousarray(mono, dtype=np.float32), int(rate))


class HttpEngine:
    """A remote voice. ``model_hash`` cannot be known from the API: the operator bumps ``model_version``
    when the service's model changes, otherwise cached segments from the old model are reused."""

    def __init__(self, base_url: str | None, *, timeout_s: float = 60.0, model_version: str = "1") -> None:
        if not base_url:
            raise EngineUnavailableError(
                _(
                    "voice 'http' needs a service URL: set LESSONAUDIO_TTS_HTTP_URL (e.g. http://127.0.0.1:9000)"
                )
            )
        self.url = base_url.rstrip("/") + "/tts"
        self.timeout_s = timeout_s
        self.engine_id = f"http:{base_url.rstrip('/')}"
        self.model_hash = f"remote-v{model_version}"

    def synthesize(self, tokens: Sequence[Token], prosody: Prosody) -> Audio:
        text = tokens_text(tokens)
        body = json.dumps({"text": text, "emotion": prosody.emotion}, ensure_ascii=False).encode()
        request = urllib.request.Request(
            self.url,
            data=body,
            method="POST",
            headers={"Content-Type": "application/json; charset=utf-8", "Accept": "audio/wav"},
        )
        what = _("TTS service {url}").format(url=self.url)
        try:
            with urllib.request.urlopen(request, timeout=self.timeout_s) as resp:
                ctype = resp.headers.get_content_type()
                data = resp.read()
        except urllib.error.HTTPError as exc:
            detail = exc.read(300).decode("utf-8", "replace").strip()
            raise RemoteTTSError(
                _("{what} answered HTTP {code}: {detail}").format(
                    what=what, code=exc.code, detail=detail or exc.reason
                )
            ) from None
        except TimeoutError:
            raise RemoteTTSError(self._timed_out(what)) from None
        except urllib.error.URLError as exc:
            reason = exc.reason
            if isinstance(reason, TimeoutError):
                raise RemoteTTSError(self._timed_out(what)) from None
            raise RemoteTTSError(
                _("cannot reach {what}: {reason}").format(what=what, reason=reason)
            ) from None
        except OSError as exc:  # connection reset mid-body and the like
            raise RemoteTTSError(_("{what} failed: {error}").format(what=what, error=exc)) from None
        if ctype not in _WAV_TYPES:
            raise RemoteTTSError(
                _("{what} answered {type}, expected audio/wav").format(what=what, type=repr(ctype))
            )
        return decode_wav(data, what)

    def _timed_out(self, what: str) -> str:
        return _("{what} did not answer within {seconds} s").format(what=what, seconds=f"{self.timeout_s:g}")

"""Sambert adapter with an injected fake pipeline: ModelScope cannot run here (see engines/sambert.py)."""

from __future__ import annotations

import importlib.util
import io
from collections.abc import Mapping
from typing import Any

import numpy as np
import pytest
import soundfile as sf

from engines import EngineUnavailableError, RemoteTTSError, preset
from engines.sambert import SambertEngine
from text_frontend.types import Punct, Syllable

TOKENS = (Syllable("好", "hao3", 0), Punct("！", 1))


class FakePipeline:
    """Behaves like ModelScope's: ``voice`` only counts as a keyword; returns 16 kHz WAV bytes."""

    def __init__(self) -> None:
        self.calls: list[dict[str, Any]] = []

    def __call__(self, input: str, **kwargs: Any) -> Mapping[str, Any]:
        self.calls.append({"input": input, **kwargs})
        buf = io.BytesIO()
        sf.write(buf, np.full(1600, 0.1), 16_000, format="WAV", subtype="PCM_16")
        return {"output_wav": buf.getvalue()}


def test_calls_pipeline_with_voice_keyword_and_ssml_emotion() -> None:
    fake = FakePipeline()
    audio = SambertEngine("zhitian_emo", pipeline=fake).synthesize(TOKENS, preset("surprised"))
    assert fake.calls == [
        {
            "input": '<speak><emotion category="surprise" intensity="1.0">好！</emotion></speak>',
            "voice": "zhitian_emo",
        }
    ]
    assert "parameters" not in fake.calls[0]
    assert audio.sample_rate == 16_000
    assert audio.duration_s == pytest.approx(0.1)


def test_text_is_escaped_for_ssml() -> None:
    fake = FakePipeline()
    SambertEngine(pipeline=fake).synthesize((Punct("<", 0), Syllable("好", "hao3", 1)), preset("neutral"))
    assert "&lt;好" in fake.calls[0]["input"]


def test_missing_output_wav_is_an_error() -> None:
    engine = SambertEngine(pipeline=lambda **_: {"output_pcm": b""})
    with pytest.raises(RemoteTTSError, match="output_wav"):
        engine.synthesize(TOKENS, preset("neutral"))


def test_only_emotional_voices() -> None:
    with pytest.raises(EngineUnavailableError, match="_emo"):
        SambertEngine("zhitian", pipeline=FakePipeline())


@pytest.mark.skipif(importlib.util.find_spec("modelscope") is not None, reason="modelscope is installed")
def test_without_modelscope_construction_fails_clearly() -> None:
    with pytest.raises(EngineUnavailableError, match="ModelScope"):
        SambertEngine("zhitian_emo")

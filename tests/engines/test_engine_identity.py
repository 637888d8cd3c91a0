"""A voice's identity (part of every cache key) is known without loading it, and matches the loaded voice."""

from __future__ import annotations

from pathlib import Path

import pytest

from engines.protocol import EngineUnavailableError
from engines.registry import VoiceConfig, create_engine, identify
from tests.voice_fixtures import baker_models_dir

pytestmark = pytest.mark.real_voice


def test_baker_identity_matches_the_loaded_engine() -> None:
    config = VoiceConfig(models_dir=baker_models_dir(), http_url=None, threads=1)
    engine = create_engine("baker", config)
    assert identify("baker", config) == (engine.engine_id, engine.model_hash)
    assert identify(None, config) == identify("baker", config)


def test_identity_needs_no_model_files(tmp_path: Path) -> None:
    empty = VoiceConfig(models_dir=tmp_path / "nothing-here", http_url=None, threads=1)
    engine_id, model_hash = identify("baker", empty)
    assert engine_id.startswith("baker") and len(model_hash) == 64


def test_other_voices_are_asked_directly() -> None:
    config = VoiceConfig(models_dir=baker_models_dir(), http_url="http://127.0.0.1:9/", threads=1)
    assert identify("http", config) == ("http:http://127.0.0.1:9", "remote-v1")
    with pytest.raises(EngineUnavailableError):
        identify("http", VoiceConfig(models_dir=baker_models_dir(), http_url=None, threads=1))

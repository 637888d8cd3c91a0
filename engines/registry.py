"""Voices by name. Entry points build a ``VoiceConfig`` from settings once and ask for an engine here.

Factories import their engine lazily so choosing ``http`` never loads ONNX Runtime and a missing
optional stack (ModelScope) only matters to whoever asks for that voice.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from types import MappingProxyType

from engines.protocol import TTSEngine, UnknownVoiceError
from i18n import _


@dataclass(frozen=True, slots=True)
class VoiceConfig:
    """The settings values engines need (``wiring.voice_config``).

    No defaults of its own, so none can drift from the settings'.
    """

    models_dir: Path
    http_url: str | None
    threads: int


def _baker(config: VoiceConfig) -> TTSEngine:
    from engines.baker import load_baker

    return load_baker(config.models_dir, threads=config.threads)


def _http(config: VoiceConfig) -> TTSEngine:
    from engines.http import HttpEngine

    return HttpEngine(config.http_url)


def _sambert(config: VoiceConfig) -> TTSEngine:
    from engines.sambert import SambertEngine

    return SambertEngine()


VOICES: MappingProxyType[str, Callable[[VoiceConfig], TTSEngine]] = MappingProxyType(
    {"baker": _baker, "http": _http, "sambert": _sambert}
)
DEFAULT_VOICE = "baker"


def voice_names() -> tuple[str, ...]:
    return tuple(VOICES)


def create_engine(voice: str | None, config: VoiceConfig) -> TTSEngine:
    """Build the named voice (``None`` = the default); unknown names list the valid ones."""
    name = (voice or DEFAULT_VOICE).strip().lower()
    try:
        factory = VOICES[name]
    except KeyError:
        raise UnknownVoiceError(
            _("unknown voice {voice}; choose one of: {choices}").format(
                voice=repr(voice), choices=", ".join(VOICES)
            )
        ) from None
    return factory(config)


def _baker_identity(config: VoiceConfig) -> tuple[str, str]:
    from engines.baker.identity import ENGINE_ID, combined_hash
    from models import BAKER

    return ENGINE_ID, combined_hash([(p.name, p.sha256) for p in BAKER.files])


def identify(voice: str | None, config: VoiceConfig) -> tuple[str, str]:
    """``(engine_id, model_hash)`` of a voice without loading its model.

    Cache keys need only these two values, so a re-render whose segments are all cached never pays
    for loading the voice. For baker both come from the code and the pinned hashes (a test holds
    them equal to the loaded engine's); other voices are cheap to construct and are asked directly.
    """
    name = (voice or DEFAULT_VOICE).strip().lower()
    if name == "baker":
        return _baker_identity(config)
    engine = create_engine(name, config)
    return engine.engine_id, engine.model_hash

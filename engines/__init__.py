"""Speech engines behind one small protocol (``engines.protocol.TTSEngine``), looked up by voice name.

Import concrete engines from their modules (``engines.baker``, ``engines.http``, ``engines.sambert``);
this package only re-exports the contract, presets and registry so importing it stays cheap.
"""

from engines.prosody import PRESETS, emotion_names, preset
from engines.protocol import (
    Audio,
    EngineError,
    EngineUnavailableError,
    Prosody,
    RemoteTTSError,
    TTSEngine,
    UnknownEmotionError,
    UnknownVoiceError,
    UnsupportedPinyinError,
)
from engines.registry import VoiceConfig, create_engine, voice_names

__all__ = [
    "PRESETS",
    "Audio",
    "EngineError",
    "EngineUnavailableError",
    "Prosody",
    "RemoteTTSError",
    "TTSEngine",
    "UnknownEmotionError",
    "UnknownVoiceError",
    "UnsupportedPinyinError",
    "VoiceConfig",
    "create_engine",
    "emotion_names",
    "preset",
    "voice_names",
]

"""Recogniser by name, from settings values passed in at the entry point."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from asr.protocol import Recognizer, RecognizerError
from i18n import _

ASR_ENGINES = ("whisper", "paraformer")


@dataclass(frozen=True, slots=True)
class RecognizerConfig:
    """Hashable, so a process can keep one loaded recogniser per configuration.

    Its values come from settings (``wiring.recognizer_config``); it has no defaults of its own, so
    none can drift from the settings'.
    """

    engine: str
    models_dir: Path
    model_dir: Path | None
    """Overrides where the model is read from: required for paraformer, optional for whisper."""
    threads: int
    beam_size: int
    batch_size: int


def create_recognizer(config: RecognizerConfig) -> Recognizer:
    if config.engine == "whisper":
        from asr.whisper import WhisperOptions, WhisperRecognizer

        options = WhisperOptions(
            beam_size=config.beam_size, batch_size=config.batch_size, threads=config.threads
        )
        return WhisperRecognizer(config.models_dir, options, model_dir=config.model_dir)
    if config.engine == "paraformer":
        from asr.paraformer import ParaformerRecognizer

        if config.model_dir is None:
            raise RecognizerError(_("the paraformer recogniser needs LESSONAUDIO_ASR_MODEL_DIR"))
        return ParaformerRecognizer(config.model_dir, threads=config.threads)
    raise RecognizerError(
        _("unknown ASR engine {engine}; choose one of: {choices}").format(
            engine=repr(config.engine), choices=", ".join(ASR_ENGINES)
        )
    )

"""In-process ModelScope Sambert-HiFiGAN adapter for the emotional ``*_emo`` voices.

It cannot run in this project's environment: ModelScope's TTS stack needs Python <= 3.10 plus its
kantts / ttsfrd packages, and the weights come from a model hub. It is therefore tested only with an
injected fake pipeline (``tests/engines/test_engine_sambert.py``) that checks the calling convention below,
which is easy to get silently wrong:

* the voice must be passed as the keyword ``voice=``; ``parameters={'voice': ...}`` is ignored and the
  default voice speaks instead;
* emotion goes in as SSML ``<speak><emotion category=.. intensity=..>text</emotion></speak>``;
* the result is 16 kHz WAV bytes under ``output["output_wav"]``.

The service does its own G2P, so pinyin overrides are not honoured.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from types import MappingProxyType
from typing import Any
from xml.sax.saxutils import escape

from engines.http import decode_wav
from engines.protocol import Audio, EngineUnavailableError, Prosody, RemoteTTSError, tokens_text
from i18n import _
from text_frontend.types import Token

DEFAULT_MODEL_ID = "damo/speech_sambert-hifigan_tts_zh-cn_16k"
OUTPUT_WAV = "output_wav"

# Our presets -> Sambert emotion categories (the *_emo voices know no "gentle"/"serious"/"excited").
EMOTION_CATEGORIES: Mapping[str, str] = MappingProxyType(
    {
        "neutral": "neutral",
        "happy": "happy",
        "sad": "sad",
        "angry": "angry",
        "gentle": "neutral",
        "serious": "neutral",
        "excited": "happy",
        "surprised": "surprise",
    }
)

Pipeline = Callable[..., Mapping[str, Any]]


def _modelscope_pipeline(model_id: str) -> Pipeline:
    try:
        from modelscope.pipelines import pipeline
        from modelscope.utils.constant import Tasks
    except ImportError as exc:
        raise EngineUnavailableError(
            _(
                "voice 'sambert' needs ModelScope's TTS stack (modelscope, kantts, ttsfrd; Python <= 3.10), "
                "which is not installed here ({missing}); use voice 'baker' or 'http'"
            ).format(missing=exc.name or exc)
        ) from None
    result: Pipeline = pipeline(task=Tasks.text_to_speech, model=model_id)
    return result


def ssml(text: str, category: str, intensity: float = 1.0) -> str:
    return (
        f'<speak><emotion category="{category}" intensity="{intensity:.1f}">{escape(text)}</emotion></speak>'
    )


class SambertEngine:
    """ModelScope ``*_emo`` voice; pass ``pipeline`` to inject one (tests) instead of loading ModelScope."""

    def __init__(
        self,
        voice: str = "zhitian_emo",
        *,
        model_id: str = DEFAULT_MODEL_ID,
        pipeline: Pipeline | None = None,
    ) -> None:
        if not voice.endswith("_emo"):
            raise EngineUnavailableError(
                _("sambert voice {voice} is not an emotional (*_emo) voice").format(voice=repr(voice))
            )
        self.voice = voice
        self.pipeline = pipeline if pipeline is not None else _modelscope_pipeline(model_id)
        self.engine_id = f"sambert:{voice}"
        self.model_hash = f"modelscope:{model_id}"

    def synthesize(self, tokens: Sequence[Token], prosody: Prosody) -> Audio:
        category = EMOTION_CATEGORIES.get(prosody.emotion, "neutral")
        output = self.pipeline(input=ssml(tokens_text(tokens), category), voice=self.voice)
        data = output.get(OUTPUT_WAV)
        if not isinstance(data, bytes | bytearray):
            raise RemoteTTSError(
                _("sambert pipeline returned no {name} bytes (keys {keys})").format(
                    name=repr(OUTPUT_WAV), keys=sorted(output)
                )
            )
        return decode_wav(bytes(data), _("sambert voice {voice}").format(voice=self.voice))

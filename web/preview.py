"""Preview of one paragraph (``POST /tts``): front end, cached segment synthesis, pauses, one WAV.

Segments go through the same code and the same content-addressed store as lesson renders
(``render_segment`` + ``segment_key``), so a previewed sentence is not synthesised again when the
lesson is rendered, and a sentence already rendered in a lesson previews instantly.

A preview is built in memory, so its length is bounded before anything is synthesised: the text is
at most ``MAX_PARAGRAPH_CHARS`` (2,000, checked by the request schema) and its ``[[…]]`` pauses add
up to at most ``MAX_TEXT_PAUSE_MS`` (60 s, a markup issue from the parser). The worst case is then
one long paragraph: about 2,000 syllables (a few more where digits and symbols are read out, e.g.
℃ as 摄氏度), plus 60 s of explicit pause, plus at most 0.4 s of pause after each sentence; of the
order of ten minutes and some tens of MB of 24 kHz audio.
"""

from __future__ import annotations

import io
from dataclasses import dataclass

import numpy as np
import soundfile as sf

from config import Settings
from engines import EngineError, UnknownEmotionError, preset, voice_names
from engines.registry import VoiceConfig
from i18n import _
from models.errors import ModelError
from storage.segments import SegmentStore
from tasks.jobs import SegmentJob, VoiceIdentity, segment_key
from tasks.synthesize import SynthesisError, engine_for, render_segment
from text_frontend.excerpt import excerpt
from text_frontend.types import Segment
from web.errors import ApiError
from web.frontend import SharedFrontEnd


@dataclass(frozen=True, slots=True)
class PreviewAudio:
    wav: bytes
    duration_s: float
    segments: int
    cached: int
    """How many of the segments were already in the segment store."""


def _wav_bytes(samples: np.ndarray, rate: int) -> bytes:
    buffer = io.BytesIO()
    sf.write(buffer, np.clip(samples, -1.0, 1.0), rate, subtype="PCM_16", format="WAV")
    return buffer.getvalue()


def _spoken(segments: tuple[Segment, ...]) -> list[Segment]:
    """Segments with something to say; a silent one's pause is added to the one before it."""
    kept: list[Segment] = []
    for seg in segments:
        if seg.syllables:
            kept.append(seg)
        elif kept:
            last = kept[-1]
            kept[-1] = Segment(last.text, last.tokens, last.pause_after_ms + seg.pause_after_ms)
    return kept


class PreviewService:
    """Blocking (model inference); FastAPI runs it on its thread pool."""

    def __init__(
        self,
        *,
        front_end: SharedFrontEnd,
        voice: VoiceConfig,
        store: SegmentStore,
        default_voice: str,
        max_segment_chars: int,
    ) -> None:
        self._front_end = front_end
        self._voice = voice
        self._store = store
        self._default_voice = default_voice
        self._max_chars = max_segment_chars

    @classmethod
    def from_settings(cls, settings: Settings, front_end: SharedFrontEnd) -> PreviewService:
        from wiring import cache_config, voice_config

        return cls(
            front_end=front_end,
            voice=voice_config(settings),
            store=SegmentStore(cache_config(settings).segments),
            default_voice=settings.default_voice,
            max_segment_chars=settings.max_segment_chars,
        )

    def synthesize(self, text: str, emotion: str, voice: str | None = None) -> PreviewAudio:
        try:
            prosody = preset(emotion)
        except UnknownEmotionError as err:
            raise ApiError(422, "unknown_emotion", str(err), where="emotion") from None
        voice_name = (voice or self._default_voice).strip().lower()
        if voice_name not in voice_names():
            raise ApiError(
                422,
                "unknown_voice",
                _("unknown voice `{voice}`").format(voice=voice_name),
                where="voice",
                fix=_("use one of: {choices}").format(choices=", ".join(voice_names())),
            )
        analysis = self._front_end.get().analyze(text, max_chars=self._max_chars)
        if analysis.issues:
            issue = analysis.issues[0]
            raise ApiError(
                422,
                "bad_markup",
                _("{problem}: `{text}`").format(
                    problem=issue.message, text=excerpt(text[issue.start : issue.end])
                ),
                where=f"text[{issue.start}:{issue.end}]",
                fix=issue.fix,
            )
        segments = _spoken(analysis.segments)
        if not segments:
            raise ApiError(
                422,
                "nothing_to_say",
                _("the text has no Chinese to read"),
                where="text",
                fix=_("write the paragraph in Chinese; say Latin words with [Python](派森)"),
            )
        try:
            engine = engine_for(voice_name, self._voice)
            identity = VoiceIdentity(voice_name, engine.engine_id, engine.model_hash)
            parts: list[np.ndarray] = []
            rate = 0
            cached = 0
            for index, seg in enumerate(segments):
                job = SegmentJob(
                    key=segment_key(seg, prosody, identity),
                    paragraph=1,
                    index=index,
                    segment=seg,
                    display_text=seg.text,
                    emotion=prosody.emotion,
                    prosody=prosody,
                    voice=identity,
                )
                ref = render_segment(job, self._store, self._voice)
                cached += not ref.fresh
                samples, rate = self._store.get(ref.key)
                parts.append(samples)
                if index + 1 < len(segments):
                    parts.append(np.zeros(round(seg.pause_after_ms * rate / 1000), dtype=np.float32))
        except SynthesisError as err:
            raise ApiError(422, "synthesis_failed", str(err), where="text") from None
        except (EngineError, ModelError) as err:
            raise ApiError(
                503,
                "voice_unavailable",
                _("the voice `{voice}` is not available: {reason}").format(voice=voice_name, reason=err),
                fix=_("ask the operator to run `lessonaudio models prepare`"),
            ) from None
        joined = np.concatenate(parts).astype(np.float32, copy=False)
        return PreviewAudio(_wav_bytes(joined, rate), joined.size / rate, len(segments), cached)

"""The small frozen values passed between render tasks: references and text, never audio arrays.

A :class:`SegmentJob` says exactly what to synthesise and carries its content key; a
:class:`SegmentAudio` says where the result lives. Prefect persists these (not waveforms) as task
results, so a cache record is a few hundred bytes and the audio is stored once, content-addressed.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import asdict, dataclass

from engines.protocol import Prosody
from text_frontend.types import Punct, Segment

CACHE_KEY_VERSION = 1
"""Bump when synthesis or per-segment post-processing changes how the same input sounds."""


@dataclass(frozen=True, slots=True)
class VoiceIdentity:
    """What about the voice determines the sound: part of every segment key."""

    voice: str
    engine_id: str
    model_hash: str


@dataclass(frozen=True, slots=True)
class SegmentJob:
    key: str
    paragraph: int
    """1-based paragraph number, as error messages and teachers count."""
    index: int
    """0-based position of the segment in the lesson."""
    segment: Segment
    display_text: str
    """The script's own words for this segment (markup removed): what captions show."""
    emotion: str
    prosody: Prosody
    voice: VoiceIdentity
    spelled: tuple[str, ...] = ()
    """Latin words no lexicon knows, as written, that this segment spells letter by letter."""
    lexicon_words: tuple[str, ...] = ()
    """Latin words, as written, that this segment reads with the built-in lexicon of English terms."""
    display_sources: tuple[int | None, ...] = ()
    """Per character of ``display_text``: its index in the paragraph (``Token.source`` counts so), or
    None; how the voice's token times reach the words shown. Empty: not known (no character marks)."""
    words: tuple[tuple[int, int], ...] | None = None
    """[start, end) of each word of ``display_text`` (``text_frontend.display_words``), found when the
    plan is made, so speech marks need no word matcher (nor its dictionaries) when a stored plan is
    rendered again. None: not found yet."""


@dataclass(frozen=True, slots=True)
class SegmentAudio:
    """Reference to one cleaned (trimmed, faded) segment in the segment store."""

    key: str
    path: str
    sample_rate: int
    num_samples: int
    fresh: bool
    """True when this task run synthesised the audio; False when it found it already in the store."""

    @property
    def duration_s(self) -> float:
        return self.num_samples / self.sample_rate


@dataclass(frozen=True, slots=True)
class LessonPlan:
    lesson_id: str
    title: str
    course: str | None
    spec_sha256: str
    voice: VoiceIdentity
    jobs: tuple[SegmentJob, ...]


def segment_key(segment: Segment, prosody: Prosody, voice: VoiceIdentity) -> str:
    """Hash of everything that determines a segment's sound, and nothing else.

    The pause after a segment is not included: it is silence added at assembly, so changing a pause
    re-assembles the lesson without re-synthesising anything.
    """
    tokens = [["p", t.char] if isinstance(t, Punct) else ["s", t.char, t.pinyin] for t in segment.tokens]
    payload = {
        "v": CACHE_KEY_VERSION,
        "text": segment.text,
        "tokens": tokens,
        "prosody": asdict(prosody),
        "voice": voice.voice,
        "engine": voice.engine_id,
        "model": voice.model_hash,
    }
    blob = json.dumps(payload, ensure_ascii=False, sort_keys=True, separators=(",", ":"))
    return hashlib.sha256(blob.encode("utf-8")).hexdigest()

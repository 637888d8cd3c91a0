"""Speech marks: when each sentence, word and character of the script's own words is spoken.

The voice times the tokens it was given (normalised text: "十" for "10", "派森" for "Python"); each
token that came verbatim from the script (``Token.source``) pins its time to that character of the
display text. Between two pinned characters, the unpinned characters share the unpinned tokens'
time evenly: "10" shares the time of 十, a Latin word shares the time of its reading. Punctuation and
spaces get no character mark, as in Amazon Polly's speech marks.
"""

from __future__ import annotations

import itertools
import json
import re
from collections.abc import Sequence
from dataclasses import dataclass
from json.encoder import encode_basestring
from typing import Any, Literal, NamedTuple

from audio.captions import CaptionWord
from engines.estimate import estimate_times
from tasks.assemble import AssembledLesson, SegmentTimes
from tasks.jobs import LessonPlan, SegmentJob
from text_frontend.display_words import is_pause_char, word_spans
from text_frontend.types import Syllable

Span = tuple[int, int]
MarkType = Literal["sentence", "word", "character"]
_ORDER = {"sentence": 0, "word": 1, "character": 2}
_SENTENCE_END = re.compile(r"[。！？!?…]+[”’」』）)\]]*")
_CLAUSE = re.compile(r"[，、；：,;:—]")
_OPENING = "“‘「『（(《〈【[{"


class Mark(NamedTuple):
    """One speech mark; offsets count characters (code points) of the segment's display text.

    A named tuple rather than a dataclass: a lesson has thousands, made on every render.
    """

    type: MarkType
    segment: int
    start: int
    end: int
    time: int
    """First sample on the lesson's timeline."""
    end_time: int
    value: str


@dataclass(frozen=True, slots=True)
class _Group:
    chars: list[int]
    syllables: list[int]


def char_spans(job: SegmentJob, token_spans: Sequence[Span]) -> tuple[Span | None, ...]:
    """Per character of ``job.display_text``: when it is spoken, or None for punctuation and spaces."""
    text = job.display_text
    timed = [k for k, c in enumerate(text) if not is_pause_char(c)]
    syllable_spans = [
        span for tok, span in zip(job.segment.tokens, token_spans, strict=True) if isinstance(tok, Syllable)
    ]
    sources = [tok.source for tok in job.segment.tokens if isinstance(tok, Syllable)]
    position = {src: k for k, src in enumerate(job.display_sources) if src is not None}
    out: list[Span | None] = [None] * len(text)
    for group in _groups(timed, _anchors(sources, position), len(syllable_spans)):
        if not group.chars or not group.syllables:
            continue
        spans = [syllable_spans[y] for y in group.syllables]
        if len(group.chars) == len(spans):
            for k, span in zip(group.chars, spans, strict=True):
                out[k] = span
            continue
        first, last = spans[0][0], spans[-1][1]
        n = len(group.chars)
        for i, k in enumerate(group.chars):
            out[k] = (first + (last - first) * i // n, first + (last - first) * (i + 1) // n)
    return tuple(out)


def _anchors(sources: Sequence[int | None], position: dict[int, int]) -> list[Span]:
    """(display character, syllable) pairs pinned by ``Token.source``, increasing in both."""
    anchors: list[Span] = []
    for y, src in enumerate(sources):
        k = position.get(src) if src is not None else None
        if k is not None and (not anchors or (k > anchors[-1][0] and y > anchors[-1][1])):
            anchors.append((k, y))
    return anchors


def _groups(timed: Sequence[int], anchors: Sequence[Span], syllables: int) -> list[_Group]:
    """Characters and syllables that share time: each anchor, and what lies between anchors.

    Characters between two anchors with no syllables between them were said within the anchors
    ("Python": 派 pins P, 森 pins n), so they join both; syllables with no characters between the
    anchors (a reading normalisation added) join the character before them.
    """
    groups: list[_Group] = []
    previous: Span = (-1, -1)
    t = 0  # the next character of ``timed`` not yet in a group
    for anchor in [*anchors, (len(timed) and timed[-1] + 1, syllables)]:
        while t < len(timed) and timed[t] <= previous[0]:
            t += 1
        chars: list[int] = []
        while t < len(timed) and timed[t] < anchor[0]:
            chars.append(timed[t])
            t += 1
        sylls = list(range(previous[1] + 1, anchor[1]))
        is_end = anchor[1] == syllables
        own = _Group([] if is_end else [anchor[0]], [] if is_end else [anchor[1]])
        if chars and sylls:
            groups += [_Group(chars, sylls), own]
        elif chars and groups:  # said within the anchors around them: one group
            groups[-1].chars.extend([*chars, *own.chars])
            groups[-1].syllables.extend(own.syllables)
        elif chars:
            groups.append(_Group([*chars, *own.chars], own.syllables))
        elif sylls and groups:
            groups[-1].syllables.extend(sylls)
            groups.append(own)
        else:
            groups.append(_Group(own.chars, [*sylls, *own.syllables]))
        previous = anchor
    return groups


def _extent(spans: Sequence[Span | None], start: int, end: int) -> Span | None:
    inside = [s for s in spans[start:end] if s is not None]
    return (min(a for a, _ in inside), max(b for _, b in inside)) if inside else None


def sentence_spans(text: str) -> list[Span]:
    """[start, end) of each sentence of ``text``, closing punctuation included, spaces around excluded."""
    cuts = [0, *(m.end() for m in _SENTENCE_END.finditer(text)), len(text)]
    out: list[Span] = []
    for a, b in itertools.pairwise(cuts):
        piece = text[a:b]
        lead = len(piece) - len(piece.lstrip())
        if piece.strip():
            out.append((a + lead, a + lead + len(piece.strip())))
    return out


@dataclass(frozen=True, slots=True)
class ShownTimes:
    """One segment's display text with its characters' and words' times (lesson samples)."""

    job: SegmentJob
    chars: tuple[Span | None, ...]
    """Per character: when it is spoken; None for punctuation and spaces."""
    words: tuple[Span, ...]
    """[start, end) offsets of each word (``text_frontend.display_words``)."""
    word_times: tuple[Span | None, ...]
    """When each word is spoken, first character to last."""
    whole: Span
    """When the segment's tokens are spoken, first to last."""
    content: tuple[object, ...] = ()
    """What fixes these times relative to ``whole[0]``: a key for remembering what is made of them."""


def _words(job: SegmentJob) -> tuple[Span, ...]:
    """The words of the segment's display text: found by the plan, or now (a job made elsewhere)."""
    return job.words if job.words is not None else word_spans(job.display_text)


def shown_times(job: SegmentJob, times: SegmentTimes) -> ShownTimes:
    spans = times.spans
    start = min((a for a, _ in spans), default=0)
    relative = tuple((a - start, b - start) for a, b in spans)
    content = (job.key, job.display_text, job.display_sources, relative)
    chars, word_times = _relative_times(job, content, relative)

    def moved(span: Span | None) -> Span | None:
        return None if span is None else (span[0] + start, span[1] + start)

    whole = (start, max(b for _, b in spans)) if spans else (0, 0)
    words = _words(job)
    return ShownTimes(job, tuple(map(moved, chars)), words, tuple(map(moved, word_times)), whole, content)


_Times = tuple[Span | None, ...]
_CACHE_LIMIT = 8192
_RELATIVE: dict[tuple[object, ...], tuple[_Times, _Times]] = {}
_FRAGMENTS: dict[tuple[object, ...], list[tuple[int, int, str]]] = {}


def _relative_times(
    job: SegmentJob, content: tuple[object, ...], relative: tuple[Span, ...]
) -> tuple[_Times, _Times]:
    """Character and word times of a segment whose first token starts at 0, remembered by content
    (the segment's key fixes its tokens): a re-render in the same process (a worker, the web
    server) maps only the segments that changed."""
    found = _RELATIVE.get(content)
    if found is None:
        chars = char_spans(job, relative)
        found = (chars, tuple(_extent(chars, a, b) for a, b in _words(job)))
        if len(_RELATIVE) >= _CACHE_LIMIT:
            _RELATIVE.clear()
        _RELATIVE[content] = found
    return found


def marks_json_items(shown: ShownTimes, sample_rate: int) -> list[str]:
    """The segment's marks as JSON objects (``marks.json``), their JSON remembered like its times."""
    key = (*shown.content, shown.job.index) if shown.content else ()
    offset = shown.whole[0]
    fragments = _FRAGMENTS.get(key) if key else None
    if fragments is None:
        fragments = [
            (
                m.time - offset,
                m.end_time - offset,
                f'"type":"{m.type}","segment":{m.segment},"start":{m.start},"end":{m.end},'
                f'"value":{encode_basestring(m.value)}}}',
            )
            for m in segment_marks(shown)
        ]
        if key:
            if len(_FRAGMENTS) >= _CACHE_LIMIT:
                _FRAGMENTS.clear()
            _FRAGMENTS[key] = fragments
    scale = 1000 / sample_rate
    return [
        f'{{"time":{round((a + offset) * scale)},"end_time":{round((b + offset) * scale)},{tail}'
        for a, b, tail in fragments
    ]


def lesson_marks(plan: LessonPlan, lesson: AssembledLesson) -> list[list[dict[str, Any]]]:
    """Each segment's marks as ``marks.json`` holds them (milliseconds on the lesson's timeline).

    Made by the same code as the file, for what is written before it: the QA report's players follow
    the text with them, and the report is written by the back-check, ahead of the descriptions.
    """
    out: list[list[dict[str, Any]]] = []
    for job, times in zip(plan.jobs, segment_times(plan, lesson), strict=True):
        items = marks_json_items(shown_times(job, times), lesson.sample_rate)
        out.append(json.loads(f"[{','.join(items)}]"))
    return out


def segment_marks(shown: ShownTimes) -> list[Mark]:
    """Sentence, word and character marks of one segment, in time order."""
    text, chars = shown.job.display_text, shown.chars
    index = shown.job.index
    marks: list[Mark] = []
    for a, b in sentence_spans(text):
        extent = _extent(chars, a, b)
        if extent is not None:
            marks.append(Mark("sentence", index, a, b, extent[0], extent[1], text[a:b]))
    for (a, b), extent in zip(shown.words, shown.word_times, strict=True):
        if extent is not None:
            marks.append(Mark("word", index, a, b, extent[0], extent[1], text[a:b]))
    for k, span in enumerate(chars):
        if span is not None:
            marks.append(Mark("character", index, k, k + 1, span[0], span[1], text[k]))
    return sorted(marks, key=lambda m: (m.time, _ORDER[m.type], m.start))


def segment_times(plan: LessonPlan, lesson: AssembledLesson) -> tuple[SegmentTimes, ...]:
    """The assembly's token times, or an even share of each segment's span if it kept none."""
    if len(lesson.times) == len(plan.jobs):
        return lesson.times
    rate = lesson.sample_rate
    out = []
    for job, (start, end) in zip(plan.jobs, lesson.spans, strict=True):
        a, b = round(start * rate), round(end * rate)
        times = estimate_times(job.segment.tokens, b - a).shifted(a, b)
        out.append(SegmentTimes(times.spans, times.source))
    return tuple(out)


def caption_words(shown: Sequence[ShownTimes], sample_rate: int) -> list[CaptionWord]:
    """Every segment's words with the punctuation after them, timed by their characters' marks."""

    def ms(sample: int) -> int:
        return round(sample * 1000 / sample_rate)

    out: list[CaptionWord] = []
    for segment in shown:
        text = segment.job.display_text
        words = segment.words or ((0, len(text)),)
        cuts = [0, *(_opening(text, a) for a, _ in words[1:]), len(text)]
        last = segment.whole
        word_times = segment.word_times if segment.words else (segment.whole,)
        for (a, b), (_, word_end), timed in zip(itertools.pairwise(cuts), words, word_times, strict=True):
            extent = timed or (last[1], last[1])  # a word's punctuation and quotes take no time
            tail = text[word_end:b]
            strength = 3 if _SENTENCE_END.search(tail) else 2 if _CLAUSE.search(tail) else 1
            if b == len(text):  # the end of a segment: a pause, or the cut of a long sentence
                strength = max(strength, 2)
            out.append(CaptionWord(text[a:b], ms(extent[0]), ms(extent[1]), strength, segment.job.paragraph))
            last = extent
    return out


def _opening(text: str, start: int) -> int:
    """A word's start moved back over the opening quotes and brackets before it: they go with it."""
    while start > 0 and text[start - 1] in _OPENING:
        start -= 1
    return start

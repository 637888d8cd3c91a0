"""Turn a validated lesson into the list of segments to synthesise, each with its content key."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import replace
from typing import TYPE_CHECKING

from engines.prosody import preset
from lesson_specs.model import PARAGRAPH_PAUSE_MS, LessonSpec, Paragraph
from tasks.display import display_map, display_maps
from tasks.jobs import LessonPlan, SegmentJob, VoiceIdentity, segment_key
from text_frontend.display_words import word_spans
from text_frontend.latin.words import words_in
from text_frontend.types import Segment

if TYPE_CHECKING:
    from text_frontend.frontend import FrontEnd


def display_text(paragraph_text: str, segment: Segment) -> str:
    """The script's own words of a paragraph read as this one segment (``tasks.display.display_map``)."""
    return display_map(paragraph_text, segment).text


def plan_paragraphs(
    spec: LessonSpec,
    front_end: FrontEnd,
    voice: VoiceIdentity,
    *,
    max_chars: int,
    on_paragraph: Callable[[Sequence[SegmentJob]], None] | None = None,
) -> LessonPlan:
    """Front end over every paragraph; pure and deterministic, so keys are stable across runs.

    ``on_paragraph`` sees each paragraph's jobs as soon as they exist, so the render can start
    synthesising the first paragraph while the front end reads the rest. (A later paragraph that
    opens with a pause mark lengthens the pause after the job before it; pauses are not synthesised.)
    """
    jobs: list[SegmentJob] = []
    for paragraph in spec.paragraphs:
        new = _paragraph_jobs(spec, paragraph, front_end, voice, max_chars, jobs)
        jobs.extend(new)
        if on_paragraph is not None:
            on_paragraph(new)
    return LessonPlan(spec.id, spec.title, spec.course, spec.sha256, voice, tuple(jobs))


def _paragraph_jobs(
    spec: LessonSpec,
    paragraph: Paragraph,
    front_end: FrontEnd,
    voice: VoiceIdentity,
    max_chars: int,
    earlier: list[SegmentJob],
) -> list[SegmentJob]:
    """Jobs for one paragraph; silences with nothing to say are added to the job before them."""
    pause = paragraph.pause_after_ms if paragraph.pause_after_ms is not None else PARAGRAPH_PAUSE_MS
    analysis = front_end.analyze(paragraph.text, spec.lexicon, max_chars=max_chars, pause_after_ms=pause)
    prosody = preset(paragraph.emotion.value)
    start_index = len(earlier)
    jobs: list[SegmentJob] = []
    if analysis.leading_pause_ms and earlier:
        earlier[-1] = _lengthen(earlier[-1], analysis.leading_pause_ms)
    # Display texts are cut from the paragraph together, so what no segment said verbatim (a number,
    # a formula, a Latin word at a segment's edge) is shown by the segment that spoke it.
    displays = iter(display_maps(paragraph.text, [s for s in analysis.segments if s.syllables]))
    for segment in analysis.segments:
        if not segment.syllables:
            # Nothing to say (a lone pause mark, unspoken symbols): keep its silence, drop the segment.
            if jobs:
                jobs[-1] = _lengthen(jobs[-1], segment.pause_after_ms)
            elif earlier:
                earlier[-1] = _lengthen(earlier[-1], segment.pause_after_ms)
            continue
        shown = next(displays)
        jobs.append(
            SegmentJob(
                key=segment_key(segment, prosody, voice),
                paragraph=paragraph.number,
                index=start_index + len(jobs),
                segment=segment,
                display_text=shown.text,
                display_sources=shown.sources,
                emotion=paragraph.emotion.value,
                prosody=prosody,
                voice=voice,
                spelled=words_in(segment, analysis.latin_words, "spelled"),
                lexicon_words=words_in(segment, analysis.latin_words, "lexicon"),
                words=word_spans(shown.text),
            )
        )
    return jobs


def _lengthen(job: SegmentJob, extra_ms: int) -> SegmentJob:
    longer = replace(job.segment, pause_after_ms=job.segment.pause_after_ms + extra_ms)
    return replace(job, segment=longer)

"""Warnings for text the voice would not say as written: skipped symbols, spelled words, long readings.

These are warnings, not errors: the lesson still renders, but the teacher should know that an emoji
will not be heard, that "Zoom" will be spelled Z-O-O-M unless the lexicon says how to say it, and
that a 200-digit number will be read out digit group by digit group for a minute.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from i18n import _
from lesson_specs.diagnostics import Diagnostic
from lesson_specs.model import LessonSpec, Paragraph
from text_frontend.excerpt import excerpt
from text_frontend.latin.letters import spelled_out

if TYPE_CHECKING:
    from text_frontend.frontend import Analysis, FrontEnd

DEFAULT_MAX_SYLLABLES = 50
"""The default segment limit (``LESSONAUDIO_MAX_SEGMENT_CHARS``); callers pass the configured one."""


def pronunciation_warnings(
    spec: LessonSpec, front_end: FrontEnd, max_syllables: int = DEFAULT_MAX_SYLLABLES
) -> list[Diagnostic]:
    """Every warning for ``spec``: unpronounced text, spelled words, readings over ``max_syllables``."""
    found: list[Diagnostic] = []
    for paragraph in spec.paragraphs:
        analysis = front_end.analyze(paragraph.text, spec.lexicon, max_chars=max_syllables)
        found.extend(_unspoken(spec, paragraph, analysis))
        found.extend(_spelled(spec, paragraph, analysis))
        found.extend(_long_readings(spec, paragraph, analysis, max_syllables))
        found.extend(_doubts(spec, paragraph, analysis))
    return sorted(found, key=lambda d: (d.line, d.col))


def unspoken_warnings(spec: LessonSpec, front_end: FrontEnd) -> list[Diagnostic]:
    """One warning per span of paragraph text that the front end would not pronounce."""
    found: list[Diagnostic] = []
    for paragraph in spec.paragraphs:
        found.extend(_unspoken(spec, paragraph, front_end.analyze(paragraph.text, spec.lexicon)))
    return found


def _unspoken(spec: LessonSpec, paragraph: Paragraph, analysis: Analysis) -> list[Diagnostic]:
    found: list[Diagnostic] = []
    for span in analysis.unspoken:
        line, col = paragraph.origin.at(span.start)
        word = excerpt(span.text.strip() or span.text)
        found.append(
            Diagnostic(
                spec.source,
                line,
                col,
                _("`{word}` will not be pronounced").format(word=word),
                _("add a lexicon entry such as `{word}: 读法` or write [{word}](读法) inline").format(
                    word=word
                ),
                paragraph.number,
                "warning",
            )
        )
    return found


def _spelled(spec: LessonSpec, paragraph: Paragraph, analysis: Analysis) -> list[Diagnostic]:
    """A word no lexicon knows is spelled; say so with the entry that would make it a word again."""
    found: list[Diagnostic] = []
    units = [(d.start, d.end) for d in analysis.doubts if d.kind == "unit"]
    for word in analysis.latin_words:
        if word.kind != "spelled" or any(s <= word.start and word.end <= e for s, e in units):
            continue  # a spelled piece of a unit is told once, by _doubts
        line, col = paragraph.origin.at(word.start)
        quoted = excerpt(word.text)
        found.append(
            Diagnostic(
                spec.source,
                line,
                col,
                _("`{word}` is not in the lexicon and will be spelled {letters}").format(
                    word=quoted, letters=excerpt(spelled_out(word.text), 24)
                ),
                _(
                    "if it is said as a word, add `{word}: 读法` to the lesson's lexicon"
                    " (Chinese or pinyin, e.g. `Python: 派森`)"
                ).format(word=quoted),
                paragraph.number,
                "warning",
            )
        )
    return found


def _long_readings(
    spec: LessonSpec, paragraph: Paragraph, analysis: Analysis, max_syllables: int
) -> list[Diagnostic]:
    found: list[Diagnostic] = []
    for reading in analysis.long_readings:
        line, col = paragraph.origin.at(reading.start)
        written = excerpt(paragraph.text[reading.start : reading.end].strip())
        found.append(
            Diagnostic(
                spec.source,
                line,
                col,
                _(
                    "`{written}` is read as {syllables} syllables, more than one segment holds"
                    " ({limit}), so it will be cut mid-reading"
                ).format(written=written, syllables=reading.syllables, limit=max_syllables),
                _("write it in words or shorten it"),
                paragraph.number,
                "warning",
            )
        )
    return found


def _doubts(spec: LessonSpec, paragraph: Paragraph, analysis: Analysis) -> list[Diagnostic]:
    """A unit read letter by letter, or an exponent no lesson could mean: said where it is written."""
    found: list[Diagnostic] = []
    for doubt in analysis.doubts:
        line, col = paragraph.origin.at(doubt.start)
        written = excerpt(doubt.text)
        if doubt.kind == "unit":
            message = _(
                "`{unit}` looks like a unit the reader does not know; it would be spelled letter by letter"
            )
            fix = _(
                "write the unit in Chinese, such as 毫克每分升, or give its reading inline: [{unit}](读法)"
            )
        elif doubt.kind == "large_exponent":
            message = _("the exponent in `{number}` has {digits} digits, more than any quantity in a lesson")
            fix = _("check it for a typo, or write the number in Chinese")
        else:
            message = _(
                "the exponent in `{number}` has {digits} digits, too many to read aloud, so it is left out"
            )
            fix = _("check it for a typo, or write the number in Chinese")
        found.append(
            Diagnostic(
                spec.source,
                line,
                col,
                message.format(unit=written, number=written, digits=doubt.digits),
                fix.format(unit=written),
                paragraph.number,
                "warning",
            )
        )
    return found

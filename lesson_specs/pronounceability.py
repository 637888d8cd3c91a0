"""Warnings for text the voice would not say as written: skipped symbols, spelled words, long readings.

These are warnings, not errors: the lesson still renders, but the teacher should know that an emoji
will not be heard, that "Zoom" will be spelled Z-O-O-M unless the lexicon says how to say it, and
that a 200-digit number will be read out digit group by digit group for a minute.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from engines.baker.phones import can_say
from engines.registry import DEFAULT_VOICE
from i18n import _
from lesson_specs.diagnostics import Diagnostic
from lesson_specs.model import LessonSpec, Paragraph
from text_frontend.excerpt import excerpt
from text_frontend.latin.letters import spelled_out
from text_frontend.markup import Alias, Markup, Plain, parse_markup
from text_frontend.normalize import is_han

if TYPE_CHECKING:
    from text_frontend.frontend import Analysis, FrontEnd

DEFAULT_MAX_SYLLABLES = 50
"""The default segment limit (``LESSONAUDIO_MAX_SEGMENT_CHARS``); callers pass the configured one."""


def pronunciation_warnings(
    spec: LessonSpec, front_end: FrontEnd, max_syllables: int = DEFAULT_MAX_SYLLABLES
) -> list[Diagnostic]:
    """Every finding of reading ``spec``: unpronounced text, spelled words, readings over
    ``max_syllables`` (warnings), and syllables the voice cannot say (errors: it would not render)."""
    found: list[Diagnostic] = []
    for paragraph in spec.paragraphs:
        analysis = front_end.analyze(paragraph.text, spec.lexicon, max_chars=max_syllables)
        found.extend(_unspoken(spec, paragraph, analysis))
        found.extend(_spelled(spec, paragraph, analysis))
        found.extend(_long_readings(spec, paragraph, analysis, max_syllables))
        found.extend(_doubts(spec, paragraph, analysis))
        found.extend(_unsayable(spec, paragraph, analysis))
        markup = parse_markup(paragraph.text)
        found.extend(_markup_hints(spec, paragraph, markup))
        found.extend(_spelled_aliases(spec, paragraph, markup))
    return sorted(found, key=lambda d: (d.line, d.col))


def _unsayable(spec: LessonSpec, paragraph: Paragraph, analysis: Analysis) -> list[Diagnostic]:
    """A syllable the voice has no phones for (呣 ``m2``, 噷 ``hm5``): the render would fail on it.

    Checked here, without the model, so the teacher hears of it at validation rather than from a
    failed render; an override cannot fix it, only other characters can. The one finding here that
    is an error: the script cannot render as it is.
    """
    if (spec.voice or DEFAULT_VOICE).strip().lower() != "baker":
        return []  # other voices' inventories are not known here
    found: list[Diagnostic] = []
    for syllable in analysis.syllables:
        if can_say(syllable.pinyin):
            continue
        line, col = paragraph.origin.at(syllable.source or 0)
        found.append(
            Diagnostic(
                spec.source,
                line,
                col,
                _(
                    "`{char}` is read {pinyin}, a syllable the voice cannot say, so the render will fail"
                ).format(char=syllable.char, pinyin=syllable.pinyin),
                _("write the sound with characters the voice can say, e.g. [{char}](嗯) or 嗯").format(
                    char=syllable.char
                ),
                paragraph.number,
                "error",
            )
        )
    return found


def _markup_hints(spec: LessonSpec, paragraph: Paragraph, markup: Markup) -> list[Diagnostic]:
    """Full-width brackets that look like markup but were read as text (see ``Markup.hints``)."""
    found: list[Diagnostic] = []
    for hint in markup.hints:
        line, col = paragraph.origin.at(hint.start)
        found.append(Diagnostic(spec.source, line, col, hint.message, hint.fix, paragraph.number, "warning"))
    return found


def _spelled_aliases(spec: LessonSpec, paragraph: Paragraph, markup: Markup) -> list[Diagnostic]:
    """An alias of Latin letters only (``[行](hang-2)``) is said letter by letter: almost never meant.

    Such an alias is nearly always pinyin that failed the pinyin test (a stray sign, a hyphen), and
    without a word the lesson would say 艾尺诶恩吉 where the teacher wrote a reading. An alias with
    Chinese in it (``[C++](C加加)``) spells its letters on purpose and is left alone.
    """
    said: list[tuple[int, str, str]] = []
    for piece in markup.pieces:
        if isinstance(piece, Alias):
            said.append((piece.start, piece.text, piece.spoken))
        elif isinstance(piece, Plain):
            for at, entry in spec.lexicon.matches(piece.text):
                if entry.alias is not None:
                    said.append((piece.start + at, entry.word, entry.alias))
    found: list[Diagnostic] = []
    for start, word, alias in said:
        if any(is_han(ch) for ch in alias) or not any(ch.isascii() and ch.isalpha() for ch in alias):
            continue
        line, col = paragraph.origin.at(start)
        found.append(
            Diagnostic(
                spec.source,
                line,
                col,
                _("the reading `{alias}` of `{word}` is not pinyin, so it will be spelled {letters}").format(
                    alias=excerpt(alias), word=excerpt(word), letters=excerpt(spelled_out(alias), 24)
                ),
                _("write pinyin with a tone digit per character, e.g. [行](hang2), or the words in Chinese"),
                paragraph.number,
                "warning",
            )
        )
    return found


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

"""Spell the Latin words nothing else could read, so no word silently drops out of the audio.

This runs after normalisation: by then the symbol layer has read variables and short capitals,
the number normaliser has read units (``5kg``) and every lexicon has had its say, so a Latin letter
still written as itself is part of a word the voice cannot say. The voice only knows Mandarin
syllables, so the word is spelled with classroom letter names and reported, for the validator to
suggest a lexicon entry.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from text_frontend.latin.letters import base_letter, spell
from text_frontend.latin.words import LatinWord, reading_chars
from text_frontend.normalize.annotated import Char


@dataclass(slots=True)
class Spelled:
    """The characters with every leftover word spelled, the words, and each word's atom → span."""

    chars: list[Char]
    words: list[LatinWord] = field(default_factory=list)
    spans: dict[int, tuple[int, int]] = field(default_factory=dict)


def _leftover(c: Char) -> bool:
    return c.source is not None and c.pinned is None and c.atom is None and base_letter(c.char) is not None


def _inserted(c: Char) -> bool:
    return c.source is None and c.pinned is None and c.atom is None and base_letter(c.char) is not None


def spell_spoken(chars: list[Char]) -> list[Char]:
    """Spell the letters of an alias's spoken text (``[显卡](gpu加速)``) in place.

    They are what the teacher asked to hear, so they are spelled without a report; the characters
    keep their origin and atom and, like the rest of the alias, have no source.
    """
    out: list[Char] = []
    i = 0
    while i < len(chars):
        c = chars[i]
        if c.pinned is not None or base_letter(c.char) is None:
            out.append(c)
            i += 1
            continue
        j = i + 1
        while j < len(chars) and chars[j].pinned is None and base_letter(chars[j].char) is not None:
            j += 1
        reading = spell("".join(ch.char for ch in chars[i:j]))
        out.extend(
            Char(ch, None, py, c.origin, c.atom) for ch, py in zip(reading.text, reading.pinyin, strict=True)
        )
        i = j
    return out


def _follows(a: Char, b: Char) -> bool:
    """``b`` was written right after ``a``: letters split by a space or a symbol are two words."""
    return a.source is not None and b.source == a.source + 1


def spell_leftovers(chars: list[Char], original: str, first_atom: int) -> Spelled:
    """Replace each run of written letters in ``chars`` by its spelling; atoms are numbered from
    ``first_atom`` so each word stays whole within a segment."""
    out = Spelled([])
    i = 0
    while i < len(chars):
        c = chars[i]
        if _inserted(c):
            # Letters a reading put there (the Zr of 带四个单位正电荷的Zr离子) were never written
            # as a word: spelled, not reported.
            j = i + 1
            while j < len(chars) and _inserted(chars[j]):
                j += 1
            out.chars.extend(spell_spoken(chars[i:j]))
            i = j
            continue
        if not _leftover(c):
            out.chars.append(c)
            i += 1
            continue
        j = i + 1
        while j < len(chars) and _leftover(chars[j]) and _follows(chars[j - 1], chars[j]):
            j += 1
        start, end = c.source, chars[j - 1].source
        assert start is not None and end is not None
        word = original[start : end + 1]
        reading = spell(word)
        atom = first_atom + len(out.spans)
        out.chars.extend(reading_chars(reading, start, end + 1, "g2p", atom))
        out.words.append(LatinWord(start, end + 1, word, "spelled", reading.text))
        out.spans[atom] = (start, end + 1)
        i = j
    return out

"""The built-in lexicon of English terms and abbreviations (``data/english_terms.tsv``).

It is the lowest lexicon layer: the front end consults it only for text that inline markup and the
lesson's and course's lexicons left alone, so a teacher can always say a term differently. Matching
ignores case, because teachers type ``GPU``, ``gpu`` and ``Gpu`` for the same thing, and takes only
whole words, so ``app`` in ``apple`` is not a term. The table is read and compiled on first use, once
per process.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache
from importlib.resources import files

from errors import InputError
from text_frontend.latin.letters import spell
from text_frontend.normalize.annotated import Annotated, Char
from text_frontend.normalize.symbols import Reading
from text_frontend.pinyin import normalize_syllable

_DATA = "english_terms.tsv"
_MATH_NEIGHBOURS = frozenset("=<>+×÷≠≈≤≥∠△⊥∥^²³")


class TermTableError(InputError, ValueError):
    """A line of the built-in table that cannot be used; raised when the table is first loaded."""


@dataclass(frozen=True, slots=True)
class Term:
    """A term as the table spells it (``Android``) and what is said for it (安卓 an1 zhuo2).

    ``spelled``: the table gives no reading, so the term is an abbreviation said letter by letter.
    """

    word: str
    reading: Reading
    spelled: bool = False


@dataclass(frozen=True, slots=True)
class TermMatch:
    """``term`` occurs at ``[start, end)`` of the searched text, written as ``written``."""

    start: int
    end: int
    written: str
    term: Term


@dataclass(frozen=True, slots=True)
class _Table:
    by_key: dict[str, Term]
    pattern: re.Pattern[str]


def parse_terms(text: str, name: str = _DATA) -> tuple[Term, ...]:
    """Terms from the table's text; a bad line raises :class:`TermTableError` naming ``name:line``."""
    terms: list[Term] = []
    for number, line in enumerate(text.splitlines(), start=1):
        if not line.strip() or line.startswith("#"):
            continue
        word, *rest = line.rstrip("\n").split("\t")
        try:
            terms.append(Term(word, _reading(word, rest), spelled=not any(rest)))
        except ValueError as err:
            raise TermTableError(f"{name}:{number}: {err}") from None
    return tuple(terms)


def _reading(word: str, rest: list[str]) -> Reading:
    if not word or word != word.strip():
        raise ValueError(f"term {word!r} is empty or has spaces around it")
    if not any(rest):
        reading = spell(word)
        if not reading.text or any(ch.isdigit() for ch in word):
            raise ValueError(f"{word!r} cannot be spelled letter by letter: give its characters and pinyin")
        return reading
    if len(rest) != 2:
        raise ValueError(f"{word!r}: expected the term, its characters and their pinyin, TAB-separated")
    chars, pinyin = rest
    return Reading(chars, tuple(normalize_syllable(p) for p in pinyin.split()))


def _pattern(word: str) -> str:
    """``word`` as a whole word: no letter or digit glued to a Latin or digit edge."""
    body = re.escape(word)
    if word[0].isascii() and word[0].isalnum():
        body = r"(?<![A-Za-z0-9])" + body
    if word[-1].isascii() and word[-1].isdigit():
        body += r"(?![0-9]|\.[0-9])"
    elif word[-1].isascii() and word[-1].isalpha():
        body += r"(?![A-Za-z])"
    return body


@cache
def _table() -> _Table:
    terms = parse_terms(files("text_frontend").joinpath("data", _DATA).read_text(encoding="utf-8"))
    by_key = {t.word.lower(): t for t in terms}
    # Longest first, so Wi-Fi is not matched as its prefix and PM2.5 wins over a shorter term.
    ordered = sorted(by_key.values(), key=lambda t: -len(t.word))
    alternatives = "|".join(_pattern(t.word) for t in ordered)
    return _Table(by_key, re.compile(rf"(?=[A-Za-z0-9])(?:{alternatives})", re.IGNORECASE))


def builtin_terms() -> tuple[Term, ...]:
    """Every term in the built-in table."""
    return tuple(_table().by_key.values())


def find_terms(text: str) -> list[TermMatch]:
    """Built-in terms in ``text``, in order and not overlapping.

    A term right after a number is left alone: there ``cd`` or ``atm`` is a unit, which the number
    normaliser reads. So is an abbreviation beside a maths sign: in ``AB=CD`` the CD is a segment's
    end points, which the maths layer spells just the same, not a compact disc.
    """
    if not re.search(r"[A-Za-z]", text):
        return []
    table = _table()
    found: list[TermMatch] = []
    for match in table.pattern.finditer(text):
        before = text[: match.start()].rstrip(" ")
        if before and before[-1].isdigit():
            continue
        term = table.by_key[match.group().lower()]
        if term.word[0].isdigit() and match.group() != term.word:
            continue  # 5g is five grams and 3d three days; only 5G and 3D are the terms
        if term.spelled and _beside_maths(text, match.start(), match.end()):
            continue
        found.append(TermMatch(match.start(), match.end(), match.group(), term))
    return found


def _beside_maths(text: str, start: int, end: int) -> bool:
    before, after = text[:start].rstrip(" "), text[end:].lstrip(" ")
    return bool(before and before[-1] in _MATH_NEIGHBOURS) or bool(after and after[0] in _MATH_NEIGHBOURS)


def with_term_readings(text: str) -> Annotated:
    """Produced text (an alias's words) with each built-in term replaced by its pinned reading.

    Such text has no place in the paragraph, so nothing is recorded: the teacher chose the words.
    """
    chars: list[Char] = []
    cursor = 0
    for match in find_terms(text):
        chars.extend(Char(ch) for ch in text[cursor : match.start])
        reading = match.term.reading
        chars.extend(Char(ch, None, py) for ch, py in zip(reading.text, reading.pinyin, strict=True))
        cursor = match.end
    chars.extend(Char(ch) for ch in text[cursor:])
    return Annotated(tuple(chars))

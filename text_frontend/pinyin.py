"""Pinyin spelling: one canonical form (``hang2``, ``lv4``, ``de5``) for every reading we accept.

Teachers type pinyin in many ways (``háng``, ``HANG2``, ``lü4``, ``lu:4``); the front end, the cache keys
and the voice's phone mapper must all see the same string, so everything is funnelled through
:func:`normalize_syllable`. The inventory of valid syllables comes from pypinyin's dictionary, so it is
the set real Chinese characters are read with, not a hand-kept list.
"""

from __future__ import annotations

import re
from functools import cache

from errors import InputError
from i18n import _
from text_frontend.excerpt import excerpt

_QUOTE_CHARS = 20  # a syllable is at most six letters; anything longer is quoted in part
_TONE_MARKS = re.compile(r"[āáǎàēéěèīíǐìōóǒòūúǔùǖǘǚǜńňǹḿ]")


class PinyinError(InputError, ValueError):
    """A syllable that is not Mandarin; ``fix`` tells the writer what to type instead."""

    def __init__(self, syllable: str, message: str, fix: str) -> None:
        super().__init__(message)
        self.syllable = syllable
        self.fix = fix


@cache
def syllable_inventory() -> frozenset[str]:
    """Toneless syllables (``v`` for ü) that some character in pypinyin's dictionary is read as.

    pypinyin is imported by the functions that need it: importing it loads its phrase dictionary,
    and reading a script that writes no pinyin (or rendering its stored plan) needs none of it.
    """
    from pypinyin.contrib.tone_convert import to_normal
    from pypinyin.pinyin_dict import pinyin_dict

    found: set[str] = set()
    for readings in pinyin_dict.values():
        for reading in readings.split(","):
            found.add(to_normal(reading).replace("ü", "v"))
    found.discard("ê")
    return frozenset(found)


def normalize_syllable(raw: str) -> str:
    """Return ``raw`` as lowercase tone-numbered pinyin with ``v`` for ü, or raise :class:`PinyinError`.

    A syllable without a tone, or with two (``hāng2``), is refused rather than guessed: the point of
    an override is to pin the reading, and a silent default would defeat it.
    """
    quoted = excerpt(raw, _QUOTE_CHARS)
    text = raw.strip().lower().replace("u:", "v").replace("ü", "v")
    if _TONE_MARKS.search(text):
        if any(ch.isdigit() for ch in text):
            raise _two_tones(raw, text)
        from pypinyin.contrib.tone_convert import to_tone3

        text = to_tone3(text.replace("v", "ü"), neutral_tone_with_five=True).replace("ü", "v")
    match = re.fullmatch(r"([a-z]+)([1-5]?)", text)
    if match is None:
        raise PinyinError(
            raw,
            _("'{text}' is not a pinyin syllable").format(text=quoted),
            _("write letters then a tone digit 1-5, e.g. hang2; 5 is the neutral tone"),
        )
    base, tone = match.groups()
    if base not in syllable_inventory():
        raise PinyinError(
            raw,
            _("'{text}' is not a Mandarin syllable").format(text=quoted),
            _("check the spelling; write ü as v, e.g. lv4"),
        )
    if not tone:
        raise PinyinError(
            raw,
            _("'{text}' has no tone").format(text=quoted),
            _("add a tone digit 1-5, e.g. {example}; 5 is the neutral tone").format(example=f"{base}1"),
        )
    return base + tone


def _two_tones(raw: str, text: str) -> PinyinError:
    """The error for ``hāng2``: a tone mark and a tone digit in one syllable.

    The two may disagree, and picking either would pin a reading the writer did not choose, so
    neither wins and the fix spells out both correct ways.
    """
    from pypinyin.contrib.tone_convert import to_normal, to_tone

    message = _("'{text}' has both a tone mark and a tone digit").format(text=excerpt(raw, _QUOTE_CHARS))
    letters = to_normal("".join(ch for ch in text if not ch.isdigit()).replace("v", "ü")).replace("ü", "v")
    digits = "".join(ch for ch in text if ch.isdigit())
    if letters in syllable_inventory() and len(digits) == 1 and digits in "12345":
        marked = to_tone(f"{letters.replace('v', 'ü')}{digits}")
        return PinyinError(
            raw, message, _("write {digit} or {mark}").format(digit=f"{letters}{digits}", mark=marked)
        )
    return PinyinError(raw, message, _("write the tone once: a digit (hang2) or a mark (háng)"))


def looks_like_pinyin(text: str) -> bool:
    """True when ``text`` is meant as pinyin (Latin letters, tone digits/marks) rather than a spoken alias.

    Used to tell ``[行](hang2)`` from ``[Python](派森)``: an alias is something to say, so it is written
    in Chinese; a run of Latin syllables with tones is a reading.
    """
    stripped = text.strip()
    if not stripped:
        return False
    return all(
        (ch.isascii() and (ch.isalpha() or ch.isdigit() or ch in " :'")) or _TONE_MARKS.match(ch) or ch == "ü"
        for ch in stripped
    ) and any(ch.isalpha() or _TONE_MARKS.match(ch) for ch in stripped)


def split_syllables(text: str) -> list[str]:
    """Split a reading like ``gou1 gu3`` or ``gou1gu3`` into raw syllables (not yet validated)."""
    parts: list[str] = []
    for word in re.split(r"[\s']+", text.strip()):
        if not word:
            continue
        # "gou1gu3": a tone digit ends a syllable.
        pieces = re.findall(r"[^\d]+\d*|\d+", word)
        parts.extend(pieces if pieces else [word])
    return parts

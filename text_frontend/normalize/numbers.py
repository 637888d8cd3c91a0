"""Numbers read by their meaning, before the symbol layer and WeTN see them.

Each rule module finds the numbers whose reading depends on context WeTN does not weigh (chemical
formulas, years, clock times and ratios, ranges, units and money, ordinals, codes and bare numbers) and
spells them in Chinese; everything else keeps its digits for WeTN. Operators next to those numbers
are read here too (:mod:`.arithmetic`), since once a number is Chinese the symbol layer no longer
sees an operand. Roman numerals and Kangxi radicals are read first for what they stand for
(:mod:`.lookalikes`). Rules run in this order (an ion's charge is read before its digits are taken
for a power or a count) and an earlier rule's edit wins where two overlap: a
formula's digits are subscripts before they are anything else, and a year or a time is a more
specific reading than a bare number.
"""

from __future__ import annotations

from text_frontend.normalize import (
    arithmetic,
    chemistry,
    clock,
    codes,
    exponents,
    ions,
    lookalikes,
    quantities,
    ranges,
    years,
)
from text_frontend.normalize.annotated import Annotated
from text_frontend.normalize.edits import Edit, apply_edits, fold

_RULES = (
    lookalikes.find,
    ions.find,
    chemistry.find,
    exponents.find,
    years.find,
    clock.find,
    ranges.find,
    quantities.find,
    codes.find,
    arithmetic.find,
    exponents.find_long_digits,
)
_TRIGGERS = frozenset("0123456789₀₁₂₃₄₅₆₇₈₉⁺⁻⁰¹²³⁴⁵⁶⁷⁸⁹")


def rewrite_numbers(src: Annotated) -> Annotated:
    """Spell the numbers whose reading depends on their context; leave the rest for WeTN."""
    text = src.text
    if (
        not _TRIGGERS.intersection(text)
        and not lookalikes.LOOKALIKE.search(text)
        and not lookalikes.ASCII_ROMAN.search(text)
        and not (("/" in text or "·" in text) and quantities.LONE_RATE.search(text))
    ):
        return src
    folded = fold(text)
    edits: list[Edit] = []
    for rule in _RULES:
        edits.extend(rule(folded))
    return apply_edits(src, edits)

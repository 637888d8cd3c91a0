"""Numbers with an exponent: 1.5e-3 is 一点五乘十的负三次方, and an absurd exponent stays bounded.

E notation appears where lessons quote a calculator or a program; read letter by letter it became
一伊五. An exponent is read like the math layer reads a power (十的平方, 十的负三次方). A lesson has
no use for an exponent of more than :data:`MAX_EXPONENT_DIGITS` digits, so one is reported to the
validator (:func:`absurd_exponents`); one longer than a quantity can be said
(:data:`MAX_SAID_DIGITS`) is left out rather than read digit by digit for minutes. Any other digit run
that long is read digit by digit here, since WeTN takes seconds per thousand digits.
"""

from __future__ import annotations

import re

from text_frontend.normalize.edits import Edit
from text_frontend.normalize.spoken_numbers import cardinal, decimal, digits

MAX_EXPONENT_DIGITS = 4
MAX_SAID_DIGITS = 16  # the longest integer :func:`cardinal` says as a quantity
_E_NOTATION = re.compile(r"(?<![A-Za-z\d.#^_])(\d+(?:\.\d+)?)[eE]([+-]?)(\d+)(?![A-Za-z\d_]|\.\d)")
_SUPERSCRIPT_RUN = "⁰¹²³⁴⁵⁶⁷⁸⁹"
# A power whose exponent cannot be said: x^(-123…) or 10⁹⁹⁹…; the symbol layer reads shorter ones.
_CARET_POWER = re.compile(r"\^(\(?)-?(\d+)(\)?)")
_SUPERSCRIPT_POWER = re.compile(rf"⁻?[{_SUPERSCRIPT_RUN}]+")
_LONG_DIGITS = re.compile(rf"\d{{{MAX_SAID_DIGITS + 1},}}")


def _power(negative: bool, exponent: str) -> str:
    if not negative and exponent == "2":
        return "的平方"
    if not negative and exponent == "3":
        return "的立方"
    return "的" + ("负" if negative else "") + cardinal(exponent) + "次方"


def _exponent_spans(text: str) -> list[tuple[int, int, int, int]]:
    """(start, end, exponent start, exponent end) of every written exponent in ``text``."""
    spans = [(m.start(), m.end(), m.start(3), m.end(3)) for m in _E_NOTATION.finditer(text)]
    for match in _CARET_POWER.finditer(text):
        if bool(match.group(1)) == bool(match.group(3)):
            spans.append((_base(text, match.start()), match.end(), match.start(2), match.end(2)))
    for match in _SUPERSCRIPT_POWER.finditer(text):
        start = match.start() + (1 if match.group().startswith("⁻") else 0)
        spans.append((_base(text, match.start()), match.end(), start, match.end()))
    return spans


def _base(text: str, at: int) -> int:
    """Where the number or letters raised to the power at ``at`` begin, so a report quotes 10^…."""
    while at > 0 and (text[at - 1].isascii() and (text[at - 1].isalnum() or text[at - 1] == ".")):
        at -= 1
    return at


def absurd_exponents(text: str) -> list[tuple[int, int, int]]:
    """(start, end, digit count) of each exponent longer than :data:`MAX_EXPONENT_DIGITS` digits."""
    found = []
    for start, end, low, high in _exponent_spans(text):
        size = len(text[low:high].lstrip("0"))
        if size > MAX_EXPONENT_DIGITS:
            found.append((start, end, size))
    return sorted(found)


def find(text: str) -> list[Edit]:
    edits: list[Edit] = []
    for match in _E_NOTATION.finditer(text):
        mantissa, sign, exponent = match.groups()
        if len(exponent.lstrip("0")) > MAX_SAID_DIGITS:
            edits.append(Edit(match.start(), match.end(), ""))
            continue
        said = decimal(mantissa) + "乘十" + _power(sign == "-", exponent.lstrip("0") or "0")
        edits.append(Edit(match.start(), match.end(), said))
    for match in _CARET_POWER.finditer(text):
        if len(match.group(2).lstrip("0")) > MAX_SAID_DIGITS and bool(match.group(1)) == bool(match.group(3)):
            edits.append(Edit(match.start(), match.end(), ""))
    for match in _SUPERSCRIPT_POWER.finditer(text):
        if len(match.group().lstrip("⁻⁰")) > MAX_SAID_DIGITS:
            edits.append(Edit(match.start(), match.end(), ""))
    return edits


def find_long_digits(text: str) -> list[Edit]:
    """Digit runs no other rule read and too long for a quantity: digit by digit, without WeTN."""
    return [Edit(m.start(), m.end(), digits(m.group())) for m in _LONG_DIGITS.finditer(text)]

"""How Chinese says a number: as a quantity (一万二千), digit by digit (一九四九) or as a code (幺三八).

The context rules (:mod:`.years`, :mod:`.clock`, :mod:`.quantities`, :mod:`.codes`) decide which of
these a number is; this module only spells the chosen reading, so every rule reads numbers the same
way. 两 is used where Mandarin uses it, when the caller says the number counts something (两克,
两年, 两点): for a bare 2 and before 百/千/万/亿 at the head of a number (两千). Ordinals, ratios and
subscripts never take it (第二百, 二比一, H二O).
"""

from __future__ import annotations

DIGITS = "零一二三四五六七八九"
_PLACES = ("千", "百", "十", "")
_GROUPS = ("", "万", "亿", "万亿")
_MAX_DIGITS = 16  # up to 万亿 groups; longer strings are identifiers, read digit by digit


def digits(number: str, *, yao: bool = False) -> str:
    """Digit by digit: years (一九四九) and codes; ``yao`` reads 1 as 幺, as phone numbers are read."""
    return "".join("幺" if yao and d == "1" else DIGITS[int(d)] for d in number)


def _group(value: int) -> str:
    out: list[str] = []
    zero_pending = False
    for place, divisor in zip(_PLACES, (1000, 100, 10, 1), strict=True):
        digit = value // divisor % 10
        if digit == 0:
            zero_pending = bool(out)
            continue
        if zero_pending:
            out.append("零")
            zero_pending = False
        out.append(DIGITS[digit] + place)
    return "".join(out)


def cardinal(number: str, *, liang: bool = False) -> str:
    """An integer read as a quantity: 110111111 → 一亿一千零一十一万一千一百一十一.

    ``number`` is a string of ASCII digits; numbers longer than 16 digits are read digit by digit,
    since nothing that long is said as a quantity in a lesson.
    """
    stripped = number.lstrip("0") or "0"
    if len(stripped) > _MAX_DIGITS:
        return digits(number)
    if stripped == "0":
        return "零"
    value = int(stripped)
    groups: list[int] = []
    while value:
        groups.append(value % 10000)
        value //= 10000
    out = ""
    need_zero = False
    for index in range(len(groups) - 1, -1, -1):
        group = groups[index]
        if group == 0:
            need_zero = need_zero or bool(out)
            continue
        if out and (need_zero or group < 1000):
            out += "零"
        out += _group(group) + _GROUPS[index]
        need_zero = False
    if out.startswith("一十"):
        out = out[1:]  # 十五, 十万: a leading 一 is not said
    if liang and out.startswith("二") and (len(out) == 1 or out[1] in "百千万亿"):
        out = "两" + out[1:]
    return out


def decimal(number: str, *, liang: bool = False) -> str:
    """``12.05`` → 十二点零五; the integer part as :func:`cardinal`, the fraction digit by digit."""
    whole, _, fraction = number.partition(".")
    head = cardinal(whole.replace(",", ""), liang=liang)
    if fraction and head == "两":
        head = "二"  # 2.5 is 二点五; only the 两 of 两百 survives a decimal point
    return head + ("点" + digits(fraction) if fraction else "")

"""Measured quantities: SI units, money and negative fractions or percentages.

WeTN knows km and kg but not the symbols physics and chemistry lessons use (1.2g became 一点二吉,
220V 两百二十V), drops ₩ and $ before 万/亿, puts the minus of -1/3 inside the fraction
(三分之负一) and reads 5-1/3 as 五三分之负一. Units are read only straight after a number, so a lone
``g`` in English stays a letter; a one-letter unit in algebra (``2t+1``, ``2N+3N=5N``) or before a
grade (5A级) is not a unit. Unit names are the ones used when reading values aloud in class
(220V 两百二十伏, 9.8m/s² 九点八米每二次方秒);
``mol`` is 摩尔, which is what is said for it, not the one-character 摩 of written unit names.
"""

from __future__ import annotations

import re

from text_frontend.normalize.edits import Edit
from text_frontend.normalize.spoken_numbers import decimal

UNITS: dict[str, str] = {
    "m/s²": "米每二次方秒",
    "m/s^2": "米每二次方秒",
    "m/s2": "米每二次方秒",
    "km/h": "千米每小时",
    "N/kg": "牛每千克",
    "kg/m³": "千克每立方米",
    "g/cm³": "克每立方厘米",
    "g/mL": "克每毫升",
    "m/s": "米每秒",
    "kW·h": "千瓦时",
    "kWh": "千瓦时",
    "kPa": "千帕",
    "MPa": "兆帕",
    "Pa": "帕",
    "kJ": "千焦",
    "J": "焦",
    "kW": "千瓦",
    "W": "瓦",
    "kV": "千伏",
    "mV": "毫伏",
    "V": "伏",
    "mA": "毫安",
    "A": "安",
    "kΩ": "千欧",
    "Ω": "欧",
    "kHz": "千赫兹",
    "Hz": "赫兹",
    "dB": "分贝",
    "kN": "千牛",
    "N": "牛",
    "mg": "毫克",
    "kg": "千克",
    "g": "克",
    "t": "吨",
    "mL": "毫升",
    "ml": "毫升",
    "L": "升",
    "mm²": "平方毫米",
    "cm²": "平方厘米",
    "dm²": "平方分米",
    "km²": "平方千米",
    "m²": "平方米",
    "mm³": "立方毫米",
    "cm³": "立方厘米",
    "dm³": "立方分米",
    "m³": "立方米",
    "mol": "摩尔",
}
CURRENCIES: dict[str, str] = {
    "HK$": "港元",
    "US$": "美元",
    "$": "美元",
    "¥": "元",
    "￥": "元",
    "€": "欧元",
    "£": "英镑",
    "₩": "韩元",
}
_NUMBER = r"\d+(?:\.\d+)?"
_UNIT = re.compile(
    rf"(?<![\d.A-Za-z])(-?)(?:({_NUMBER}) ?[-~～—] ?)?({_NUMBER}) ?("
    + "|".join(re.escape(u) for u in sorted(UNITS, key=len, reverse=True))
    + r")(?![A-Za-z²³\d])"
)
# 1.0×10³kg/m³: the unit follows a power of ten, which the symbol layer reads (十的立方).
_UNIT_AFTER_POWER = re.compile(
    r"(?<=[⁰¹²³⁴⁵⁶⁷⁸⁹])("
    + "|".join(re.escape(u) for u in sorted(UNITS, key=len, reverse=True))
    + r")(?![A-Za-z²³\d])"
)
# Algebra after a one-letter "unit" (2t+1, 2t=6) or a grade (5A级景区): not a measurement. Capital
# unit letters are variables less often, and physics multiplies and equates them (3V×0.5A=1.5W).
_NOT_A_UNIT_AFTER = (*"+-^()/<>", "级", "班")
_NOT_A_LOWER_UNIT_AFTER = (*"=×÷", *_NOT_A_UNIT_AFTER)
_MONEY = re.compile(
    r"(-?)("
    + "|".join(re.escape(c) for c in sorted(CURRENCIES, key=len, reverse=True))
    + r") ?(\d{1,3}(?:,\d{3})+|\d+)(\.\d+)?(万亿|万|亿)?"
)
_NEGATIVE = re.compile(r"-(?=\d+(?:\.\d+)?(?:/\d+(?![\d.])|%))")


def _negated(text: str, at: int) -> bool:
    """A ``-`` at ``at`` is a sign (负), not minus, when no operand precedes it."""
    j = at - 1
    while j >= 0 and text[j] == " ":
        j -= 1
    return j < 0 or not ((text[j].isalnum() and text[j].isascii()) or text[j] in ")]²³%")


def _is_algebra(text: str, start: int, end: int, letter: str) -> bool:
    """``2t+1``, ``5A级``, or the last term of ``2N+3N=5N``: the letter is a variable or a grade."""
    if text.startswith(_NOT_A_LOWER_UNIT_AFTER if letter.islower() else _NOT_A_UNIT_AFTER, end):
        return True
    before = text[max(0, start - 12) : start]
    return re.search(rf"\d{re.escape(letter)} ?[-+×÷]", before) is not None


def find(text: str) -> list[Edit]:
    edits: list[Edit] = []
    for match in _UNIT.finditer(text):
        sign, low, number, unit = match.groups()
        if len(unit) == 1 and _is_algebra(text, match.start(), match.end(), unit):
            continue
        start = match.start(2) if low else match.start(3)
        prefix = ""
        if sign and _negated(text, match.start()):
            start, prefix = match.start(), "负"
        if low:  # 2-3kg 两到三千克
            prefix += decimal(low, liang=True) + "到"
        edits.append(Edit(start, match.end(), prefix + decimal(number, liang=True) + UNITS[unit]))
    for match in _UNIT_AFTER_POWER.finditer(text):
        if len(match.group(1)) > 1:
            edits.append(Edit(match.start(), match.end(), UNITS[match.group(1)]))
    for match in _MONEY.finditer(text):
        sign, symbol, whole, fraction, magnitude = match.groups()
        start = match.start(2)
        prefix = ""
        if sign and _negated(text, match.start()):
            start, prefix = match.start(), "负"
        amount = decimal(whole.replace(",", "") + (fraction or ""), liang=True)
        edits.append(Edit(start, match.end(), prefix + amount + (magnitude or "") + CURRENCIES[symbol]))
    for match in _NEGATIVE.finditer(text):
        # With an operand before it the dash is minus: 5-1/3 五减三分之一, not a range of fractions.
        edits.append(Edit(match.start(), match.end(), "负" if _negated(text, match.start()) else "减"))
    return edits

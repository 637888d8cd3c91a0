"""Measured quantities: SI units, money and negative fractions or percentages.

WeTN knows km and kg but not the symbols physics and chemistry lessons use (1.2g became 一点二吉,
220V 两百二十V), drops ₩ and $ before 万/亿, puts the minus of -1/3 inside the fraction
(三分之负一) and reads 5-1/3 as 五三分之负一. Units are read only straight after a number, so a lone
``g`` in English stays a letter; a one-letter unit in algebra (``2t+1``, ``2N+3N=5N``) or before a
grade (5A级) is not a unit. Unit names are the ones used when reading values aloud in class
(220V 两百二十伏, 9.8m/s² 九点八米每二次方秒);
``mol`` is 摩尔, which is what is said for it, not the one-character 摩 of written unit names.

A rate is read the way it is said in class, each unit after a slash introduced by 每: 0.1mol/L
零点一摩尔每升, 3mg/mL 三毫克每毫升, and the ``·L⁻¹`` form the same way (摩尔每升). In a product after
the slash a time unit takes its own 每 and the others follow one another: mol/(L·min) 摩尔每升每分钟,
J/(kg·℃) 焦每千克摄氏度. Length and time units (m, s, h) are read here only inside a rate or after a
power of ten (10⁸km 十的八次方千米); alone after a number they are WeTN's. A rate this layer cannot
read is reported by :func:`unread_units` rather than spelled letter by letter without a word. A
compound unit named without a number (单位是mol/(L·min)) is read the same way; a lone m or m/s is
left alone, since it may be algebra.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from decimal import Decimal

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
    "N·m": "牛米",
    "N": "牛",
    "C": "库仑",
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
    "hm²": "公顷",
    "m²": "平方米",
    "mm³": "立方毫米",
    "cm³": "立方厘米",
    "dm³": "立方分米",
    "m³": "立方米",
    "mol": "摩尔",
    "mmol": "毫摩尔",
}
# Units read only inside a rate or after a power of ten: alone after a number, WeTN reads them (or
# they are a variable: 2s, 3h).
_RATE_PARTS: dict[str, str] = {
    "km": "千米",
    "dm": "分米",
    "cm": "厘米",
    "mm": "毫米",
    "μm": "微米",
    "nm": "纳米",
    "m": "米",
    "μg": "微克",
    "μmol": "微摩尔",
    "kmol": "千摩尔",
    "dL": "分升",
    "μL": "微升",
    "h": "小时",
    "min": "分钟",
    "s": "秒",
    "ms": "毫秒",
    "d": "天",
    "kcal": "千卡",
    "cal": "卡",
    "K": "开",
    "℃": "摄氏度",
    "°C": "摄氏度",
}
_TIME_UNITS = frozenset(("h", "min", "s", "ms", "d"))
# Only a divisor: m/s² is 米每二次方秒, as physics says it.
_DIVISOR_ONLY: dict[str, str] = {"s²": "二次方秒", "s^2": "二次方秒", "s2": "二次方秒"}
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


def _alternatives(names: Iterable[str]) -> str:
    return "|".join(re.escape(u) for u in sorted(names, key=len, reverse=True))


_SIMPLE_UNITS = {u: said for u, said in UNITS.items() if "/" not in u}
_PARTS = _SIMPLE_UNITS | _RATE_PARTS
_DIVISORS = _PARTS | _DIVISOR_ONLY
_PART = f"(?:{_alternatives(_PARTS)})"
_DIVISOR = f"(?:{_alternatives(_DIVISORS)})"
_TIMES = "[·*•]"
# g/L, mg/mL, m/s², mol/(L·min), J/(kg·℃), and mol·L⁻¹·min⁻¹.
_RATE = (
    rf"{_PART}(?:/(?:\({_PART}(?:{_TIMES}{_PART})+\)|{_DIVISOR}))+"
    rf"|(?:{_PART}{_TIMES})?{_DIVISOR}⁻¹(?:{_TIMES}{_DIVISOR}⁻¹)*"
)
_END = r"(?![A-Za-z²³\d])"
_PART_RE = re.compile(_PART)
_HEAD = re.compile(rf"(?:({_PART}){_TIMES})?")
_INVERSE = re.compile(rf"({_DIVISOR})⁻¹")
_PER = re.compile(rf"/(?:\(({_PART}(?:{_TIMES}{_PART})+)\)|({_DIVISOR}))")
_UNIT = re.compile(
    rf"(?<![\d.A-Za-z^])(-?)(?:({_NUMBER}) ?[-~～—] ?)?({_NUMBER}) ?({_RATE}|{_alternatives(UNITS)}){_END}"
)
# 1.0×10³kg/m³, 10⁸km: the unit follows a power, which the symbol layer reads (十的立方).
_UNIT_AFTER_POWER = re.compile(rf"(?<=[⁰¹²³⁴⁵⁶⁷⁸⁹])({_RATE}|{_PART}){_END}")
_UNIT_AFTER_CARET = re.compile(rf"\^(?:\(-?\d+\)|-?\d+)({_RATE}|{_PART}){_END}")
_TEN_TO_THE = re.compile(r"(?<![\d.])10(?:⁻?[⁰¹²³⁴⁵⁶⁷⁸⁹]+|\^(?:\(-?\d+\)|-?\d+))$")
# 单位是mol/(L·min): a compound unit named on its own is read as one; a single letter (m, s) or
# a pair of them (m/s) is as likely algebra and is left alone.
LONE_RATE = re.compile(rf"(?<![A-Za-z\d.^⁰¹²³⁴⁵⁶⁷⁸⁹μΩ℃°])({_RATE}){_END}")
_KNOWN_UNIT = re.compile(rf"(?:{_RATE}|{_alternatives(UNITS)})")
# What looks like a rate after a number: a unit-like word, a slash or a ·…⁻¹, and more of the same.
_RATE_LIKE = re.compile(
    r"(?<=[\d⁰¹²³⁴⁵⁶⁷⁸⁹]) ?([A-Za-zμΩ℃°]+[²³]?(?:(?:/\(?|[·*•])[A-Za-zμΩ℃°]+[²³]?(?:\^2|⁻¹)?\)?)+)"
)
_PIECE = re.compile(r"[A-Za-zμΩ℃°]+")
# A metric prefix on a unit this table has (kL, mPa): a unit, not a product of variables like cd.
_PREFIXED = re.compile(r"[kMGmμcdn](?:g|L|l|m|mol|J|W|V|A|N|Pa|Hz|Ω)")
# Algebra after a one-letter "unit" (2t+1, 2t=6) or a grade (5A级景区): not a measurement. Capital
# unit letters are variables less often, and physics multiplies and equates them (3V×0.5A=1.5W).
_NOT_A_UNIT_AFTER = (*"+-^()/<>", "级", "班")
# 3C产品, 5C教室: C is coulombs only where no word follows it (5C, 5C的电荷).
_WORD_AFTER = re.compile(r"(?!的)[\u4e00-\u9fff]")
_NOT_A_LOWER_UNIT_AFTER = (*"=×÷", *_NOT_A_UNIT_AFTER)
_MONEY = re.compile(
    r"(-?)("
    + "|".join(re.escape(c) for c in sorted(CURRENCIES, key=len, reverse=True))
    + r") ?(\d{1,3}(?:,\d{3})+|\d+)(\.\d+)?(万亿|万|亿)?"
)
_CURRENCY = "|".join(re.escape(c) for c in sorted(CURRENCIES, key=len, reverse=True))
# ¥100-200, ¥100-¥200, $5~10万: the other end of a range of money, read 一百到两百元.
_MONEY_TO = re.compile(
    rf" ?([-~～—]) ?((?:{_CURRENCY})?) ?(\d{{1,3}}(?:,\d{{3}})+|\d+)(\.\d+)?(万亿|万|亿)?(?![\d.])"
)
# 3.5元/kg, ¥3.5/斤: a price per unit, 三点五元每千克; the slash alone would not be said.
_PER_AFTER_PRICE = re.compile(rf"/(?:({_alternatives(_PARTS)}){_END}|(?=[\u4e00-\u9fff]))")
_NEGATIVE = re.compile(r"-(?=\d+(?:\.\d+)?(?:/\d+(?![\d.])|%))")


def unit_reading(unit: str) -> str:
    """How ``unit`` is said: a table entry, or a rate built from them (mol/(L·min) 摩尔每升每分钟)."""
    if unit in UNITS:
        return UNITS[unit]
    if unit.endswith("⁻¹"):  # mol·L⁻¹·min⁻¹, mol⁻¹
        head = _HEAD.match(unit)
        out = _PARTS[head.group(1)] if head and head.group(1) else ""
        return out + "".join("每" + _DIVISORS[d] for d in _INVERSE.findall(unit, head.end() if head else 0))
    head = _PART_RE.match(unit)
    assert head is not None  # _RATE starts with a unit
    out = _PARTS[head.group()]
    for product, divisor in _PER.findall(unit, head.end()):
        if divisor:
            out += "每" + _DIVISORS[divisor]
            continue
        for index, factor in enumerate(_PART_RE.findall(product)):
            # 每升每分钟 but 每千克摄氏度: a time unit is a rate of its own, the others one product.
            out += ("每" if index == 0 or factor in _TIME_UNITS else "") + _PARTS[factor]
    return out


def unread_units(text: str) -> list[tuple[int, int]]:
    """Spans of rates after a number that :func:`find` cannot read (5mg/dL, 3g/kL): the letters
    would be spelled one by one. Only a word this table knows or a prefixed unit makes a rate look
    like one; 2a/b after a number is algebra."""
    found: list[tuple[int, int]] = []
    if not any(sep in text for sep in "/·*•"):
        return found
    for match in _RATE_LIKE.finditer(text):
        token = match.group(1)
        if _KNOWN_UNIT.fullmatch(token):
            continue
        pieces = _PIECE.findall(token)
        if any(len(p) > 1 and (p in _DIVISORS or _PREFIXED.fullmatch(p)) for p in pieces):
            found.append(match.span(1))
    return found


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


_MAGNITUDES = {"": 1, "万": 10**4, "亿": 10**8, "万亿": 10**12}


def _amount(number: str, magnitude: str | None) -> Decimal:
    return Decimal(number.replace(",", "")) * _MAGNITUDES[magnitude or ""]


def _money_range(text: str, to: re.Match[str], low: Decimal, high: Decimal) -> bool:
    """A dash between sums is a range when it rises and no equals sign follows (¥100-200);
    ¥100-¥20=¥80 is a sum. ``~`` and ``—`` always join the ends of a range."""
    if to.group(1) != "-":
        return True
    return high > low and not re.match(r" ?[=＝+×÷*/<>]", text[to.end() :])


def find(text: str) -> list[Edit]:
    edits: list[Edit] = []
    for match in _UNIT.finditer(text):
        sign, low, number, unit = match.groups()
        if len(unit) == 1 and _is_algebra(text, match.start(), match.end(), unit):
            continue
        if unit == "C" and _WORD_AFTER.match(text, match.end()):
            continue
        start = match.start(2) if low else match.start(3)
        prefix = ""
        if sign and _negated(text, match.start()):
            start, prefix = match.start(), "负"
        if low:  # 2-3kg 两到三千克
            prefix += decimal(low, liang=True) + "到"
        said = unit_reading(unit)
        edits.append(Edit(start, match.end(), prefix + decimal(number, liang=True) + said))
    for match in [*_UNIT_AFTER_POWER.finditer(text), *_UNIT_AFTER_CARET.finditer(text)]:
        unit, start = match.group(1), match.start(1)
        if len(unit) > 1 or (
            _TEN_TO_THE.search(text, 0, start) and not _is_algebra(text, start, match.end(), unit)
        ):
            edits.append(Edit(start, match.end(), unit_reading(unit)))
    for match in LONE_RATE.finditer(text):
        if any(len(piece) > 1 for piece in _PIECE.findall(match.group())):
            edits.append(Edit(match.start(), match.end(), unit_reading(match.group())))
    for match in _MONEY.finditer(text):
        sign, symbol, whole, fraction, magnitude = match.groups()
        start = match.start(2)
        prefix = ""
        if sign and _negated(text, match.start()):
            start, prefix = match.start(), "负"
        amount = decimal(whole.replace(",", "") + (fraction or ""), liang=True) + (magnitude or "")
        end, said = match.end(), amount + CURRENCIES[symbol]
        to = _MONEY_TO.match(text, end)
        if to and to.group(2) in ("", symbol) and not prefix:
            high = to.group(3).replace(",", "") + (to.group(4) or "")
            if _money_range(
                text, to, _amount(whole + (fraction or ""), magnitude), _amount(high, to.group(5))
            ):
                said = amount + "到" + decimal(high, liang=True) + (to.group(5) or "") + CURRENCIES[symbol]
                end = to.end()
            elif to.group(1) == "-" and to.group(2):
                edits.append(Edit(end, to.start(2), "减"))  # ¥100-¥20: minus between two sums
        edits.append(Edit(start, end, prefix + said))
    prices = [m.end() for m in _MONEY.finditer(text)]
    prices += [m.end() for m in re.finditer(rf"{_NUMBER} ?[元角]", text)]
    for end in prices:
        per = _PER_AFTER_PRICE.match(text, end)
        if per:
            edits.append(Edit(per.start(), per.end(), "每" + (_PARTS[per.group(1)] if per.group(1) else "")))
    for match in _NEGATIVE.finditer(text):
        # With an operand before it the dash is minus: 5-1/3 五减三分之一, not a range of fractions.
        edits.append(Edit(match.start(), match.end(), "负" if _negated(text, match.start()) else "减"))
    return edits

"""A dash between two numbers: a range (到), a figure or table number (杠) or minus (减).

WeTN reads ``2-3`` as 二减三 unless a few words it knows follow (页, 个, 天), so 如图1-2所示 became
如图一减二所示, 2-3节课 二减三节课 and 2020-2021学年 a subtraction of two quantities; and it reads
10-3=7 as a date (十月三日等于七). Chinese marks which one is meant in the words around the dash:

* after 图, 表, 例, 式, 习题 … the numbers label a figure or an example, read 杠 as teachers say
  it (图一杠二);
* before a measure word, a time word or a unit, or before a percent sign, an ascending
  pair is a range (两到三节课, 百分之五十到百分之六十); a pair before 学年 or 年度 is a span of
  years (二零二零到二零二一学年), as is a pair of years in brackets (鲁迅（1881—1936）). A
  descending pair there (50%-20%) stays a subtraction, and so does anything an operator follows
  or precedes (10-3=7, x=10-3).

WeTN also reads a bare pair of small numbers as a date (12-15 十二月十五日, even in 见课本P12-15).
A date needs a cue, and without one the dash is read by what it joins:

* after P, p., pp., 页 or 第, an ascending pair is a span of pages or items (P十二到十五);
* a score (比分3-2, 3-2胜) is read 比;
* an ascending pair of years (2019-2020, 1990-2000) is a span read digit by digit, an ascending
  pair of the same unit (5kg-10kg) or of bracketed numbers ((1)-(3)) a range;
* any other bare pair of one- to three-digit numbers is a range if it rises and a subtraction if
  it falls (a sum to work out, 计算：2-3, is minus either way), unless 年 comes before it or
  日/号 after it (2023年12-15), which leaves it a date. A spaced dash (1 - 2) or one beside an
  operator (5-3=2, x-1) stays minus.
"""

from __future__ import annotations

import re
from decimal import Decimal

from text_frontend.normalize.edits import Edit
from text_frontend.normalize.quantities import UNITS
from text_frontend.normalize.spoken_numbers import cardinal, decimal, digits

_NUMBER = r"\d+(?:\.\d+)?"
_DASH = r" ?[-~～—] ?"
# Words that name what a label numbers; 算式 and 列式 are sums, not labels.
_LABEL = re.compile(
    r"(?:(?<![算列等])式|图|表|例|习题|练习|实验|定理|附录)[(（]?"
    r"(\d+)((?:-\d+)+)(?![\d.]| ?[=+×÷*/<>≠≈-])"
)
# Labels of one thing each (the 2nd–3rd month, grade, class): no 两. Longest first.
_ORDINAL_WORDS = ("年级", "单元", "月", "号", "日", "班", "楼", "章", "课", "届", "期", "版", "册", "级")
_COUNT_WORDS = (
    "个月",
    "小时",
    "分钟",
    "秒钟",
    "星期",
    "周岁",
    "课时",
    "学时",
    "节课",
    "千米",
    "公里",
    "厘米",
    "毫米",
    "千克",
    "公斤",
    "毫升",
    *"个名人位节次遍回天周秒页段行句题道篇本张条件只头匹棵朵块元角分倍成折米克斤吨升度层组种类步轮场所家间座台辆部首幅份套双对批瓶杯碗盒袋箱包滴片粒颗根支枝把顿口岁点万千百亿",
)
_WORDS = sorted((*_ORDINAL_WORDS, *_COUNT_WORDS), key=len, reverse=True)
_BEFORE_WORD = re.compile(
    rf"(?<![\d.,:/A-Za-z^第=＝+×÷*<>$¥￥€£₩-])({_NUMBER}){_DASH}({_NUMBER})(?=({'|'.join(_WORDS)}))"
)
_PERCENT = re.compile(rf"(?<![\d.,:/A-Za-z^=＝+×÷*<>-])({_NUMBER})(%?){_DASH}({_NUMBER})%(?![\d.])")
_SCHOOL_YEAR = re.compile(r"(?<![\d.,:/-])(\d{4}) ?[-~～—] ?(\d{4})(?=学年|年度|财年|赛季)")
# 鲁迅（1881—1936）: a life or a reign in brackets.
_YEARS_IN_BRACKETS = re.compile(r"(?<=[(（])(1\d{3}|20\d{2}) ?[-~～—] ?(1\d{3}|20\d{2})(?=[)）])")
# 10-3=7 and x=10-3: WeTN reads the pair as a date.
_SUM = re.compile(rf"(?<![\d.,:/-])({_NUMBER})( ?- ?)({_NUMBER})(?![\d.:/-])")
_PAGES = re.compile(r"(?:(?<![A-Za-z])(?:[Pp]{1,2}\.? ?)|页|第)(\d+) ?[-~～—] ?(\d+)(?![\d.]| ?[=+×÷*/<>^])")
_SCORE_BEFORE = re.compile(r"比分[是为]? ?$")
_SCORE_AFTER = re.compile(r" ?(?:[胜负败平赢输]|战胜|击败|取胜|获胜)")
_SCORE = re.compile(r"(?<![\d.,:/A-Za-z-])(\d{1,3}) ?- ?(\d{1,3})(?![\d.:/-])")
_BARE_YEARS = re.compile(
    r"(?<![\d.,:/A-Za-z^=+×÷*<>-])(1\d{3}|20\d{2}) ?[-~～—] ?(1\d{3}|20\d{2})(?![\d.:/%^-]|年| ?[=+×÷*/<>])"
)
_SAME_UNIT = re.compile(rf"({_NUMBER})([A-Za-zμ℃°]+)( ?[-~～—] ?)({_NUMBER})\2(?![A-Za-z])")
_MORE_UNITS = frozenset(("kg", "km", "cm", "mm", "g", "m", "s", "h", "min", "L", "mL", "t"))
_BRACKETED = re.compile(r"[(（](\d+)[)）]( ?[-~～—] ?)[(（](\d+)[)）]")
_BARE = re.compile(
    r"(?<![\d.,:/A-Za-z^=＝+×÷*<>$¥￥€£₩_-])(\d{1,3})-(\d{1,3})(?![\d.:/%^-]|[A-Za-z]| ?[=＝+×÷*/<>])"
)
_DATE_BEFORE = re.compile(r"年 ?$")
# 计算：2-3 is a sum to work out, whichever way it runs.
_SUM_BEFORE = re.compile(r"(?:计算|算式|列式|化简|求|算一算)[:：]? ?$")
_DATE_AFTER = re.compile(r" ?[日号]")
_EQUALS_AFTER = re.compile(r" ?[=＝]")
_OPERATOR_AFTER = re.compile(r"[)）]? ?[=＝+×÷*/<>]")
_OPERATOR_BEFORE = re.compile(r"[=＝+×÷*/<>] ?[(（]? ?$")


def _ascending(low: str, high: str) -> bool:
    return Decimal(low) < Decimal(high)


def _is_dash(text: str, start: int, end: int) -> bool:
    return text[start:end].strip() == "-"


def _span(match: re.Match[str], low: int, high: int) -> Edit:
    """Both ends read as quantities, joined by 到."""
    said = cardinal(match.group(low)) + "到" + cardinal(match.group(high))
    return Edit(match.start(low), match.end(high), said)


def _undated(text: str) -> list[Edit]:
    """Dashes WeTN would read as a date or as minus where the words around them say otherwise."""
    edits: list[Edit] = []
    for match in _PAGES.finditer(text):
        if _ascending(match.group(1), match.group(2)):
            edits.append(_span(match, 1, 2))
    for match in _SCORE.finditer(text):
        if _SCORE_BEFORE.search(text, 0, match.start()) or _SCORE_AFTER.match(text, match.end()):
            edits.append(
                Edit(match.start(), match.end(), cardinal(match.group(1)) + "比" + cardinal(match.group(2)))
            )
    for match in _BARE_YEARS.finditer(text):
        low, high = match.groups()
        if _ascending(low, high) and not (low.endswith("00") and high.endswith("00")):
            edits.append(Edit(match.start(), match.end(), digits(low) + "到" + digits(high)))
    for match in _SAME_UNIT.finditer(text):
        unit = match.group(2)
        if (unit in UNITS or unit in _MORE_UNITS) and _ascending(match.group(1), match.group(4)):
            edits.append(Edit(match.start(3), match.end(3), "到"))
    for match in _BRACKETED.finditer(text):
        if _ascending(match.group(1), match.group(3)):
            edits.append(Edit(match.start(1), match.end(1), cardinal(match.group(1))))
            edits.append(Edit(match.start(2), match.end(2), "到"))
            edits.append(Edit(match.start(3), match.end(3), cardinal(match.group(3))))
    for match in _BARE.finditer(text):
        if _DATE_BEFORE.search(text, 0, match.start()) or _DATE_AFTER.match(text, match.end()):
            continue
        if _SUM_BEFORE.search(text, 0, match.start()):
            edits.append(Edit(match.end(1), match.start(2), "减"))
            continue
        if _ascending(match.group(1), match.group(2)):
            edits.append(_span(match, 1, 2))
        else:
            edits.append(Edit(match.end(1), match.start(2), "减"))
    return edits


def find(text: str) -> list[Edit]:
    edits: list[Edit] = []
    for match in _LABEL.finditer(text):
        parts = [match.group(1), *match.group(2).split("-")[1:]]
        edits.append(Edit(match.start(1), match.end(2), "杠".join(cardinal(p) for p in parts)))
    spans = [*_SCHOOL_YEAR.finditer(text), *_YEARS_IN_BRACKETS.finditer(text)]
    for match in spans:
        if match.re is _YEARS_IN_BRACKETS and not _ascending(match.group(1), match.group(2)):
            continue
        edits.append(Edit(match.start(), match.end(), digits(match.group(1)) + "到" + digits(match.group(2))))
    for match in _PERCENT.finditer(text):
        low, high = match.group(1), match.group(3)
        if _is_dash(text, match.end(2), match.start(3)) and not _ascending(low, high):
            continue  # 50%-20%: minus
        if _EQUALS_AFTER.match(text, match.end()):
            continue
        edits.append(Edit(match.start(), match.end(), f"百分之{decimal(low)}到百分之{decimal(high)}"))
    for match in _BEFORE_WORD.finditer(text):
        low, high, word = match.groups()
        if _is_dash(text, match.end(1), match.start(2)) and not _ascending(low, high):
            continue
        liang = word not in _ORDINAL_WORDS
        said = decimal(low, liang=liang) + "到" + decimal(high, liang=liang)
        edits.append(Edit(match.start(), match.end(), said))
    for match in _SUM.finditer(text):
        before = text[max(0, match.start() - 4) : match.start()]
        if _OPERATOR_AFTER.match(text, match.end()) or _OPERATOR_BEFORE.search(before):
            edits.append(Edit(match.start(2), match.end(2), "减"))
    # After the rules above: a label (图1-2), a measure word or a sum names what a pair is better.
    edits.extend(_undated(text))
    return edits

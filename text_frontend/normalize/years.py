"""``N年``: a year (一九四九年, read digit by digit) or a number of years (两千五百年, a quantity).

WeTN guesses from the number alone, so 距今约2500年 became 二五零零年 and 公元前221年 两百二十一年.
Chinese marks the difference in the words around the number, and those decide here, strongest first:

1. 公元/公元前 before it (or 前 alone before three digits, 于前221年), or a month, season or 底/初
   after 年: a year (公元前221年, 1949年10月).
2. 多/余 between the number and 年 (2000多年), or a word that only counts time before it
   (距今, 约, 经过, 共, 近 …) or after it (之久, 左右, 以上, 半 …): a quantity.
3. Words that usually count time but also follow or precede a year (了, 有 before; 前, 后, 来, 间,
   内 after) count it (有300年, 500年前) unless the number looks like a specific year: four digits
   from 1000 to 2099 that are not a round hundred (到了1949年, 1949年后 "after 1949", 2024年内;
   but 2000年前 is "2000 years ago", the way textbooks use it).
4. Otherwise four digits are a year (2024年), five or more a quantity, and one to three digits a
   quantity (500年) unless 于/在/至/从 introduces them as a date (建于618年) or a three-digit one
   is one end of a span of years (220年—280年).

A year is read digit by digit (一九四九年, 公元前二二一年), except a round hundred below 1000, which
is said as a number even as a year (公元前五百年).
"""

from __future__ import annotations

import re

from text_frontend.normalize.edits import Edit
from text_frontend.normalize.spoken_numbers import cardinal, digits

_YEAR = re.compile(r"(?<![\d.,:/A-Za-z])(?:(\d{1,5}) ?[-~～—] ?)?(\d{1,5})(多|余)?年(?![级代])")
# 1990s; a round hundred (2000s, 1200s) is as likely a time in seconds, and stays one.
_DECADE = re.compile(r"(?<![\d.,:/A-Za-z])(1\d[1-9]0|20[1-9]0)[’']?s(?![A-Za-z\d])")
_DASH_TO_NEXT_YEAR = re.compile(r" ?[-~～—] ?(?=(?:公元前?)?\d{1,5}年)")
_ERA = ("公元前", "公元")
_DATE_AFTER = re.compile(r"\d{1,2}月|[底初末春夏秋冬]|以来|以前|以后")
_COUNT_BEFORE = (
    "距今",
    "约",
    "大约",
    "经过",
    "过了",
    "共",
    "历时",
    "长达",
    "近",
    "用了",
    "花了",
    "持续",
    "延续",
    "几",
    "超过",
)
_COUNT_AFTER = ("之久", "左右", "以上", "的时间", "多", "半")
# Weaker hints: 到了1949年 and 2024年内 name years, 有300年 and 5年内 count them.
_WEAK_COUNT_BEFORE = ("了", "有", "每", "达")
_WEAK_COUNT_AFTER = ("间", "内", "以内", "的历史")
_RELATIVE_AFTER = ("前", "后", "来")
_RANGE_AFTER = re.compile(r"[—\-~～至]\d{3,4}年")
_RANGE_BEFORE = re.compile(r"\d{3,4}年[—\-~～至]$")
_DATE_BEFORE = ("于", "在", "至", "从", "到")


def _is_specific_year(number: str) -> bool:
    return len(number) == 4 and 1000 <= int(number) <= 2099 and not number.endswith("00")


def is_year(number: str, before: str, after: str) -> bool:
    """Whether ``number`` followed by 年 names a year; ``before``/``after`` are the words around it."""
    if before.endswith(_ERA) or _DATE_AFTER.match(after):
        return True
    if len(number) == 3 and before.endswith("前") and not before.endswith(_COUNT_BEFORE):
        return True  # 于前221年: 前 for 公元前; "the first N years" (前3年) has a short N
    if before.endswith(_COUNT_BEFORE) or after.startswith(_COUNT_AFTER):
        return False
    if before.endswith(_WEAK_COUNT_BEFORE) or after.startswith((*_WEAK_COUNT_AFTER, *_RELATIVE_AFTER)):
        return _is_specific_year(number)
    if len(number) == 4:
        return True
    return before.endswith(_DATE_BEFORE) or _is_year_range(number, before, after)


def _is_year_range(number: str, before: str, after: str) -> bool:
    """220年—280年: a span from one year to another names two years (a count would be 60年)."""
    return len(number) == 3 and bool(_RANGE_AFTER.match(after) or _RANGE_BEFORE.search(before))


def _is_span_of_years(first: str | None, number: str, before: str) -> bool:
    """1990-2000年间: a span that starts at a specific year ends at one, even a round one."""
    if first is None or len(first) != 4 or len(number) != 4 or before.endswith(_COUNT_BEFORE):
        return False
    return _is_specific_year(first) and int(first) < int(number) <= 2099


def find(text: str) -> list[Edit]:
    """Edits for every ``N年``; a range (3~5年, 220年—280年) reads both ends alike, joined by 到.
    A decade written the English way (1990s) is 一九九零年代, not 1990 seconds."""
    edits: list[Edit] = []
    for match in _DECADE.finditer(text):
        edits.append(Edit(match.start(), match.end(), digits(match.group(1)) + "年代"))
    for match in _YEAR.finditer(text):
        first, number = match.group(1), match.group(2)
        before = text[max(0, match.start() - 6) : match.start()]
        after = text[match.end() : match.end() + 6]
        year = not match.group(3) and (
            is_year(number, before, after) or _is_span_of_years(first, number, before)
        )
        ends = [(match.start(2), match.end(2))]
        if first is not None:
            ends.insert(0, (match.start(1), match.end(1)))
            edits.append(Edit(match.end(1), match.start(2), "到"))
        for start, end in ends:
            edits.append(Edit(start, end, _reading(text[start:end], year=year)))
        dash = _DASH_TO_NEXT_YEAR.match(text, match.end())
        if dash and dash.end() > dash.start():
            edits.append(Edit(dash.start(), dash.end(), "到"))
    return edits


def _reading(number: str, *, year: bool) -> str:
    if not year:
        return cardinal(number, liang=True)
    # 公元前500年 is said 公元前五百年: a round hundred below 1000 is read as a number.
    round_hundred = len(number) <= 3 and number.endswith("00")
    return cardinal(number) if round_hundred else digits(number)

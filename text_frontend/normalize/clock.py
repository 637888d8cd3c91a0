"""``H:MM``: a clock time (八点零五分) or a ratio or score (三比二).

WeTN reads ``8:05`` as a time only after words it knows (下午), so 早上8:05集合 became 八比零五. The
colon is read by what it joins instead: two-digit minutes up to 59 after an hour up to 24 are a time
unless a ratio word is next to it (比分, 比例, 之比, 比赛 before it; 的比, 获胜, 战胜 after it);
anything else (3:2, 1:2:3) is a ratio. A dash between two times is a range (到). ``am``/``pm``
after a time become 上午/下午 before it, where Chinese puts them.
"""

from __future__ import annotations

import re

from text_frontend.normalize.edits import Edit
from text_frontend.normalize.spoken_numbers import cardinal, decimal, digits

_TIME = re.compile(
    r"(?<![\d.:])(\d{1,2}):(\d{2})(?::(\d{2}))?(?![\d:])(?:\s?([AaPp])\.?[Mm]\.?(?![A-Za-z]))?"
)
_RATIO = re.compile(r"(?<![\d.:])\d+(?:\.\d+)?(?::\d+(?:\.\d+)?)+(?![\d:])")
_RATIO_BEFORE = re.compile(r"比分|比例|之比|比赛|比值|比$")
_RANGE = re.compile(r" ?[-~～—] ?")
_RATIO_AFTER = ("的比", "比", "获胜", "战胜", "胜", "赢", "输", "的比分", "的比例")


def _sixty(value: str, unit: str) -> str:
    """Minutes or seconds: 05 → 零五分, 30 → 三十分."""
    number = int(value)
    return ("零" + digits(value[-1]) if number < 10 else cardinal(value)) + unit


def reading(hour: str, minute: str, second: str | None, meridiem: str | None) -> str:
    """A clock time as said: 8, 05 → 八点零五分; 8, 00 → 八点; ``meridiem`` a or p for am/pm."""
    prefix = ""
    if meridiem:
        prefix = "上午" if meridiem in "Aa" else ("中午" if int(hour) == 12 else "下午")
    out = prefix + cardinal(hour, liang=True) + "点"
    if second is not None:
        return out + _sixty(minute, "分") + _sixty(second, "秒")
    return out if minute == "00" else out + _sixty(minute, "分")


def _is_time(text: str, match: re.Match[str]) -> bool:
    hour, minute, second = int(match.group(1)), int(match.group(2)), match.group(3)
    if hour > 24 or minute > 59 or (second is not None and int(second) > 59):
        return False
    if match.group(4):
        return True
    before = text[max(0, match.start() - 3) : match.start()]
    return not (_RATIO_BEFORE.search(before) or text.startswith(_RATIO_AFTER, match.end()))


def find(text: str) -> list[Edit]:
    edits: list[Edit] = []
    times = [m for m in _TIME.finditer(text) if _is_time(text, m)]
    for index, match in enumerate(times):
        said = reading(match.group(1), match.group(2), match.group(3), match.group(4))
        edits.append(Edit(match.start(), match.end(), said))
        if index + 1 < len(times) and _RANGE.fullmatch(text, match.end(), times[index + 1].start()):
            edits.append(Edit(match.end(), times[index + 1].start(), "到"))  # 9:00-10:00 九点到十点
    for match in _RATIO.finditer(text):
        said = "比".join(decimal(part) for part in match.group().split(":"))
        edits.append(Edit(match.start(), match.end(), said))
    return edits

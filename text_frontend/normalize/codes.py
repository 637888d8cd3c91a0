"""Ordinals, codes and long numbers: when a digit string is a quantity and when it is a label.

WeTN reads a long digit string digit by digit with 幺 for 1, which is right for a phone number and
wrong for 第110111111 or a population. Here a digit string is a code, read digit by digit with 幺,
only when it says so: a mobile number's shape (1[3-9] and eleven digits), a leading zero, a word that
introduces a code before it (电话, 房间号, 学号, any …号) or a room after it (302室). 第N is an ordinal and
reads N as a quantity without 两 (第二百); any other number of five or more digits is a quantity.
Shorter numbers are left to WeTN, which reads them with their measure words (两个).
"""

from __future__ import annotations

import re

from text_frontend.normalize.edits import Edit
from text_frontend.normalize.spoken_numbers import cardinal, digits

_ORDINAL = re.compile(r"第(\d+)(?![\d.,:/~～\-—])")
# Digits joined to others by - ~ / : are dates, ranges, fractions or times, which WeTN reads whole.
_NUMBER = re.compile(r"(?<![\d.,:/A-Za-z~～-])\d+(?![\d,:/~～-]|\.\d)")
_MOBILE = re.compile(r"1[3-9]\d{9}")
# Any "…号" (学号, 房间号, 身份证号, 卡号) names a code, as do these words.
_CODE_BEFORE = re.compile(
    r"(?:号|电话|手机|号码|邮编|座机|热线|拨打|分机|车次|航班|密码|验证码|房间|宿舍)"
    r"(?:码)?(?:是|为)?[:：]? ?$"
)
_CODE_AFTER = ("室", "房间", "号房", "宿舍")
_QUANTITY_DIGITS = 5
_LONGEST_QUANTITY = 12


def is_code(text: str, start: int, end: int) -> bool:
    number = text[start:end]
    if _MOBILE.fullmatch(number) or (number.startswith("0") and len(number) > 1):
        return True
    if len(number) < 3:
        return False
    before = text[max(0, start - 8) : start]
    return bool(_CODE_BEFORE.search(before)) or text.startswith(_CODE_AFTER, end)


def find(text: str) -> list[Edit]:
    edits = [Edit(m.start(1), m.end(1), cardinal(m.group(1))) for m in _ORDINAL.finditer(text)]
    for match in _NUMBER.finditer(text):
        start, end = match.span()
        if is_code(text, start, end):
            edits.append(Edit(start, end, digits(match.group(), yao=True)))
        elif _QUANTITY_DIGITS <= end - start <= _LONGEST_QUANTITY:
            edits.append(Edit(start, end, cardinal(match.group(), liang=True)))
        elif end - start > _LONGEST_QUANTITY:
            edits.append(Edit(start, end, digits(match.group())))
    return edits

"""Bare digit strings: an ordinal, a code (a label read digit by digit) or a quantity.

WeTN reads 110 or 110111111 digit by digit with 幺 for 1, which is right for a phone number and wrong
for 第110111111 or a population, and reads 12.5 as 十二月五日. Here a digit string is a code, read
digit by digit with 幺, only when it says so: a mobile number's shape (1[3-9] and eleven digits), an
area code (010-12345678), a leading zero, a word that introduces a code before it (电话, 拨打, 学号,
any …号) or a room after it (302室). 第N is an ordinal and reads N as a quantity without 两 (第二百,
第一到二课). Any other integer of three or more digits, and any decimal, is a quantity. One- and
two-digit integers, and numbers followed by a unit, a percent sign or a date separator, are left to
WeTN, which reads them with their measure words (两个) and units.
"""

from __future__ import annotations

import re

from text_frontend.normalize.edits import Edit
from text_frontend.normalize.spoken_numbers import cardinal, decimal, digits

_ORDINAL = re.compile(r"第(\d+)(?:([-~～—])(\d+))?(?![\d.,:/~～\-—])")
# Digits joined to others by - ~ / : are dates, ranges, fractions or times, and digits followed by a
# letter, %, ° or ℃ carry a unit: WeTN reads those whole.
_TAIL = r"(?![\d.,:/~～\-—%‰℃°′″A-Za-zμ²³])"
_NUMBER = re.compile(r"(?<![\d.,:/A-Za-z~～\-—$¥￥€£₩^])()(\d+(?:\.\d+)?)" + _TAIL)
# After a dash: a sign (-110) or minus (a-110); after a digit it is a range or date, for WeTN.
_SIGNED = re.compile(r"(?<![\d.,:/~～\-—$¥￥€£₩^])(- ?)(\d+(?:\.\d+)?)" + _TAIL)
# A word joined to a number by a hyphen names a thing (COVID-19, iPhone-15, Boeing-737): the hyphen
# is silent, two digits are said as a number and longer ones digit by digit, as such names are said.
# A lexicon term stands in the text as one private-use character until it is expanded.
_NAMED = re.compile(r"(?:(?<![A-Za-z])[A-Za-z]{2,}|[\U000F0000-\U000FFFFD])(-)(\d+)(?![\d.])")
# .5 is 零点五; without its zero WeTN reads the 5 alone. Not after a dot (an ellipsis) or a letter.
_NO_LEADING_ZERO = re.compile(r"(?<![\d.A-Za-z…])\.(\d+)(?![\d.])")
# 3/0 has no value to say as a fraction (零分之三): say the division that is written.
_OVER_ZERO = re.compile(r"(?<![\d.,:/])(\d+(?:\.\d+)?)/(0+(?:\.0+)?)(?![\d.,:/])")
_AREA_CODE = re.compile(r"(?<![\d-])(0\d{2,3})-(\d{7,8})(?![\d-])")
_MOBILE = re.compile(r"1[3-9]\d{9}")
# Any "…号" (学号, 房间号, 身份证号, 卡号) names a code, as do these words; a date's 5号 does not.
_CODE_BEFORE = re.compile(
    r"(?:(?<![\d号])号|电话|手机|号码|邮编|座机|热线|拨打|分机|车次|航班|密码|验证码|房间|宿舍)"
    r"(?:码)?(?:是|为)?[:：]? ?$"
)
_CODE_AFTER = ("室", "房间", "号房", "宿舍")
_QUANTITY_DIGITS = 3
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
    edits: list[Edit] = []
    for match in _NAMED.finditer(text):
        number = match.group(2)
        said = cardinal(number) if len(number) <= 2 else digits(number)
        edits.append(Edit(match.start(1), match.end(2), said))
    for match in _ORDINAL.finditer(text):
        edits.append(Edit(match.start(1), match.end(1), cardinal(match.group(1))))
        if match.group(3):
            edits.append(Edit(match.end(1), match.start(3), "到"))
            edits.append(Edit(match.start(3), match.end(3), cardinal(match.group(3))))
    for match in _NO_LEADING_ZERO.finditer(text):
        edits.append(Edit(match.start(), match.end(), "零点" + digits(match.group(1))))
    for match in _OVER_ZERO.finditer(text):
        edits.append(Edit(match.start(), match.end(), decimal(match.group(1)) + "除以零"))
    for match in _AREA_CODE.finditer(text):
        edits.append(Edit(match.start(), match.end(), digits(match.group(1) + match.group(2), yao=True)))
    for match in [*_NUMBER.finditer(text), *_SIGNED.finditer(text)]:
        start, end = match.span(2)
        if text.endswith(("^(", "^(-"), 0, match.start()):
            continue  # 2^(100): an exponent, which the symbol layer reads as a power
        number = match.group(2)
        prefix = ""
        if match.group(1):
            if _after_number(text, match.start()):
                continue  # 100-200, 2024-03: a range or a date, which WeTN reads whole
            if _sign(text, match.start()):
                start, prefix = match.start(), "负"
        if "." in number:
            edits.append(Edit(start, end, prefix + decimal(number, liang=True)))
        elif is_code(text, match.start(2), end) and not prefix:
            edits.append(Edit(start, end, digits(number, yao=True)))
        elif _QUANTITY_DIGITS <= len(number) <= _LONGEST_QUANTITY or (
            prefix and len(number) <= _LONGEST_QUANTITY
        ):
            # A signed 2 is a value, not a count: 负二 as -2 is said (负两百 keeps its 两).
            liang = not prefix or len(number) > 1
            edits.append(Edit(start, end, prefix + cardinal(number, liang=liang)))
        elif len(number) > _LONGEST_QUANTITY:
            edits.append(Edit(start, end, prefix + digits(number)))
    return edits


def _before(text: str, at: int) -> str:
    j = at - 1
    while j >= 0 and text[j] == " ":
        j -= 1
    return text[j] if j >= 0 else ""


def _after_number(text: str, dash: int) -> bool:
    return _before(text, dash).isdecimal()


def _sign(text: str, dash: int) -> bool:
    """No operand before the dash (-110, x=-3.5): a sign, 负; otherwise minus (a-110), read by
    :mod:`.arithmetic`."""
    before = _before(text, dash)
    return not before or not ((before.isascii() and before.isalnum()) or before in ")]²³%℃Ω₀₁₂₃₄₅₆₇₈₉")

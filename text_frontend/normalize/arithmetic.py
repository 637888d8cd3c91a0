"""``+`` and ``-`` between quantities this layer spells: 2kg+3kg, 123+456, 5kg-2kg.

The symbol layer reads an operator by looking at its neighbours, and after a unit or a number has
become Chinese (两千克+三千克) its neighbours are no longer operands, so it would leave ``+``
unspoken. Deciding here, on the text as written, keeps 加 and 减 where they were meant. A dash
between two bare numbers stays for WeTN, which tells a range (100-200元) from a subtraction; a dash
after a unit or a variable (5kg-2kg, x-1, x₁-1) is minus. A longer word before it is a name, not an
operand (COVID-19). ``<`` and ``>`` are read here for the same reason: a signed or spelled number beside
them (x>-1 is x>负一 by now) is no operand to the symbol layer, which would leave them unsaid. ``…``
in a sum (1+2+…+n) and an ion's charge (Fe³⁺+3OH⁻) end an operand like a number does.
"""

from __future__ import annotations

import re

from text_frontend.normalize.edits import Edit

_PLUS = re.compile(r" ?\+ ?(?=[\dA-Za-z(…⋯])")
_MINUS = re.compile(r" ?- ?(?=\d)")
_OPERAND_END = re.compile(r"(?:[\d²³%℃°)Ω…⋯⁺⁻|]|\d ?[A-Za-z/²³]{1,5}|(?<![A-Za-z])[A-Za-z]{1,3}[₀-₉]*)$")
_UNIT_END = re.compile(r"(?:[²³℃Ω]|\d ?[A-Za-z/²³]{1,5}|(?<![A-Za-z])[A-Za-z]{1,3}[₀-₉]*)$")
# ``<=``, ``<>``, ``=>`` and ``->`` are other symbols, which the symbol layer reads whole.
_RELATION = re.compile(r"(?<![<>=!\-]) ?([<>]) ?(?![<>=])(?=-? ?\d|[A-Za-z(|√])")
_RELATION_READING = {"<": "小于", ">": "大于"}
_LOOK_BACK = 8


def find(text: str) -> list[Edit]:
    edits: list[Edit] = []
    for match in _PLUS.finditer(text):
        if _OPERAND_END.search(text[max(0, match.start() - _LOOK_BACK) : match.start()]):
            edits.append(Edit(match.start(), match.end(), "加"))
    for match in _MINUS.finditer(text):
        if _UNIT_END.search(text[max(0, match.start() - _LOOK_BACK) : match.start()]):
            edits.append(Edit(match.start(), match.end(), "减"))
    for match in _RELATION.finditer(text):
        if _OPERAND_END.search(text[max(0, match.start() - _LOOK_BACK) : match.start()]):
            edits.append(Edit(match.start(), match.end(), _RELATION_READING[match.group(1)]))
    return edits

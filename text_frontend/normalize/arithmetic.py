"""``+`` and ``-`` between quantities this layer spells: 2kg+3kg, 123+456, 5kg-2kg.

The symbol layer reads an operator by looking at its neighbours, and after a unit or a number has
become Chinese (两千克+三千克) its neighbours are no longer operands, so it would leave ``+``
unspoken. Deciding here, on the text as written, keeps 加 and 减 where they were meant. A dash
between two bare numbers stays for WeTN, which tells a range (100-200元) from a subtraction; a dash
after a unit or a letter (5kg-2kg, x-1) can only be minus.
"""

from __future__ import annotations

import re

from text_frontend.normalize.edits import Edit

_PLUS = re.compile(r"(?<=[\dA-Za-z²³%℃°)Ω]) ?\+ ?(?=[\dA-Za-z(])")
_MINUS = re.compile(r"(?<=[A-Za-z²³℃Ω]) ?- ?(?=\d)")


def find(text: str) -> list[Edit]:
    edits = [Edit(m.start(), m.end(), "加") for m in _PLUS.finditer(text)]
    edits.extend(Edit(m.start(), m.end(), "减") for m in _MINUS.finditer(text))
    return edits

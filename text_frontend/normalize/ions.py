"""Ions (Fe³⁺, Cl⁻, SO₄²⁻) read by their names, as chemistry teachers say them.

A charge written in superscripts after a formula is not a power: 铁离子, not "Fe 的立方". The ions of
school chemistry are said by name (Fe³⁺ 铁离子, Fe²⁺ 亚铁离子, SO₄²⁻ 硫酸根离子); any other ion is
said by its formula and its charge, the way textbooks define it (带两个单位正电荷的 …… 离子), so no
charge is ever silently dropped.
"""

from __future__ import annotations

import re

from text_frontend.normalize.chemistry import SUBSCRIPT_DIGITS, formula_parts, formula_reading
from text_frontend.normalize.edits import Edit
from text_frontend.normalize.spoken_numbers import cardinal

_SUPERSCRIPT = str.maketrans("⁰¹²³⁴⁵⁶⁷⁸⁹", "0123456789")
_ION = re.compile(r"(?<![A-Za-z\d.])((?:[A-Z][a-z]?[₀-₉\d]*)+)([⁰¹²³⁴⁵⁶⁷⁸⁹]*)([⁺⁻])(?![⁺⁻⁰¹²³⁴⁵⁶⁷⁸⁹])")

# Formula (plain digits) and charge → the name a class says.
# fmt: off
NAMES: dict[tuple[str, int], str] = {
    ("H", 1): "氢离子", ("Li", 1): "锂离子", ("Na", 1): "钠离子", ("K", 1): "钾离子", ("Ag", 1): "银离子",
    ("Cu", 1): "亚铜离子", ("Cu", 2): "铜离子", ("Fe", 2): "亚铁离子", ("Fe", 3): "铁离子",
    ("Mg", 2): "镁离子", ("Ca", 2): "钙离子", ("Ba", 2): "钡离子", ("Zn", 2): "锌离子", ("Al", 3): "铝离子",
    ("Hg", 2): "汞离子", ("Pb", 2): "铅离子", ("Mn", 2): "锰离子", ("NH4", 1): "铵根离子",
    ("F", -1): "氟离子", ("Cl", -1): "氯离子", ("Br", -1): "溴离子", ("I", -1): "碘离子",
    ("O", -2): "氧离子", ("S", -2): "硫离子", ("OH", -1): "氢氧根离子", ("NO3", -1): "硝酸根离子",
    ("NO2", -1): "亚硝酸根离子", ("SO4", -2): "硫酸根离子", ("SO3", -2): "亚硫酸根离子",
    ("CO3", -2): "碳酸根离子", ("HCO3", -1): "碳酸氢根离子", ("HSO4", -1): "硫酸氢根离子",
    ("PO4", -3): "磷酸根离子", ("MnO4", -1): "高锰酸根离子", ("ClO", -1): "次氯酸根离子",
    ("ClO3", -1): "氯酸根离子", ("SiO3", -2): "硅酸根离子", ("CH3COO", -1): "醋酸根离子",
}
# fmt: on


def find(text: str) -> list[Edit]:
    edits: list[Edit] = []
    for match in _ION.finditer(text):
        formula = match.group(1).translate(SUBSCRIPT_DIGITS)
        parts = formula_parts(formula)
        if parts is None:
            continue
        size = int(match.group(2).translate(_SUPERSCRIPT) or "1")
        positive = match.group(3) == "⁺"
        name = NAMES.get((formula, size if positive else -size))
        if name is None:
            sign = "正" if positive else "负"
            name = f"带{cardinal(str(size), liang=True)}个单位{sign}电荷的{formula_reading(parts)}离子"
        edits.append(Edit(match.start(), match.end(), name))
    return edits

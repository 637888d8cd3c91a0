"""Chemical formulas and equations, read the way Chinese chemistry classes read them aloud.

H₂O is said "H二O": element symbols keep their Latin letters (the letter layer says their names),
each subscript is the number it counts (C₆H₁₂O₆ is C六H十二O六), a coefficient counts molecules
(2H₂ is 两个H二), ``+`` between formulas is 加 and ``=`` or an arrow is 生成. A formula is recognised
only when it cannot be anything else: subscript digits, or at least two element symbols with a
plain digit (CO2, H2SO4), so MP3, A4 and G20 (no such elements) are left alone.
"""

from __future__ import annotations

import re

from text_frontend.normalize.edits import Edit
from text_frontend.normalize.spoken_numbers import cardinal

# fmt: off
ELEMENTS = frozenset((
    "H", "He", "Li", "Be", "B", "C", "N", "O", "F", "Ne", "Na", "Mg", "Al", "Si", "P", "S",
    "Cl", "Ar", "K", "Ca", "Sc", "Ti", "V", "Cr", "Mn", "Fe", "Co", "Ni", "Cu", "Zn", "Ga", "Ge",
    "As", "Se", "Br", "Kr", "Rb", "Sr", "Y", "Zr", "Nb", "Mo", "Tc", "Ru", "Rh", "Pd", "Ag", "Cd",
    "In", "Sn", "Sb", "Te", "I", "Xe", "Cs", "Ba", "La", "Ce", "Pr", "Nd", "Pm", "Sm", "Eu", "Gd",
    "Tb", "Dy", "Ho", "Er", "Tm", "Yb", "Lu", "Hf", "Ta", "W", "Re", "Os", "Ir", "Pt", "Au", "Hg",
    "Tl", "Pb", "Bi", "Po", "At", "Rn", "Fr", "Ra", "Ac", "Th", "Pa", "U", "Np", "Pu", "Am", "Cm",
    "Bk", "Cf", "Es", "Fm", "Md", "No", "Lr", "Rf", "Db", "Sg", "Bh", "Hs", "Mt", "Ds", "Rg", "Cn",
    "Nh", "Fl", "Mc", "Lv", "Ts", "Og",
))
# fmt: on
SUBSCRIPT_DIGITS = str.maketrans("₀₁₂₃₄₅₆₇₈₉", "0123456789")
_PART = re.compile(r"([A-Z][a-z]?)([₀-₉]+|\d+)?")
_FORMULA = re.compile(r"(?<![A-Za-z\d.])(\d*)((?:[A-Z][a-z]?(?:[₀-₉]+|\d+)?)+)(?![A-Za-z\d])")
_JOIN = re.compile(r" ?(\+|=|==|→|⟶|->) ?")
_JOIN_READING = {"+": "加"}
_PRODUCES = "生成"


def formula_parts(formula: str) -> list[tuple[str, str]] | None:
    """Element symbols with their counts, or None when a symbol is no element (MP3, A4)."""
    parts: list[tuple[str, str]] = []
    pos = 0
    while pos < len(formula):
        match = _PART.match(formula, pos)
        if match is None or match.group(1) not in ELEMENTS:
            return None
        parts.append((match.group(1), match.group(2) or ""))
        pos = match.end()
    return parts


def _stands_alone(formula: str, parts: list[tuple[str, str]]) -> bool:
    """Subscript digits, or two element symbols with a count (CO2), can only be a formula."""
    if any(c in formula for c in "₀₁₂₃₄₅₆₇₈₉"):
        return True
    return len(parts) >= 2 and any(n for _, n in parts)


def formula_reading(parts: list[tuple[str, str]]) -> str:
    return "".join(symbol + (cardinal(n.translate(SUBSCRIPT_DIGITS)) if n else "") for symbol, n in parts)


def _chains(text: str) -> list[list[tuple[re.Match[str], list[tuple[str, str]]]]]:
    """Runs of element-only tokens joined by + = →; an equation is chemistry if one of its terms is
    unmistakably a formula, which lets CaO and NaCl in 2HCl+CaO=CaCl₂+H₂O count too, while
    2N+3N=5N (no formula in it) stays algebra."""
    chains: list[list[tuple[re.Match[str], list[tuple[str, str]]]]] = []
    previous: re.Match[str] | None = None
    for match in _FORMULA.finditer(text):
        parts = formula_parts(match.group(2))
        if parts is None:
            previous = None
            continue
        joined = previous is not None and _JOIN.fullmatch(text, previous.end(), match.start())
        if joined:
            chains[-1].append((match, parts))
        else:
            chains.append([(match, parts)])
        previous = match
    return chains


def find(text: str) -> list[Edit]:
    edits: list[Edit] = []
    for chain in _chains(text):
        if len(chain) == 1 and not _stands_alone(chain[0][0].group(2), chain[0][1]):
            continue
        if not any(_stands_alone(m.group(2), parts) for m, parts in chain):
            continue
        for index, (match, parts) in enumerate(chain):
            count = match.group(1)
            said = (cardinal(count, liang=True) + "个" if count else "") + formula_reading(parts)
            edits.append(Edit(match.start(), match.end(), said))
            if index + 1 < len(chain):
                following = chain[index + 1][0]
                gap = _JOIN.fullmatch(text, match.end(), following.start())
                if gap:
                    edits.append(
                        Edit(match.end(), following.start(), _JOIN_READING.get(gap.group(1), _PRODUCES))
                    )
    return edits

"""Our symbol layer: maths notation, Greek letters and stray Latin letters, rewritten before WeTN.

WeTextProcessing reads numbers, dates, money, units and plain arithmetic between numbers well, but
it leaves ``x≠y``, ``a²``, ``√2``, ``π`` and Greek letters untouched and turns ``2x+3`` into 二x正三.
So this pass runs first and rewrites only what WeTN lacks, leaving digits in place: WeTN then sees
``2艾克斯加3等于7`` and still reads every number with its context (两个, 二零二四年, 百分之五十).
Rules that need the original notation (``-`` between two numbers may be a range, ``m²`` after a
number is a unit) defer to WeTN.
"""

from __future__ import annotations

import re
import unicodedata
from functools import cache
from importlib.resources import files

from text_frontend.normalize.annotated import Annotated, Char
from text_frontend.normalize.spoken_numbers import cardinal
from text_frontend.normalize.symbols import (
    ABSOLUTE_VALUE,
    CUBED,
    FACTORIAL,
    FUNCTIONS,
    GREEK,
    LATIN,
    MICRO_UNITS,
    OPERATORS,
    PER_MILLE,
    POWER_OF,
    SQUARED,
    SUBSCRIPT_LETTERS,
    SUBSCRIPT_SIGNS,
    SUPERSCRIPT_DIGITS,
    TIMES_POWER,
    UNARY,
    Reading,
)
from text_frontend.normalize.unspoken import is_han

_ALWAYS = frozenset("=≠≈≤≦≥≧±∞√∛∠△⊥∥∵∴∈∉∪∩⊆×÷⇒⇔")
_GROUPED_NUMBER = re.compile(r"\d{1,3}(?:,\d{3})+(?![\d,])")
_PER_MILLE = re.compile(r"(\d+(?:\.\d+)?)‰")
_POWER = re.compile(r"\^(\(?)(-?)(\d+|[A-Za-z])(\)?)")
_SUPERSCRIPTS = re.compile(r"⁻?[⁰¹²³⁴⁵⁶⁷⁸⁹]+")
_FRACTION_BEFORE = re.compile(r"\d+/\d+\s*$")
_MAX_SPELLED_CAPITALS = 4
_MAX_SPELLED_VARIABLES = 3
_SUBSCRIPT_DIGITS = "₀₁₂₃₄₅₆₇₈₉"
_SUBSCRIPT_RUN = re.compile(f"[{_SUBSCRIPT_DIGITS}]+")
_SUBSCRIPTS = _SUBSCRIPT_DIGITS + "".join(SUBSCRIPT_LETTERS) + "".join(SUBSCRIPT_SIGNS) + "₍₎"
_ELLIPSES = "…⋯"
# n!=1×2×…×n: a letter's ``!`` before ``=`` is a factorial when a product (or another factorial)
# follows in the same clause; otherwise a!=b, x!=0 are "not equal", as programmers type ≠.
_PRODUCT_AFTER = re.compile(r"[^，。；;,\s]*?[×·*…⋯!]")
# |x|, |a-b|, |-3| (负三 by now): what may stand between the bars of an absolute value.
_ABSOLUTE = re.compile(r"\|([^|\s]{1,24})\|")
_ABSOLUTE_INSIDE = frozenset(
    "0123456789+-*/×÷·^()."
    + _SUBSCRIPT_DIGITS
    + "".join(SUPERSCRIPT_DIGITS)
    + "√π零一二两三四五六七八九十百千万亿点负正分之加减乘除以"
)
_FROM_SUBSCRIPT = str.maketrans(_SUBSCRIPT_DIGITS, "0123456789")
# An index keeps its citation tones: x₁ is x yi1 before 加 or another x, never yi4 or yi2 by sandhi.
_NUMERAL_PINYIN = {
    "零": "ling2",
    "一": "yi1",
    "二": "er4",
    "三": "san1",
    "四": "si4",
    "五": "wu3",
    "六": "liu4",
    "七": "qi1",
    "八": "ba1",
    "九": "jiu3",
    "十": "shi2",
    "百": "bai3",
    "千": "qian1",
    "万": "wan4",
    "亿": "yi4",
}
# Relations typed in ASCII, longest first: ``x>=3`` must not lose its ``>`` and read "x 等于三".
_ASCII_RELATIONS = (
    ("<=>", "⇔"),
    (">=", "≥"),
    ("<=", "≤"),
    ("=<", "≤"),
    ("=>", "⇒"),
    ("!=", "≠"),
    ("<>", "≠"),
)


@cache
def wetn_units() -> frozenset[str]:
    """Unit spellings WeTN reads after a number (km, kg, m², ml …): letters there are units, not names."""
    table = files("tn").joinpath("chinese/data/measure/units_en.tsv").read_text(encoding="utf-8")
    units = {line.split("\t")[0] for line in table.splitlines() if line.strip()}
    return frozenset(u for u in units if re.fullmatch(r"[A-Za-z]+[23²³]?", u))


def _fold(ch: str) -> str:
    """Full-width ＝＋－＜＞ behave like their ASCII forms; the minus sign and en dash like ``-``."""
    if ch in "−–－":
        return "-"
    return unicodedata.normalize("NFKC", ch) if ch in "＝＋＜＞" else ch


def _is_digit(ch: str) -> bool:
    return ch.isdecimal()


def _letter_run(text: str, i: int) -> int:
    j = i
    while j < len(text) and text[j].isascii() and text[j].isalpha():
        j += 1
    return j


def _run_around(text: str, i: int) -> str:
    """The whole ASCII-letter run containing ``text[i]``."""
    start = i
    while start > 0 and text[start - 1].isascii() and text[start - 1].isalpha():
        start -= 1
    return text[start : _letter_run(text, start)]


def _prev(text: str, i: int) -> int:
    j = i - 1
    while j >= 0 and text[j] in " \t":
        j -= 1
    return j


def _next(text: str, i: int) -> int:
    j = i + 1
    while j < len(text) and text[j] in " \t":
        j += 1
    return j


def _is_operand_at(text: str, j: int) -> bool:
    """A number, a variable (short letter run), a Greek letter, a closing bracket or a power."""
    if j < 0 or j >= len(text):
        return False
    ch = text[j]
    if _is_digit(ch) or ch in ")]²³%π°∞₎" or ch in GREEK or ch in SUPERSCRIPT_DIGITS or ch in _SUBSCRIPTS:
        return True
    if ch.isascii() and ch.isalpha():
        run = _run_around(text, j)
        return (
            len(run) == 1
            or (run.isupper() and len(run) <= _MAX_SPELLED_CAPITALS)
            or (run.islower() and len(run) <= _MAX_SPELLED_VARIABLES)
        )
    return False


def _starts_operand_at(text: str, j: int) -> bool:
    return _is_operand_at(text, j) or (0 <= j < len(text) and text[j] in "(√∛")


def _reading(reading: Reading) -> list[Char]:
    """Produced characters with their pinned pinyin (no source: they are not in the paragraph)."""
    return [Char(ch, None, py) for ch, py in zip(reading.text, reading.pinyin, strict=True)]


class _Rewriter:
    def __init__(self, src: Annotated) -> None:
        self.src = src
        self.text = "".join(_fold(c.char) for c in src.chars)
        self.out: list[Char] = []
        self.after_unit = False
        self.closing_bars: set[int] = set()

    def keep(self, i: int, j: int | None = None) -> None:
        self.out.extend(self.src.chars[i : (i + 1 if j is None else j)])

    def emit(self, reading: Reading) -> None:
        self.out.extend(_reading(reading))

    def emit_digits(self, i: int, j: int) -> None:
        """Digits stay verbatim (with their sources) so WeTN reads them; thousands commas go."""
        self.out.extend(c for c in self.src.chars[i:j] if c.char != ",")

    def run(self) -> Annotated:
        text = self.text
        i = 0
        while i < len(text):
            i = self.step(i)
        return Annotated(tuple(self.out))

    def step(self, i: int) -> int:
        text, ch = self.text, self.text[i]
        if self.src.chars[i].atom is not None or self.src.chars[i].pinned is not None:
            self.keep(i)
            return i + 1
        after_unit, self.after_unit = self.after_unit, False
        if _is_digit(ch):
            return self.number(i)
        if ch.isascii() and ch.isalpha():
            return self.letters(i, after_unit)
        if ch == "^":
            return self.caret(i)
        if ch in SUPERSCRIPT_DIGITS or ch == "⁻":
            return self.superscript(i, after_unit)
        if ch == "μ" and self.micro_unit(i):
            return i + 2
        if ch in GREEK:
            self.emit(GREEK[ch])
            return i + 1
        if ch == "°":
            prev = _prev(text, i)
            if prev >= 0 and _is_digit(text[prev]):
                end = i + 2 if i + 1 < len(text) and text[i + 1] in "CFcf" else i + 1
                self.keep(i, end)
                return end
            self.emit(OPERATORS[ch])
            return i + 1
        if ch in "<>=!" and (relation_end := self.ascii_relation(i)):
            return relation_end
        if ch in _ALWAYS:
            self.emit(OPERATORS[ch])
            return i + 1
        if ch in _SUBSCRIPTS:
            return self.subscript(i)
        if ch == "|" and self.absolute_value(i):
            return i + 1
        if ch == "→" and self.tends_to(i):
            self.emit(OPERATORS[ch])
            return i + 1
        if ch in "<>":
            if self.left_operand(_prev(text, i)) and self.right_operand(_next(text, i)):
                self.emit(OPERATORS[ch])
            else:
                self.keep(i)
            return i + 1
        if ch in "+-":
            return self.sign(i)
        if ch == "/" and after_unit:
            end = _letter_run(text, i + 1)
            if end > i + 1 and text[i + 1 : end] in wetn_units():
                self.keep(i, end)
                return end
        self.keep(i)
        return i + 1

    def fixed_at(self, j: int) -> bool:
        """An override, alias or lexicon entry: its reading is decided, and it stands for a term."""
        return 0 <= j < len(self.src.chars) and (
            self.src.chars[j].atom is not None or self.src.chars[j].pinned is not None
        )

    def left_operand(self, j: int) -> bool:
        """What ends at ``j`` can be the left side of a binary operator: x₁ and [x₁](x一) included."""
        return _is_operand_at(self.text, j) or self.fixed_at(j) or j in self.closing_bars

    def right_operand(self, j: int) -> bool:
        return (
            _starts_operand_at(self.text, j)
            or self.fixed_at(j)
            or (0 <= j < len(self.text) and self.text[j] == "|" and _ABSOLUTE.match(self.text, j) is not None)
        )

    def ascii_relation(self, i: int) -> int | None:
        """``>=`` ``<=`` ``!=`` ``<>`` ``=>`` typed for ≥ ≤ ≠ ⇒: one relation, not a dropped ``>``
        before 等于. ``<>`` only between operands (it may be an empty pair of brackets in prose), and
        ``!=`` not straight after a number, a letter or a bracket, where ``!`` is a factorial (5!=120)."""
        text = self.text
        for typed, symbol in _ASCII_RELATIONS:
            if not text.startswith(typed, i):
                continue
            end = i + len(typed)
            if typed == "<>" and not (
                self.left_operand(_prev(text, i)) and self.right_operand(_next(text, end - 1))
            ):
                return None
            if typed == "!=" and self.factorial_before(i):
                self.emit(FACTORIAL)
                self.emit(OPERATORS["="])
                return end
            self.emit(OPERATORS[symbol])
            return end
        return None

    def factorial_before(self, i: int) -> bool:
        """``!`` straight after a number or a bracket is a factorial (5!=120, (n+1)!=…); after one
        letter only when a product follows (n!=1×2×…×n), since a!=b is far more often "not equal"."""
        if i == 0:
            return False
        before = self.text[i - 1]
        if _is_digit(before) or before in ")]":
            return True
        return (
            before.isascii()
            and before.isalpha()
            and len(_run_around(self.text, i - 1)) == 1
            and _PRODUCT_AFTER.match(self.text, i + 2) is not None
        )

    def absolute_value(self, i: int) -> bool:
        """``|x|`` is said as textbooks do, 艾克斯的绝对值: the opening bar is silent and the closing
        one says 的绝对值 (and closes an operand, so |x|<3 keeps its 小于)."""
        if i in self.closing_bars:
            self.emit(ABSOLUTE_VALUE)
            return True
        match = _ABSOLUTE.match(self.text, i)
        if match is None:
            return False
        inside = match.group(1)
        if not all(
            c in _ABSOLUTE_INSIDE or c in GREEK or c in _SUBSCRIPTS or (c.isascii() and c.isalpha())
            for c in inside
        ):
            return False
        if not any(c.isalnum() or c in GREEK for c in inside):
            return False
        self.closing_bars.add(match.end() - 1)
        return True

    def tends_to(self, i: int) -> bool:
        """``→`` in a limit (x→0, n→∞, x→x₀, x→-∞) is 趋向于: one variable on the left and a number,
        infinity or one variable on the right. Elsewhere (北京→上海, a flow of steps) it stays an arrow."""
        text = self.text
        j = _prev(text, i)
        while j >= 0 and text[j] in _SUBSCRIPTS:
            j -= 1
        if j < 0 or not (text[j].isascii() and text[j].isalpha() and len(_run_around(text, j)) == 1):
            return False
        k = _next(text, i)
        if k < len(text) and text[k] in "+-":
            k += 1
        if k >= len(text):
            return False
        ahead = text[k]
        if _is_digit(ahead) or ahead == "∞":
            return True
        return ahead.isascii() and ahead.isalpha() and len(_run_around(text, k)) == 1

    def subscript(self, i: int) -> int:
        """x₁, a₁₀, aₙ₊₁: a number in the index is said as a number (x一, a十), a letter by its name and
        ``₊`` ``₋`` as 加 减 (诶恩加一), as the index is read in class."""
        text = self.text
        j = i
        while j < len(text) and text[j] in _SUBSCRIPTS:
            ch = text[j]
            if ch in _SUBSCRIPT_DIGITS:
                match = _SUBSCRIPT_RUN.match(text, j)
                assert match is not None
                said = cardinal(match.group().translate(_FROM_SUBSCRIPT))
                self.out.extend(Char(c, None, _NUMERAL_PINYIN[c]) for c in said)
                j = match.end()
                continue
            if ch in SUBSCRIPT_LETTERS:
                self.emit(LATIN[SUBSCRIPT_LETTERS[ch]])
            elif ch in SUBSCRIPT_SIGNS:
                self.emit(OPERATORS[SUBSCRIPT_SIGNS[ch]])
            j += 1  # ₍ ₎ group the index and are not said
        return j

    def micro_unit(self, i: int) -> bool:
        """``5μm``: μ is the micro prefix of a unit after a number, not the letter 缪."""
        text = self.text
        prev = _prev(text, i)
        if prev < 0 or not _is_digit(text[prev]) or _letter_run(text, i + 1) != i + 2:
            return False
        unit = MICRO_UNITS.get(text[i + 1])
        if unit is None:
            return False
        self.emit(unit)
        return True

    def number(self, i: int) -> int:
        text = self.text
        grouped = _GROUPED_NUMBER.match(text, i)
        if grouped and (i == 0 or not _is_digit(text[i - 1])):
            self.emit_digits(i, grouped.end())
            return grouped.end()
        per_mille = _PER_MILLE.match(text, i)
        if per_mille and (i == 0 or not _is_digit(text[i - 1])):
            self.emit(PER_MILLE)
            self.keep(i, per_mille.end(1))
            return per_mille.end()
        j = i
        while j < len(text) and _is_digit(text[j]):
            j += 1
        self.keep(i, j)
        return j

    def letters(self, i: int, after_unit: bool) -> int:
        text = self.text
        end = _letter_run(text, i)
        run = text[i:end]
        prev = _prev(text, i)
        after_number = prev >= 0 and (_is_digit(text[prev]) or (after_unit and text[prev] == "/"))
        if after_number and (run in wetn_units() or run.lower() in wetn_units()):
            self.keep(i, end)
            self.after_unit = True
            return end
        if run.lower() in FUNCTIONS:
            self.emit(FUNCTIONS[run.lower()])
            return end
        math_context = (prev >= 0 and (_is_digit(text[prev]) or text[prev] in "+-=×÷<>≤≥≠≈(^")) or (
            end < len(text) and text[end] in "+-=×÷<>≤≥≠≈²³^()"
        )
        spell = (
            len(run) == 1
            or (run.isupper() and len(run) <= _MAX_SPELLED_CAPITALS)
            or (run.islower() and len(run) <= _MAX_SPELLED_VARIABLES and math_context)
        )
        if not spell:
            self.keep(i, end)
            return end
        for letter in run:
            self.emit(LATIN[letter.lower()])
        return end

    def caret(self, i: int) -> int:
        match = _POWER.match(self.text, i)
        if match is None or bool(match.group(1)) != bool(match.group(4)):
            self.keep(i)
            return i + 1
        exponent = match.group(3)
        if exponent.isdecimal():
            spoken = list(self.src.chars[match.start(3) : match.end(3)])
        else:
            spoken = _reading(LATIN[exponent.lower()])
        self.power(bool(match.group(2)), exponent, spoken)
        return match.end()

    def superscript(self, i: int, after_unit: bool) -> int:
        match = _SUPERSCRIPTS.match(self.text, i)
        if match is None:
            self.keep(i)
            return i + 1
        if after_unit:  # m², cm³: WeTN reads 平方米.
            self.keep(i, match.end())
            return match.end()
        negative = match.group().startswith("⁻")
        digits = match.group()[1:] if negative else match.group()
        plain = "".join(SUPERSCRIPT_DIGITS[d] for d in digits)
        self.power(negative, plain, [Char(d) for d in plain])
        return match.end()

    def power(self, negative: bool, exponent: str, spoken: list[Char]) -> None:
        """One reading for x^2 and x², x^-1 and x⁻¹: 的平方 and 的立方 for a positive 2 or 3, as
        people say them; any other power is 的 (负) ``spoken`` 次方."""
        if not negative and exponent == "2":
            self.emit(SQUARED)
        elif not negative and exponent == "3":
            self.emit(CUBED)
        else:
            self.emit(POWER_OF)
            if negative:
                self.emit(UNARY["-"])
            self.out.extend(spoken)
            self.emit(TIMES_POWER)

    def word_before_word(self, prev: int, nxt: int) -> bool:
        """A Chinese word or a fixed piece on the left and a Chinese word on the right of ``+``."""
        text = self.text
        left = self.fixed_at(prev) or (prev >= 0 and (is_han(text[prev]) or _is_operand_at(text, prev)))
        left = left and not (prev >= 0 and _is_digit(text[prev]))  # 5+年: "more than five years"
        return left and nxt < len(text) and is_han(text[nxt])

    def between_operands(self, prev: int, nxt: int) -> bool:
        """Operands on both sides; ``…`` in a sum stands for the terms it leaves out (a₁+a₂+…+aₙ)."""
        text = self.text
        left, right = self.left_operand(prev), self.right_operand(nxt)
        left_dots = prev >= 0 and text[prev] in _ELLIPSES
        right_dots = nxt < len(text) and text[nxt] in _ELLIPSES
        return (left and right) or (left and right_dots) or (left_dots and right)

    def sign(self, i: int) -> int:
        text, ch = self.text, self.text[i]
        prev, nxt = _prev(text, i), _next(text, i)
        prev_digit = prev >= 0 and _is_digit(text[prev])
        next_digit = nxt < len(text) and _is_digit(text[nxt])
        if prev_digit and next_digit and ch == "-" and not _FRACTION_BEFORE.search(text, 0, i):
            # 3-5 may be a range, a date or a subtraction: WeTN reads it from the context.
            self.out.append(self.src.chars[i] if self.src.chars[i].char == ch else Char(ch))
        elif self.between_operands(prev, nxt):
            self.emit(OPERATORS[ch])
        elif ch == "+" and self.word_before_word(prev, nxt):
            self.emit(OPERATORS[ch])  # 甲+乙, 互联网+教育, [x₁](x一)+甲
        elif not _is_operand_at(text, prev) and _starts_operand_at(text, nxt) and not next_digit:
            self.emit(UNARY[ch])
        elif next_digit and self.src.chars[i].char != ch:
            self.out.append(Char(ch))  # −5 → -5 so WeTN reads 负五
        else:
            self.keep(i)
        return i + 1


def rewrite_symbols(src: Annotated) -> Annotated:
    """Rewrite maths notation and letters into Chinese words, leaving numbers for WeTN."""
    return _Rewriter(src).run()

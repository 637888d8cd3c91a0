"""Readings for symbols WeTextProcessing leaves alone: Greek letters, Latin letters used as names, math.

Each reading carries its pinyin so G2P cannot misread a transliteration (伽马 is ga1 ma3, not jia1).
Latin letters are read with the Chinese approximations of their English names that teachers use
aloud (x → 艾克斯); they are written in Chinese characters so the normalised text stays Han plus
punctuation and every spoken syllable has exactly one character, like everything else downstream.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class Reading:
    text: str
    pinyin: tuple[str, ...]

    def __post_init__(self) -> None:
        if len(self.text) != len(self.pinyin):
            raise ValueError(f"{self.text!r}: one syllable per character expected")


def _r(text: str, pinyin: str) -> Reading:
    return Reading(text, tuple(pinyin.split()))


GREEK: dict[str, Reading] = {
    "α": _r("阿尔法", "a1 er3 fa3"),
    "β": _r("贝塔", "bei4 ta3"),
    "γ": _r("伽马", "ga1 ma3"),
    "δ": _r("德尔塔", "de2 er3 ta3"),
    "ε": _r("艾普西隆", "ai4 pu3 xi1 long2"),
    "ζ": _r("泽塔", "ze2 ta3"),
    "η": _r("伊塔", "yi1 ta3"),
    "θ": _r("西塔", "xi1 ta3"),
    "ι": _r("约塔", "yue1 ta3"),
    "κ": _r("卡帕", "ka3 pa4"),
    "λ": _r("兰姆达", "lan2 mu3 da2"),
    "μ": _r("缪", "miu4"),
    "ν": _r("纽", "niu3"),
    "ξ": _r("克西", "ke4 xi1"),
    "ο": _r("奥密克戎", "ao4 mi4 ke4 rong2"),
    "π": _r("派", "pai4"),
    "ρ": _r("柔", "rou2"),
    "σ": _r("西格马", "xi1 ge2 ma3"),
    "ς": _r("西格马", "xi1 ge2 ma3"),
    "τ": _r("陶", "tao2"),
    "υ": _r("宇普西隆", "yu3 pu3 xi1 long2"),
    "φ": _r("斐", "fei3"),
    "ϕ": _r("斐", "fei3"),
    "χ": _r("希", "xi1"),
    "ψ": _r("普西", "pu3 xi1"),
    "ω": _r("欧米伽", "ou1 mi3 ga1"),
}
# Capitals share the name: Δ is 德尔塔 just as δ is.
GREEK.update(
    {
        upper: GREEK[lower]
        for lower, upper in zip("αβγδεζηθικλμνξοπρστυφχψω", "ΑΒΓΔΕΖΗΘΙΚΛΜΝΞΟΠΡΣΤΥΦΧΨΩ", strict=True)
    }
)

LATIN: dict[str, Reading] = {
    "a": _r("诶", "ei1"),
    "b": _r("必", "bi4"),
    "c": _r("西", "xi1"),
    "d": _r("迪", "di2"),
    "e": _r("伊", "yi1"),
    "f": _r("艾弗", "ai4 fu2"),
    "g": _r("吉", "ji2"),
    "h": _r("艾尺", "ai4 chi3"),
    "i": _r("艾", "ai4"),
    "j": _r("杰", "jie2"),
    "k": _r("开", "kai1"),
    "l": _r("艾勒", "ai4 le4"),
    "m": _r("艾姆", "ai4 mu3"),
    "n": _r("恩", "en1"),
    "o": _r("欧", "ou1"),
    "p": _r("披", "pi1"),
    "q": _r("秋", "qiu1"),
    "r": _r("阿尔", "a1 er3"),
    "s": _r("艾丝", "ai4 si1"),
    "t": _r("提", "ti2"),
    "u": _r("优", "you1"),
    "v": _r("维", "wei2"),
    "w": _r("达布溜", "da2 bu4 liu1"),
    "x": _r("艾克斯", "ai4 ke4 si1"),
    "y": _r("歪", "wai1"),
    "z": _r("兹", "zi1"),
}

# Function names read as words in Chinese maths classes.
FUNCTIONS: dict[str, Reading] = {
    "sin": _r("正弦", "zheng4 xian2"),
    "cos": _r("余弦", "yu2 xian2"),
    "tan": _r("正切", "zheng4 qie1"),
    "cot": _r("余切", "yu2 qie1"),
}

# Operators and relations. Pinned so 乘 is never sheng4 and 号 never hao2.
OPERATORS: dict[str, Reading] = {
    "+": _r("加", "jia1"),
    "-": _r("减", "jian3"),
    "−": _r("减", "jian3"),
    "×": _r("乘", "cheng2"),
    "÷": _r("除以", "chu2 yi3"),
    "=": _r("等于", "deng3 yu2"),
    "≠": _r("不等于", "bu4 deng3 yu2"),
    "≈": _r("约等于", "yue1 deng3 yu2"),
    "<": _r("小于", "xiao3 yu2"),
    ">": _r("大于", "da4 yu2"),
    "≤": _r("小于等于", "xiao3 yu2 deng3 yu2"),
    "≦": _r("小于等于", "xiao3 yu2 deng3 yu2"),
    "≥": _r("大于等于", "da4 yu2 deng3 yu2"),
    "≧": _r("大于等于", "da4 yu2 deng3 yu2"),
    "±": _r("正负", "zheng4 fu4"),
    "∞": _r("无穷大", "wu2 qiong2 da4"),
    "√": _r("根号", "gen1 hao4"),
    "∛": _r("三次根号", "san1 ci4 gen1 hao4"),
    "∠": _r("角", "jiao3"),
    "△": _r("三角形", "san1 jiao3 xing2"),
    "⊥": _r("垂直于", "chui2 zhi2 yu2"),
    "∥": _r("平行于", "ping2 xing2 yu2"),
    "∵": _r("因为", "yin1 wei4"),
    "∴": _r("所以", "suo3 yi3"),
    "∈": _r("属于", "shu3 yu2"),
    "∉": _r("不属于", "bu4 shu3 yu2"),
    "∪": _r("并", "bing4"),
    "∩": _r("交", "jiao1"),
    "⊆": _r("包含于", "bao1 han2 yu2"),
    "⇒": _r("推出", "tui1 chu1"),
    "⇔": _r("等价于", "deng3 jia4 yu2"),
    "°": _r("度", "du4"),
    "→": _r("趋向于", "qu1 xiang4 yu2"),
}
UNARY: dict[str, Reading] = {
    "-": _r("负", "fu4"),
    "−": _r("负", "fu4"),
    "+": _r("正", "zheng4"),
}
MICRO_UNITS: dict[str, Reading] = {
    "m": _r("微米", "wei1 mi3"),
    "g": _r("微克", "wei1 ke4"),
    "s": _r("微秒", "wei1 miao3"),
    "L": _r("微升", "wei1 sheng1"),
    "l": _r("微升", "wei1 sheng1"),
}
POWER_OF = _r("的", "de5")
SQUARED = _r("的平方", "de5 ping2 fang1")
CUBED = _r("的立方", "de5 li4 fang1")
TIMES_POWER = _r("次方", "ci4 fang1")
FACTORIAL = _r("的阶乘", "de5 jie1 cheng2")
ABSOLUTE_VALUE = _r("的绝对值", "de5 jue2 dui4 zhi2")
FRACTION_OF = _r("分之", "fen1 zhi1")
PER_MILLE = _r("千分之", "qian1 fen1 zhi1")

SUPERSCRIPT_DIGITS = {
    "⁰": "0",
    "¹": "1",
    "²": "2",
    "³": "3",
    "⁴": "4",
    "⁵": "5",
    "⁶": "6",
    "⁷": "7",
    "⁸": "8",
    "⁹": "9",
}
# Letters and signs written as subscripts (aₙ, aₙ₊₁, xᵢ): the plain character they stand for.
SUBSCRIPT_LETTERS = {
    "ₐ": "a",
    "ₑ": "e",
    "ₒ": "o",
    "ₓ": "x",
    "ₕ": "h",
    "ₖ": "k",
    "ₗ": "l",
    "ₘ": "m",
    "ₙ": "n",
    "ₚ": "p",
    "ₛ": "s",
    "ₜ": "t",
    "ᵢ": "i",
    "ᵣ": "r",
    "ᵤ": "u",
    "ᵥ": "v",
    "ⱼ": "j",
}
SUBSCRIPT_SIGNS = {"₊": "+", "₋": "-", "₌": "="}

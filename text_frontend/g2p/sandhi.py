"""Tone sandhi of 一 and 不, and only those.

pypinyin's phrase dictionary already bakes these changes into some words and not others (一个 yi2 ge4
but 一样 yi1 yang4; 不是 bu2 shi4), so leaving them alone would make the same rule apply or not by
accident of the dictionary. We apply the standard rules uniformly, as Baker's transcriptions do for
these two characters. The general third-tone sandhi (你好 → ni2 hao3) is left to the voice: it depends
on prosodic grouping that the acoustic model learns better than a rule, and citation tones are what
teachers expect to see in ``lessonaudio g2p``.
"""

from __future__ import annotations

from collections.abc import Sequence

_NUMERALS = frozenset("零〇一二三四五六七八九十两幺")
_ORDINAL_BEFORE = frozenset("第初")
_CITATION_AFTER = frozenset("月日号")


def _tone(pinyin: str | None) -> str | None:
    return pinyin[-1] if pinyin else None


def apply_yi_bu(chars: str, readings: Sequence[str | None], fixed: Sequence[bool]) -> list[str | None]:
    """Return ``readings`` with 一/不 set by their neighbours; ``fixed`` readings are never touched.

    ``chars`` is the sentence; ``readings[i]`` the lexical pinyin of ``chars[i]`` (None for punctuation).
    """
    out = list(readings)
    for i, ch in enumerate(chars):
        if ch not in "一不" or fixed[i] or out[i] is None:
            continue
        prev = chars[i - 1] if i > 0 else ""
        nxt = chars[i + 1] if i + 1 < len(chars) else ""
        next_tone = _tone(out[i + 1]) if i + 1 < len(chars) else None
        reduplicated = prev and prev == nxt and out[i - 1] is not None
        if ch == "不":
            if reduplicated:
                out[i] = "bu5"  # 是不是, 好不好
            else:
                out[i] = "bu2" if next_tone == "4" else "bu4"
            continue
        if reduplicated:
            out[i] = "yi5"  # 看一看
        elif (
            next_tone is None
            or prev in _ORDINAL_BEFORE
            or prev in _NUMERALS
            or nxt in _NUMERALS
            or nxt in _CITATION_AFTER
        ):
            out[i] = "yi1"  # 第一, 十一, 一二三, 一月, 统一。
        elif next_tone in "45":
            out[i] = "yi2"  # 一个, 一样, 一下
        else:
            out[i] = "yi4"  # 一天, 一年, 一起
    return out

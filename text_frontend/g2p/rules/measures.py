"""Measure words (行 只 种 ...): a numeral or demonstrative right before decides."""

from __future__ import annotations

from text_frontend.g2p.rules.context import NUMERALS, Context


def after_ordinal_or_numeral(c: Context) -> bool:
    if c.prev() in NUMERALS or c.prev() in "每":
        return True
    j = c.i - 1
    while j >= 0 and c.text[j] in NUMERALS:
        j -= 1
    return j >= 0 and c.text[j] == "第" and j < c.i - 1


def hang_measure(c: Context) -> str | None:
    """行 counting lines (第三行, 四行, 每行, 排成两行): hang2; but 一行人 and 五行 are xing2."""
    if c.prev() in "这那哪" and c.prev(2) in "干入改转":  # 干这行: a trade
        return "hang2"
    if c.prev() in "这那哪" and c.next() in "字诗句数":  # 这行字: a line of writing
        return "hang2"
    if not after_ordinal_or_numeral(c):
        return None
    party = c.next() == "人" or (c.next() in NUMERALS and "人" in c.after(4))
    if c.prev() == "一" and c.prev(2) != "第" and party:
        return "xing2"  # 一行人, 我们一行五人: a party travelling together
    if c.prev() == "五" and c.prev(2) != "第" and c.next() not in "字诗句":
        return None
    return "hang2"


ZHI3_NEXT = frozenset("是有要能好得不会在需用剩见看听想说可知怕读写做占限差顾管许因为觉够")


def zhi_measure(c: Context) -> str | None:
    """只 after a numeral or demonstrative is the measure word zhi1 (三只小鸟), unless 只有/只是 follows."""
    if c.after_measure_context() and c.next() not in ZHI3_NEXT:
        return "zhi1"
    return None


def zhong_measure(c: Context) -> str | None:
    """种 after a numeral or demonstrative is the measure word zhong3 (这种花, 三种方法)."""
    if c.after_measure_context() and c.next() not in "了着过下上":
        return "zhong3"
    return None


ZHONG4_NEXT = frozenset("了着过下上的树花菜草田水麦稻豆瓜玉牛痘植庄地果棉粮满什出在几")


def zhong_plant(c: Context) -> str | None:
    """种 as the verb "to plant" (种了十棵树, 去种树, 适合种苹果, 在院子里种几棵树): zhong4."""
    if c.free and not c.after_measure_context() and c.next() in ZHONG4_NEXT:
        return "zhong4"
    # Standing alone after a modal, an adverb or a place, 种 is the verb whatever crop follows.
    if not c.word and not c.after_measure_context() and c.prev() in "合在去来要会能想可始再又都也里上边":
        return "zhong4"
    return None

"""Context rules for the polyphones of classroom language, keyed by a character's neighbours.

Each rule encodes one grammatical fact a teacher would state, e.g. "行 after a numeral is the measure
word hang2" or "得 between a verb and its complement is de5". A rule fires only when its context says
so unambiguously; otherwise it returns None and the next layer (dictionary word, then g2pM) decides.
Rules sit above pypinyin's phrase dictionary because reverse maximum matching glues neighbours into
words that are not there (小心地 → 心地 di4, 每天都 → 天都 du1); where a rule must not cross a real
word it says so with ``words=False``. Every rule is measured on the classroom dev set and the CPP dev
split (``benchmarks/bench_polyphone.py``); one that cost CPP accuracy was narrowed or dropped.
"""

from __future__ import annotations

from pypinyin.constants import PHRASES_DICT

from i18n import N_
from text_frontend.g2p.rules.context import Context, Rule, when
from text_frontend.g2p.rules.measures import hang_measure, zhi_measure, zhong_measure, zhong_plant
from text_frontend.g2p.rules.names import SURNAME_RULE, SURNAMES
from text_frontend.g2p.rules.particles import (
    de_complement,
    de_obtain,
    de_particle,
    dei_must,
    di_particle,
    le_liao,
    zhe_zhao,
)
from text_frontend.g2p.rules.senses import (
    bao_peel,
    bao_thin,
    ceng_once,
    chang_event,
    cheng_fill,
    chong_layer,
    chong_toward,
    daifu,
    dan_load,
    dao_pour,
    fa,
    finds_fault,
    hua_row,
    huo_knead,
    ji_tie,
    jia_leave,
    jiao_nap,
    jiao_sleep,
    jin_most,
    kan_mind,
    la_leave,
    le_glad,
    lei_tired,
    lv_rate,
    mei,
    meng_cover,
    meng_guess,
    mo_cover,
    next_in,
    sa_scatter,
    sai_stuff,
    shan_fan,
    she_snap,
    xiu_night,
    xuan_whirl,
    ying_should,
    zuan_drill,
)
from text_frontend.g2p.rules.verbs import (
    after_degree,
    bei_carry,
    both_adjectives,
    cang_hide,
    cha_short,
    chang_compared,
    chang_length,
    chang_noun,
    chong_again,
    chu_verb,
    dang_as,
    dou_all,
    huan_return,
    jiao_glued,
    jiao_taught_by,
    jiao_teach,
    jie_fruit,
    jin_exhaust,
    juan_roll,
    kong_leave,
    kong_sky,
    liang_measure,
    lou_show,
    reduplicated,
    shao_less,
    shu_count,
    tiao_adjust,
    wei,
    xiang_photo,
    zhang_grow,
    zhong_hit,
    zhong_weight,
    zhuan_turn,
)

__all__ = ["RULES", "Context", "Rule", "choose"]

RULES: dict[str, tuple[Rule, ...]] = {
    "的": (Rule(N_("的 is the particle de5 outside 的确/目的"), de_particle),),
    "地": (Rule(N_("地 after an adverbial is the particle de5"), di_particle),),
    "得": (
        Rule(N_("得 between a verb and its complement is de5"), de_complement),
        Rule(N_("得 'obtain' is de2"), de_obtain),
        Rule(N_("得 'must' before a verb is dei3"), dei_must, words=False),
    ),
    "了": (Rule(N_("了 is le5 except in a potential complement"), le_liao),),
    "着": (
        Rule(N_("着 in 的穿着 'attire' is zhuo2"), when(lambda c: c.before(2) == "的穿", "zhuo2")),
        Rule(
            N_("着起来 'catch fire' is zhao2"),
            when(lambda c: c.after(2) == "起来" and "火" in c.before(6), "zhao2"),
        ),
        Rule(
            N_("着上颜色 'apply colour' is zhuo2"),
            when(lambda c: c.next() == "上" and "色" in c.after(4), "zhuo2"),
        ),
        Rule(N_("着 after a verb: zhao2 'reached' or the particle zhe5"), zhe_zhao, words=False),
    ),
    "行": (Rule(N_("行 after a numeral or 第… is the measure word hang2"), hang_measure),),
    "只": (Rule(N_("只 after a numeral or demonstrative is the measure word zhi1"), zhi_measure),),
    "种": (
        Rule(N_("种 after a numeral or demonstrative is the measure word zhong3"), zhong_measure),
        Rule(N_("种 before a crop or result is the verb zhong4"), zhong_plant),
    ),
    "数": (
        Rule(N_("数 reduplicated is the verb shu3"), reduplicated("shu3")),
        Rule(N_("数 before a result or aspect is the verb shu3"), shu_count),
    ),
    "量": (
        Rule(N_("量 reduplicated is the verb liang2"), reduplicated("liang2")),
        Rule(N_("量 before a result or object is the verb liang2"), liang_measure),
    ),
    "长": (
        Rule(N_("长长了 'grew long' starts with zhang3"), when(lambda c: c.after(2) == "长了", "zhang3")),
        Rule(N_("长 in 又…又长 is the adjective chang2"), when(both_adjectives, "chang2"), words=False),
        Rule(N_("长 after a degree adverb is chang2"), after_degree("chang2")),
        Rule(N_("长 'length' after 的 is chang2"), chang_noun),
        Rule(N_("长 in a comparison is chang2 (zhang3 for age)"), chang_compared),
        Rule(N_("长 before an amount of length is chang2"), chang_length, words=False),
        Rule(N_("长 before a result or aspect is the verb zhang3"), zhang_grow, words=False),
    ),
    "重": (
        Rule(N_("重 counting layers after a numeral is chong2"), chong_layer, words=False),
        Rule(N_("重 after a degree adverb is zhong4"), after_degree("zhong4")),
        Rule(N_("重 before an amount is weight, zhong4"), zhong_weight, words=False),
        Rule(N_("重 'again' before a verb is chong2"), chong_again, words=False),
    ),
    "还": (Rule(N_("还 'give back' closing a clause or before 给 is huan2"), huan_return, words=False),),
    "教": (
        Rule(N_("教 reduplicated (教教) is the verb jiao1"), reduplicated("jiao1")),
        Rule(N_("教 before whom or what is taught is the verb jiao1"), jiao_teach, words=False),
        Rule(N_("教 glued to the adverb before it (就教我) is still jiao1 before a person"), jiao_glued),
        Rule(N_("教 by a person closing 是…的 (是老师教的) is jiao1"), jiao_taught_by),
    ),
    "背": (Rule(N_("背 'carry' is bei1"), bei_carry),),
    "转": (Rule(N_("转 'turn' after 左/右 is zhuan3, 'spin' is zhuan4"), zhuan_turn),),
    "空": (
        Rule(N_("空 ending a sky word (天空, 太空) keeps kong1"), kong_sky),
        Rule(N_("空 'leave blank' before an amount is kong4"), kong_leave),
    ),
    "调": (Rule(N_("调 'adjust' before a result is tiao2"), tiao_adjust),),
    "差": (Rule(N_("差 'short of, poor' is cha4"), cha_short),),
    "少": (Rule(N_("少 standing alone is shao3"), shao_less),),
    "当": (Rule(N_("当 'treat as' after 把 is dang4"), dang_as),),
    "中": (Rule(N_("中 'hit' after 猜/射/投 is zhong4"), zhong_hit),),
    "结": (Rule(N_("结 'bear fruit' is jie1"), jie_fruit),),
    "处": (
        Rule(N_("处 in X之处 'the place, the point' is chu4"), when(lambda c: c.prev() == "之", "chu4")),
        Rule(N_("处 'be in, deal with' before 在/于/理 is chu3"), chu_verb),
    ),
    "相": (Rule(N_("相 'photo' in 照…相 is xiang4"), xiang_photo, words=False),),
    "为": (Rule(N_("为 'become' after 选/评 is wei2, 'for' before a person is wei4"), wei),),
    "都": (Rule(N_("都 'all' is dou1 outside the capital words"), dou_all),),
    "藏": (Rule(N_("藏 'hide' is cang2"), cang_hide),),
    "曲": (
        Rule(
            N_("曲 'crooked' as a predicate is qu1"), when(lambda c: c.prev() in "是很太弯" and c.free, "qu1")
        ),
    ),
    "尽": (
        Rule(N_("尽 '-most' before a place word is jin3"), jin_most),
        Rule(
            N_("尽 'exhaust, do one's utmost' before 力/心/责 is jin4"), next_in("自力心责职孝情兴全", "jin4")
        ),
        Rule(N_("尽 'used up' closing a clause is jin4"), jin_exhaust, words=False),
    ),
    "卷": (
        Rule(N_("卷 reduplicated (卷卷的) is juan3"), reduplicated("juan3")),
        Rule(N_("卷 'roll up' is juan3"), juan_roll),
    ),
    "露": (Rule(N_("露 'show' in 露了一手 is lou4"), lou_show, words=False),),
    "划": (Rule(N_("划 'row, strike' is hua2"), hua_row),),
    "系": (Rule(N_("系 'tie' is ji4"), ji_tie),),
    "没": (
        Rule(N_("没过 'rise above' a body part is mo4"), mo_cover),
        Rule(N_("没 'not' is mei2 outside the words of sinking"), mei),
    ),
    "干": (Rule(N_("干 'do' before 得/活/完 is gan4"), next_in("得活完么嘛吗着事", "gan4")),),
    "弹": (
        Rule(
            N_("弹 'pluck, bounce' before 了/奏/琴 is tan2"),
            next_in("了着奏琴起跳簧性力过一古吉钢琵筝曲", "tan2"),
        ),
    ),
    "场": (Rule(N_("场 as a measure word: chang2 for weather, chang3 for shows"), chang_event),),
    "冲": (
        Rule(N_("冲 after a degree adverb is chong4"), after_degree("chong4"), words=False),
        Rule(N_("冲 'towards' before a person is chong4"), chong_toward, words=False),
        Rule(N_("冲着 'facing' is chong4"), next_in("着", "chong4", free=False)),
    ),
    "倒": (
        Rule(N_("倒 'on the contrary' before 是/也 is dao4"), next_in("是也挺", "dao4")),
        Rule(N_("倒 'pour' is dao4, 'fall' after 摔/吹 is dao3"), dao_pour),
    ),
    "铺": (Rule(N_("铺 'spread' before a result is pu1"), next_in("上开好平满成在着了", "pu1")),),
    "挑": (
        Rule(
            N_("挑 'choose' before its result is tiao1"), next_in("了出选着一个最几些好中重担水柴", "tiao1")
        ),
        Rule(
            N_("挑 'find fault' (挑毛病, 挑刺) is tiao1"), when(lambda c: c.free and finds_fault(c), "tiao1")
        ),
        Rule(N_("挑 a load (挑起重担) is tiao1"), when(lambda c: c.free and "担" in c.after(8), "tiao1")),
    ),
    "发": (Rule(N_("发 'send, hand out' before a direction is fa1"), fa),),
    "觉": (
        Rule(N_("觉 'a sleep' in 一觉醒来 is jiao4"), jiao_sleep),
        Rule(N_("觉 'a sleep' as the object of 睡 is jiao4"), jiao_nap, words=False),
    ),
    "盛": (Rule(N_("盛 'fill a container' is cheng2"), cheng_fill),),
    "应": (Rule(N_("应 'should' before what is due is ying1"), ying_should),),
    "累": (Rule(N_("累 'tired' as a predicate is lei4"), lei_tired),),
    "大": (Rule(N_("大夫 is a doctor, dai4, except an official of a state"), daifu),),
    "夫": (Rule(N_("大夫 is a doctor, fu5, except an official of a state"), daifu),),
    "旋": (Rule(N_("旋风 'whirlwind' is xuan4"), xuan_whirl),),
    "假": (Rule(N_("假 'leave' after 请了/放了 is jia4"), jia_leave),),
    "看": (Rule(N_("看着 for somebody else is kan1 'look after'"), kan_mind),),
    "薄": (Rule(N_("薄 standing alone as an adjective is bao2"), bao_thin),),
    "曾": (Rule(N_("曾 before a verb or a count is the adverb ceng2"), ceng_once),),
    "乐": (Rule(N_("乐 'be amused' before its result is le4"), le_glad),),
    "率": (Rule(N_("率 closing a noun is the rate lv4"), lv_rate),),
    "和": (Rule(N_("和 'knead' before 了…面 is huo2"), huo_knead),),
    "扇": (Rule(N_("扇 'fan, flap' as a verb is shan1"), shan_fan),),
    "宿": (Rule(N_("宿 counting nights after a numeral is xiu3"), xiu_night),),
    "塞": (Rule(N_("塞 'stuff in' before a result is sai1"), sai_stuff),),
    "钻": (Rule(N_("钻 'drill, squeeze through' as a verb is zuan1"), zuan_drill),),
    "担": (Rule(N_("担 as a measure word is dan4"), dan_load),),
    "剥": (Rule(N_("剥 'peel' in plain speech is bao1"), bao_peel),),
    "撒": (Rule(N_("撒 'scatter' before what is scattered is sa3"), sa_scatter),),
    "蒙": (
        Rule(N_("蒙 'guess blindly' before its result is meng1"), meng_guess),
        Rule(N_("蒙 'cover' before its result is meng2"), meng_cover),
    ),
    "折": (Rule(N_("折 'snap' said of a long thing is she2"), she_snap, words=False),),
    "落": (Rule(N_("落 'leave behind' in 把…落在 is la4"), la_leave, words=False),),
}
for _char in SURNAMES:
    RULES[_char] = (SURNAME_RULE, *RULES.get(_char, ()))


def choose(c: Context) -> tuple[str, str] | None:
    """The reading the first applicable rule gives ``c.text[c.i]`` and the rule's name, or None."""
    if len(c.word) >= 4 and c.word in PHRASES_DICT:  # an idiom is never a glued accident: 量体裁衣, 得不偿失
        return None
    for rule in RULES.get(c.text[c.i], ()):
        if c.word and not rule.words:
            continue
        reading = rule.decide(c)
        if reading is not None:
            return reading, rule.name
    return None

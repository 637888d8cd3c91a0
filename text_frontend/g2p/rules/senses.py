"""Word senses a classroom sentence settles by one neighbour (划船, 倒水, 理发, 应该 ...)."""

from __future__ import annotations

from collections.abc import Callable

from text_frontend.g2p.rules.context import DEGREE, NUMERALS, Context, is_han, when


def hua_row(c: Context) -> str | None:
    """划 "row, strike" (划船, 划了一根火柴): hua2."""
    if c.free and (c.next() in "船桨破伤龙舟水开" or "火柴" in c.after(6)):
        return "hua2"
    return None


def dao_pour(c: Context) -> str | None:
    """倒 "pour, invert" before 进/入/水 (倒进烧杯): dao4; "fall" after 摔/吹/推 (吹倒了): dao3."""
    if c.prev() in "摔吹推碰跌绊撞压晕踢刮砍拉":
        return "dao3"
    return "dao4" if c.free and c.next() in "进入水出掉立" else None


HAIR_PREV = frozenset("头理短长白毛黑金卷烫秀假")


def fa(c: Context) -> str | None:
    """发 "send, hand out" before a direction or result (发下来, 发给): fa1; hair (头发, 短发): fa4."""
    if c.prev() in HAIR_PREV and c.ends_word and c.next() not in "下给出到来去":
        return None  # the hair words are in the dictionary
    return "fa1" if c.next() in "下给出到来去" else None


def jiao_sleep(c: Context) -> str | None:
    """觉 "a sleep" after 一 before 醒/睡 (一觉醒来): jiao4."""
    return "jiao4" if c.prev() == "一" and c.next() in "醒睡到" else None


def ji_tie(c: Context) -> str | None:
    """系 "tie" before what is tied (系好鞋带, 系上红领巾, 系了一个蝴蝶结): ji4."""
    if c.free and c.next() == "了" and any(w in c.after(8) for w in ("结", "扣", "鞋带", "绳", "领巾")):
        return "ji4"
    return "ji4" if c.free and c.next() in "好上紧鞋领着" else None


def finds_fault(c: Context) -> bool:
    return any(w in c.after(6) for w in ("毛病", "刺", "错"))


def next_in(chars: str, reading: str, *, free: bool = True) -> Callable[[Context], str | None]:
    """``reading`` when the next character is one of ``chars`` (and, with ``free``, the character
    starts its word or stands alone)."""
    return when(lambda c: c.next() in chars and (c.free or not free), reading)


MO4_WORDS = frozenset(
    [
        "淹没",
        "埋没",
        "沉没",
        "出没",
        "隐没",
        "吞没",
        "覆没",
        "湮没",
        "没收",
        "没落",
        "没入",
        "没齿",
        "神出鬼没",
    ]
)


def mei(c: Context) -> str | None:
    """没 "not have, not" (他一直没回来): mei2; mo4 "sink" only in its words (淹没, 没入)."""
    if c.word in MO4_WORDS or c.next() in "入落收顶":
        return None
    if c.prev() + "没" in MO4_WORDS or "没" + c.next() in MO4_WORDS:  # 隐没 split off, 全军覆没
        return "mo4"
    return "mei2"


def chang_event(c: Context) -> str | None:
    """场 as a measure word: chang2 for weather and illness (一场大雨), chang3 for shows (一场电影)."""
    if not c.after_measure_context():
        return None
    ahead = c.after(3)
    if any(ch in ahead for ch in "雨雪病梦灾风仗"):
        return "chang2"
    return "chang3" if any(ch in ahead for ch in "电比球戏演音赛考表讲报辩展晚") else None


def chong_layer(c: Context) -> str | None:
    """重 counting layers after a numeral (一重又一重, 九重天, 万重山): chong2; a weight has an amount."""
    if c.word or c.prev() not in NUMERALS:
        return None
    return "chong2" if c.next() in "又山天门关楼障" else None


def jiao_nap(c: Context) -> str | None:
    """觉 "a sleep" as the object of 睡 (睡了四个小时的觉, 睡个好觉): jiao4."""
    if c.word or "睡" not in c.before(8) or not (c.at_end or c.next() == "了"):
        return None
    return "jiao4" if c.prev() in "的个觉好" else None


def cheng_fill(c: Context) -> str | None:
    """盛 "fill a container" before what or how much (盛饭, 盛了一碗, 盛不下): cheng2."""
    if c.free and "用" in c.before(3):  # 用烧杯盛, 用来盛放试剂
        return "cheng2"
    return "cheng2" if c.free and c.next() in "了饭汤粥满不一些下着进在到得有" else None


def dan_load(c: Context) -> str | None:
    """担 as a measure word (两担水, 一担柴): dan4."""
    return "dan4" if c.after_measure_context() and c.next() not in "心任保负当忧" else None


def bao_peel(c: Context) -> str | None:
    """剥 "peel" in plain speech (剥了一个橘子, 剥开, 剥皮): bao1; bo1 lives in words (剥削, 剥夺)."""
    return "bao1" if c.free and c.next() in "了开皮掉着好完下壳" else None


def sa_scatter(c: Context) -> str | None:
    """撒 "scatter" before what is scattered (撒种子, 撒点盐): sa3; 撒谎, 撒娇, 撒网 are sa1."""
    if c.free and c.next() == "了" and any(w in c.after(5) for w in ("一地", "满地")):  # 撒了一地
        return "sa3"
    return "sa3" if c.free and c.next() in "种盐土肥粉点在满下落些沙花药" else None


def meng_guess(c: Context) -> str | None:
    """蒙 "guess blindly" before its result (蒙对了, 蒙错): meng1."""
    return "meng1" if c.free and c.next() in "对错中" else None


def she_snap(c: Context) -> str | None:
    """折 "snap" said of a long thing with nothing acting on it (椅子腿折了): she2."""
    long_thing = any(ch in c.before(3) for ch in "腿膊绳杆棍")
    acted_on = any(v in c.before(8) for v in "把被给让")
    return "she2" if long_thing and c.next() == "了" and not acted_on else None


def la_leave(c: Context) -> str | None:
    """落 "leave behind" in 把…落在 (把书落在家里了): la4."""
    return "la4" if c.next() == "在" and "把" in c.before(6) and not c.word else None


def ying_should(c: Context) -> str | None:
    """应 "should" standing alone before what is due (这里应是逗号, 不应浪费): ying1."""
    if c.word:
        return None
    return "ying1" if c.prev() == "不" or c.next() in "是该当有把在从以按由" else None


def lei_tired(c: Context) -> str | None:
    """累 "tired" as a predicate (很累, 你累不累): lei4."""
    if c.word:
        return None
    asked = (c.next() == "不" and c.next(2) == "累") or (c.prev() == "不" and c.prev(2) == "累")  # 累不累
    return "lei4" if c.prev() in DEGREE or asked or c.next() == "得" else None


def shan_fan(c: Context) -> str | None:
    """扇 as the verb "fan, flap" (扇扇子, 扇着翅膀, 扇风): shan1."""
    return "shan1" if c.free and c.next() in "着了动风扇起" else None


def xiu_night(c: Context) -> str | None:
    """宿 counting nights after a numeral (住了两宿, 一宿没睡): xiu3."""
    return "xiu3" if not c.word and c.prev() in NUMERALS and (c.at_end or c.next() in "没了的都") else None


def sai_stuff(c: Context) -> str | None:
    """塞 "stuff, squeeze in" before a result (塞进, 塞满, 塞住): sai1."""
    return "sai1" if c.free and c.next() in "进入满住在到给了着" else None


def zuan_drill(c: Context) -> str | None:
    """钻 "drill, bore, squeeze through" as a verb (钻进, 钻研, 钻空子): zuan1."""
    if not c.free:
        return None
    return "zuan1" if c.next() in "进入研探孔洞过出了到着牛" or "空子" in c.after(6) else None


def chong_toward(c: Context) -> str | None:
    """冲 "towards, on the strength of" before a person or 这/那 (冲我笑, 冲这一点): chong4."""
    return "chong4" if not c.word and c.next() in "我你他她咱大人这那" else None


def meng_cover(c: Context) -> str | None:
    """蒙 "cover" before its result (蒙住眼睛, 蒙上一层灰): meng2."""
    return "meng2" if c.free and c.next() in "住上着在" else None


def le_glad(c: Context) -> str | None:
    """乐 "be amused" standing alone before its result (乐坏了, 乐得合不拢嘴, 大家都乐了): le4."""
    return "le4" if not c.word and c.next() in "坏得呵了开滋的" else None


def mo_cover(c: Context) -> str | None:
    """没过 "rise above" said of water over a body part (河水没过了膝盖): mo4."""
    body = ("膝盖", "头顶", "腰", "脚踝", "小腿", "脖子", "胸口")
    return "mo4" if c.next() == "过" and any(w in c.after(6) for w in body) else None


SHUAI4_NEXT = frozenset("领先众兵部队团军师")
SHUAI4_PREV = frozenset("坦草直轻表统真粗")
RATE_NEXT = frozenset("是为达在的和与高低从由等约提降增下上很较不也都均仍将已有")


def lv_rate(c: Context) -> str | None:
    """率 closing a noun (及格率, 出勤率): the rate lv4; shuai4 leads (率领, 率先) or describes (坦率)."""
    if c.word or c.next() in SHUAI4_NEXT or c.prev() in SHUAI4_PREV or not is_han(c.prev()):
        return None
    # The rate is what the clause is about, so a predicate or an amount follows (及格率是, 利润率45%);
    # 率 before anything else leads it (冯玉祥率国民军).
    return "lv4" if not is_han(c.next()) or c.next() in RATE_NEXT else None


def huo_knead(c: Context) -> str | None:
    """和 "knead, mix with water" before 了…面/泥 (和了一大盆面): huo2."""
    return "huo2" if c.free and c.next() == "了" and any(w in c.after(6) for w in "面泥") else None


def jin_most(c: Context) -> str | None:
    """尽 "-most" before a place word (尽前头, 尽底下): jin3."""
    return "jin3" if c.after(2) in ("前头", "后头", "底下", "里头", "上头", "北边", "南边") else None


def ceng_once(c: Context) -> str | None:
    """曾 standing alone before a verb or a count (郑和曾七次下西洋, 他曾是): the adverb ceng2."""
    if c.word or c.prev() == "姓":
        return None
    return (
        "ceng2"
        if c.next() in NUMERALS or c.next() in "经是在有多几被获任担参为与对向把将以从到去来"
        else None
    )


OFFICIAL_BEFORE = frozenset("国卿士上楚齐秦晋鲁郑卫宋吴越燕赵韩魏")


def daifu(c: Context) -> str | None:
    """大夫 is a doctor (dai4 fu5) in a lesson, but an official of a state (楚国大夫屈原): da4 fu1."""
    start = c.i if c.text[c.i] == "大" else c.i - 1
    if c.text[start : start + 2] != "大夫":
        return None
    official = start > 0 and c.text[start - 1] in OFFICIAL_BEFORE
    if c.text[c.i] == "大":
        return "da4" if official else "dai4"
    return "fu1" if official else "fu5"


def xuan_whirl(c: Context) -> str | None:
    """旋风 "whirlwind" is xuan4 (一阵旋风), but not in 气旋 + 风速."""
    return "xuan4" if c.next() == "风" and c.prev() != "气" else None


def jia_leave(c: Context) -> str | None:
    """假 "leave, holiday" after 请了/放了/休了 (向老师请了假): jia4."""
    if c.word or not any(v in c.before(3) for v in "请放休") or not (c.at_end or c.next() in "了的"):
        return None
    return "jia4"


def kan_mind(c: Context) -> str | None:
    """看着 someone for somebody else (替妈妈看着弟弟, 帮我看着东西): kan1 'look after'."""
    return "kan1" if c.free and c.next() == "着" and any(w in c.before(6) for w in "替帮") else None


def bao_thin(c: Context) -> str | None:
    """薄 standing alone as a plain adjective (薄得透明, 纸太薄了): bao2."""
    return "bao2" if not c.word and c.next() in "得了" else None

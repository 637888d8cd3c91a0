"""A character that is a verb in one reading and a noun or adjective in another (长 数 还 教 ...)."""

from __future__ import annotations

from collections.abc import Callable
from itertools import pairwise

from pypinyin.constants import PHRASES_DICT

from text_frontend.g2p.rules.context import DEGREE, NUMERALS, Context, is_han, when


def reduplicated(verb_reading: str) -> Callable[[Context], str | None]:
    """A verb doubled, with or without 一 (数一数, 量量): the verb's reading for both."""

    def decide(c: Context) -> str | None:
        ch = c.text[c.i]
        doubled = (
            c.next() == ch
            or c.prev() == ch
            or (c.next() == "一" and c.next(2) == ch)
            or (c.prev() == "一" and c.prev(2) == ch)
            or (c.next() == "来" and c.next(2) == ch)  # 数来数去
            or (c.prev() == "来" and c.prev(2) == ch)
        )
        return verb_reading if doubled else None

    return decide


def shu_count(c: Context) -> str | None:
    """数 followed by a result or aspect (数到, 数着, 数出, 数一下): the verb shu3."""
    if c.ends_word and c.next() == "了" and (c.next(2) in NUMERALS or c.next(2) in "数遍"):
        return "shu3"  # 钱数了两遍 is matched as 钱数 + 了
    if c.ends_word and c.next() in "清到":  # 数清楚, 数到: the result follows the verb
        return "shu3"
    if c.ends_word and c.next() == "落":  # 数落 "scold", matched as 数 + 落了
        return "shu3"
    if not c.word and c.prev() in "起再先来去请帮":  # 一起数, 再数, 请数: an adverb or 来/去 before the verb
        return "shu3"
    if not c.free:
        return None
    if (
        c.next() in "到着出过得清完了错对漏最"
        or (c.next() == "好" and c.prev() not in "个位些")
        or (c.next() == "一" and c.next(2) == "下")
        or c.next() == "下"
    ):
        return "shu3"
    return None


LIANG4_PREV = frozenset("数质重力能热含流产容大少多定变向矢标分剂用尽测计音雨水饭酒总电荷动度衡当")


def liang_measure(c: Context) -> str | None:
    """量 followed by a result or object (量一下, 量出, 量体温), or after 用 and an instrument: liang2."""
    if "用" in c.before(6) and (c.prev() in "尺计器仪秤规" or c.before(2) == "尺子"):  # 用温度计量水温
        return "liang2"
    glued = c.ends_word and (c.after(2) == "一下" or c.next() == "出")  # 量角器量一下 → 器量
    if (c.free or glued) and c.prev() not in LIANG4_PREV and c.next() in "一出了着过下好得完体身长宽高尺血温":
        return "liang2"
    return None


DEGREE_WORDS = frozenset(
    ["特别", "非常", "十分", "格外", "相当", "比较", "有点", "有些", "如此", "极其", "尤其"]
)


def after_degree(reading: str) -> Callable[[Context], str | None]:
    """An adjective after a degree adverb (很长, 太重, 特别长): its adjective reading."""
    return when(lambda c: (c.prev() in DEGREE or c.before(2) in DEGREE_WORDS) and c.free, reading)


def chang_compared(c: Context) -> str | None:
    """长 in a comparison (比那根长一米, 有点长): chang2, but "older by" (比我长两岁): zhang3."""
    glued = len(c.word) == 2 and c.word_start == c.i - 1 and c.at_end  # 比那段长。 is matched as 段长
    if c.word and not glued:
        return None
    if "比" in c.before(6):
        return "zhang3" if any(ch in c.after(4) for ch in "岁辈届级") else "chang2"
    if glued:
        return None
    # 一样长, 这么长: the length compared, unless a result follows (一样长大 is a word of its own).
    if c.before(2) in ("一样", "同样", "那么", "这么", "多么") and c.next() not in "大高出成着了":
        return "chang2"
    return "chang2" if c.before(2) in ("有点", "有些", "一点") else None


def chang_noun(c: Context) -> str | None:
    """长 "length" (长方形的长是五厘米) or the adjective closing a clause (比那根长。): chang2."""
    if c.prev() == "的" and c.next() in "是为和与宽":
        return "chang2"
    compared = "比" in c.before(8) or c.prev() in "根条段截支"  # 这根比那根长。, not 副旅长。
    return "chang2" if c.at_end and not c.word and compared else None


LENGTH_UNITS = ("米", "厘米", "分米", "毫米", "千米", "公里", "尺", "寸", "丈")


def chang_length(c: Context) -> str | None:
    """长 before an amount of length (木棍长五十厘米): the length chang2, not "grow" or "older by"."""
    if c.word or c.next() not in NUMERALS:
        return None
    ahead = c.after(6)
    return "chang2" if any(unit in ahead for unit in LENGTH_UNITS) and "岁" not in ahead else None


def both_adjectives(c: Context) -> bool:
    """又窄又长: two adjectives joined by 又…又; not 又长高了."""
    return c.prev() == "又" and "又" in c.before(4)[:-1] and c.next() not in "高大出成了胖壮"


def zhang_grow(c: Context) -> str | None:
    """长 followed by a result or aspect (长高了, 长着, 长成): the verb zhang3."""
    if not c.word and c.prev() not in DEGREE and c.next() in "高大出满着了成得胖壮肉牙芽叶毛":
        return "zhang3"
    return None


def zhong_weight(c: Context) -> str | None:
    """重 followed by an amount (重多少千克, 重三吨): weight, zhong4."""
    return "zhong4" if not c.word and c.next() in "多几约达千克吨斤公二三四五六七八九十百" else None


def chong_again(c: Context) -> str | None:
    """重 before a verb meaning "again" (重做, 重写): chong2."""
    return (
        "chong2" if not c.word and c.next() in "做写来画抄算启修建装播演考印听说拍排返申温组置设选" else None
    )


def huan_return(c: Context) -> str | None:
    """还 closing a clause or before what is returned (按时还。, 还给): the verb huan2."""
    if c.word:
        return None
    if c.next() in "你我他她" and not is_han(c.next(2)):  # 看完就还你。
        return "huan2"
    if c.next() == "了" and c.after(2) not in ("了解", "了得", "了不", "了结"):  # 老师也还了礼
        return "huan2"
    return "huan2" if c.at_end or c.next() in "给书钱清债原手击款账回" else None


JIAO1_NEXT = frozenset("我你他她它大同孩小老弟妹爸妈爷奶人会给过了着书数语英物化历地音美体唱画写读做怎中初高")


def jiao_teach(c: Context) -> str | None:
    """教 before whom or what is taught (教大家唱, 教我们数学): the verb jiao1."""
    return "jiao1" if c.free and c.next() in JIAO1_NEXT else None


CARRIED_TO = ("楼", "医院", "医务室", "家", "岸", "车", "山", "坡", "教室", "宿舍")


def jiao_taught_by(c: Context) -> str | None:
    """是老师教的, 谁教的: the teacher taught it (jiao1)."""
    closes = c.next() == "的" and not is_han(c.next(2))
    return "jiao1" if c.free and closes and c.prev() in "师妈爸他她我你们谁" else None


def jiao_glued(c: Context) -> str | None:
    """从小就教我要诚实 is matched as 就教 (jiu4 jiao4, 'ask for advice'): a person after it says teach."""
    glued = len(c.word) == 2 and c.word_start == c.i - 1 and c.prev() in "就都也还再又才"
    return "jiao1" if glued and c.next() in "我你他她大孩学" else None


def bei_carry(c: Context) -> str | None:
    """背 "carry on the back" (背着书包, 把书包背好): bei1; but 背着手 and 背着人偷偷… are bei4."""
    if not c.free or c.prev() in "的后腰手驼脊虎熊":
        return None
    secretly = any(w in c.after(8) for w in ("偷偷", "悄悄", "私下", "偷"))
    if c.next() == "着" and (c.next(2) == "手" or secretly):
        return "bei4"
    if (
        c.next() in "着起走回篓负"
        or (c.prev() in "包子妹弟" and c.next() in "好起上着回走在")
        or "书包" in c.after(3)
        or (c.next() in "得不" and c.next(2) in "动起")  # 背得动, 背不起: whether one can carry it
        or c.after(2) == "上了"  # 背上了行囊: the verb, not the noun 背上
        or (c.next() in "下到上进出回" and any(p in c.after(6) for p in CARRIED_TO))  # 背下了楼
    ):
        return "bei1"
    return None


def zhuan_turn(c: Context) -> str | None:
    """转 "turn" after 左/右/后 (向左转): zhuan3; "spin" closing a clause or with 得/个/圈: zhuan4."""
    if c.prev() in "左右后":
        return "zhuan3"
    if c.prev() == "一" and c.at_end:  # 情节一转: a turn of events
        return "zhuan3"
    if c.prev() == "越" and c.next() == "越":  # 越转越快: spinning
        return "zhuan4"
    if not c.word and (c.at_end or c.next() in "个得着圈动悠盘起"):
        return "zhuan4"
    if not c.word and c.next() == "来" and c.after(3)[1:] == "转去":  # 转来转去 spins; 转来的同学 transfers
        return "zhuan4"
    lasting = ("很久", "好久", "半天", "一会", "上午", "下午", "一天", "整天", "晚上", "个不停")
    if not c.word and any(w in c.after(5) for w in lasting):  # 陀螺能转很久, 转了一上午: spinning, wandering
        return "zhuan4"
    counted = c.next() in NUMERALS or c.next() in "了几"
    return "zhuan4" if counted and "圈" in c.after(5) else None  # 转三百圈, 转了一圈: laps spun


DAYS = frozenset(["明天", "今天", "后天", "每天", "哪天", "改天", "前天", "当天", "昨天"])
SKY = frozenset(["天空", "太空", "高空", "星空", "夜空", "航空", "真空", "时空", "晴空", "领空", "当空"])


def kong_sky(c: Context) -> str | None:
    """天空格外蓝, 天空白云 are matched as 天 + 空格 + 外: the sky word on the left is the real one."""
    glued = PHRASES_DICT.get(c.word) if c.word and c.free else None
    day = c.before(2) in DAYS  # 明天空出时间: 天 ends 明天, there is no sky
    if glued and glued[0][0] == "kòng" and c.prev() + "空" in SKY and c.next() not in NUMERALS and not day:
        return "kong1"
    return None


def kong_leave(c: Context) -> str | None:
    """空 "leave blank" before an amount (空两格, 空一行, 空出): kong4."""
    if c.free and (c.next() in NUMERALS or c.next() in "出格" or (c.next() == "着" and c.next(2) != "手")):
        return "kong4"
    if c.free and c.next() in "下出着" and "把" in c.before(8):  # 把这一行空下来
        return "kong4"
    if c.ends_word and c.before(2) in DAYS and c.next() in "出下":  # 明天空出时间 is matched as 天空
        return "kong4"
    # 横线上空一格 is matched as 上空 + 一格: the blank counted in 格/行/字 still says "leave blank".
    if c.ends_word and c.next() in NUMERALS and c.next(2) in "格行字":
        return "kong4"
    return None


def tiao_adjust(c: Context) -> str | None:
    """调 "adjust, mix" before a result (调小, 调好, 调匀), or mixing colours (颜色调得好看): tiao2."""
    mixed = c.free or (c.ends_word and c.next() in "得好匀成出")  # 颜色调得 is matched as 色调 + 得
    if mixed and any(w in c.before(6) for w in ("颜色", "颜料", "色彩")):
        return "tiao2"
    if c.free and "色" in c.before(6) and c.next() in "在成出好匀和":  # 红色和黄色调在一起
        return "tiao2"
    if c.free and c.next() in "小大高低好亮暗快慢匀颜料色和整节试控味皮剂配成准零":
        return "tiao2"
    if c.next() == "到" and any(u in c.after(8) for u in "度档挡格"):  # 调到二十六度
        return "tiao2"
    ahead = c.after(6)
    if c.next() == "到" and any(a in NUMERALS and b == "点" for a, b in pairwise(ahead)):  # 调到六点
        return "tiao2"
    # 声音调小 is matched as 音调; only a plain result after it says the verb (not 强调节拍).
    return "tiao2" if c.ends_word and c.next() in "小大高低亮暗快慢匀" else None


def cha_short(c: Context) -> str | None:
    """差 "short of, poor" (差一步, 差两个人, 很差, 就差最后一步): cha4."""
    if c.free and c.prev() in "就只还":
        return "cha4"
    if c.free and (c.next() in NUMERALS or c.next() in "点些得远"):
        return "cha4"
    if c.prev() in DEGREE or c.prev() == "不":
        return "cha4" if c.at_end or c.next() == "了" else None
    if c.free and "比" in c.before(6) and c.next() in "了一些多得点":  # 比上次差了一些: worse
        return "cha4"
    return None


ZHONG4_PREV = frozenset("猜射投打考说选踢砸押")


def zhong_hit(c: Context) -> str | None:
    """中 "hit, guess right" after 猜/射/投 (猜中了): zhong4; not after the nouns 小说, 传说 (小说中的)."""
    if c.before(2) in ("小说", "传说", "学说", "据说", "听说", "解说", "游说"):
        return None
    if c.prev() == "正" and any(w in c.after(4) for w in ("靶", "红心", "目标", "要害", "下怀")):  # 正中红心
        return "zhong4"
    if c.prev() in ZHONG4_PREV and c.next() not in "学国心间午文央部等级秋华医药山":
        return "zhong4"
    if c.prev() in "他她我你谁" and c.next() in "了奖毒暑弹":  # 他中了一等奖
        return "zhong4"
    # 中肯 "to the point", 中意 "to one's liking" as predicates (很中肯, 有中意的): not 其中 + 肯定.
    if (c.next() == "肯" and c.prev() in DEGREE) or (c.next() == "意" and c.prev() in "有不很最都没"):
        return "zhong4"
    hit = ("计", "圈套", "埋伏", "奖", "毒", "箭", "弹", "枪", "头彩", "靶", "要害", "球")
    if c.next() == "了" and c.ends_word and any(w in c.after(8) for w in hit):  # 曹操中了诸葛亮的计
        return "zhong4"
    return None


FRUITS = ("花生", "果", "瓜", "豆", "桃", "梨", "枣", "杏", "葡萄", "番茄", "稻", "麦", "玉米")


def jie_fruit(c: Context) -> str | None:
    """结 "bear fruit" (结了很多苹果, 苹果树结果了): jie1."""
    if c.word == "结果" and c.word_start == c.i:
        closes = c.next(2) in "了实子累" or not is_han(c.next(2))
        return "jie1" if closes and c.prev() in "树苗藤会能要始不没" else None
    if (
        not c.word
        and c.next() in "了出满着"
        and any(ch in "果苹桃梨瓜籽穗豆枣杏橘柿葡莓榴椰" for ch in c.after(6))
    ):
        return "jie1"
    # The plant or fruit as subject (花生结在地下, 苹果结得多): bearing, not tying.
    near = c.before(4) + c.after(4)
    if not c.word and c.next() in "在得的" and any(f in near for f in FRUITS):
        return "jie1"
    return None


def shao_less(c: Context) -> str | None:
    """少 standing alone is "few, less" (要少玩, 很少): shao3; shao4 "young" lives in words (少年)."""
    if c.word or c.prev() == "老" or c.next() in "年女儿将校爷妇":
        return None
    return "shao3"


def dang_as(c: Context) -> str | None:
    """当 "treat as" in 把/拿…当 (把我的话当耳旁风) or A当B用 (一个人当两个人用): dang4."""
    if c.free and ("把" in c.before(6) or "拿" in c.before(6)):
        return "dang4"
    return "dang4" if not c.word and c.next() in NUMERALS and "用" in c.after(6) else None


def chu_verb(c: Context) -> str | None:
    """处 "be situated, deal with" before 在/于/理 (处在, 处理): chu3."""
    return "chu3" if c.free and c.next() in "在于理置罚境世事" else None


def xiang_photo(c: Context) -> str | None:
    """相 as the photograph of 照张相 / 照个相: xiang4."""
    closes = c.at_end or c.next() in "吧吗呢了啊"
    return "xiang4" if not c.word and "照" in c.before(3) and closes else None


WEI2_PREV = frozenset("成作认称选评化改变分定视以誉命封立任推奉转简约译名尊叫结列升划归")
WEI4_NEXT = frozenset("大我你他她它人祖国社集班学同老父母孩了什何此这那谁自全灾您")


def wei(c: Context) -> str | None:
    """为 "become, as" after 选/评/化 (选他为班长): wei2; "for" before a beneficiary (为大家): wei4."""
    if c.word:
        # 成为了 is matched as 成 + 为了: the verb before still says "become".
        return "wei2" if c.word == "为了" and c.word_start == c.i and c.prev() in WEI2_PREV else None
    if c.prev() in WEI2_PREV or (c.prev() in "他她它我你" and any(v in c.before(3) for v in "选评推称命任")):
        return "wei2"
    clause = c.after(8).split("，")[0]
    if "所" in clause[1:]:  # 为大家所熟知: the passive 为…所 is wei2
        return "wei2"
    if "而" in clause[1:]:  # 为中华之崛起而读书: the purpose 为…而 is wei4
        return "wei4"
    # After a person (他为中国…, 我们为集体…) 为 introduces whom it is for.
    return "wei4" if c.next() in WEI4_NEXT or c.prev() in "他她我你们" else None


DU1_PREV = frozenset("首古成京国故建定迁旧陪帝")


def dou_all(c: Context) -> str | None:
    """都 "all" (每天都读书); du1 only in the capital words (首都, 成都, 古都)."""
    if c.prev() in DU1_PREV or (c.word and c.word_start == c.i):
        return None
    if c.word and not (len(c.word) == 2 and c.word.endswith("都")):
        return None
    return "dou1"


def cang_hide(c: Context) -> str | None:
    """藏 "hide" before where or how (藏在, 藏起来): cang2."""
    return "cang2" if c.free and c.prev() not in "西宝矿储" and c.next() in "在起好着进到身匿" else None


def juan_roll(c: Context) -> str | None:
    """卷 "roll up" before a result (卷起, 卷成): juan3."""
    return "juan3" if c.free and c.next() in "起成着入走上进曲" else None


def lou_show(c: Context) -> str | None:
    """露 "show" in the spoken phrases 露了一手, 露脸: lou4."""
    return "lou4" if not c.word and c.next() in "了一脸头底怯富" else None


def jin_exhaust(c: Context) -> str | None:
    """尽 "used up" closing a clause (燃尽了): jin4."""
    return "jin4" if not c.word and (c.at_end or c.next() == "了") else None

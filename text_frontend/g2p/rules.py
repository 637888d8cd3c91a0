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

from collections.abc import Callable
from dataclasses import dataclass
from itertools import pairwise

from pypinyin.constants import PHRASES_DICT

from text_frontend.g2p.words import CLASSROOM_WORDS
from text_frontend.normalize.unspoken import is_han as _is_han

__all__ = ["RULES", "Context", "Rule", "choose"]

NUMERALS = frozenset("零〇一二三四五六七八九十百千万两几半多")
_DEMONSTRATIVE = frozenset("这那哪每各某")
_DEGREE = frozenset("很太最更真好挺较够越多")
_MEASURE_BEFORE = NUMERALS | _DEMONSTRATIVE
# Not "": ``"" in "的后"`` is True in Python, so an empty edge would match every set written as a string.
_EDGE = "\0"


def is_han(ch: str) -> bool:
    """A Han character; False for "" (the edge of the sentence)."""
    return bool(ch) and _is_han(ch)


@dataclass(frozen=True, slots=True)
class Context:
    """A character in its sentence, and the dictionary word (if any) the word splitter put it in."""

    text: str
    i: int
    word: str = ""  # "" when the character stands alone
    word_start: int = -1  # index in ``text`` where ``word`` starts

    def prev(self, k: int = 1) -> str:
        """The k-th character before; past the edge a NUL, which no character set contains."""
        j = self.i - k
        return self.text[j] if j >= 0 else _EDGE

    def next(self, k: int = 1) -> str:
        """The k-th character after; past the edge a NUL."""
        j = self.i + k
        return self.text[j] if j < len(self.text) else _EDGE

    def before(self, n: int) -> str:
        return self.text[max(0, self.i - n) : self.i]

    def after(self, n: int) -> str:
        return self.text[self.i + 1 : self.i + 1 + n]

    @property
    def at_end(self) -> bool:
        """The character closes a clause: nothing Han follows it."""
        return not is_han(self.next())

    @property
    def ends_word(self) -> bool:
        """Alone, or last in its word: nothing to its right belongs to the same word."""
        return not self.word or self.word_start + len(self.word) - 1 == self.i

    @property
    def free(self) -> bool:
        """Alone, or first in its word (so the word is what follows it, not what glues it to the left)."""
        return not self.word or self.word_start == self.i

    def after_measure_context(self) -> bool:
        """A numeral or demonstrative right before: 三只, 这种, 第三行, 每行."""
        return self.prev() in _MEASURE_BEFORE


@dataclass(frozen=True, slots=True)
class Rule:
    """``decide`` returns the reading, or None when the context does not settle it.

    ``words``: whether the rule may overrule a dictionary word the character sits in (see the module
    docstring); when False it only reads characters the splitter left free-standing.
    """

    name: str
    decide: Callable[[Context], str | None]
    words: bool = True


def _when(condition: Callable[[Context], bool], reading: str) -> Callable[[Context], str | None]:
    return lambda c: reading if condition(c) else None


# -- particles ------------------------------------------------------------------------------------

_DI_WORDS = frozenset(
    {
        "的确",
        "的的确确",
        "目的",
        "有的放矢",
        "无的放矢",
        "众矢之的",
        "的士",
        "打的",
        "的卢",
        "端的",
        "一语中的",
    }
)

_ADVERBIAL_WORDS = (
    "认真 仔细 积极 小心 安静 飞快 高兴 开心 耐心 细心 专心 用心 热情 努力 轻轻 悄悄 静静 默默 渐渐 不断 "
    "深深 紧紧 大声 小声 轻声 快速 迅速 缓缓 缓慢 逐渐 清楚 准确 详细 主动 自觉 独立 大胆 热烈 愉快 快乐 "
    "兴奋 激动 惊讶 好奇 满意 不停 慢慢 均匀 充分 正确 合理 有效 具体 简单 反复 整齐 用力 匀速 连续 "
    "顺利 勇敢 坚定 坚决 彻底 完全 明显 直接 间接 分别 突然 偷偷 暗暗 狠狠 好好 稳稳 牢牢 深刻 全面 "
    "客观 生动 形象 自豪 骄傲 得意 随意 故意 有序 飞速 高速 低声 不知不觉 一步步 一点点 一个个 一遍遍 "
    "科学 严格 严肃 规范 灵活 冷静 平静 亲切 温和 礼貌 友好 热心 虚心 诚恳 大方 公平 细致 熟练 顽强 拼命 "
    "尽情 耐心 艰难 艰苦 仔细 紧张 轻松 轻快 迫切 急切 恭敬 礼貌 严厉 温柔 亲热 痛快 舒服 幸福 "
    "出色 圆满 成功 顺利 巧妙 机智 勤奋 刻苦 默默无闻 一本正经 有条不紊 聚精会神 全神贯注 "
    "快活 辛勤 欢快 勤劳 轻盈 急忙 连忙 赶忙 慌忙 匆忙 焦急 悠闲 深情 灵巧 敏捷 亲切 坦然 淡淡 "
    "慌乱 胡乱 盲目 公正 自由"
)
_ADVERBIALS = frozenset(_ADVERBIAL_WORDS.split())
_VERB_START = frozenset(
    "举走跑说笑看听写读做想问回点叫喊唱跳学拿把对向跟朝坐站望哭玩飞告离冲爬流落围抬拍完工研讨思记介描练检往评组"
)
_DI_PREV = frozenset("草土大田陆空场各本外内当天高盆平山基园绿湿林墓耕腹圣实心境领阵产属余遍满落席质见此某该")
_DI_NOUN_NEXT = frozenset("上下图理球方面区点位形势址震铁板带质域表壳貌基毯主道里")


def _de_particle(c: Context) -> str | None:
    """的 is de5 outside its di2/di4 words; before 确实 it is the particle (说的确实对: 的 + 确实)."""
    if c.word in _DI_WORDS and c.after(2) != "确实":
        return None
    return "de5"


def _di_particle(c: Context) -> str | None:
    """地 after an adverbial (认真地, 慢慢地, 高高兴兴地) marks the verb that follows: de5."""
    prev = c.prev()
    reduplicated = bool(prev) and is_han(prev) and prev == c.prev(2)
    if reduplicated or c.before(2) in _ADVERBIALS or c.before(3) in _ADVERBIALS or c.before(4) in _ADVERBIALS:
        return "de5"
    idiom = c.before(4)
    if len(idiom) == 4 and (idiom in PHRASES_DICT or idiom in CLASSROOM_WORDS):  # 兴高采烈地, 实事求是地
        return "de5"
    # 一遍又一遍地, 一次又一次地: a repeated quantity says how the verb is done.
    if c.before(5)[:1] == "一" and c.prev(3) == "又" and c.prev(2) == "一" and c.prev() == c.prev(4):
        return "de5"
    if prev in "般似" and c.next() not in _DI_NOUN_NEXT:
        return "de5"
    # Standing alone between a non-place word and a verb (争先恐后地举起): the particle.
    if not c.word and c.next() in _VERB_START and prev not in _DI_PREV:
        return "de5"
    return None


_COMPLEMENT_VERBS = frozenset(
    "跑写唱算画说做学读讲长变显吃睡玩走看听想笑哭跳飞游打踢洗穿站坐搬急忙累饿冷热高低快慢坏美亮香甜净乱"
    "晚早紧松清红熟透深远近静吵响满细准对错妙巧办弄擦搞练演落过赶活住用找闹挤拉举排扫抄摆修养剪切考猜"
    "称转爬滑摔吓冻晒烧煮炒烤涨升弹拍拼念问查动传接喝卖买带送交收藏开关拿放来去记背答干种数量"
)
_STATE_TEXT = (
    "高兴 激动 感动 紧张 着急 难过 伤心 开心 害怕 兴奋 生气 委屈 痛苦 惊讶 吃惊 得意 后悔 羞愧 "
    "慌张 忙碌 疲惫 饥饿 寒冷 炎热 安静 热闹 干净 漂亮 整齐 清楚 明白 仔细 认真 熟练"
)
_STATE_WORDS = frozenset(_STATE_TEXT.split())
_COMPLEMENT_NEXT = frozenset("很真太非特那这更最比像又挺越满津")
_MUST_NEXT = frozenset(
    "做去走抓写学读想先把赶快早马重多等交再花用小注听跟让给叫说问考认自靠留补改练背记算保带买回拿找准提"
    "从跑加按仔努坚及尽打吃睡穿戴换洗请在吸烧遵守查排向"
)
_DE2_NEXT = frozenset("了到出奖分病知益胜")


_TIME_TEXT = "今天 明天 今晚 现在 马上 今年 明年 晚上 以后 下午 上午 早上 周末 下周 待会 回头"
_TIME_WORDS = frozenset(_TIME_TEXT.split())


def _de_complement(c: Context) -> str | None:
    """得 between a verb or adjective and its complement (跑得真快, 写得很工整, 算得出来): de5."""
    if c.prev() in NUMERALS:
        return None
    glued_to_verb = c.word == c.prev() + "得"
    if c.before(2) in _TIME_WORDS:  # 今晚得写完: 晚 ends a time word, it is not the verb
        return None
    if c.before(2) in _STATE_WORDS and c.free:  # 高兴得跳了起来, 激动得说不出话
        return "de5"
    asks_how = c.after(3) == "怎么样" or c.after(2) in ("怎样", "如何")
    if asks_how and c.prev() not in "我你他她们咱":  # 作业完成得怎么样: how well it was done
        return "de5"
    if (c.prev() in _COMPLEMENT_VERBS and (c.free or glued_to_verb)) or (
        c.next() in _COMPLEMENT_NEXT and not c.word
    ):
        return "de5"
    return None


def _dei_must(c: Context) -> str | None:
    """得 "must" before a verb, after a subject, adverb or time word rather than a verb (我们得抓紧): dei3."""
    if c.word:
        return None
    if c.prev() in _COMPLEMENT_VERBS and c.before(2) not in _TIME_WORDS:  # 今晚得写完 is not 晚得
        return None
    doubled_verb = is_han(c.next()) and c.next() == c.next(2)  # 得动动脑筋, 得想想
    if c.prev() in "我你他她们咱" and c.next() == "怎":  # 我得怎么写; not 完成得怎么样
        return "dei3"
    # After 就/总/都… a verb follows "must" (我们就得迟到了), unless 得 is "get" (就得了第一, 都得到了).
    if c.prev() in "就总都可" and is_han(c.next()) and c.next() not in _DE2_NEXT:
        return "dei3"
    return "dei3" if c.next() in _MUST_NEXT or c.after(2) == "好好" or doubled_verb else None


def _de_obtain(c: Context) -> str | None:
    """得 "obtain, result in" (得了满分, 得出结论, 二加三得五): de2."""
    glued = c.word == c.prev() + "得" and c.next() in "出到"  # 要得出 is matched as 要得 + 出
    if not (c.free or glued) or c.prev() in _COMPLEMENT_VERBS:
        return None
    if c.prev() in NUMERALS and (c.next() in NUMERALS or c.after(2) == "多少"):
        return "de2"
    return "de2" if c.next() in _DE2_NEXT else None


def _le_liao(c: Context) -> str | None:
    """了 free-standing: liao3 in a potential complement (做不了, 受得了。), le5 everywhere else."""
    if c.prev() == "不" or c.after(2) in ("不得", "不起"):  # 做不了; 了不起, 可了不得 (matched as 可了)
        return "liao3"
    if c.word:
        # A two-character word ending in 了 is the matcher gluing the particle to the verb before it
        # (统一了六国 → 一了, 证明了。 → 明了) unless a degree adverb makes it the word (很明了。).
        glued = len(c.word) == 2 and c.word_start == c.i - 1 and (not c.at_end or c.prev(2) not in _DEGREE)
        return "le5" if glued else None
    if c.prev() == "得" and (c.at_end or c.next() in "吗呢吧啦这那多几"):
        return "liao3"
    if c.prev() == "得" and c.after(2) == "什么" and c.prev(2) in _COMPLEMENT_VERBS:  # 算得了什么
        return "liao3"
    return "le5"


_ZHAO_VERBS = frozenset("睡点猜找划烧见摸够碰冻燃打逮捉抓查遇")
_ZHAO_POTENTIAL = _ZHAO_VERBS | frozenset("用犯")


def _zhe_zhao(c: Context) -> str | None:
    """着 after a verb: zhao2 when it means "reached" (睡着了, 点着了), else the aspect particle zhe5."""
    if c.word:
        return None
    if c.prev() == "不" and is_han(c.prev(2)):  # 睡不着, 猜不着, 用不着
        return "zhao2"
    if c.next() == "了" and c.next(2) in "凉急火迷慌":  # 着了凉, 着了迷: the verb with its object
        return "zhao2"
    if c.prev() == "得" and c.prev(2) in _ZHAO_POTENTIAL:  # 用得着, 睡得着: the potential form of the same
        return "zhao2"
    if c.prev() in _ZHAO_VERBS and (c.next() == "了" or c.at_end):
        return "zhao2"
    if is_han(c.prev()) and c.next() not in "急火凉迷陆手重想眼装落":
        return "zhe5"
    return None


# -- measure words --------------------------------------------------------------------------------


def _after_ordinal_or_numeral(c: Context) -> bool:
    if c.prev() in NUMERALS or c.prev() in "每":
        return True
    j = c.i - 1
    while j >= 0 and c.text[j] in NUMERALS:
        j -= 1
    return j >= 0 and c.text[j] == "第" and j < c.i - 1


def _hang_measure(c: Context) -> str | None:
    """行 counting lines (第三行, 四行, 每行, 排成两行): hang2; but 一行人 and 五行 are xing2."""
    if c.prev() in "这那哪" and c.prev(2) in "干入改转":  # 干这行: a trade
        return "hang2"
    if c.prev() in "这那哪" and c.next() in "字诗句数":  # 这行字: a line of writing
        return "hang2"
    if not _after_ordinal_or_numeral(c):
        return None
    party = c.next() == "人" or (c.next() in NUMERALS and "人" in c.after(4))
    if c.prev() == "一" and c.prev(2) != "第" and party:
        return "xing2"  # 一行人, 我们一行五人: a party travelling together
    if c.prev() == "五" and c.prev(2) != "第" and c.next() not in "字诗句":
        return None
    return "hang2"


_ZHI3_NEXT = frozenset("是有要能好得不会在需用剩见看听想说可知怕读写做占限差顾管许因为觉够")


def _zhi_measure(c: Context) -> str | None:
    """只 after a numeral or demonstrative is the measure word zhi1 (三只小鸟), unless 只有/只是 follows."""
    if c.after_measure_context() and c.next() not in _ZHI3_NEXT:
        return "zhi1"
    return None


def _zhong_measure(c: Context) -> str | None:
    """种 after a numeral or demonstrative is the measure word zhong3 (这种花, 三种方法)."""
    if c.after_measure_context() and c.next() not in "了着过下上":
        return "zhong3"
    return None


_ZHONG4_NEXT = frozenset("了着过下上的树花菜草田水麦稻豆瓜玉牛痘植庄地果棉粮满什出在几")


def _zhong_plant(c: Context) -> str | None:
    """种 as the verb "to plant" (种了十棵树, 去种树, 适合种苹果, 在院子里种几棵树): zhong4."""
    if c.free and not c.after_measure_context() and c.next() in _ZHONG4_NEXT:
        return "zhong4"
    # Standing alone after a modal, an adverb or a place, 种 is the verb whatever crop follows.
    if not c.word and not c.after_measure_context() and c.prev() in "合在去来要会能想可始再又都也里上边":
        return "zhong4"
    return None


# -- verb against noun or adjective ---------------------------------------------------------------


def _reduplicated(verb_reading: str) -> Callable[[Context], str | None]:
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


def _shu_count(c: Context) -> str | None:
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


_LIANG4_PREV = frozenset("数质重力能热含流产容大少多定变向矢标分剂用尽测计音雨水饭酒总电荷动度衡当")


def _liang_measure(c: Context) -> str | None:
    """量 followed by a result or object (量一下, 量出, 量体温), or after 用 and an instrument: liang2."""
    if "用" in c.before(6) and (c.prev() in "尺计器仪秤规" or c.before(2) == "尺子"):  # 用温度计量水温
        return "liang2"
    glued = c.ends_word and (c.after(2) == "一下" or c.next() == "出")  # 量角器量一下 → 器量
    if (
        (c.free or glued)
        and c.prev() not in _LIANG4_PREV
        and c.next() in "一出了着过下好得完体身长宽高尺血温"
    ):
        return "liang2"
    return None


_DEGREE_WORDS = frozenset(
    ["特别", "非常", "十分", "格外", "相当", "比较", "有点", "有些", "如此", "极其", "尤其"]
)


def _after_degree(reading: str) -> Callable[[Context], str | None]:
    """An adjective after a degree adverb (很长, 太重, 特别长): its adjective reading."""
    return _when(lambda c: (c.prev() in _DEGREE or c.before(2) in _DEGREE_WORDS) and c.free, reading)


def _chang_compared(c: Context) -> str | None:
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


def _chang_noun(c: Context) -> str | None:
    """长 "length" (长方形的长是五厘米) or the adjective closing a clause (比那根长。): chang2."""
    if c.prev() == "的" and c.next() in "是为和与宽":
        return "chang2"
    compared = "比" in c.before(8) or c.prev() in "根条段截支"  # 这根比那根长。, not 副旅长。
    return "chang2" if c.at_end and not c.word and compared else None


_LENGTH_UNITS = ("米", "厘米", "分米", "毫米", "千米", "公里", "尺", "寸", "丈")


def _chang_length(c: Context) -> str | None:
    """长 before an amount of length (木棍长五十厘米): the length chang2, not "grow" or "older by"."""
    if c.word or c.next() not in NUMERALS:
        return None
    ahead = c.after(6)
    return "chang2" if any(unit in ahead for unit in _LENGTH_UNITS) and "岁" not in ahead else None


def _both_adjectives(c: Context) -> bool:
    """又窄又长: two adjectives joined by 又…又; not 又长高了."""
    return c.prev() == "又" and "又" in c.before(4)[:-1] and c.next() not in "高大出成了胖壮"


def _zhang_grow(c: Context) -> str | None:
    """长 followed by a result or aspect (长高了, 长着, 长成): the verb zhang3."""
    if not c.word and c.prev() not in _DEGREE and c.next() in "高大出满着了成得胖壮肉牙芽叶毛":
        return "zhang3"
    return None


def _zhong_weight(c: Context) -> str | None:
    """重 followed by an amount (重多少千克, 重三吨): weight, zhong4."""
    return "zhong4" if not c.word and c.next() in "多几约达千克吨斤公二三四五六七八九十百" else None


def _chong_again(c: Context) -> str | None:
    """重 before a verb meaning "again" (重做, 重写): chong2."""
    return (
        "chong2" if not c.word and c.next() in "做写来画抄算启修建装播演考印听说拍排返申温组置设选" else None
    )


def _huan_return(c: Context) -> str | None:
    """还 closing a clause or before what is returned (按时还。, 还给): the verb huan2."""
    if c.word:
        return None
    if c.next() in "你我他她" and not is_han(c.next(2)):  # 看完就还你。
        return "huan2"
    if c.next() == "了" and c.after(2) not in ("了解", "了得", "了不", "了结"):  # 老师也还了礼
        return "huan2"
    return "huan2" if c.at_end or c.next() in "给书钱清债原手击款账回" else None


_JIAO1_NEXT = frozenset(
    "我你他她它大同孩小老弟妹爸妈爷奶人会给过了着书数语英物化历地音美体唱画写读做怎中初高"
)


def _jiao_teach(c: Context) -> str | None:
    """教 before whom or what is taught (教大家唱, 教我们数学): the verb jiao1."""
    return "jiao1" if c.free and c.next() in _JIAO1_NEXT else None


_CARRIED_TO = ("楼", "医院", "医务室", "家", "岸", "车", "山", "坡", "教室", "宿舍")


def _jiao_taught_by(c: Context) -> str | None:
    """是老师教的, 谁教的: the teacher taught it (jiao1)."""
    closes = c.next() == "的" and not is_han(c.next(2))
    return "jiao1" if c.free and closes and c.prev() in "师妈爸他她我你们谁" else None


def _jiao_glued(c: Context) -> str | None:
    """从小就教我要诚实 is matched as 就教 (jiu4 jiao4, 'ask for advice'): a person after it says teach."""
    glued = len(c.word) == 2 and c.word_start == c.i - 1 and c.prev() in "就都也还再又才"
    return "jiao1" if glued and c.next() in "我你他她大孩学" else None


def _bei_carry(c: Context) -> str | None:
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
        or (c.next() in "下到上进出回" and any(p in c.after(6) for p in _CARRIED_TO))  # 背下了楼
    ):
        return "bei1"
    return None


def _zhuan_turn(c: Context) -> str | None:
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


_DAYS = frozenset(["明天", "今天", "后天", "每天", "哪天", "改天", "前天", "当天", "昨天"])
_SKY = frozenset(["天空", "太空", "高空", "星空", "夜空", "航空", "真空", "时空", "晴空", "领空", "当空"])


def _kong_sky(c: Context) -> str | None:
    """天空格外蓝, 天空白云 are matched as 天 + 空格 + 外: the sky word on the left is the real one."""
    glued = PHRASES_DICT.get(c.word) if c.word and c.free else None
    day = c.before(2) in _DAYS  # 明天空出时间: 天 ends 明天, there is no sky
    if glued and glued[0][0] == "kòng" and c.prev() + "空" in _SKY and c.next() not in NUMERALS and not day:
        return "kong1"
    return None


def _kong_leave(c: Context) -> str | None:
    """空 "leave blank" before an amount (空两格, 空一行, 空出): kong4."""
    if c.free and (c.next() in NUMERALS or c.next() in "出格" or (c.next() == "着" and c.next(2) != "手")):
        return "kong4"
    if c.free and c.next() in "下出着" and "把" in c.before(8):  # 把这一行空下来
        return "kong4"
    if c.ends_word and c.before(2) in _DAYS and c.next() in "出下":  # 明天空出时间 is matched as 天空
        return "kong4"
    # 横线上空一格 is matched as 上空 + 一格: the blank counted in 格/行/字 still says "leave blank".
    if c.ends_word and c.next() in NUMERALS and c.next(2) in "格行字":
        return "kong4"
    return None


def _tiao_adjust(c: Context) -> str | None:
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


def _cha_short(c: Context) -> str | None:
    """差 "short of, poor" (差一步, 差两个人, 很差, 就差最后一步): cha4."""
    if c.free and c.prev() in "就只还":
        return "cha4"
    if c.free and (c.next() in NUMERALS or c.next() in "点些得远"):
        return "cha4"
    if c.prev() in _DEGREE or c.prev() == "不":
        return "cha4" if c.at_end or c.next() == "了" else None
    if c.free and "比" in c.before(6) and c.next() in "了一些多得点":  # 比上次差了一些: worse
        return "cha4"
    return None


_ZHONG4_PREV = frozenset("猜射投打考说选踢砸押")


def _zhong_hit(c: Context) -> str | None:
    """中 "hit, guess right" after 猜/射/投 (猜中了): zhong4; not after the nouns 小说, 传说 (小说中的)."""
    if c.before(2) in ("小说", "传说", "学说", "据说", "听说", "解说", "游说"):
        return None
    if c.prev() == "正" and any(w in c.after(4) for w in ("靶", "红心", "目标", "要害", "下怀")):  # 正中红心
        return "zhong4"
    if c.prev() in _ZHONG4_PREV and c.next() not in "学国心间午文央部等级秋华医药山":
        return "zhong4"
    if c.prev() in "他她我你谁" and c.next() in "了奖毒暑弹":  # 他中了一等奖
        return "zhong4"
    # 中肯 "to the point", 中意 "to one's liking" as predicates (很中肯, 有中意的): not 其中 + 肯定.
    if (c.next() == "肯" and c.prev() in _DEGREE) or (c.next() == "意" and c.prev() in "有不很最都没"):
        return "zhong4"
    hit = ("计", "圈套", "埋伏", "奖", "毒", "箭", "弹", "枪", "头彩", "靶", "要害", "球")
    if c.next() == "了" and c.ends_word and any(w in c.after(8) for w in hit):  # 曹操中了诸葛亮的计
        return "zhong4"
    return None


_FRUITS = ("花生", "果", "瓜", "豆", "桃", "梨", "枣", "杏", "葡萄", "番茄", "稻", "麦", "玉米")


def _jie_fruit(c: Context) -> str | None:
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
    if not c.word and c.next() in "在得的" and any(f in near for f in _FRUITS):
        return "jie1"
    return None


def _shao_less(c: Context) -> str | None:
    """少 standing alone is "few, less" (要少玩, 很少): shao3; shao4 "young" lives in words (少年)."""
    if c.word or c.prev() == "老" or c.next() in "年女儿将校爷妇":
        return None
    return "shao3"


def _dang_as(c: Context) -> str | None:
    """当 "treat as" in 把/拿…当 (把我的话当耳旁风) or A当B用 (一个人当两个人用): dang4."""
    if c.free and ("把" in c.before(6) or "拿" in c.before(6)):
        return "dang4"
    return "dang4" if not c.word and c.next() in NUMERALS and "用" in c.after(6) else None


def _chu_verb(c: Context) -> str | None:
    """处 "be situated, deal with" before 在/于/理 (处在, 处理): chu3."""
    return "chu3" if c.free and c.next() in "在于理置罚境世事" else None


def _xiang_photo(c: Context) -> str | None:
    """相 as the photograph of 照张相 / 照个相: xiang4."""
    closes = c.at_end or c.next() in "吧吗呢了啊"
    return "xiang4" if not c.word and "照" in c.before(3) and closes else None


_WEI2_PREV = frozenset("成作认称选评化改变分定视以誉命封立任推奉转简约译名尊叫结列升划归")
_WEI4_NEXT = frozenset("大我你他她它人祖国社集班学同老父母孩了什何此这那谁自全灾您")


def _wei(c: Context) -> str | None:
    """为 "become, as" after 选/评/化 (选他为班长): wei2; "for" before a beneficiary (为大家): wei4."""
    if c.word:
        # 成为了 is matched as 成 + 为了: the verb before still says "become".
        return "wei2" if c.word == "为了" and c.word_start == c.i and c.prev() in _WEI2_PREV else None
    if c.prev() in _WEI2_PREV or (c.prev() in "他她它我你" and any(v in c.before(3) for v in "选评推称命任")):
        return "wei2"
    clause = c.after(8).split("，")[0]
    if "所" in clause[1:]:  # 为大家所熟知: the passive 为…所 is wei2
        return "wei2"
    if "而" in clause[1:]:  # 为中华之崛起而读书: the purpose 为…而 is wei4
        return "wei4"
    # After a person (他为中国…, 我们为集体…) 为 introduces whom it is for.
    return "wei4" if c.next() in _WEI4_NEXT or c.prev() in "他她我你们" else None


_DU1_PREV = frozenset("首古成京国故建定迁旧陪帝")


def _dou_all(c: Context) -> str | None:
    """都 "all" (每天都读书); du1 only in the capital words (首都, 成都, 古都)."""
    if c.prev() in _DU1_PREV or (c.word and c.word_start == c.i):
        return None
    if c.word and not (len(c.word) == 2 and c.word.endswith("都")):
        return None
    return "dou1"


def _cang_hide(c: Context) -> str | None:
    """藏 "hide" before where or how (藏在, 藏起来): cang2."""
    return "cang2" if c.free and c.prev() not in "西宝矿储" and c.next() in "在起好着进到身匿" else None


def _juan_roll(c: Context) -> str | None:
    """卷 "roll up" before a result (卷起, 卷成): juan3."""
    return "juan3" if c.free and c.next() in "起成着入走上进曲" else None


def _lou_show(c: Context) -> str | None:
    """露 "show" in the spoken phrases 露了一手, 露脸: lou4."""
    return "lou4" if not c.word and c.next() in "了一脸头底怯富" else None


def _jin_exhaust(c: Context) -> str | None:
    """尽 "used up" closing a clause (燃尽了): jin4."""
    return "jin4" if not c.word and (c.at_end or c.next() == "了") else None


def _hua_row(c: Context) -> str | None:
    """划 "row, strike" (划船, 划了一根火柴): hua2."""
    if c.free and (c.next() in "船桨破伤龙舟水开" or "火柴" in c.after(6)):
        return "hua2"
    return None


def _dao_pour(c: Context) -> str | None:
    """倒 "pour, invert" before 进/入/水 (倒进烧杯): dao4; "fall" after 摔/吹/推 (吹倒了): dao3."""
    if c.prev() in "摔吹推碰跌绊撞压晕踢刮砍拉":
        return "dao3"
    return "dao4" if c.free and c.next() in "进入水出掉立" else None


_HAIR_PREV = frozenset("头理短长白毛黑金卷烫秀假")


def _fa(c: Context) -> str | None:
    """发 "send, hand out" before a direction or result (发下来, 发给): fa1; hair (头发, 短发): fa4."""
    if c.prev() in _HAIR_PREV and c.ends_word and c.next() not in "下给出到来去":
        return None  # the hair words are in the dictionary
    return "fa1" if c.next() in "下给出到来去" else None


def _jiao_sleep(c: Context) -> str | None:
    """觉 "a sleep" after 一 before 醒/睡 (一觉醒来): jiao4."""
    return "jiao4" if c.prev() == "一" and c.next() in "醒睡到" else None


def _ji_tie(c: Context) -> str | None:
    """系 "tie" before what is tied (系好鞋带, 系上红领巾, 系了一个蝴蝶结): ji4."""
    if c.free and c.next() == "了" and any(w in c.after(8) for w in ("结", "扣", "鞋带", "绳", "领巾")):
        return "ji4"
    return "ji4" if c.free and c.next() in "好上紧鞋领着" else None


def _finds_fault(c: Context) -> bool:
    return any(w in c.after(6) for w in ("毛病", "刺", "错"))


def _next_in(chars: str, reading: str, *, free: bool = True) -> Callable[[Context], str | None]:
    """``reading`` when the next character is one of ``chars`` (and, with ``free``, the character
    starts its word or stands alone)."""
    return _when(lambda c: c.next() in chars and (c.free or not free), reading)


_MO4_WORDS = frozenset(
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


def _mei(c: Context) -> str | None:
    """没 "not have, not" (他一直没回来): mei2; mo4 "sink" only in its words (淹没, 没入)."""
    if c.word in _MO4_WORDS or c.next() in "入落收顶":
        return None
    if c.prev() + "没" in _MO4_WORDS or "没" + c.next() in _MO4_WORDS:  # 隐没 split off, 全军覆没
        return "mo4"
    return "mei2"


def _chang_event(c: Context) -> str | None:
    """场 as a measure word: chang2 for weather and illness (一场大雨), chang3 for shows (一场电影)."""
    if not c.after_measure_context():
        return None
    ahead = c.after(3)
    if any(ch in ahead for ch in "雨雪病梦灾风仗"):
        return "chang2"
    return "chang3" if any(ch in ahead for ch in "电比球戏演音赛考表讲报辩展晚") else None


def _chong_layer(c: Context) -> str | None:
    """重 counting layers after a numeral (一重又一重, 九重天, 万重山): chong2; a weight has an amount."""
    if c.word or c.prev() not in NUMERALS:
        return None
    return "chong2" if c.next() in "又山天门关楼障" else None


def _jiao_nap(c: Context) -> str | None:
    """觉 "a sleep" as the object of 睡 (睡了四个小时的觉, 睡个好觉): jiao4."""
    if c.word or "睡" not in c.before(8) or not (c.at_end or c.next() == "了"):
        return None
    return "jiao4" if c.prev() in "的个觉好" else None


def _cheng_fill(c: Context) -> str | None:
    """盛 "fill a container" before what or how much (盛饭, 盛了一碗, 盛不下): cheng2."""
    if c.free and "用" in c.before(3):  # 用烧杯盛, 用来盛放试剂
        return "cheng2"
    return "cheng2" if c.free and c.next() in "了饭汤粥满不一些下着进在到得有" else None


def _dan_load(c: Context) -> str | None:
    """担 as a measure word (两担水, 一担柴): dan4."""
    return "dan4" if c.after_measure_context() and c.next() not in "心任保负当忧" else None


def _bao_peel(c: Context) -> str | None:
    """剥 "peel" in plain speech (剥了一个橘子, 剥开, 剥皮): bao1; bo1 lives in words (剥削, 剥夺)."""
    return "bao1" if c.free and c.next() in "了开皮掉着好完下壳" else None


def _sa_scatter(c: Context) -> str | None:
    """撒 "scatter" before what is scattered (撒种子, 撒点盐): sa3; 撒谎, 撒娇, 撒网 are sa1."""
    if c.free and c.next() == "了" and any(w in c.after(5) for w in ("一地", "满地")):  # 撒了一地
        return "sa3"
    return "sa3" if c.free and c.next() in "种盐土肥粉点在满下落些沙花药" else None


def _meng_guess(c: Context) -> str | None:
    """蒙 "guess blindly" before its result (蒙对了, 蒙错): meng1."""
    return "meng1" if c.free and c.next() in "对错中" else None


def _she_snap(c: Context) -> str | None:
    """折 "snap" said of a long thing with nothing acting on it (椅子腿折了): she2."""
    long_thing = any(ch in c.before(3) for ch in "腿膊绳杆棍")
    acted_on = any(v in c.before(8) for v in "把被给让")
    return "she2" if long_thing and c.next() == "了" and not acted_on else None


def _la_leave(c: Context) -> str | None:
    """落 "leave behind" in 把…落在 (把书落在家里了): la4."""
    return "la4" if c.next() == "在" and "把" in c.before(6) and not c.word else None


# Characters whose surname reading differs from their everyday one: read so right after 姓.
_SURNAMES = {
    "曾": "zeng1",
    "单": "shan4",
    "解": "xie4",
    "仇": "qiu2",
    "区": "ou1",
    "朴": "piao2",
    "查": "zha1",
    "盖": "ge3",
    "缪": "miao4",
    "覃": "qin2",
    "召": "shao4",
}


def _surname(c: Context) -> str | None:
    """A character right after 姓 is a surname (班主任姓曾, 同桌姓单): its surname reading."""
    return _SURNAMES.get(c.text[c.i]) if c.prev() == "姓" else None


_SURNAME_RULE = Rule("a character after 姓 takes its surname reading", _surname)


def _ying_should(c: Context) -> str | None:
    """应 "should" standing alone before what is due (这里应是逗号, 不应浪费): ying1."""
    if c.word:
        return None
    return "ying1" if c.prev() == "不" or c.next() in "是该当有把在从以按由" else None


def _lei_tired(c: Context) -> str | None:
    """累 "tired" as a predicate (很累, 你累不累): lei4."""
    if c.word:
        return None
    asked = (c.next() == "不" and c.next(2) == "累") or (c.prev() == "不" and c.prev(2) == "累")  # 累不累
    return "lei4" if c.prev() in _DEGREE or asked or c.next() == "得" else None


def _shan_fan(c: Context) -> str | None:
    """扇 as the verb "fan, flap" (扇扇子, 扇着翅膀, 扇风): shan1."""
    return "shan1" if c.free and c.next() in "着了动风扇起" else None


def _xiu_night(c: Context) -> str | None:
    """宿 counting nights after a numeral (住了两宿, 一宿没睡): xiu3."""
    return "xiu3" if not c.word and c.prev() in NUMERALS and (c.at_end or c.next() in "没了的都") else None


def _sai_stuff(c: Context) -> str | None:
    """塞 "stuff, squeeze in" before a result (塞进, 塞满, 塞住): sai1."""
    return "sai1" if c.free and c.next() in "进入满住在到给了着" else None


def _zuan_drill(c: Context) -> str | None:
    """钻 "drill, bore, squeeze through" as a verb (钻进, 钻研, 钻空子): zuan1."""
    if not c.free:
        return None
    return "zuan1" if c.next() in "进入研探孔洞过出了到着牛" or "空子" in c.after(6) else None


def _chong_toward(c: Context) -> str | None:
    """冲 "towards, on the strength of" before a person or 这/那 (冲我笑, 冲这一点): chong4."""
    return "chong4" if not c.word and c.next() in "我你他她咱大人这那" else None


def _meng_cover(c: Context) -> str | None:
    """蒙 "cover" before its result (蒙住眼睛, 蒙上一层灰): meng2."""
    return "meng2" if c.free and c.next() in "住上着在" else None


def _le_glad(c: Context) -> str | None:
    """乐 "be amused" standing alone before its result (乐坏了, 乐得合不拢嘴, 大家都乐了): le4."""
    return "le4" if not c.word and c.next() in "坏得呵了开滋的" else None


def _mo_cover(c: Context) -> str | None:
    """没过 "rise above" said of water over a body part (河水没过了膝盖): mo4."""
    body = ("膝盖", "头顶", "腰", "脚踝", "小腿", "脖子", "胸口")
    return "mo4" if c.next() == "过" and any(w in c.after(6) for w in body) else None


_SHUAI4_NEXT = frozenset("领先众兵部队团军师")
_SHUAI4_PREV = frozenset("坦草直轻表统真粗")
_RATE_NEXT = frozenset("是为达在的和与高低从由等约提降增下上很较不也都均仍将已有")


def _lv_rate(c: Context) -> str | None:
    """率 closing a noun (及格率, 出勤率): the rate lv4; shuai4 leads (率领, 率先) or describes (坦率)."""
    if c.word or c.next() in _SHUAI4_NEXT or c.prev() in _SHUAI4_PREV or not is_han(c.prev()):
        return None
    # The rate is what the clause is about, so a predicate or an amount follows (及格率是, 利润率45%);
    # 率 before anything else leads it (冯玉祥率国民军).
    return "lv4" if not is_han(c.next()) or c.next() in _RATE_NEXT else None


def _huo_knead(c: Context) -> str | None:
    """和 "knead, mix with water" before 了…面/泥 (和了一大盆面): huo2."""
    return "huo2" if c.free and c.next() == "了" and any(w in c.after(6) for w in "面泥") else None


def _jin_most(c: Context) -> str | None:
    """尽 "-most" before a place word (尽前头, 尽底下): jin3."""
    return "jin3" if c.after(2) in ("前头", "后头", "底下", "里头", "上头", "北边", "南边") else None


def _ceng_once(c: Context) -> str | None:
    """曾 standing alone before a verb or a count (郑和曾七次下西洋, 他曾是): the adverb ceng2."""
    if c.word or c.prev() == "姓":
        return None
    return (
        "ceng2"
        if c.next() in NUMERALS or c.next() in "经是在有多几被获任担参为与对向把将以从到去来"
        else None
    )


_OFFICIAL_BEFORE = frozenset("国卿士上楚齐秦晋鲁郑卫宋吴越燕赵韩魏")


def _daifu(c: Context) -> str | None:
    """大夫 is a doctor (dai4 fu5) in a lesson, but an official of a state (楚国大夫屈原): da4 fu1."""
    start = c.i if c.text[c.i] == "大" else c.i - 1
    if c.text[start : start + 2] != "大夫":
        return None
    official = start > 0 and c.text[start - 1] in _OFFICIAL_BEFORE
    if c.text[c.i] == "大":
        return "da4" if official else "dai4"
    return "fu1" if official else "fu5"


def _xuan_whirl(c: Context) -> str | None:
    """旋风 "whirlwind" is xuan4 (一阵旋风), but not in 气旋 + 风速."""
    return "xuan4" if c.next() == "风" and c.prev() != "气" else None


def _jia_leave(c: Context) -> str | None:
    """假 "leave, holiday" after 请了/放了/休了 (向老师请了假): jia4."""
    if c.word or not any(v in c.before(3) for v in "请放休") or not (c.at_end or c.next() in "了的"):
        return None
    return "jia4"


def _kan_mind(c: Context) -> str | None:
    """看着 someone for somebody else (替妈妈看着弟弟, 帮我看着东西): kan1 'look after'."""
    return "kan1" if c.free and c.next() == "着" and any(w in c.before(6) for w in "替帮") else None


def _bao_thin(c: Context) -> str | None:
    """薄 standing alone as a plain adjective (薄得透明, 纸太薄了): bao2."""
    return "bao2" if not c.word and c.next() in "得了" else None


RULES: dict[str, tuple[Rule, ...]] = {
    "的": (Rule("的 is the particle de5 outside 的确/目的", _de_particle),),
    "地": (Rule("地 after an adverbial is the particle de5", _di_particle),),
    "得": (
        Rule("得 between a verb and its complement is de5", _de_complement),
        Rule("得 'obtain' is de2", _de_obtain),
        Rule("得 'must' before a verb is dei3", _dei_must, words=False),
    ),
    "了": (Rule("了 is le5 except in a potential complement", _le_liao),),
    "着": (
        Rule("着 in 的穿着 'attire' is zhuo2", _when(lambda c: c.before(2) == "的穿", "zhuo2")),
        Rule(
            "着起来 'catch fire' is zhao2",
            _when(lambda c: c.after(2) == "起来" and "火" in c.before(6), "zhao2"),
        ),
        Rule(
            "着上颜色 'apply colour' is zhuo2",
            _when(lambda c: c.next() == "上" and "色" in c.after(4), "zhuo2"),
        ),
        Rule("着 after a verb: zhao2 'reached' or the particle zhe5", _zhe_zhao, words=False),
    ),
    "行": (Rule("行 after a numeral or 第… is the measure word hang2", _hang_measure),),
    "只": (Rule("只 after a numeral or demonstrative is the measure word zhi1", _zhi_measure),),
    "种": (
        Rule("种 after a numeral or demonstrative is the measure word zhong3", _zhong_measure),
        Rule("种 before a crop or result is the verb zhong4", _zhong_plant),
    ),
    "数": (
        Rule("数 reduplicated is the verb shu3", _reduplicated("shu3")),
        Rule("数 before a result or aspect is the verb shu3", _shu_count),
    ),
    "量": (
        Rule("量 reduplicated is the verb liang2", _reduplicated("liang2")),
        Rule("量 before a result or object is the verb liang2", _liang_measure),
    ),
    "长": (
        Rule("长长了 'grew long' starts with zhang3", _when(lambda c: c.after(2) == "长了", "zhang3")),
        Rule("长 in 又…又长 is the adjective chang2", _when(_both_adjectives, "chang2"), words=False),
        Rule("长 after a degree adverb is chang2", _after_degree("chang2")),
        Rule("长 'length' after 的 is chang2", _chang_noun),
        Rule("长 in a comparison is chang2 (zhang3 for age)", _chang_compared),
        Rule("长 before an amount of length is chang2", _chang_length, words=False),
        Rule("长 before a result or aspect is the verb zhang3", _zhang_grow, words=False),
    ),
    "重": (
        Rule("重 counting layers after a numeral is chong2", _chong_layer, words=False),
        Rule("重 after a degree adverb is zhong4", _after_degree("zhong4")),
        Rule("重 before an amount is weight, zhong4", _zhong_weight, words=False),
        Rule("重 'again' before a verb is chong2", _chong_again, words=False),
    ),
    "还": (Rule("还 'give back' closing a clause or before 给 is huan2", _huan_return, words=False),),
    "教": (
        Rule("教 reduplicated (教教) is the verb jiao1", _reduplicated("jiao1")),
        Rule("教 before whom or what is taught is the verb jiao1", _jiao_teach, words=False),
        Rule("教 glued to the adverb before it (就教我) is still jiao1 before a person", _jiao_glued),
        Rule("教 by a person closing 是…的 (是老师教的) is jiao1", _jiao_taught_by),
    ),
    "背": (Rule("背 'carry' is bei1", _bei_carry),),
    "转": (Rule("转 'turn' after 左/右 is zhuan3, 'spin' is zhuan4", _zhuan_turn),),
    "空": (
        Rule("空 ending a sky word (天空, 太空) keeps kong1", _kong_sky),
        Rule("空 'leave blank' before an amount is kong4", _kong_leave),
    ),
    "调": (Rule("调 'adjust' before a result is tiao2", _tiao_adjust),),
    "差": (Rule("差 'short of, poor' is cha4", _cha_short),),
    "少": (Rule("少 standing alone is shao3", _shao_less),),
    "当": (Rule("当 'treat as' after 把 is dang4", _dang_as),),
    "中": (Rule("中 'hit' after 猜/射/投 is zhong4", _zhong_hit),),
    "结": (Rule("结 'bear fruit' is jie1", _jie_fruit),),
    "处": (
        Rule("处 in X之处 'the place, the point' is chu4", _when(lambda c: c.prev() == "之", "chu4")),
        Rule("处 'be in, deal with' before 在/于/理 is chu3", _chu_verb),
    ),
    "相": (Rule("相 'photo' in 照…相 is xiang4", _xiang_photo, words=False),),
    "为": (Rule("为 'become' after 选/评 is wei2, 'for' before a person is wei4", _wei),),
    "都": (Rule("都 'all' is dou1 outside the capital words", _dou_all),),
    "藏": (Rule("藏 'hide' is cang2", _cang_hide),),
    "曲": (
        Rule("曲 'crooked' as a predicate is qu1", _when(lambda c: c.prev() in "是很太弯" and c.free, "qu1")),
    ),
    "尽": (
        Rule("尽 '-most' before a place word is jin3", _jin_most),
        Rule("尽 'exhaust, do one's utmost' before 力/心/责 is jin4", _next_in("自力心责职孝情兴全", "jin4")),
        Rule("尽 'used up' closing a clause is jin4", _jin_exhaust, words=False),
    ),
    "卷": (
        Rule("卷 reduplicated (卷卷的) is juan3", _reduplicated("juan3")),
        Rule("卷 'roll up' is juan3", _juan_roll),
    ),
    "露": (Rule("露 'show' in 露了一手 is lou4", _lou_show, words=False),),
    "划": (Rule("划 'row, strike' is hua2", _hua_row),),
    "系": (Rule("系 'tie' is ji4", _ji_tie),),
    "没": (
        Rule("没过 'rise above' a body part is mo4", _mo_cover),
        Rule("没 'not' is mei2 outside the words of sinking", _mei),
    ),
    "干": (Rule("干 'do' before 得/活/完 is gan4", _next_in("得活完么嘛吗着事", "gan4")),),
    "弹": (
        Rule(
            "弹 'pluck, bounce' before 了/奏/琴 is tan2",
            _next_in("了着奏琴起跳簧性力过一古吉钢琵筝曲", "tan2"),
        ),
    ),
    "场": (Rule("场 as a measure word: chang2 for weather, chang3 for shows", _chang_event),),
    "冲": (
        Rule("冲 after a degree adverb is chong4", _after_degree("chong4"), words=False),
        Rule("冲 'towards' before a person is chong4", _chong_toward, words=False),
        Rule("冲着 'facing' is chong4", _next_in("着", "chong4", free=False)),
    ),
    "倒": (
        Rule("倒 'on the contrary' before 是/也 is dao4", _next_in("是也挺", "dao4")),
        Rule("倒 'pour' is dao4, 'fall' after 摔/吹 is dao3", _dao_pour),
    ),
    "铺": (Rule("铺 'spread' before a result is pu1", _next_in("上开好平满成在着了", "pu1")),),
    "挑": (
        Rule("挑 'choose' before its result is tiao1", _next_in("了出选着一个最几些好中重担水柴", "tiao1")),
        Rule("挑 'find fault' (挑毛病, 挑刺) is tiao1", _when(lambda c: c.free and _finds_fault(c), "tiao1")),
        Rule("挑 a load (挑起重担) is tiao1", _when(lambda c: c.free and "担" in c.after(8), "tiao1")),
    ),
    "发": (Rule("发 'send, hand out' before a direction is fa1", _fa),),
    "觉": (
        Rule("觉 'a sleep' in 一觉醒来 is jiao4", _jiao_sleep),
        Rule("觉 'a sleep' as the object of 睡 is jiao4", _jiao_nap, words=False),
    ),
    "盛": (Rule("盛 'fill a container' is cheng2", _cheng_fill),),
    "应": (Rule("应 'should' before what is due is ying1", _ying_should),),
    "累": (Rule("累 'tired' as a predicate is lei4", _lei_tired),),
    "大": (Rule("大夫 is a doctor, dai4, except an official of a state", _daifu),),
    "夫": (Rule("大夫 is a doctor, fu5, except an official of a state", _daifu),),
    "旋": (Rule("旋风 'whirlwind' is xuan4", _xuan_whirl),),
    "假": (Rule("假 'leave' after 请了/放了 is jia4", _jia_leave),),
    "看": (Rule("看着 for somebody else is kan1 'look after'", _kan_mind),),
    "薄": (Rule("薄 standing alone as an adjective is bao2", _bao_thin),),
    "曾": (Rule("曾 before a verb or a count is the adverb ceng2", _ceng_once),),
    "乐": (Rule("乐 'be amused' before its result is le4", _le_glad),),
    "率": (Rule("率 closing a noun is the rate lv4", _lv_rate),),
    "和": (Rule("和 'knead' before 了…面 is huo2", _huo_knead),),
    "扇": (Rule("扇 'fan, flap' as a verb is shan1", _shan_fan),),
    "宿": (Rule("宿 counting nights after a numeral is xiu3", _xiu_night),),
    "塞": (Rule("塞 'stuff in' before a result is sai1", _sai_stuff),),
    "钻": (Rule("钻 'drill, squeeze through' as a verb is zuan1", _zuan_drill),),
    "担": (Rule("担 as a measure word is dan4", _dan_load),),
    "剥": (Rule("剥 'peel' in plain speech is bao1", _bao_peel),),
    "撒": (Rule("撒 'scatter' before what is scattered is sa3", _sa_scatter),),
    "蒙": (
        Rule("蒙 'guess blindly' before its result is meng1", _meng_guess),
        Rule("蒙 'cover' before its result is meng2", _meng_cover),
    ),
    "折": (Rule("折 'snap' said of a long thing is she2", _she_snap, words=False),),
    "落": (Rule("落 'leave behind' in 把…落在 is la4", _la_leave, words=False),),
}
for _char in _SURNAMES:
    RULES[_char] = (_SURNAME_RULE, *RULES.get(_char, ()))


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

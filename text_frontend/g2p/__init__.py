"""Grapheme-to-phoneme: tone-numbered pinyin for each Han character of normalised text.

Layers, lowest first; each later one wins where it speaks:

1. pypinyin's default reading per character;
2. g2pM's context model for a polyphone that stands alone (no dictionary word around it);
3. words: reverse maximum matching over pypinyin's phrase dictionary and the project's classroom word
   list (:mod:`.words`); a word's reading is lexicalised (天空 is kong1 whatever the model thinks);
4. context rules (:mod:`.rules`) keyed by neighbours: particles 的/地/得/了/着, measure words (三只,
   第三行), verb against noun readings (数一数, 种了十棵树). A rule may overrule a dictionary word,
   because the matcher glues neighbours into words that are not there (小心地 → 心地);
5. pinned readings (overrides, lexicon entries, readings chosen by normalisation): context for the
   others, never changed;
6. 一/不 sandhi (:mod:`.sandhi`).

Every reading carries its layer (:class:`.reading.Reading`), so ``lessonaudio g2p --explain`` can say
why a polyphone reads as it does. ``benchmarks/bench_polyphone.py`` measures what each layer gains.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from functools import lru_cache
from typing import Any, cast

from pypinyin import Style, pinyin
from pypinyin.constants import PHRASES_DICT

from text_frontend.g2p.neural import PolyphoneModel
from text_frontend.g2p.reading import Reading, Source
from text_frontend.g2p.rules import RULES, Context, choose
from text_frontend.g2p.sandhi import apply_yi_bu
from text_frontend.g2p.words import CLASSROOM_WORDS
from text_frontend.normalize.unspoken import is_han

__all__ = ["G2P", "Reading", "split_words"]

_HAN_RUN = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff〇]+")
_SENTENCE = re.compile(r"(?<=[。！？；!?;\n])")
_MAX_WORD = 6
_CUT_ACROSS = ("dictionary", "single")  # readings a classroom word cut across by the matcher replaces


def split_words(run: str, classroom: bool = True) -> list[str]:
    """Reverse maximum matching over pypinyin's phrase dictionary.

    Matching from the right resolves overlaps the way Chinese words usually attach (the classic
    reason RMM beats forward matching). The dictionary (pypinyin's phrases plus the classroom words)
    is a reading lookup, not a full word segmenter: the context rules correct where it glues
    neighbours into a word that is not there.
    """
    words: list[str] = []
    end = len(run)
    while end > 0:
        for size in range(min(_MAX_WORD, end), 0, -1):
            word = run[end - size : end]
            if size == 1 or word in PHRASES_DICT or (classroom and word in CLASSROOM_WORDS):
                words.append(word)
                end -= size
                break
    return words[::-1]


def _unknown(chars: str) -> list[list[str]]:
    """One "?" per character pypinyin cannot read, so readings stay aligned with characters."""
    return [["?"] for _ in chars]


# pypinyin's stubs type ``errors`` as returning str, but a callable returning one list per character
# is what its docs describe for keeping alignment.
_ERRORS = cast(Any, _unknown)


def _tone3(text: str) -> list[str]:
    readings = pinyin(text, style=Style.TONE3, neutral_tone_with_five=True, errors=_ERRORS)
    return [item[0].replace("ü", "v") for item in readings]


@lru_cache(maxsize=65536)
def _word(word: str, classroom: bool = True) -> tuple[tuple[str, ...], Source]:
    """Readings for one segmented word and where they come from (classroom list, dictionary, single)."""
    if classroom and word in CLASSROOM_WORDS:
        return CLASSROOM_WORDS[word], "word"
    if len(word) > 1 and word in PHRASES_DICT:
        return tuple(_tone3(word)), "dictionary"
    return tuple(_tone3(ch)[0] for ch in word), "single"


def _is_single(reading: Reading | None) -> bool:
    """Read as a lone character: the model may still choose among its readings."""
    return reading is not None and reading.source == "single"


def _classroom_words_win(sentence: str, found: list[Reading | None]) -> None:
    """A classroom word that the matcher cut across (爱迪生发明 → 生发 + 明了) still gives its reading.

    Only characters read from a pypinyin dictionary word that does not contain the whole classroom
    word, or left standing alone by the cut (用量角器 → 量 + 角 + 器量), are changed: the classroom
    list is curated, the glued dictionary word is an accident.
    """
    for size in range(2, _MAX_WORD + 1):
        for start in range(len(sentence) - size + 1):
            word = sentence[start : start + size]
            if word not in CLASSROOM_WORDS:
                continue
            for k, reading in enumerate(CLASSROOM_WORDS[word]):
                current = found[start + k]
                if current is not None and current.source in _CUT_ACROSS and word not in current.detail:
                    found[start + k] = Reading(reading, "word", word)


class G2P:
    """Loads the polyphone model once; :meth:`readings` and :meth:`explain` are pure and thread-safe."""

    def __init__(self, cache_size: int = 4096, *, rules: bool = True, classroom_words: bool = True) -> None:
        """``rules`` and ``classroom_words`` switch layers off, so the benchmark can show what each gains."""
        self.model = PolyphoneModel()
        self._rules = rules
        self._classroom = classroom_words
        self._sentence = lru_cache(maxsize=cache_size)(self._sentence_uncached)

    def is_polyphone(self, ch: str) -> bool:
        """Whether ``ch`` has more than one reading the G2P chooses among."""
        return self.model.is_polyphone(ch) or ch in RULES

    def readings(self, text: str, pinned: Sequence[str | Reading | None] | None = None) -> list[str | None]:
        """One reading per character of ``text``: pinyin for Han characters, None for anything else.

        ``pinned[i]``, when given, is the reading of ``text[i]`` no matter what.
        """
        return [r.pinyin if r is not None else None for r in self.explain(text, pinned)]

    def explain(
        self, text: str, pinned: Sequence[str | Reading | None] | None = None
    ) -> list[Reading | None]:
        """Like :meth:`readings`, with the layer that chose each reading.

        A pinned reading given as a plain string is reported as ``pinned``; give a :class:`Reading` to
        say which kind of pin it is (inline override, lesson or course lexicon).
        """
        pins = (
            tuple((Reading(p, "pinned") if isinstance(p, str) else p) for p in pinned)
            if pinned is not None
            else (None,) * len(text)
        )
        out: list[Reading | None] = []
        start = 0
        for sentence in _SENTENCE.split(text):
            if sentence:
                out.extend(self._sentence(sentence, pins[start : start + len(sentence)]))
                start += len(sentence)
        return out

    def _sentence_uncached(
        self, sentence: str, pins: tuple[Reading | None, ...]
    ) -> tuple[Reading | None, ...]:
        found: list[Reading | None] = [None] * len(sentence)
        contexts: dict[int, Context] = {}
        for run in _HAN_RUN.finditer(sentence):
            pos = run.start()
            for word in split_words(run.group(), self._classroom):
                word_readings, source = _word(word, self._classroom)
                in_word = source != "single"
                for k, reading in enumerate(word_readings):
                    if reading != "?":
                        found[pos + k] = Reading(reading, source, word if in_word else "")
                    # The curated classroom words are not second-guessed; rules exist for few characters.
                    if source != "word" and word[k] in RULES:
                        contexts[pos + k] = Context(
                            sentence, pos + k, word if in_word else "", pos if in_word else -1
                        )
                pos += len(word)
        if self._classroom:
            _classroom_words_win(sentence, found)
        ambiguous = [
            i
            for i, ch in enumerate(sentence)
            if pins[i] is None and _is_single(found[i]) and self.model.is_polyphone(ch)
        ]
        for i, reading in zip(ambiguous, self.model.predict(sentence, ambiguous), strict=True):
            found[i] = Reading(reading, "model")
        for i, context in contexts.items() if self._rules else ():
            if pins[i] is None and found[i] is not None:
                ruled = choose(context)
                if ruled is not None:
                    found[i] = Reading(ruled[0], "rule", ruled[1])
        for i, pin in enumerate(pins):
            if pin is not None:
                found[i] = pin
            elif not is_han(sentence[i]):
                found[i] = None
        lexical = [r.pinyin if r is not None else None for r in found]
        sandhi = apply_yi_bu(sentence, lexical, [p is not None for p in pins])
        return tuple(
            r if r is None or new == r.pinyin else Reading(new or r.pinyin, "sandhi")
            for r, new in zip(found, sandhi, strict=True)
        )

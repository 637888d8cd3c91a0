"""Lesson lexicons: words the teacher wants read a particular way, everywhere in the lesson.

An entry is either pinyin for each character (``勾股: gou1 gu3``) or an alias to say instead
(``Python: 派森``), decided by the same rule as inline markup so the two never disagree.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field

from text_frontend.markup import MarkupIssue, parse_reading


@dataclass(frozen=True, slots=True)
class LexiconEntry:
    word: str
    syllables: tuple[str, ...] | None = None
    alias: str | None = None


@dataclass(frozen=True, slots=True)
class Lexicon:
    """Immutable word → entry table; longest match wins when words overlap."""

    entries: tuple[LexiconEntry, ...] = ()
    _by_word: Mapping[str, LexiconEntry] = field(init=False, repr=False, compare=False, hash=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "_by_word", {e.word: e for e in self.entries})

    def get(self, word: str) -> LexiconEntry | None:
        return self._by_word.get(word)

    @property
    def aliases(self) -> tuple[LexiconEntry, ...]:
        """Alias entries, longest word first, the order substitution must try them in."""
        return tuple(sorted((e for e in self.entries if e.alias), key=lambda e: -len(e.word)))

    @property
    def readings(self) -> tuple[LexiconEntry, ...]:
        """Pinyin entries, longest word first."""
        return tuple(sorted((e for e in self.entries if e.syllables), key=lambda e: -len(e.word)))


def build_lexicon(raw: Mapping[str, str]) -> tuple[Lexicon, dict[str, MarkupIssue]]:
    """Validate ``word -> reading`` pairs; returns the good entries and an issue per bad word.

    Issue offsets are relative to the reading string so the caller can map them onto the YAML value.
    """
    entries: list[LexiconEntry] = []
    issues: dict[str, MarkupIssue] = {}
    for word, reading in raw.items():
        if not word.strip():
            issues[word] = MarkupIssue(0, 0, "empty lexicon word", "remove the entry")
            continue
        parsed = parse_reading(word, reading)
        if isinstance(parsed, MarkupIssue):
            issues[word] = parsed
        elif isinstance(parsed, tuple):
            entries.append(LexiconEntry(word, syllables=parsed))
        else:
            entries.append(LexiconEntry(word, alias=parsed))
    return Lexicon(tuple(entries)), issues

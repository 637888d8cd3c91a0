"""Lexicons: words a teacher wants read a particular way, in layers that say whose word counts.

An entry is either pinyin for each character (``勾股: gou1 gu3``) or an alias to say instead
(``Python: 派森``), decided by the same rule as inline markup so the two never disagree.

A lesson is read with a :class:`LexiconStack`: the lesson's own ``lexicon:`` over the course's lexicon
file over anything built in. Inline markup sits above all of them because the front end resolves it
before any lexicon is consulted. A higher layer wins wherever its words occur, even where a lower
layer has a longer word overlapping them: the teacher who wrote the lesson entry meant it for that
spot, and a longest-match rule across layers would let a course file silently undo it.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field

from i18n import _
from text_frontend.markup import Alias, MarkupIssue, Override, Plain, parse_markup, parse_reading

LESSON = "lesson"
COURSE = "course"
BUILTIN = "builtin"
MAX_ALIAS_CHARS = 32
"""What an alias may say for a short word: ``行长: 杭长``, ``WHO: 世界卫生组织``, ``π: 派``.

An alias is said wherever its word occurs, so its length multiplies the paragraph: a 300-character
alias for 哈 turned a 2,000-character paragraph into 600,000 characters to read. A longer word may
have an alias up to twice its own length (a phrase respelled), see :func:`alias_limit`.
"""


@dataclass(frozen=True, slots=True)
class LexiconEntry:
    word: str
    syllables: tuple[str, ...] | None = None
    alias: str | None = None
    layer: str = LESSON
    """Which lexicon the entry came from (``lesson``, ``course``, ``builtin``), for explaining a reading."""


@dataclass(frozen=True, slots=True)
class Lexicon:
    """One layer: an immutable word → entry table; longest match wins when its words overlap."""

    entries: tuple[LexiconEntry, ...] = ()
    _by_word: Mapping[str, LexiconEntry] = field(init=False, repr=False, compare=False, hash=False)
    _longest_first: tuple[LexiconEntry, ...] = field(init=False, repr=False, compare=False, hash=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "_by_word", {e.word: e for e in self.entries})
        # Sorted once: a course lexicon is matched against every paragraph of every lesson.
        object.__setattr__(self, "_longest_first", tuple(sorted(self.entries, key=lambda e: -len(e.word))))

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

    def matches(self, text: str) -> list[tuple[int, LexiconEntry]]:
        """Where this layer's words occur in ``text`` (see :meth:`LexiconStack.matches`)."""
        return LexiconStack((self,)).matches(text)


@dataclass(frozen=True, slots=True)
class LexiconStack:
    """Lexicon layers, highest precedence first: lesson, then course, then built-in."""

    layers: tuple[Lexicon, ...] = ()

    @property
    def entries(self) -> tuple[LexiconEntry, ...]:
        """Every entry that can be used: a word shadowed by a higher layer is left out."""
        seen: set[str] = set()
        out: list[LexiconEntry] = []
        for layer in self.layers:
            for entry in layer.entries:
                if entry.word not in seen:
                    seen.add(entry.word)
                    out.append(entry)
        return tuple(out)

    def get(self, word: str) -> LexiconEntry | None:
        """The entry for exactly ``word`` from the highest layer that has one."""
        for layer in self.layers:
            if (entry := layer.get(word)) is not None:
                return entry
        return None

    def below(self, lower: Lexicon) -> LexiconStack:
        """This stack with ``lower`` added as the lowest layer (how a built-in lexicon joins)."""
        return LexiconStack((*self.layers, lower)) if lower.entries else self

    def matches(self, text: str) -> list[tuple[int, LexiconEntry]]:
        """Non-overlapping occurrences in text order; Latin words only match as whole words.

        Layers are matched top down, each longest word first, and a lower layer only fills what the
        layers above left untouched.
        """
        taken = [False] * len(text)
        found: list[tuple[int, LexiconEntry]] = []
        for layer in self.layers:
            for entry in layer._longest_first:
                word = entry.word
                # str.find, not a regex per word: a course lexicon has thousands of words, more than
                # re's compile cache holds, and compiling each for every paragraph cost seconds.
                s = text.find(word)
                while s != -1:
                    e = s + len(word)
                    if not (
                        any(taken[s:e])
                        or (_is_word_char(word[0]) and s > 0 and _is_word_char(text[s - 1]))
                        or (_is_word_char(word[-1]) and e < len(text) and _is_word_char(text[e]))
                    ):
                        taken[s:e] = [True] * (e - s)
                        found.append((s, entry))
                    s = text.find(word, e)
        return sorted(found, key=lambda f: f[0])


def as_stack(lexicon: Lexicon | LexiconStack) -> LexiconStack:
    """A single lexicon is a stack of one layer."""
    return lexicon if isinstance(lexicon, LexiconStack) else LexiconStack((lexicon,))


def _is_word_char(ch: str) -> bool:
    return ch.isascii() and ch.isalnum()


def alias_limit(word: str) -> int:
    """The longest alias ``word`` may have: ``MAX_ALIAS_CHARS``, or twice the word if that is more."""
    return max(MAX_ALIAS_CHARS, 2 * len(word))


def spoken_length(text: str, lexicon: Lexicon | LexiconStack) -> int:
    """How many characters ``text`` says once markup and the lexicon are applied, before normalising.

    Cheap (no models): limits are checked on this before the front end does work proportional to
    it. Markup counts what it says (an override's characters, an alias's text, pauses nothing), so
    it is never more than the text as written unless a lexicon alias is longer than its word.
    """
    stack = as_stack(lexicon)
    total = 0
    for piece in parse_markup(text).pieces:
        if isinstance(piece, Plain):
            total += len(piece.text)
            for _at, entry in stack.matches(piece.text):
                said = len(entry.alias) if entry.alias is not None else len(entry.syllables or ())
                total += said - len(entry.word)
        elif isinstance(piece, Override):
            total += len(piece.text)
        elif isinstance(piece, Alias):
            total += len(piece.spoken)
    return total


def build_lexicon(raw: Mapping[str, str], layer: str = LESSON) -> tuple[Lexicon, dict[str, MarkupIssue]]:
    """Validate ``word -> reading`` pairs; returns the good entries and an issue per bad word.

    Issue offsets are relative to the reading string so the caller can map them onto the YAML value.
    """
    entries: list[LexiconEntry] = []
    issues: dict[str, MarkupIssue] = {}
    for word, reading in raw.items():
        if not word.strip():
            issues[word] = MarkupIssue(0, 0, _("empty lexicon word"), _("remove the entry"))
            continue
        parsed = parse_reading(word, reading)
        if isinstance(parsed, MarkupIssue):
            issues[word] = parsed
        elif isinstance(parsed, tuple):
            entries.append(LexiconEntry(word, syllables=parsed, layer=layer))
        elif len(parsed) > (limit := alias_limit(word)):
            issues[word] = MarkupIssue(
                0,
                len(reading),
                _("the alias is {count} characters, over the {limit}-character limit for this word").format(
                    count=len(parsed), limit=limit
                ),
                _(
                    "write only how the word is said, e.g. `WHO: 世界卫生组织`;"
                    " put longer text in the paragraph"
                ),
            )
        else:
            entries.append(LexiconEntry(word, alias=parsed, layer=layer))
    return Lexicon(tuple(entries)), issues

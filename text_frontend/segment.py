"""Cutting a paragraph's tokens into segments: the units the voice synthesises and the cache stores.

Short segments synthesise reliably and re-use well; cutting at the wrong place breaks prosody or,
worse, a number or an override in two. So the cut is chosen in order of preference: sentence ends
(。！？；), then clause punctuation (，、：), then — only for an over-long clause — between any two
units. A unit is a run of tokens that should stay together (a number's reading, an override, an
alias); the caller builds them.

The limit counts tokens of the normalised text — syllables as they will be spoken, plus punctuation
marks — never characters as written: "12" is two tokens (十二), a 200-digit number is its reading's
hundreds of syllables. It is a hard limit, because the voice has one too: a unit longer than the
limit on its own (a very long number or formula, a long alias) is cut between its syllables,
preferably where a number's reading pauses anyway (after 万 or 亿, before 点).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from text_frontend.types import Punct, Segment, Token

Unit = tuple[Token, ...]

SENTENCE_END = frozenset("。！？!?…")
SEMICOLON = frozenset("；;")
CLAUSE_END = frozenset("，、：,:—")
CLOSING = frozenset("”’）》」』】〉)]\"'")


@dataclass(frozen=True, slots=True)
class PausePolicy:
    """Silence after a segment by what closes it; an explicit ``[[ms]]`` always wins."""

    sentence_ms: int = 400
    semicolon_ms: int = 300
    clause_ms: int = 200
    forced_ms: int = 100  # a cut inside a clause that had to be made for length

    def after(self, last: Token | None) -> int:
        if isinstance(last, Punct):
            if last.char in SENTENCE_END:
                return self.sentence_ms
            if last.char in SEMICOLON:
                return self.semicolon_ms
            if last.char in CLAUSE_END:
                return self.clause_ms
        return self.forced_ms


_DEFAULT_POLICY = PausePolicy()


@dataclass(frozen=True, slots=True)
class Break:
    """An explicit pause mark between units; forces a cut."""

    ms: int


# Where a long number's reading may be cut with the least damage: after a four-digit group's
# magnitude word, or just before the decimal point's 点.
_CUT_AFTER = frozenset("万亿")
_CUT_BEFORE = frozenset("点")


def _is_punct(unit: Unit, chars: frozenset[str]) -> bool:
    return len(unit) == 1 and isinstance(unit[0], Punct) and unit[0].char in chars


def _size(units: Sequence[Unit]) -> int:
    return sum(len(u) for u in units)


def _split_after(units: Sequence[Unit], ends: frozenset[str]) -> list[list[Unit]]:
    """Split after each unit in ``ends``, keeping closing quotes/brackets with what they close."""
    parts: list[list[Unit]] = [[]]
    for k, unit in enumerate(units):
        if not parts[-1] and parts[:-1] and _is_punct(unit, CLOSING):
            parts[-2].append(unit)
            continue
        parts[-1].append(unit)
        if _is_punct(unit, ends) and not (k + 1 < len(units) and _is_punct(units[k + 1], ends)):
            parts.append([])
    return [p for p in parts if p]


def _pack(pieces: list[list[Unit]], max_chars: int) -> list[list[Unit]]:
    """Greedily join consecutive pieces while they fit; pieces longer than the limit are split."""
    out: list[list[Unit]] = []
    for piece in pieces:
        if _size(piece) > max_chars:
            out.extend(_hard_split(piece, max_chars))
        elif out and _size(out[-1]) + _size(piece) <= max_chars:
            out[-1] = out[-1] + piece
        else:
            out.append(piece)
    return out


def _hard_split(units: list[Unit], max_chars: int) -> list[list[Unit]]:
    out: list[list[Unit]] = [[]]
    for unit in units:
        if out[-1] and _size(out[-1]) + len(unit) > max_chars:
            out.append([])
        out[-1].append(unit)
    return out


def _ceil_div(a: int, b: int) -> int:
    return -(-a // b)


def _natural_cut(unit: Unit, at: int) -> bool:
    return unit[at - 1].char in _CUT_AFTER or unit[at].char in _CUT_BEFORE


def _split_unit(unit: Unit, max_chars: int) -> list[Unit]:
    """Cut a unit longer than ``max_chars`` into near-equal parts that fit.

    Equal parts rather than full ones plus a stub, so no part is a lone syllable or two; each cut
    moves to the nearest natural break of a number's reading when one lies in the part's second half.
    """
    if len(unit) <= max_chars:
        return [unit]
    parts: list[Unit] = []
    start = 0
    while len(unit) - start > max_chars:
        left = len(unit) - start
        pieces = _ceil_div(left, max_chars)
        even = start + _ceil_div(left, pieces)
        lowest, highest = start + max(1, max_chars // 2), start + max_chars
        natural = [k for k in range(lowest, highest + 1) if _natural_cut(unit, k)]
        cut = min(natural, key=lambda k: abs(k - even)) if natural else even
        parts.append(unit[start:cut])
        start = cut
    parts.append(unit[start:])
    return parts


def _segments_of_region(units: Sequence[Unit], max_chars: int) -> list[list[Unit]]:
    units = [part for unit in units for part in _split_unit(unit, max_chars)]
    chunks: list[list[Unit]] = []
    for sentence in _split_after(units, SENTENCE_END | SEMICOLON):
        if _size(sentence) <= max_chars:
            chunks.append(sentence)
        else:
            chunks.extend(_pack(_split_after(sentence, CLAUSE_END), max_chars))
    return chunks


def segment(
    stream: Sequence[Unit | Break],
    *,
    max_chars: int = 50,
    policy: PausePolicy = _DEFAULT_POLICY,
) -> tuple[list[Segment], int]:
    """Cut ``stream`` into segments of at most ``max_chars`` tokens (syllables and punctuation).

    Returns the segments and the pause that precedes the first one (a ``[[ms]]`` at the very start
    has no segment before it to attach to). Consecutive pause marks add up.
    """
    if max_chars < 1:
        raise ValueError("max_chars must be at least 1")
    segments: list[Segment] = []
    leading = 0
    region: list[Unit] = []

    def flush(explicit_ms: int | None) -> None:
        nonlocal leading
        chunks = _segments_of_region(region, max_chars)
        for k, chunk in enumerate(chunks):
            tokens = tuple(t for unit in chunk for t in unit)
            closing = next(
                (t for t in reversed(tokens) if not (isinstance(t, Punct) and t.char in CLOSING)), None
            )
            last = k == len(chunks) - 1
            if explicit_ms is not None and last:
                pause = explicit_ms
            elif last and not isinstance(closing, Punct):
                pause = policy.sentence_ms  # the paragraph (or text before a mark) simply ends
            else:
                pause = policy.after(closing)
            segments.append(Segment("".join(t.char for t in tokens), tokens, pause))
        if not chunks and explicit_ms is not None:
            if segments:
                previous = segments[-1]
                segments[-1] = Segment(previous.text, previous.tokens, previous.pause_after_ms + explicit_ms)
            else:
                leading += explicit_ms
        region.clear()

    for item in stream:
        if isinstance(item, Break):
            flush(item.ms)
        elif item:
            region.append(item)
    flush(None)
    return segments, leading

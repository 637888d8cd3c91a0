"""Edit-distance alignment of a window's transcript to its segments' script, split at segment boundaries.

The whole window is aligned at once (the recogniser does not say where one segment's words end), and
each aligned pair is then owned by the segment of its script character. Substituting a homophone costs
less than another character, so a misheard 斜 still lines up with its 鞋 instead of shifting the
alignment. Inserted transcript characters at a boundary between two segments go to the neighbour that
has errors right there: the words a silent or wrong segment produced belong to that segment.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Literal

from qa.normalize import Unit

Op = Literal["=", "~", "s", "d", "i"]
"""equal, homophone (same toneless pinyin), substitution, deletion (script only), insertion (heard only)."""

_HOMOPHONE_COST = 0.5


@dataclass(frozen=True, slots=True)
class Pair:
    op: Op
    ref: Unit | None
    hyp: Unit | None

    @property
    def error(self) -> bool:
        return self.op != "="


def _cost(a: Unit, b: Unit) -> float:
    if a.char == b.char:
        return 0.0
    return _HOMOPHONE_COST if a.pinyin == b.pinyin else 1.0


def _op(a: Unit, b: Unit) -> Op:
    if a.char == b.char:
        return "="
    return "~" if a.pinyin == b.pinyin else "s"


def align(ref: Sequence[Unit], hyp: Sequence[Unit]) -> list[Pair]:
    """Minimum-cost alignment (Levenshtein with cheaper homophone substitutions), in order."""
    n, m = len(ref), len(hyp)
    cost = [[0.0] * (m + 1) for _ in range(n + 1)]
    for i in range(1, n + 1):
        cost[i][0] = float(i)
    for j in range(1, m + 1):
        cost[0][j] = float(j)
    for i in range(1, n + 1):
        row, up = cost[i], cost[i - 1]
        a = ref[i - 1]
        for j in range(1, m + 1):
            row[j] = min(up[j - 1] + _cost(a, hyp[j - 1]), up[j] + 1.0, row[j - 1] + 1.0)
    pairs: list[Pair] = []
    i, j = n, m
    while i > 0 or j > 0:
        if i > 0 and j > 0 and cost[i][j] == cost[i - 1][j - 1] + _cost(ref[i - 1], hyp[j - 1]):
            pairs.append(Pair(_op(ref[i - 1], hyp[j - 1]), ref[i - 1], hyp[j - 1]))
            i, j = i - 1, j - 1
        elif i > 0 and cost[i][j] == cost[i - 1][j] + 1.0:
            pairs.append(Pair("d", ref[i - 1], None))
            i -= 1
        else:
            pairs.append(Pair("i", None, hyp[j - 1]))
            j -= 1
    pairs.reverse()
    return pairs


def attribute(segments: Sequence[Sequence[Unit]], hyp: Sequence[Unit]) -> list[list[Pair]]:
    """Align ``hyp`` to the concatenated ``segments`` and return each segment's share of the alignment."""
    ref = [u for seg in segments for u in seg]
    owner = [k for k, seg in enumerate(segments) for _ in seg]
    pairs = align(ref, hyp)
    # Which segment each pair belongs to; insertions are decided after, from their neighbours.
    owners: list[int | None] = []
    r = 0
    for pair in pairs:
        if pair.ref is not None:
            owners.append(owner[r])
            r += 1
        else:
            owners.append(None)
    _assign_insertions(pairs, owners, len(segments))
    out: list[list[Pair]] = [[] for _ in segments]
    for pair, k in zip(pairs, owners, strict=True):
        if k is not None:
            out[k].append(pair)
    return out


def _assign_insertions(pairs: list[Pair], owners: list[int | None], count: int) -> None:
    i = 0
    while i < len(pairs):
        if owners[i] is not None:
            i += 1
            continue
        j = i
        while j < len(pairs) and owners[j] is None:
            j += 1
        before = owners[i - 1] if i > 0 else None
        after = owners[j] if j < len(pairs) else None
        if before is None and after is None:
            target = 0 if count else None  # a window whose segments have no syllables at all
        elif before is None or after is None or before == after:
            target = before if before is not None else after
        else:
            before_bad = pairs[i - 1].error
            after_bad = pairs[j].error
            target = after if after_bad and not before_bad else before
        for k in range(i, j):
            owners[k] = target
        i = j

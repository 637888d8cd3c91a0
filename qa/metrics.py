"""CER and toneless-pinyin error rate (PER) from one segment's share of the alignment.

Both are plain Levenshtein distances between the segment's script and the transcript text attributed
to it, divided by the script length, so they mean what the literature means and can exceed 1 when the
recogniser heard more than was said.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from qa.align import Pair


def edit_distance(a: Sequence[str], b: Sequence[str]) -> int:
    """Levenshtein distance (unit costs) with two rows of memory."""
    if len(a) < len(b):
        a, b = b, a
    previous = list(range(len(b) + 1))
    for i, x in enumerate(a, 1):
        current = [i]
        for j, y in enumerate(b, 1):
            current.append(min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + (x != y)))
        previous = current
    return previous[-1]


@dataclass(frozen=True, slots=True)
class Score:
    """Error counts for a piece of script; rates are derived so sums over segments stay exact."""

    ref_len: int
    char_errors: int
    pinyin_errors: int

    @property
    def cer(self) -> float:
        return self.char_errors / self.ref_len if self.ref_len else float(self.char_errors > 0)

    @property
    def per(self) -> float:
        return self.pinyin_errors / self.ref_len if self.ref_len else float(self.pinyin_errors > 0)


def score_pairs(pairs: Sequence[Pair]) -> Score:
    ref = [p.ref for p in pairs if p.ref is not None]
    hyp = [p.hyp for p in pairs if p.hyp is not None]
    return Score(
        ref_len=len(ref),
        char_errors=edit_distance([u.char for u in ref], [u.char for u in hyp]),
        pinyin_errors=edit_distance([u.pinyin for u in ref], [u.pinyin for u in hyp]),
    )


def total(scores: Sequence[Score]) -> Score:
    """Lesson-level counts: error rates weighted by script length, not averaged per segment."""
    return Score(
        ref_len=sum(s.ref_len for s in scores),
        char_errors=sum(s.char_errors for s in scores),
        pinyin_errors=sum(s.pinyin_errors for s in scores),
    )

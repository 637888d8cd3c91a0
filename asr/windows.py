"""Cut a lesson into recognition windows of whole segments, each at most 30 s long.

Why windows and not one call per segment: Whisper pads every input to 30 s, so transcribing a short
sentence costs as much encoder time as a full window, and context also makes the recogniser more
accurate (``benchmarks/bench_backcheck.py`` compares the two). Why not the whole lesson in one call:
past 30 s Whisper seeks by its own timestamps and can skip speech, and with ``without_timestamps`` it
can drop whole sentences. Windows never cut a segment, so every segment is heard whole and the
window's text can be attributed back to its segments by alignment.

Why a window's segments need not be neighbours: packing consecutive segments wastes the tail of most
windows (a few sentences fill a window but the next one no longer fits), and every window costs a
full 30 s encoder pass. So a run of consecutive windows is re-packed into one window fewer whenever its
pieces fit. Inside a window the segments stay in lesson order; alignment only needs to know which
segments a window holds and in what order they are heard, so attribution works either way.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

WHISPER_LIMIT_S = 30.0
DEFAULT_WINDOW_S = 29.5
"""Just below the hard 30 s: every window pays for a full 30 s encoder pass, so fill it."""
DEFAULT_PAD_S = 0.15
"""Silence kept around a window's speech: recognisers clip words that start at sample 0."""
REPACK_WINDOWS = 12
"""Most consecutive windows re-packed together: keeps the search small and a window's segments close."""
REPACK_SEGMENTS = 64
"""Most segments in one re-pack (short sentences waste little room, so there is little to win there)."""
REPACK_BUDGET = 5_000
"""Placements the search may try for one re-pack before it keeps the consecutive windows instead."""


@dataclass(frozen=True, slots=True)
class Window:
    """Pieces of the lesson (seconds), one per segment, heard back to back as one recogniser input.

    ``segments`` are the 0-based indices of the segments the pieces hold, in order. They are
    ascending but not always neighbours, so ``start_s``..``end_s`` may span segments of other windows.
    """

    pieces: tuple[tuple[float, float], ...]
    segments: tuple[int, ...]

    @property
    def start_s(self) -> float:
        return self.pieces[0][0]

    @property
    def end_s(self) -> float:
        return self.pieces[-1][1]

    @property
    def duration_s(self) -> float:
        return sum(b - a for a, b in self.pieces)


def plan_windows(
    spans: Sequence[tuple[float, float]],
    duration_s: float,
    *,
    max_s: float = DEFAULT_WINDOW_S,
    pad_s: float = DEFAULT_PAD_S,
    include: Sequence[int] | None = None,
) -> tuple[Window, ...]:
    """Pack segments (all, or those in ``include``) into as few windows of ``max_s`` as it can find.

    Each segment contributes its span plus a little padding that stops at the neighbouring segments,
    so a window never holds a word of a segment it does not own. Long pauses between segments and
    segments left out (silent ones: Whisper tends to stop decoding at a long silence and lose the rest
    of the window) are not heard, which also packs more speech into every window. A single segment
    longer than ``max_s`` gets a window of its own cut at ``max_s``: the missing tail then shows up as
    deletions, which is what a 30 s sentence deserves. Consecutive greedy packing comes first; runs of
    its windows are then re-packed one window fewer where the pieces allow (see the module docstring).
    """
    if not 0 < max_s <= WHISPER_LIMIT_S:
        raise ValueError(f"window length {max_s} s must be in (0, {WHISPER_LIMIT_S}]")
    count = len(spans)
    chosen = list(range(count)) if include is None else sorted(include)

    def piece(i: int) -> tuple[float, float]:
        floor = spans[i - 1][1] if i > 0 else 0.0
        ceiling = spans[i + 1][0] if i + 1 < count else duration_s
        start = max(floor, spans[i][0] - pad_s)
        return start, min(ceiling, spans[i][1] + pad_s, start + max_s)

    pieces = {i: piece(i) for i in chosen}
    lengths = {i: b - a for i, (a, b) in pieces.items()}
    groups = _repack(_consecutive(chosen, lengths, max_s), lengths, max_s)
    return tuple(Window(tuple(pieces[i] for i in g), tuple(g)) for g in groups)


def _consecutive(chosen: Sequence[int], lengths: dict[int, float], max_s: float) -> list[list[int]]:
    """Greedy runs of neighbouring segments: the starting point, and what is kept where re-packing fails."""
    runs: list[list[int]] = []
    used = 0.0
    for i in chosen:
        if runs and used + lengths[i] <= max_s:
            runs[-1].append(i)
            used += lengths[i]
        else:
            runs.append([i])
            used = lengths[i]
    return runs


def _repack(runs: list[list[int]], lengths: dict[int, float], max_s: float) -> list[list[int]]:
    """Walk the consecutive windows; whenever the current run of them fits in one window fewer, pack it.

    Only the length of the run's pieces matters, so a run is tried once its total would fit; a run that
    grows past ``REPACK_WINDOWS`` windows or ``REPACK_SEGMENTS`` segments drops its oldest window as is.
    """
    out: list[list[int]] = []
    group: list[list[int]] = []
    for run in runs:
        group.append(run)
        members = [i for g in group for i in g]
        total = sum(lengths[i] for i in members)
        if len(group) > 1 and len(members) <= REPACK_SEGMENTS and total <= (len(group) - 1) * max_s:
            packed = _pack(members, lengths, len(group) - 1, max_s)
            if packed is not None:
                out.extend(sorted(packed))
                group = []
                continue
        if len(group) >= REPACK_WINDOWS or len(members) > REPACK_SEGMENTS:
            out.append(group.pop(0))
    out.extend(group)
    return out


def _pack(members: list[int], lengths: dict[int, float], bins: int, max_s: float) -> list[list[int]] | None:
    """Exact bin packing by depth-first search, longest piece first, with a budget; ``None`` if not found.

    Each piece goes first into the fullest window it fits (best fit, which usually succeeds at once);
    windows with the same load are interchangeable, so only one of them is tried.
    """
    order = sorted(members, key=lambda i: (-lengths[i], i))
    loads = [0.0] * bins
    packed: list[list[int]] = [[] for _ in range(bins)]
    left = [0.0] * (len(order) + 1)
    for n in range(len(order) - 1, -1, -1):
        left[n] = left[n + 1] + lengths[order[n]]
    budget = [REPACK_BUDGET]

    def place(n: int) -> bool:
        if n == len(order):
            return True
        if left[n] > bins * max_s - sum(loads) + 1e-9:
            return False
        size, tried = lengths[order[n]], set()
        for b in sorted(range(bins), key=lambda b: -loads[b]):
            if loads[b] + size > max_s + 1e-9 or round(loads[b], 9) in tried:
                continue
            if budget[0] <= 0:
                return False
            budget[0] -= 1
            tried.add(round(loads[b], 9))
            loads[b] += size
            packed[b].append(order[n])
            if place(n + 1):
                return True
            loads[b] -= size
            packed[b].pop()
        return False

    if not place(0):
        return None
    return [sorted(p) for p in packed if p]

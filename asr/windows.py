"""Cut a lesson into recognition windows of whole, consecutive segments, each at most 30 s long.

Why windows and not one call per segment: Whisper pads every input to 30 s, so transcribing a 3 s
sentence costs as much encoder time as a 30 s window; per-sentence transcription measured RTF 0.22,
windows of ~28 s 0.10 (beam 5), and context also makes the recogniser more accurate. Why not the
whole lesson in one call: past 30 s Whisper seeks by its own timestamps and can skip speech (it
dropped half of a 35 s lesson here with ``without_timestamps``). Windows never cut a segment, so every
segment is heard whole and the window's text can be attributed back to its segments by alignment.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

WHISPER_LIMIT_S = 30.0
DEFAULT_WINDOW_S = 29.5
"""Just below the hard 30 s: every window pays for a full 30 s encoder pass, so fill it."""
DEFAULT_PAD_S = 0.15
"""Silence kept around a window's speech: recognisers clip words that start at sample 0."""


@dataclass(frozen=True, slots=True)
class Window:
    """Pieces of the lesson (seconds), one per segment, heard back to back as one recogniser input.

    ``segments`` are the 0-based indices of the segments the pieces hold, in order.
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
    """Greedy packing of consecutive segments (all, or those in ``include``) into windows of ``max_s``.

    Each segment contributes its span plus a little padding that stops at the neighbouring segments,
    so a window never holds a word of a segment it does not own. Long pauses between segments and
    segments left out (silent ones: Whisper tends to stop decoding at a long silence and lose the rest
    of the window) are not heard, which also packs more speech into every window. A single segment
    longer than ``max_s`` gets a window of its own cut at ``max_s``: the missing tail then shows up as
    deletions, which is what a 30 s sentence deserves.
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

    windows: list[Window] = []
    pieces: list[tuple[float, float]] = []
    members: list[int] = []
    used = 0.0
    for i in chosen:
        a, b = piece(i)
        if members and used + (b - a) > max_s:
            windows.append(Window(tuple(pieces), tuple(members)))
            pieces, members, used = [], [], 0.0
        pieces.append((a, b))
        members.append(i)
        used += b - a
    if members:
        windows.append(Window(tuple(pieces), tuple(members)))
    return tuple(windows)

"""The caption rules' numbers, in one place: common Chinese subtitle conventions.

At most two lines of at most 18 characters on screen at once, each cue shown for 1 to 7 seconds:
about what a viewer reads while listening (roughly 4 to 6 characters a second).
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class CaptionRules:
    line_chars: int = 18
    """Most characters on one line (every character counts one, punctuation too)."""
    lines: int = 2
    """Most lines in one cue."""
    max_s: float = 7.0
    """Longest a cue may stay on screen."""
    min_s: float = 1.0
    """Shortest a cue may stay on screen (it may run on into the pause after its words)."""

    def __post_init__(self) -> None:
        if self.line_chars < 1 or self.lines < 1 or not 0 < self.min_s <= self.max_s:
            raise ValueError(f"caption rules out of range: {self}")

    @property
    def cue_chars(self) -> int:
        return self.line_chars * self.lines


CAPTION_RULES = CaptionRules()

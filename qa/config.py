"""When a segment is flagged, and what the back-check does about it: one frozen set of thresholds.

Calibration (Whisper-base int8, beam 1, 28 s windows of speech; both example lessons plus the 30-paragraph
benchmark lesson, 44 segments): clean renders scored segment PER at most 0.21 (95th percentile 0.16,
mean 0.03; lesson PER 0.015-0.09, CER 0.09-0.19) with no flags. Corrupting every third segment
(15 cases each): another real sentence scored PER 0.96-2.25, silence 1.0, white noise 0.91-1.0, the
segment cut to its first half 0.42-0.56; all 60 were flagged and no neighbour was. ``max_per`` 0.34
sits between the worst clean segment (0.21) and the mildest truncation (0.42). Requiring two wrong
syllables keeps a one-syllable interjection (咦？), which Whisper often drops, from being flagged for
one miss; silence is caught by level whatever its length.
"""

from __future__ import annotations

from dataclasses import dataclass

from qa.metrics import Score


@dataclass(frozen=True, slots=True)
class QAConfig:
    """The first four come from settings (``wiring.qa_config``), whose defaults are the calibrated values
    above; the last two are limits of the recogniser and the voice, not an operator's choice."""

    max_per: float
    """A segment whose toneless-pinyin error rate is above this is flagged..."""
    min_pinyin_errors: int
    """...if at least this many syllables are wrong (short segments are noisy)."""
    silence_dbfs: float
    """A segment whose RMS level is below this is flagged as silent, whatever the recogniser says."""
    attempts: int
    """Re-syntheses tried for a flagged segment (0 = only report)."""
    rate_step: float = 0.12
    """Attempt k speaks at ``rate x (1 - k x rate_step)``: slower speech is clearer speech."""
    window_s: float = 29.5
    """Longest recognition window (Whisper's hard limit is 30 s)."""

    def __post_init__(self) -> None:
        if not 0 < self.window_s <= 30:
            raise ValueError(f"window_s={self.window_s} must be in (0, 30]")
        if self.attempts < 0 or not 0 < self.rate_step * max(self.attempts, 1) < 0.75:
            raise ValueError("attempts x rate_step must stay below 0.75 (the voice's slowest useful rate)")

    def retry_rate(self, attempt: int) -> float:
        """Rate multiplier of attempt ``attempt`` (1-based)."""
        return round(1.0 - attempt * self.rate_step, 4)


def flag_reasons(score: Score, level_dbfs: float, config: QAConfig) -> tuple[str, ...]:
    """Why a segment needs a listen, in words an operator understands; empty when it passed."""
    reasons: list[str] = []
    if level_dbfs < config.silence_dbfs:
        reasons.append(f"silent ({level_dbfs:.0f} dBFS)")
    if score.per > config.max_per and score.pinyin_errors >= config.min_pinyin_errors:
        reasons.append(f"PER {score.per:.2f} > {config.max_per:.2f}")
    return tuple(reasons)

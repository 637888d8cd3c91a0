"""Token times for audio whose voice gave none: an even share of the audio per syllable.

Good enough to place a caption within its segment, not to highlight a character as it is spoken;
marks made from these say ``estimate`` so a player can tell.
"""

from __future__ import annotations

from collections.abc import Sequence

from engines.protocol import TokenTimes
from text_frontend.types import Syllable, Token


def estimate_times(tokens: Sequence[Token], num_samples: int) -> TokenTimes:
    """Syllables share ``num_samples`` evenly; a punctuation mark takes no time."""
    count = sum(1 for t in tokens if isinstance(t, Syllable))
    spans: list[tuple[int, int]] = []
    k = 0
    for tok in tokens:
        here = k * num_samples // count if count else 0
        if isinstance(tok, Syllable):
            k += 1
            spans.append((here, k * num_samples // count))
        else:
            spans.append((here, here))
    return TokenTimes(tuple(spans), "estimate")

"""When each syllable is spoken, read off FastSpeech2's own phone durations (no aligner).

The acoustic model's length regulator gives every input id a whole number of mel frames, and the
vocoder turns each frame into the same number of samples (300 at 24 kHz), so a phone's frames are
an exact stretch of the call's audio. A syllable runs from its first phone (its initial, or its final
when the initial is the empty ``^``) to the first phone of the next syllable; the ``#0`` joiner and
the closing ``sil`` belong to the syllable before them, because measured on the voice their frames
carry that syllable's fading vowel, not silence.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import numpy.typing as npt

from engines.baker.phones import PhoneSet
from text_frontend.types import Punct, Syllable, Token

Span = tuple[int, int]
"""[start, end) in samples."""


def syllable_spans(
    phones: PhoneSet, syllables: Sequence[Syllable], durations: npt.NDArray[np.int32], num_samples: int
) -> list[Span]:
    """Each syllable's samples in one call's audio, from the frames per id of ``phones.ids(syllables)``.

    Frames are mapped to samples by the audio's own length, so a vocoder with another hop size (or a
    rounding in it) still lands every boundary inside the audio.
    """
    counts = [len(phones.syllable_phones(s)) for s in syllables]
    if len(durations) != sum(counts) + len(syllables) - 1 + 3 and syllables:  # sil … sil eos
        raise ValueError(f"{len(durations)} durations for {len(syllables)} syllables")
    edges = np.concatenate([[0], np.cumsum(durations, dtype=np.int64)])
    total = int(edges[-1])

    def sample(frame: int) -> int:
        return num_samples if total == 0 else int(frame) * num_samples // total

    starts: list[int] = []
    position = 1  # after the opening sil
    for count in counts:
        starts.append(int(edges[position]))
        position += count + 1  # the syllable's phones and the #0 after it
    last_end = int(edges[-2])  # the end of the closing sil: only eos (silence) follows
    ends = [*starts[1:], last_end]
    return [(sample(a), sample(b)) for a, b in zip(starts, ends, strict=True)]


def scale_spans(spans: Sequence[Span], new_length: int, old_length: int) -> list[Span]:
    """Spans of audio resampled from ``old_length`` to ``new_length`` samples (the pitch shift)."""
    if new_length == old_length or old_length == 0:
        return list(spans)
    return [(a * new_length // old_length, b * new_length // old_length) for a, b in spans]


def token_spans(
    tokens: Sequence[Token], syllable_times: Sequence[Span], num_samples: int
) -> tuple[Span, ...]:
    """One span per token: syllables in order, and each punctuation mark the gap it stands in.

    A mark's gap runs from the end of the syllable before it to the start of the one after it (the
    start or end of the audio at the edges): the pause it made, or nothing for a quote mark inside a
    stretch of speech.
    """
    syllable_count = sum(1 for t in tokens if isinstance(t, Syllable))
    if syllable_count != len(syllable_times):
        raise ValueError(f"{len(syllable_times)} syllable times for {syllable_count} syllables")
    out: list[Span] = []
    k = 0
    for tok in tokens:
        if isinstance(tok, Punct):
            before = syllable_times[k - 1][1] if k > 0 else 0
            after = syllable_times[k][0] if k < len(syllable_times) else num_samples
            out.append((before, max(before, after)))
        else:
            out.append(syllable_times[k])
            k += 1
    return tuple(out)

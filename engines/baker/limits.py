"""What one FastSpeech2 call can take, and cutting a chunk of syllables so each call fits.

The Baker FastSpeech2 graph looks positions up in tables of 2048 entries (plus padding) twice: the
encoder for each phone id it reads, the decoder for each mel frame the length regulator makes.
Measured on the pinned model: 2048 phone ids pass and 2051 fail in the encoder's ``Gather``; 2047
frames pass and 2049+ fail in the decoder's. Past either, ONNX Runtime fails with
``Gather … idx=2049 must be within [-2049,2048]``.

The phone count is known before the call, so it is enforced here, exactly. The frame count is
known only inside the graph (the predicted durations times the speed ratio; ONNX Runtime runs the
whole graph even when asked for the durations alone), so the engine learns it by the failure and
halves the call (``engine.py``). A front-end segment (at most ``LESSONAUDIO_MAX_SEGMENT_CHARS``
syllables, 50 by default) is far inside both: 50 syllables are about 150 phone ids and 900 frames
at the slowest preset, so neither cut happens to normal text and its audio stays as it was.
"""

from __future__ import annotations

from collections.abc import Sequence

from engines.baker.phones import PhoneSet
from text_frontend.types import Syllable

MAX_POSITIONS = 2048
"""Most phone ids one call may read, and most mel frames it may produce (12.5 ms each: 25.6 s)."""

# A call's ids: ``sil``, each syllable's phones joined by ``#0``, ``sil``, ``eos`` — that is the
# syllables' costs (phones + ``#0``) plus 3, minus the ``#0`` the last syllable does not have.
_FRAMING = 2


def phone_cost(phones: PhoneSet, syllable: Syllable) -> int:
    """Ids one syllable adds to a call: its phones and the ``#0`` that joins it to the next."""
    return len(phones.syllable_phones(syllable)) + 1


def within_positions(phones: PhoneSet, syllables: Sequence[Syllable]) -> list[tuple[Syllable, ...]]:
    """``syllables`` cut into near-equal calls of at most :data:`MAX_POSITIONS` phone ids each.

    Raises ``UnsupportedPinyinError`` for a syllable the voice has no phones for, like
    ``PhoneSet.ids`` would, before any model call.
    """
    costs = [phone_cost(phones, s) for s in syllables]
    budget = MAX_POSITIONS - _FRAMING
    total = sum(costs)
    if total <= budget:
        return [tuple(syllables)]
    calls = -(-total // budget)
    target = -(-total // calls)
    parts: list[tuple[Syllable, ...]] = []
    start = used = 0
    for k, cost in enumerate(costs):
        if k > start and (used + cost > budget or used >= target):
            parts.append(tuple(syllables[start:k]))
            start, used = k, 0
        used += cost
    parts.append(tuple(syllables[start:]))
    return parts

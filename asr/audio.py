"""Sample-rate conversion for recognisers, which all want 16 kHz while the voice renders at 24 kHz."""

from __future__ import annotations

from math import gcd

import numpy as np
from scipy.signal import resample_poly

from asr.protocol import Samples

ASR_RATE = 16_000


def to_rate(samples: Samples, sample_rate: int, target: int = ASR_RATE) -> Samples:
    """Polyphase resampling: exact for 24 k -> 16 k (2/3) and cheap next to recognition itself."""
    if sample_rate == target:
        return np.ascontiguousarray(samples, dtype=np.float32)
    g = gcd(sample_rate, target)
    out = resample_poly(samples.astype(np.float32, copy=False), target // g, sample_rate // g)
    return np.ascontiguousarray(out, dtype=np.float32)

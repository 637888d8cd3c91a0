"""MP3 in independently encoded pieces that concatenate into one seamless stream.

A lesson's MP3 is the byte concatenation of one piece per paragraph, so editing a paragraph
re-encodes only that paragraph. LAME delays its output by 576 samples and an MP3 decoder by another
529; a piece that starts and ends in silence, whose length is a whole number of MPEG frames, and
whose first 576 samples are left for the encoder's own priming, therefore decodes to exactly its
samples at exactly its place in the lesson. The stream carries no Xing/LAME header, so every decoder
(ffmpeg, mpg123/libsndfile, browsers) plays it with the same timing as the WAV: the lesson's first
piece is silence that absorbs both delays. A test decodes a lesson and checks it lines up with the
WAV sample for sample.
"""

from __future__ import annotations

import lameenc
import numpy as np
import numpy.typing as npt

from errors import WorkFailedError
from i18n import _

BITRATE_KBPS = 64
"""Plenty for 24 kHz mono speech; about 0.5 MB per minute."""
QUALITY = 3
"""LAME's algorithm quality (0 best, 9 fastest): its usual default."""
_CALL = 16 * 1152
"""Samples per encoder call. lameenc holds the GIL while it encodes; short calls let the synthesis
workers' Python run between them while a paragraph is encoded on the flow's thread."""
ENCODER_DELAY = 576
DECODER_DELAY = 529

Pcm16 = npt.NDArray[np.int16]


class Mp3Error(WorkFailedError):
    """The encoder produced something that is not the frames we asked for."""


def frame_samples(sample_rate: int) -> int:
    """Samples per Layer III frame: 1152 for MPEG-1 rates (32 kHz and up), else 576 (MPEG-2/2.5)."""
    return 1152 if sample_rate >= 32_000 else 576


def lead_in_samples(sample_rate: int, at_least: int) -> int:
    """Length of the silent first piece: ``DECODER_DELAY`` plus whole frames, at least ``at_least``.

    Every later piece then starts ``DECODER_DELAY`` samples after a frame boundary of the stream,
    which is where the decoder puts the first sample of a frame.
    """
    frame = frame_samples(sample_rate)
    frames = max(1, -(-(max(at_least, DECODER_DELAY + ENCODER_DELAY) - DECODER_DELAY) // frame))
    return DECODER_DELAY + frames * frame


def _frame_lengths(data: bytes) -> list[int]:
    """Byte length of every Layer III frame in ``data`` (which must be frames and nothing else)."""
    lengths: list[int] = []
    offset = 0
    while offset + 4 <= len(data):
        header = int.from_bytes(data[offset : offset + 4], "big")
        if header >> 21 != 0x7FF or (header >> 17) & 0x3 != 0x1:
            raise Mp3Error(_("no Layer III frame header at byte {offset}").format(offset=offset))
        version = (header >> 19) & 0x3  # 3: MPEG-1, 2: MPEG-2, 0: MPEG-2.5
        bitrate_index = (header >> 12) & 0xF
        rate_index = (header >> 10) & 0x3
        padding = (header >> 9) & 0x1
        if version == 3:
            bitrate = (0, 32, 40, 48, 56, 64, 80, 96, 112, 128, 160, 192, 224, 256, 320)[bitrate_index]
            rate = (44_100, 48_000, 32_000)[rate_index]
            size = 144 * bitrate * 1000 // rate + padding
        else:
            bitrate = (0, 8, 16, 24, 32, 40, 48, 56, 64, 80, 96, 112, 128, 144, 160)[bitrate_index]
            rate = (22_050, 24_000, 16_000)[rate_index] // (1 if version == 2 else 2)
            size = 72 * bitrate * 1000 // rate + padding
        lengths.append(size)
        offset += size
    if offset != len(data):
        raise Mp3Error(_("{count} stray bytes after the last frame").format(count=len(data) - offset))
    return lengths


def encode_piece(samples: Pcm16, sample_rate: int, *, first: bool = False) -> bytes:
    """Frames that decode, in sequence with the pieces before them, to exactly ``samples``.

    ``samples`` must be a whole number of frames long (plus ``DECODER_DELAY`` for the ``first``
    piece) and start and end with silence: the encoder's priming replaces the first
    ``ENCODER_DELAY`` samples, and the frames LAME adds to flush its last window are dropped.
    """
    frame = frame_samples(sample_rate)
    skip = ENCODER_DELAY + (DECODER_DELAY if first else 0)
    body = samples.size - (DECODER_DELAY if first else 0)
    if body <= 0 or body % frame or samples.size <= skip:
        raise Mp3Error(
            _("a piece of {samples} samples is not a whole number of {frame}-sample frames").format(
                samples=samples.size, frame=frame
            )
        )
    encoder = lameenc.Encoder()
    encoder.set_bit_rate(BITRATE_KBPS)
    encoder.set_in_sample_rate(sample_rate)
    encoder.set_channels(1)
    encoder.set_quality(QUALITY)
    pcm = np.ascontiguousarray(samples[skip:], dtype="<i2")
    parts = [bytes(encoder.encode(pcm[i : i + _CALL].tobytes())) for i in range(0, pcm.size, _CALL)]
    data = b"".join(parts) + bytes(encoder.flush())
    lengths = _frame_lengths(data)
    wanted = body // frame
    if len(lengths) < wanted:
        raise Mp3Error(
            _("the encoder returned {got} frames for {wanted} frames of audio").format(
                got=len(lengths), wanted=wanted
            )
        )
    return data[: sum(lengths[:wanted])]


def to_pcm16(samples: npt.NDArray[np.float32]) -> Pcm16:
    """The 16-bit master both files are made from (reading it back as float divides by 32768)."""
    scaled = np.clip(np.asarray(samples, dtype=np.float64) * 32768.0, -32768.0, 32767.0)
    return np.rint(scaled).astype(np.int16)

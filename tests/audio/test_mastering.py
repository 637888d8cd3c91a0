"""Paragraph pieces: mastered on their own, joined as MP3 frames, decoding exactly where the WAV has them.

The signals are synthetic (speech-like tone bursts) so the right answers are known; the decoders are
real: libsndfile (mpg123) through soundfile, and the ffmpeg that imageio-ffmpeg ships.
"""

from __future__ import annotations

import subprocess
from pathlib import Path

import imageio_ffmpeg
import numpy as np
import pytest
import soundfile as sf

from audio.loudness import integrated_lufs, joined_lufs, true_peak_dbtp
from audio.mastering import LEAD_IN_MS, PRE_FRAMES, energy_grid, lead_in, master_paragraph
from audio.mp3 import DECODER_DELAY, Mp3Error, encode_piece, frame_samples, to_pcm16
from storage.pieces import PieceStore


def burst(seconds: float, sample_rate: int, *, freq: float = 180.0, amplitude: float = 0.2) -> np.ndarray:
    """A voiced-sounding tone with a syllable-rate envelope and a little noise."""
    t = np.arange(int(seconds * sample_rate)) / sample_rate
    envelope = 0.55 + 0.45 * np.sin(2 * np.pi * 4 * t)
    rng = np.random.default_rng(int(seconds * 1000) + sample_rate)
    tone = np.sin(2 * np.pi * freq * t) + 0.3 * np.sin(2 * np.pi * 3.1 * freq * t)
    signal = amplitude * envelope * tone + 0.005 * rng.standard_normal(t.size)
    signal[: sample_rate // 200] *= np.linspace(0, 1, sample_rate // 200)
    signal[-sample_rate // 100 :] *= np.linspace(1, 0, sample_rate // 100)
    return signal.astype(np.float32)


def lesson_of(sample_rate: int) -> tuple[list[np.ndarray], list[bytes], list[tuple[int, int]]]:
    """Three paragraphs (one with two segments and an inline pause) mastered into pieces."""
    paragraphs = [
        ([(burst(1.3, sample_rate), 300), (burst(0.8, sample_rate, freq=220), 700)], 700),
        ([(burst(2.1, sample_rate, amplitude=0.05), 700)], 250),
        ([(burst(0.35, sample_rate, freq=150), 700)], 500),  # shorter than one 400 ms loudness block
    ]
    pcm = [lead_in(sample_rate)]
    mp3 = [encode_piece(pcm[0], sample_rate, first=True)]
    spans: list[tuple[int, int]] = []
    offset = pcm[0].size
    for clips, pause in paragraphs:
        piece = master_paragraph(clips, sample_rate, pause_after_ms=pause, target_lufs=-16.0)
        assert piece.samples.size % frame_samples(sample_rate) == 0
        spans.extend((offset + a, offset + b) for a, b in piece.spans)
        pcm.append(piece.samples)
        mp3.append(encode_piece(piece.samples, sample_rate))
        offset += piece.samples.size
    return pcm, mp3, spans


def ffmpeg_decode(path: Path, sample_rate: int) -> np.ndarray:
    command = [imageio_ffmpeg.get_ffmpeg_exe(), "-hide_banner", "-loglevel", "error", "-i", str(path)]
    command += ["-f", "s16le", "-ac", "1", "-ar", str(sample_rate), "pipe:1"]
    out = subprocess.run(command, capture_output=True, check=True).stdout
    return np.frombuffer(out, dtype="<i2").astype(np.float32) / 32768.0


def best_lag(decoded: np.ndarray, reference: np.ndarray, start: int, length: int) -> int:
    window = reference[start : start + length]
    errors = {
        lag: float(np.sum((decoded[start + lag : start + lag + length] - window) ** 2))
        for lag in range(-1200, 1201)
    }
    return min(errors, key=lambda lag: errors[lag])


@pytest.mark.parametrize("sample_rate", [16_000, 24_000, 48_000])
def test_joined_pieces_decode_in_place(tmp_path: Path, sample_rate: int) -> None:
    pcm, mp3, spans = lesson_of(sample_rate)
    master = np.concatenate(pcm).astype(np.float32) / 32768.0
    path = tmp_path / "lesson.mp3"
    path.write_bytes(b"".join(mp3))
    for name, decoded in (
        ("libsndfile", sf.read(path, dtype="float32")[0]),
        ("ffmpeg", ffmpeg_decode(path, sample_rate)),
    ):
        assert abs(decoded.size - master.size) <= DECODER_DELAY, name
        for start, end in spans:  # every segment, in every piece, sits where the WAV has it
            assert best_lag(decoded, master, start, min(end - start, sample_rate // 4)) == 0, name
        n = min(decoded.size, master.size)
        noise = decoded[:n] - master[:n]
        snr = 10 * np.log10(np.sum(master[:n] ** 2) / np.sum(noise**2))
        assert snr > 12, (name, snr)
        # The joins are silent: nothing audible where one piece's frames meet the next one's.
        for joint in np.cumsum([p.size for p in pcm])[:-1]:
            assert np.max(np.abs(decoded[joint - 200 : joint + 200])) < 0.01, (name, joint)


def test_pieces_are_mastered_to_the_target_and_framed_in_silence() -> None:
    sample_rate = 24_000
    pcm, _, spans = lesson_of(sample_rate)
    frame = frame_samples(sample_rate)
    for piece in pcm[1:]:
        audio = piece.astype(np.float32) / 32768.0
        assert not np.any(piece[: PRE_FRAMES * frame]) and not np.any(piece[-2 * frame :])
        assert integrated_lufs(audio, sample_rate) == pytest.approx(-16.0, abs=0.6)
        assert true_peak_dbtp(audio) <= -0.9
    # The speech before the first piece's speech is its lead-in, as long as asked (within a frame).
    assert spans[0][0] / sample_rate == pytest.approx(LEAD_IN_MS / 1000, abs=frame / sample_rate)
    # The soft paragraph was brought up and the one-syllable paragraph was normalised too.
    lesson = np.concatenate(pcm).astype(np.float32) / 32768.0
    assert integrated_lufs(lesson, sample_rate) == pytest.approx(-16.0, abs=0.3)
    short = lesson[spans[-1][0] : spans[-1][1]]
    assert 20 * np.log10(np.sqrt(np.mean(short**2))) > -25


@pytest.mark.parametrize("sample_rate", [16_000, 24_000, 48_000])
def test_the_lesson_is_measured_from_its_pieces_as_from_its_samples(sample_rate: int) -> None:
    """The stored energy profiles give the same integrated loudness as filtering the whole lesson."""
    paragraphs = [
        [(burst(1.3, sample_rate), 300), (burst(0.8, sample_rate, freq=220), 700)],
        [(burst(2.1, sample_rate, amplitude=0.05), 700)],
        [(burst(3.7, sample_rate, freq=150, amplitude=0.4), 700)],
    ]
    pieces = [
        master_paragraph(clips, sample_rate, pause_after_ms=pause, target_lufs=target)
        for clips, pause, target in zip(paragraphs, (700, 250, 500), (-16.0, -19.0, -14.0), strict=True)
    ]
    lead = lead_in(sample_rate)
    placed, offset = [], lead.size
    for piece in pieces:
        placed.append((offset, piece.energy))
        offset += piece.samples.size
    lesson = np.concatenate([lead, *(p.samples for p in pieces)]).astype(np.float32) / 32768.0
    joined = joined_lufs(placed, lesson.size, sample_rate, energy_grid(sample_rate))
    assert joined == pytest.approx(integrated_lufs(lesson, sample_rate), abs=0.001)
    with pytest.raises(ValueError, match="grid"):  # a piece placed off the grid is refused, not mismeasured
        joined_lufs([(offset + 1, pieces[0].energy)], lesson.size + 1, sample_rate, energy_grid(sample_rate))


def test_pauses_between_paragraphs_are_kept_to_within_a_frame() -> None:
    sample_rate = 24_000
    first = master_paragraph([(burst(1.0, sample_rate), 0)], sample_rate, pause_after_ms=900, target_lufs=-16)
    silence_after = first.samples.size - first.spans[-1][1]
    pause = silence_after + PRE_FRAMES * frame_samples(sample_rate)  # the next piece's leading silence
    assert 0.9 * sample_rate <= pause < 0.9 * sample_rate + frame_samples(sample_rate)


def test_a_piece_that_is_not_whole_frames_is_refused() -> None:
    with pytest.raises(Mp3Error, match="whole number"):
        encode_piece(np.zeros(1000, dtype=np.int16), 24_000)


def test_to_pcm16_rounds_and_clips() -> None:
    assert to_pcm16(np.array([0.0, 0.5, -1.0, 1.5, -1.5], dtype=np.float32)).tolist() == [
        0,
        16384,
        -32768,
        32767,
        -32768,
    ]


def test_piece_store_refuses_a_piece_cut_short(tmp_path: Path) -> None:
    sample_rate = 24_000
    piece = master_paragraph([(burst(1.0, sample_rate), 0)], sample_rate, pause_after_ms=700, target_lufs=-16)
    store = PieceStore(tmp_path)
    stored = store.put("ab" * 32, piece, encode_piece(piece.samples, sample_rate), sample_rate)
    again = store.get("ab" * 32)
    assert again is not None and again.spans == stored.spans == piece.spans
    assert again.loudness == stored.loudness and again.samples == piece.samples.size
    assert np.array_equal(again.energy.cumulative, piece.energy.cumulative)
    assert np.array_equal(np.fromfile(stored.pcm, dtype="<i2"), piece.samples)
    with open(stored.mp3, "r+b") as handle:  # a crash mid-write, as the next render would find it
        handle.truncate(stored.mp3.stat().st_size // 2)
    assert store.get("ab" * 32) is None
    assert store.get("cd" * 32) is None

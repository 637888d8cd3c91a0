"""Assemble the lesson from mastered paragraph pieces: reuse the stored ones, master the rest.

``lesson.wav`` and ``lesson.mp3`` are both plain concatenations of a silent lead-in and one piece
per paragraph (see ``audio.mastering`` and ``audio.mp3``), so a re-render after editing one
paragraph masters and encodes that paragraph and copies the others.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from functools import cache
from pathlib import Path

import numpy as np
from prefect import task
from prefect.cache_policies import NO_CACHE

from audio.export import read_audio, write_joined, write_wav
from audio.loudness import EnergyProfile, integrated_lufs, joined_lufs
from audio.mastering import energy_grid, lead_in, master_paragraph
from audio.mp3 import Pcm16, encode_piece
from engines.estimate import estimate_times
from engines.protocol import TokenTimes
from errors import WorkFailedError
from i18n import _
from storage.layout import LESSON_MP3, LESSON_WAV
from storage.pieces import PieceStore, StoredPiece
from storage.segment_times import read_times
from tasks.jobs import LessonPlan, SegmentAudio, SegmentJob
from tasks.pieces import PiecePlan, plan_pieces


class AssemblyError(WorkFailedError):
    """Segments that cannot be put together (mixed sample rates, unreadable cache files)."""


@dataclass(frozen=True, slots=True)
class LessonLoudness:
    integrated_lufs: float
    true_peak_dbtp: float
    paragraph_gain_db: tuple[float, ...]


@dataclass(frozen=True, slots=True)
class SegmentTimes:
    """When each of a segment's tokens is spoken, in samples from the start of the lesson."""

    spans: tuple[tuple[int, int], ...]
    """One [start, end) per token of the segment (``SegmentJob.segment.tokens``)."""
    source: str
    """``durations`` (the voice's own) or ``estimate`` (an even share of the segment's audio)."""


@dataclass(frozen=True, slots=True)
class AssembledLesson:
    """Where each segment landed (seconds) and what the master measured: no samples."""

    sample_rate: int
    duration_s: float
    spans: tuple[tuple[float, float], ...]
    loudness: LessonLoudness
    mastered: int = 0
    """Paragraph pieces mastered in this assembly (the rest were reused)."""
    times: tuple[SegmentTimes, ...] = ()
    """Per segment, its tokens' times on the lesson's timeline (mastering moves no sample)."""


@cache
def _lead_in(sample_rate: int) -> tuple[Pcm16, bytes]:
    samples = lead_in(sample_rate)
    return samples, encode_piece(samples, sample_rate, first=True)


def master_piece(
    piece: PiecePlan, plan: LessonPlan, audios: Sequence[SegmentAudio], store: PieceStore, sample_rate: int
) -> StoredPiece:
    """Read the paragraph's segments from the segment store, master, encode and store the piece."""
    clips = []
    for index in piece.jobs:
        job, ref = plan.jobs[index], audios[index]
        try:
            samples, _rate = read_audio(Path(ref.path))
        except (OSError, RuntimeError) as err:
            raise AssemblyError(
                _("paragraph {paragraph}: cached segment {path} unreadable: {error}").format(
                    paragraph=job.paragraph, path=ref.path, error=err
                )
            ) from err
        clips.append((samples, job.segment.pause_after_ms))
    mastered = master_paragraph(
        clips, sample_rate, pause_after_ms=piece.pause_after_ms, target_lufs=piece.target_lufs
    )
    return store.put(piece.key, mastered, encode_piece(mastered.samples, sample_rate), sample_rate)


def stored_pieces(
    plan: LessonPlan, audios: Sequence[SegmentAudio], store: PieceStore
) -> tuple[list[StoredPiece], int]:
    """Every paragraph's piece, mastering those not in the store; and how many were mastered."""
    rates = {a.sample_rate for a in audios}
    if len(rates) > 1:
        raise AssemblyError(_("segments have different sample rates: {rates}").format(rates=sorted(rates)))
    sample_rate = rates.pop() if rates else 24_000
    pieces: list[StoredPiece] = []
    mastered = 0
    for piece in plan_pieces(plan, segment_keys=[a.key for a in audios]):
        stored = store.get(piece.key)
        if stored is None or stored.sample_rate != sample_rate:
            stored = master_piece(piece, plan, audios, store, sample_rate)
            mastered += 1
        else:
            store.touch(piece.key)
        pieces.append(stored)
    return pieces, mastered


def assemble_audio(
    plan: LessonPlan, audios: Sequence[SegmentAudio], folder: Path, store: PieceStore
) -> AssembledLesson:
    """Write ``lesson.wav`` and ``lesson.mp3`` into ``folder`` and return the timeline."""
    pieces, mastered = stored_pieces(plan, audios, store)
    sample_rate = pieces[0].sample_rate if pieces else 24_000
    lead_samples, lead_mp3 = _lead_in(sample_rate)
    starts: list[tuple[int, int]] = []
    placed: list[tuple[int, EnergyProfile]] = []
    cursor = lead_samples.size
    for piece in pieces:
        starts.extend((cursor + a, cursor + b) for a, b in piece.spans)
        placed.append((cursor, piece.energy))
        cursor += piece.samples
    if len(starts) != len(plan.jobs):
        raise AssemblyError(
            _("{pieces} segments in the pieces for {planned} in the plan").format(
                pieces=len(starts), planned=len(plan.jobs)
            )
        )
    spans = [(a / sample_rate, b / sample_rate) for a, b in starts]

    pcm = [lead_samples, *(np.fromfile(piece.pcm, dtype="<i2") for piece in pieces)]
    write_wav(folder / LESSON_WAV, pcm, sample_rate)
    write_joined(folder / LESSON_MP3, [lambda: lead_mp3, *(piece.mp3.read_bytes for piece in pieces)])
    try:  # from the pieces' stored energy, so the whole lesson is never K-weighted a second time
        integrated = joined_lufs(placed, cursor, sample_rate, energy_grid(sample_rate))
    except ValueError:  # a sample rate whose 100 ms blocks miss the grid: measure the lesson itself
        integrated = integrated_lufs(np.concatenate(pcm).astype(np.float32) / 32768.0, sample_rate)
    loudness = LessonLoudness(
        integrated_lufs=integrated,
        true_peak_dbtp=max((p.loudness.true_peak_dbtp for p in pieces), default=float("-inf")),
        paragraph_gain_db=tuple(p.loudness.gain_db for p in pieces),
    )
    return AssembledLesson(
        sample_rate=sample_rate,
        duration_s=cursor / sample_rate,
        spans=tuple(spans),
        loudness=loudness,
        mastered=mastered,
        times=tuple(
            lesson_times(job, ref, a, b) for job, ref, (a, b) in zip(plan.jobs, audios, starts, strict=True)
        ),
    )


def lesson_times(job: SegmentJob, ref: SegmentAudio, start: int, end: int) -> SegmentTimes:
    """The segment's token times (stored with its audio, or estimated) moved to where it landed."""
    tokens = job.segment.tokens
    stored = read_times(Path(ref.path))
    times = (
        TokenTimes(stored.spans, "durations")
        if stored is not None and stored.source == "durations" and len(stored.spans) == len(tokens)
        else estimate_times(tokens, end - start)
    )
    # stored times lie within the segment's audio: moving them needs no lower clamp
    return SegmentTimes(
        tuple((min(a + start, end), min(b + start, end)) for a, b in times.spans), times.source
    )


@task(name="assemble-lesson", cache_policy=NO_CACHE)
def assemble_lesson(
    plan: LessonPlan, audios: list[SegmentAudio], folder: Path, pieces_root: Path
) -> AssembledLesson:
    return assemble_audio(plan, audios, folder, PieceStore(pieces_root))

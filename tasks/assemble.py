"""Assemble the lesson: lay cleaned segments out with their pauses, normalise loudness, export."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

import numpy as np
from prefect import task
from prefect.cache_policies import NO_CACHE

from audio.export import read_audio, write_mp3, write_wav
from audio.loudness import LoudnessReport, normalize_loudness
from audio.timeline import lay_out
from storage.layout import LESSON_MP3, LESSON_WAV
from tasks.jobs import LessonPlan, SegmentAudio


class AssemblyError(Exception):
    """Segments that cannot be put together (mixed sample rates, unreadable cache files)."""


@dataclass(frozen=True, slots=True)
class AssembledLesson:
    """Where each segment landed (seconds) and what the master measured: no samples."""

    sample_rate: int
    duration_s: float
    spans: tuple[tuple[float, float], ...]
    loudness: LoudnessReport


def assemble_audio(plan: LessonPlan, audios: Sequence[SegmentAudio], folder: Path) -> AssembledLesson:
    """Write ``lesson.wav`` into ``folder`` and return the timeline (``encode_mp3`` follows)."""
    rates = {a.sample_rate for a in audios}
    if len(rates) > 1:
        raise AssemblyError(f"segments have different sample rates: {sorted(rates)}")
    sample_rate = rates.pop() if rates else 24_000
    clips: list[tuple[np.ndarray, int]] = []
    for job, ref in zip(plan.jobs, audios, strict=True):
        try:
            samples, _ = read_audio(Path(ref.path))
        except (OSError, RuntimeError) as err:
            raise AssemblyError(
                f"paragraph {job.paragraph}: cached segment {ref.path} unreadable: {err}"
            ) from err
        clips.append((samples, job.segment.pause_after_ms))
    master, placed = lay_out(clips, sample_rate)
    master, loudness = normalize_loudness(master, sample_rate)
    write_wav(folder / LESSON_WAV, master, sample_rate)
    return AssembledLesson(
        sample_rate=sample_rate,
        duration_s=master.size / sample_rate,
        spans=tuple(p.seconds(sample_rate) for p in placed),
        loudness=loudness,
    )


@task(name="assemble-lesson", cache_policy=NO_CACHE)
def assemble_lesson(plan: LessonPlan, audios: list[SegmentAudio], folder: Path) -> AssembledLesson:
    return assemble_audio(plan, audios, folder)


@task(name="encode-mp3", cache_policy=NO_CACHE)
def encode_mp3(folder: Path) -> None:
    """MP3 from the finished WAV; submitted so it runs while captions and the manifest are written."""
    write_mp3(folder / LESSON_MP3, folder / LESSON_WAV)

"""Recogniser plumbing that needs no model: windowing, resampling, the Paraformer adapter, model errors."""

from __future__ import annotations

import itertools
import math
import os
from dataclasses import replace
from pathlib import Path
from typing import Any

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from asr.audio import to_rate
from asr.paraformer import ParaformerRecognizer, _text_of
from asr.protocol import Recognizer, RecognizerError, Samples
from asr.registry import create_recognizer
from asr.whisper import WhisperOptions
from asr.windows import DEFAULT_WINDOW_S, WHISPER_LIMIT_S, Window, plan_windows
from config import Settings
from models.errors import ModelCorruptError, ModelMissingError
from models.store import model_status
from models.whisper import WHISPER_BASE, prepare_whisper, whisper_files
from wiring import recognizer_config


def spans_from(durations: list[float], gap: float = 0.5, lead: float = 0.2) -> list[tuple[float, float]]:
    spans, t = [], lead
    for d in durations:
        spans.append((t, t + d))
        t += d + gap
    return spans


def consecutive_count(windows: tuple[Window, ...], max_s: float = DEFAULT_WINDOW_S) -> int:
    """How many windows plain greedy packing of neighbours needs for the same pieces (the old planner)."""
    lengths = [b - a for w in windows for (a, b) in w.pieces]
    order = [i for w in windows for i in w.segments]
    by_segment = dict(zip(order, lengths, strict=True))
    count, used = 0, max_s + 1
    for i in sorted(by_segment):
        if used + by_segment[i] > max_s:
            count, used = count + 1, 0.0
        used += by_segment[i]
    return count


@given(st.lists(st.floats(min_value=0.2, max_value=12.0), min_size=1, max_size=60), st.floats(0.0, 3.0))
def test_windows_cover_every_segment_once_and_stay_under_30s(durations: list[float], gap: float) -> None:
    spans = spans_from(durations, gap)
    total = spans[-1][1] + 0.5
    windows = plan_windows(spans, total)
    assert sorted(i for w in windows for i in w.segments) == list(range(len(spans)))
    for w in windows:
        assert 0 < w.duration_s <= DEFAULT_WINDOW_S + 1e-9 < WHISPER_LIMIT_S
        assert list(w.segments) == sorted(w.segments)  # heard in lesson order
        for i, (a, b) in zip(w.segments, w.pieces, strict=True):
            # Each piece holds its whole segment and stops at its neighbours: no word is heard twice.
            assert a <= spans[i][0] and b >= spans[i][1]
            assert i == 0 or a >= spans[i - 1][1] - 1e-9
            assert i + 1 == len(spans) or b <= spans[i + 1][0] + 1e-9
    assert [w.segments[0] for w in windows] == sorted(w.segments[0] for w in windows)
    assert math.ceil(sum(w.duration_s for w in windows) / DEFAULT_WINDOW_S - 1e-9) <= len(windows)
    assert len(windows) <= consecutive_count(windows)


def test_windows_repack_a_lesson_of_similar_sentences_into_one_window_fewer() -> None:
    # The benchmark lesson's segments (30 sentences of 5.2-7.1 s). Neighbours fit four to a window (8
    # windows, ~26 s each); re-packed, two windows take five shorter sentences and 7 are enough.
    durations = [6.57, 6.97, 6.22, 5.37, 6.1, 6.52, 6.92, 6.17, 5.32, 6.05, 6.65, 7.05, 6.3, 5.45, 6.18]
    durations += [6.59, 6.99, 6.24, 5.39, 6.12, 6.42, 6.82, 6.07, 5.22, 5.95, 6.42, 6.82, 6.07, 5.22, 5.95]
    spans = spans_from(durations, gap=0.7)
    windows = plan_windows(spans, spans[-1][1] + 0.5)
    assert consecutive_count(windows) == 8
    assert len(windows) == 7
    assert any(b - a > 1 for w in windows for a, b in itertools.pairwise(w.segments))  # not neighbours
    assert all(w.duration_s <= DEFAULT_WINDOW_S + 1e-9 for w in windows)
    assert sorted(i for w in windows for i in w.segments) == list(range(30))
    # Silent segments are still left out of a re-packed plan.
    some = plan_windows(spans, spans[-1][1] + 0.5, include=range(0, 30, 2))
    assert sorted(i for w in some for i in w.segments) == list(range(0, 30, 2))
    # Sentences that cannot share fewer windows keep the consecutive plan.
    tight = spans_from([6.57, 6.97, 6.22, 5.37, 6.1, 6.52, 6.92, 6.17, 5.32, 6.05] * 3, gap=0.7)
    kept = plan_windows(tight, tight[-1][1] + 0.5)
    assert len(kept) == 8 and [i for w in kept for i in w.segments] == list(range(30))


def test_windows_pack_greedily_skip_pauses_and_cut_an_overlong_segment() -> None:
    spans = spans_from([9.0, 9.0, 9.0, 9.0], gap=2.0)
    windows = plan_windows(spans, 45.0, max_s=28.0)
    assert [w.segments for w in windows] == [(0, 1, 2), (3,)]  # 3 x (9 s + 0.3 s padding); pauses unheard
    assert windows[0].duration_s == pytest.approx(27.9)
    assert windows[0].pieces[1] == pytest.approx((spans[1][0] - 0.15, spans[1][1] + 0.15))
    silent_left_out = plan_windows(spans, 45.0, max_s=28.0, include=[0, 2, 3])
    assert [w.segments for w in silent_left_out] == [(0, 2, 3)]
    (long,) = plan_windows([(0.2, 40.2)], 40.7)
    assert long.duration_s == pytest.approx(DEFAULT_WINDOW_S)
    with pytest.raises(ValueError):
        plan_windows([(0.0, 1.0)], 2.0, max_s=31)


def test_whisper_runs_side_by_side_replicas_only_when_it_is_given_batches() -> None:
    # Batches are split over one single-threaded replica per thread; a recogniser fed one clip at a
    # time (the benchmark's per-segment baseline) keeps a single replica on every thread.
    assert WhisperOptions().workers == 2
    assert WhisperOptions(threads=4, batch_size=8).workers == 4
    assert WhisperOptions(beam_size=5, batch_size=1).workers == 1
    assert WhisperOptions(threads=0).workers == 1


def test_resampling_24k_to_16k_keeps_duration_and_pitch() -> None:
    t = np.arange(24_000) / 24_000
    tone = (0.5 * np.sin(2 * np.pi * 440 * t)).astype(np.float32)
    out = to_rate(tone, 24_000)
    assert out.dtype == np.float32 and out.size == 16_000
    peak = np.argmax(np.abs(np.fft.rfft(out))) * 16_000 / out.size
    assert peak == pytest.approx(440, abs=2)


class FakeParaformer:
    """Stands in for funasr_onnx.Paraformer: records what it was given, answers like funasr-onnx 0.4."""

    def __init__(self, answers: list[Any]) -> None:
        self.answers = answers
        self.calls: list[list[Samples]] = []

    def __call__(self, clips: list[Samples]) -> list[Any]:
        self.calls.append(clips)
        return [self.answers[len(self.calls) - 1]]


def test_paraformer_adapter_with_a_fake_model(tmp_path: Path) -> None:
    fake = FakeParaformer([{"preds": "同 學 們 好"}, ("我们继续", [[0, 100]]), "今天"])
    recognizer = ParaformerRecognizer(tmp_path / "paraformer-zh", backend=fake)
    assert isinstance(recognizer, Recognizer)
    clips = [np.zeros(24_000, np.float32), np.zeros(12_000, np.float32), np.zeros(2_400, np.float32)]
    out = recognizer.transcribe(clips, 24_000)
    assert [t.text for t in out] == ["同学们好", "我们继续", "今天"]
    assert [c[0].size for c in fake.calls] == [16_000, 8_000, 1_600]  # resampled to 16 kHz, one at a time
    assert recognizer.engine_id == "paraformer-onnx/paraformer-zh"
    assert _text_of([]) == "" and _text_of([{"preds": ("嗯", [])}]) == "嗯"


def test_paraformer_without_a_model_names_the_setting(tmp_path: Path) -> None:
    with pytest.raises(RecognizerError, match="LESSONAUDIO_ASR_MODEL_DIR"):
        ParaformerRecognizer(tmp_path / "nothing-here")
    defaults = recognizer_config(Settings.model_construct())  # the declared defaults, not the environment
    with pytest.raises(RecognizerError, match="LESSONAUDIO_ASR_MODEL_DIR"):
        create_recognizer(replace(defaults, engine="paraformer", model_dir=None))
    with pytest.raises(RecognizerError, match="unknown ASR engine"):
        create_recognizer(replace(defaults, engine="kaldi"))


def _linked_copy(models_dir: Path, target: Path) -> Path:
    """A models dir whose Whisper files are symlinks to the prepared ones (no 150 MB copy)."""
    folder = target / WHISPER_BASE.name
    folder.mkdir(parents=True)
    for pin in WHISPER_BASE.files:
        os.symlink(models_dir / WHISPER_BASE.name / pin.name, folder / pin.name)
    return target


def test_prepared_whisper_is_verified_and_prepare_is_a_no_op(models_dir: Path, tmp_path: Path) -> None:
    if model_status(models_dir, WHISPER_BASE).status != "ok":
        pytest.fail("Whisper-base is not prepared: run `lessonaudio models prepare`")
    linked = _linked_copy(models_dir, tmp_path / "models")
    result = prepare_whisper(linked, work_dir=tmp_path / "never-used")
    assert result.actions == () and result.status.status == "ok"
    assert not (tmp_path / "never-used").exists()  # nothing downloaded, no lock taken
    assert set(whisper_files(linked)) == {p.name for p in WHISPER_BASE.files}


def test_missing_or_corrupt_whisper_names_the_fix(models_dir: Path, tmp_path: Path) -> None:
    with pytest.raises(ModelMissingError, match="lessonaudio models prepare"):
        whisper_files(tmp_path / "empty")
    linked = _linked_copy(models_dir, tmp_path / "models")
    config = linked / WHISPER_BASE.name / "config.json"
    config.unlink()
    config.write_text("{}")
    assert model_status(linked, WHISPER_BASE).status == "corrupt"
    with pytest.raises(ModelCorruptError, match="lessonaudio models prepare"):
        whisper_files(linked)


def test_generation_length_asks_ctranslate2_for_twice_the_tokens_wanted() -> None:
    from asr.whisper import generation_length

    # CTranslate2 decodes at most max_length / 2 new tokens for Whisper (whisper.cc).
    assert generation_length(100, 448) == 200
    assert generation_length(370, 448) == 448  # the model's context is the ceiling: 224 new tokens

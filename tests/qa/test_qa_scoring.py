"""Normalisation, alignment, attribution and metrics of the back-check, without any audio."""

from __future__ import annotations

from dataclasses import replace

import pytest

from asr.simplified import to_simplified
from config import Settings
from qa.align import align, attribute
from qa.config import flag_reasons
from qa.metrics import Score, edit_distance, score_pairs, total
from qa.normalize import Unit, transcript_units
from text_frontend.frontend import FrontEnd
from wiring import qa_config

QA = qa_config(Settings.model_construct())
"""The thresholds as the settings declare them, whatever this machine's environment says."""


@pytest.fixture(scope="module")
def front_end() -> FrontEnd:
    return FrontEnd()


def units(text: str, front_end: FrontEnd) -> tuple[Unit, ...]:
    return transcript_units(text, front_end)


def test_t2s_converts_whisper_traditional_output() -> None:
    assert to_simplified("斜邊就是五釐米，這個規律。") == "斜边就是五厘米，这个规律。"
    assert to_simplified("同学们好") == "同学们好"  # idempotent on Simplified
    assert to_simplified("") == ""


def test_transcript_normalised_like_the_script(front_end: FrontEnd) -> None:
    heard = units("那麼A的平方加3的平方等於5cm。", front_end)
    assert "".join(u.char for u in heard) == "那么诶的平方加三的平方等于五厘米"
    assert [u.pinyin for u in heard][:3] == ["na", "me", "ei"]  # toneless
    expected = (Unit("音", "yin"), Unit("乐", "yue"), Unit("笑", "xiao"))
    assert units("[音乐](笑)，", front_end) == expected
    # English in a transcript is read as the script's would be: a term by the lexicon, else spelled.
    assert "".join(u.char for u in units("GPU和Zoom.", front_end)) == "吉披优和兹欧欧艾姆"
    assert units("", front_end) == ()


def test_edit_distance() -> None:
    assert edit_distance("kitten", "sitting") == 3
    assert edit_distance([], ["a", "b"]) == 2
    assert edit_distance(["a"], []) == 1
    assert edit_distance("同学们好", "同学们好") == 0


def test_cer_counts_homophones_per_forgives_them(front_end: FrontEnd) -> None:
    ref = units("斜边就是五厘米", front_end)
    (pairs,) = attribute([ref], units("鞋边就是五厘米", front_end))
    score = score_pairs(pairs)
    assert score == Score(ref_len=7, char_errors=1, pinyin_errors=0)
    assert score.cer == pytest.approx(1 / 7) and score.per == 0.0
    assert pairs[0].op == "~"


def test_per_counts_real_mistakes(front_end: FrontEnd) -> None:
    ref = units("今天我们来学习勾股定理", front_end)
    (pairs,) = attribute([ref], units("今天我们学习定理", front_end))
    score = score_pairs(pairs)
    assert score.pinyin_errors == 3 and score.char_errors == 3
    assert score.per == pytest.approx(3 / 11)


def test_alignment_is_minimal_and_ordered(front_end: FrontEnd) -> None:
    ref = units("春天来了", front_end)
    hyp = units("春天真的来了", front_end)
    pairs = align(ref, hyp)
    assert [p.op for p in pairs] == ["=", "=", "i", "i", "=", "="]
    assert [p.hyp.char for p in pairs if p.hyp] == list("春天真的来了")


def test_attribution_splits_at_segment_boundaries(front_end: FrontEnd) -> None:
    segs = [units(t, front_end) for t in ("同学们好", "今天我们来学习勾股定理", "我们继续")]
    heard = units("同学们好今天我们来学习公固定理我们继续", front_end)
    shares = attribute(segs, heard)
    texts = ["".join(p.hyp.char for p in share if p.hyp) for share in shares]
    assert texts == ["同学们好", "今天我们来学习公固定理", "我们继续"]
    scores = [score_pairs(s) for s in shares]
    assert [s.char_errors for s in scores] == [0, 2, 0]
    assert scores[1].pinyin_errors == 1  # 勾股 gou gu -> 公固 gong gu: only gou/gong differs
    assert total(scores).ref_len == 19


def test_wrong_sentence_is_attributed_to_its_segment(front_end: FrontEnd) -> None:
    segs = [units(t, front_end) for t in ("同学们好", "小蝌蚪找不到妈妈", "我们继续")]
    heard = units("同学们好公元前五百年左右我们继续", front_end)
    scores = [score_pairs(s) for s in attribute(segs, heard)]
    assert scores[0].per == 0 and scores[2].per == 0
    assert scores[1].per >= 0.8


def test_silent_segment_gets_deletions_and_neighbours_stay_clean(front_end: FrontEnd) -> None:
    segs = [units(t, front_end) for t in ("同学们好", "小蝌蚪找不到妈妈", "我们继续")]
    shares = attribute(segs, units("同学们好我们继续", front_end))
    scores = [score_pairs(s) for s in shares]
    assert [s.per for s in scores] == [0.0, 1.0, 0.0]
    assert {p.op for p in shares[1]} == {"d"}


def test_insertions_at_a_boundary_go_to_the_faulty_neighbour(front_end: FrontEnd) -> None:
    segs = [units(t, front_end) for t in ("同学们好", "我们继续")]
    # The second segment's audio said something else entirely: its words belong to it, not segment 1.
    shares = attribute(segs, units("同学们好字幕由社区提供", front_end))
    assert score_pairs(shares[0]).per == 0.0
    assert "".join(p.hyp.char for p in shares[1] if p.hyp) == "字幕由社区提供"


def test_empty_reference_and_transcript() -> None:
    assert attribute([(), ()], ()) == [[], []]
    (pairs,) = attribute([()], (Unit("啊", "a"),))
    assert score_pairs(pairs).per == 1.0  # something heard where nothing was said


def test_flags_need_rate_and_count_or_silence() -> None:
    config = QA
    assert flag_reasons(Score(10, 5, 0), -20.0, config) == ()  # homophones only
    assert flag_reasons(Score(10, 5, 5), -20.0, config) == ("PER 0.50 > 0.34",)
    assert flag_reasons(Score(1, 1, 1), -20.0, config) == ()  # one missed syllable in 咦？
    assert flag_reasons(Score(1, 1, 1), -80.0, config)[0].startswith("silent")
    with pytest.raises(ValueError):
        replace(QA, window_s=31)
    assert QA.retry_rate(2) == pytest.approx(0.76)

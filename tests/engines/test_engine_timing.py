"""Token times from the Baker voice's own durations: where they come from and how DSP moves them."""

from __future__ import annotations

import itertools

import numpy as np
import pytest

from engines.baker.timing import scale_spans, syllable_spans, token_spans
from engines.prosody import preset
from engines.protocol import Prosody
from tests.voice_fixtures import baker_engine, tokens
from text_frontend.types import Punct, Syllable

SENTENCE = "春天来了，公园里的花都开了。"


def syllable_spans_of(
    audio_spans: tuple[tuple[int, int], ...], toks: tuple[object, ...]
) -> list[tuple[int, int]]:
    return [span for tok, span in zip(toks, audio_spans, strict=True) if isinstance(tok, Syllable)]


def test_spans_are_the_models_phone_frames_in_samples() -> None:
    engine = baker_engine()
    syllables = [t for t in tokens("春天来了") if isinstance(t, Syllable)]
    ids = engine.phones.ids(syllables)
    wav, durations = engine.render_ids_timed(ids)
    assert len(durations) == len(ids) and wav.size == int(durations.sum()) * 300
    spans = syllable_spans(engine.phones, syllables, durations, wav.size)
    edges = np.concatenate([[0], np.cumsum(durations)]) * 300
    # 春 starts at its initial, after the opening sil; 天 starts at its own initial, after 春's #0
    assert spans[0][0] == edges[1] and spans[1][0] == edges[4] and spans[0][1] == spans[1][0]
    assert spans[-1][1] == edges[-2]  # the last syllable keeps the closing sil, not the eos
    assert np.array_equal(engine.render_ids(ids), wav)  # asking for durations changes no sample


@pytest.mark.parametrize("emotion", ["neutral", "happy", "sad", "excited"])
def test_every_token_has_a_span_inside_the_audio_in_order(emotion: str) -> None:
    engine = baker_engine()
    toks = tokens(SENTENCE)
    audio = engine.synthesize(toks, preset(emotion))
    assert audio.times is not None and audio.times.source == "durations"
    spans = audio.times.spans
    assert len(spans) == len(toks)
    assert all(0 <= a <= b <= audio.samples.size for a, b in spans)
    assert all(p[1] <= q[0] for p, q in itertools.pairwise(spans))
    comma = toks.index(Punct("，", 4))
    pause = spans[comma][1] - spans[comma][0]
    assert pause >= 0.2 * preset(emotion).pause_scale * 24_000  # the break, and the chunks' sil and eos


def test_times_follow_the_pitch_shift_and_the_rate() -> None:
    engine = baker_engine()
    toks = tokens(SENTENCE)
    plain = engine.synthesize(toks, Prosody())
    shifted = engine.synthesize(toks, Prosody(pitch_shift_semitones=3.0))
    faster = engine.synthesize(toks, Prosody(rate=1.25))
    assert plain.times is not None and shifted.times is not None and faster.times is not None
    # the shift keeps the timing (durations pre-stretched, then resampled), up to the model rounding
    # each stretched phone to whole frames
    for a, b in zip(
        syllable_spans_of(plain.times.spans, toks), syllable_spans_of(shifted.times.spans, toks), strict=True
    ):
        assert abs(a[0] - b[0]) <= 600 + 0.03 * a[0] and abs(a[1] - b[1]) <= 600 + 0.03 * a[1]
    last_plain = syllable_spans_of(plain.times.spans, toks)[-1][1]
    last_fast = syllable_spans_of(faster.times.spans, toks)[-1][1]
    assert last_fast < 0.9 * last_plain


def test_spans_scale_with_resampling_and_punctuation_takes_the_gap() -> None:
    assert scale_spans([(0, 100), (100, 300)], 150, 300) == [(0, 50), (50, 150)]
    toks = (
        Syllable("你", "ni3", 0),
        Punct("，", 1),
        Punct("“", 2),
        Syllable("好", "hao3", 3),
        Punct("。", 4),
    )
    assert token_spans(toks, [(10, 100), (150, 200)], 260) == (
        (10, 100),
        (100, 150),
        (100, 150),
        (150, 200),
        (200, 260),
    )
    with pytest.raises(ValueError):
        token_spans(toks, [(10, 100)], 260)

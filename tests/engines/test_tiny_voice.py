"""The tiny voice stands in for the real one only as far as these tests hold it to the real one's shape."""

from __future__ import annotations

import json

import numpy as np
import onnxruntime as ort
import pytest

from engines.baker.engine import FramesOverLimitError, make_session
from engines.baker.limits import MAX_POSITIONS
from engines.protocol import Prosody, UnsupportedPinyinError, VoiceFailedError
from models import BAKER
from tests.tiny_voice import HOP, acoustic_model, mapper_json, tiny_engine, tiny_files, vocoder_model
from tests.voice_fixtures import tokens
from text_frontend.types import Syllable


def interface(session: ort.InferenceSession) -> tuple[list[tuple[str, str, int]], list[tuple[str, str, int]]]:
    """Names, element types and ranks of a model's inputs and outputs (dims are symbolic)."""
    inputs = [(i.name, i.type, len(i.shape)) for i in session.get_inputs()]
    outputs = [(o.name, o.type, len(o.shape)) for o in session.get_outputs()]
    return inputs, outputs


def test_the_graphs_have_the_real_models_interface() -> None:
    assert interface(make_session(acoustic_model(), 1)) == (
        [
            ("input_ids", "tensor(int32)", 2),
            ("speaker_ids", "tensor(int32)", 1),
            ("speed_ratios", "tensor(float)", 1),
            ("f0_ratios", "tensor(float)", 1),
            ("energy_ratios", "tensor(float)", 1),
        ],
        [
            ("Identity", "tensor(float)", 3),
            ("Identity_1", "tensor(float)", 3),
            ("Identity_2", "tensor(int32)", 2),
            ("Identity_3", "tensor(float)", 2),
            ("Identity_4", "tensor(float)", 2),
        ],
    )
    assert interface(make_session(vocoder_model(), 1)) == (
        [("mels", "tensor(float)", 3)],
        [("Identity", "tensor(float)", 3)],
    )
    assert sum(len(data) for data in tiny_files().values()) < 40_000


def test_speech_is_tone_and_breaks_are_silence() -> None:
    engine = tiny_engine()
    audio = engine.synthesize(tokens("你好，老师。"), Prosody())
    ids = engine.phone_ids(tokens("你好，老师。"))
    assert len(ids) == 2 and audio.sample_rate == 24_000
    # Per call: sil (8 frames), 2 syllables of 6 + 14 frames, sil (8); then the comma's 200 ms.
    call = (8 + 2 * 20 + 8) * HOP
    assert audio.samples.size == 2 * call + round(0.2 * 24_000)
    first = audio.samples[:call]
    assert np.abs(first[: 8 * HOP]).max() == 0 and np.abs(first[8 * HOP : 48 * HOP]).max() > 0.2
    assert np.abs(audio.samples[call : call + round(0.2 * 24_000)]).max() == 0


def test_slower_speech_lasts_longer_and_the_frame_limit_splits_a_call() -> None:
    engine = tiny_engine()
    said = tokens("春天来了")
    normal = engine.synthesize(said, Prosody()).samples.size
    assert engine.synthesize(said, Prosody(rate=0.5)).samples.size == pytest.approx(2 * normal, rel=0.1)
    with pytest.raises(FramesOverLimitError):
        engine.render_ids([1, *[28] * (MAX_POSITIONS // 14 + 1), 1])
    long = tokens("天" * 120)  # 120 x 20 frames: over the limit in one call, so it is halved
    assert engine.synthesize(long, Prosody()).samples.size == 2 * (8 + 60 * 20 + 8) * HOP


def test_the_engine_checks_ids_and_pinyin_as_for_the_real_voice() -> None:
    engine = tiny_engine()
    with pytest.raises(VoiceFailedError, match="at most 2048 phones"):
        engine.render_ids([28] * (MAX_POSITIONS + 1))
    with pytest.raises(UnsupportedPinyinError):
        engine.phone_ids((Syllable("你", "xyz1", 0),))


@pytest.mark.real_voice
def test_the_tables_and_interface_are_the_real_voices() -> None:
    """Against the prepared files: same symbol ids, the same phones for every pinyin the real voice reads."""
    from tests.voice_fixtures import baker_engine, baker_models_dir

    real = json.loads((baker_models_dir() / BAKER.name / "baker_mapper.json").read_bytes())
    tiny = json.loads(mapper_json())
    assert tiny["symbol_to_id"] == real["symbol_to_id"]
    assert {k: tiny["pinyin_dict"].get(k) for k in real["pinyin_dict"]} == real["pinyin_dict"]
    engine = baker_engine()
    assert interface(engine.acoustic) == interface(make_session(acoustic_model(), 1))
    assert interface(engine.vocoder) == interface(make_session(vocoder_model(), 1))
    said = tokens("我们今天学习勾股定理，直角三角形。")
    assert tiny_engine().phone_ids(said) == engine.phone_ids(said)

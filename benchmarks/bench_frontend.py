"""Front-end throughput on one core: normalise, G2P, segment and the whole ``analyze``.

Run: ``OMP_NUM_THREADS=1 MKL_NUM_THREADS=1 OPENBLAS_NUM_THREADS=1 python benchmarks/bench_frontend.py``.
Timed paragraphs are distinct (a counter is woven into them) and the per-sentence G2P cache is
switched off, so the figure is the cold-text speed a new lesson sees; the target is ≥ 2,000 chars/s.
"""

from __future__ import annotations

import os
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
for var in ("OMP_NUM_THREADS", "MKL_NUM_THREADS", "OPENBLAS_NUM_THREADS"):
    os.environ.setdefault(var, "1")

from text_frontend.frontend import FrontEnd  # noqa: E402 - thread limits must be set before numpy loads
from text_frontend.g2p import G2P  # noqa: E402
from text_frontend.normalize import Annotated  # noqa: E402
from text_frontend.segment import segment  # noqa: E402

TEMPLATES = (
    "同学们好，今天我们学习第{n}课《勾股定理》。在直角三角形中，两条直角边的平方和等于斜边的平方，"
    "也就是a²+b²=c²。例如，两条直角边分别是3厘米和4厘米，那么斜边就是5厘米。",
    "{n}年3月5日上午9:30，学校组织了{n}名同学去科技馆参观，门票每人25.5元，"
    "大约有85%的同学觉得这次活动很有意思；还有同学说，下次还想再去一次！",
    "老师说：“行百里者半九十。”意思是，走一百里路的人，走了九十里才算走了一半。"
    "我们做事情要坚持到底，不能半途而废，重要的是每天都要进步一点点。",
    "今天气温是-3℃到{n}℃，风速大约15km/h。请大家注意保暖，长时间在户外活动的同学要多穿衣服，"
    "放学以后早点回家，路上注意安全。",
)


def _paragraphs(count: int, offset: int) -> list[str]:
    return [TEMPLATES[k % len(TEMPLATES)].format(n=offset + k) for k in range(count)]


def _rate(chars: int, seconds: float) -> str:
    return f"{chars / seconds:10,.0f} chars/s  ({chars:,} chars in {seconds:.2f} s)"


def main(count: int = 200) -> None:
    t0 = time.perf_counter()
    fe = FrontEnd()
    fe.g2p = G2P(cache_size=0)  # no sentence cache: every sentence is read from scratch
    print(f"load (WeTN FSTs + polyphone model): {time.perf_counter() - t0:.2f} s")
    for text in _paragraphs(8, 10_000):  # warm-up: imports, dictionaries, first FST use
        fe.analyze(text)

    paragraphs = _paragraphs(count, 0)
    chars = sum(len(p) for p in paragraphs)

    t0 = time.perf_counter()
    normalized = [fe.normalizer.normalize(Annotated.verbatim(p, 0)) for p in paragraphs]
    t_norm = time.perf_counter() - t0

    texts = [a.text for a in normalized]
    t0 = time.perf_counter()
    for text in texts:
        fe.g2p.readings(text)
    t_g2p = time.perf_counter() - t0

    analyses = [fe.analyze(p) for p in _paragraphs(count, 50_000)]
    streams = [[s.tokens[k : k + 1] for s in a.segments for k in range(len(s.tokens))] for a in analyses]
    t0 = time.perf_counter()
    for stream in streams:
        segment(stream)
    t_seg = time.perf_counter() - t0

    fresh = _paragraphs(count, 100_000)
    fresh_chars = sum(len(p) for p in fresh)
    t0 = time.perf_counter()
    for text in fresh:
        fe.analyze(text)
    t_total = time.perf_counter() - t0

    print(f"normalise: {_rate(chars, t_norm)}")
    print(f"g2p:       {_rate(sum(len(t) for t in texts), t_g2p)}")
    print(f"segment:   {_rate(sum(len(a.normalized) for a in analyses), t_seg)}")
    print(f"total:     {_rate(fresh_chars, t_total)}  (analyze: markup, lexicon, normalise, g2p, segment)")


if __name__ == "__main__":
    main()

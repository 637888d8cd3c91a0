"""The 30-paragraph benchmark lesson shared by the render and back-check benchmarks.

Thirty distinct paragraphs (6 openers x 5 bodies) of ordinary classroom Chinese, 25-35 characters
each, so no two segments share a cache key and every number is for real synthesis and recognition.
"""

from __future__ import annotations

from pathlib import Path

OPENERS = ("同学们，", "请注意，", "我们来看，", "想一想，", "接下来，", "最后，")
BODIES = (
    "春天来了，公园里的花都开了，小朋友们在草地上快乐地玩耍。",
    "直角三角形两条直角边的平方和，等于斜边的平方，这就是勾股定理。",
    "请大家打开课本，翻到第二十页，我们一起来朗读这篇课文。",
    "中国有很多美丽的地方，每年都有许多游客来这里旅游。",
    "老师带着大家认识各种各样的植物，还讲了它们的生长过程。",
)
PARAGRAPHS = len(OPENERS) * len(BODIES)
EDITED = 11
"""The paragraph the warm re-render benchmark changes."""


def write_lesson(path: Path, *, edited: bool = False) -> None:
    paragraphs = [f"{o}{b}" for o in OPENERS for b in BODIES]
    if edited:
        paragraphs[EDITED] = "这一段刚刚被老师修改过，所以需要重新合成。"
    body = "\n".join(f"  - text: {p}" for p in paragraphs)
    path.write_text(
        f"id: bench-lesson\ntitle: 基准测试\ncourse: 基准\nparagraphs:\n{body}\n", encoding="utf-8"
    )

"""Polyphone accuracy: pypinyin alone, g2pM alone and our combination, on the same sentences.

Run: ``python benchmarks/bench_polyphone.py``. Data: ``tests/data/polyphone`` (a CPP test-split
sample, in-domain for g2pM, and hand-made classroom sentences, in-domain for nobody).
"""

from __future__ import annotations

import sys
from collections.abc import Callable
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from g2pM import G2pM
from pypinyin import Style, lazy_pinyin

from text_frontend.g2p import G2P

DATA = Path(__file__).resolve().parent.parent / "tests" / "data" / "polyphone"
Item = tuple[str, int, str]


def _split(marked: str, label: str) -> Item:
    before, char, after = marked.split("▁")
    return before + char + after, len(before), label


def cpp() -> list[Item]:
    sents = (DATA / "cpp_test_sample.sent").read_text(encoding="utf-8").splitlines()
    labels = (DATA / "cpp_test_sample.lb").read_text(encoding="utf-8").split()
    return [_split(s, label) for s, label in zip(sents, labels, strict=True)]


def hand_made() -> list[Item]:
    lines = (DATA / "hand_made.tsv").read_text(encoding="utf-8").splitlines()
    return [_split(*line.split("\t")) for line in lines if line.strip() and not line.startswith("#")]


def accuracy(items: list[Item], predict: Callable[[str], list[str | None]]) -> float:
    return sum(predict(text)[i] == label for text, i, label in items) / len(items)


def main() -> None:
    g2pm = G2pM()
    ours = G2P()
    systems: dict[str, Callable[[str], list[str | None]]] = {
        "pypinyin only": lambda t: list(
            lazy_pinyin(t, style=Style.TONE3, neutral_tone_with_five=True, errors=lambda x: ["?"] * len(x))  # type: ignore[arg-type,return-value]
        ),
        "g2pM only": lambda t: [p.replace("u:", "v") for p in g2pm(t, char_split=True)],
        "ours": ours.readings,
    }
    for name, items in (("CPP test sample", cpp()), ("hand-made classroom", hand_made())):
        print(f"{name} ({len(items)} sentences)")
        for system, predict in systems.items():
            print(f"  {system:14s} {accuracy(items, predict):6.1%}")


if __name__ == "__main__":
    main()

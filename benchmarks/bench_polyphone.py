"""Polyphone accuracy: pypinyin alone, g2pM alone, and our G2P layer by layer, on the same sentences.

Run: ``python benchmarks/bench_polyphone.py`` (a few minutes: g2pM's reference code is slow on the
9,893-sentence CPP dev split). Data:

- classroom dev (``tests/data/polyphone/classroom_dev.tsv`` and ``classroom_dev_batch*.tsv``): written
  for the project; the rules and the classroom word list were tuned on it, so it is a regression
  figure, not an estimate;
- classroom check (``classroom_check.tsv``): written before any tuning and never tuned on; the
  project's own held-out estimate (same author as the dev set, so it still flatters us somewhat);
- CPP dev split (``../shared/data/cpp-dev`` or ``$CPP_DEV``): Wikipedia sentences, g2pM's own
  domain; checked after every rule, never tuned on rule by rule;
- CPP test sample (``cpp_test_sample.*``, 452 sentences of CPP test): used to tune the original
  pypinyin + g2pM combination, so only a regression number now;
- hand-made (``hand_made.tsv``): the 48 classroom sentences of the first version.
"""

from __future__ import annotations

import os
import sys
import time
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from g2pM import G2pM  # noqa: E402
from pypinyin import Style, lazy_pinyin  # noqa: E402

from text_frontend.g2p import G2P  # noqa: E402

DATA = ROOT / "tests" / "data" / "polyphone"
CPP_DEV = Path(os.environ.get("CPP_DEV", ROOT.parent / "shared" / "data" / "cpp-dev"))
# The dev set grows in batches (classroom_dev_batch*.tsv); each batch keeps its own file, so the score
# it had before the fixes it prompted stays on record.
DEV_FILES = tuple(path.name for path in sorted(DATA.glob("classroom_dev*.tsv")))
Item = tuple[str, int, str]
Predict = Callable[[str], list[str | None]]


def _split(marked: str, label: str) -> Item:
    before, char, after = marked.split("▁")
    return before + char + after, len(before), label.replace("u:", "v")


def tsv(name: str) -> list[Item]:
    lines = (DATA / name).read_text(encoding="utf-8").splitlines()
    return [_split(*line.split("\t")) for line in lines if line.strip() and not line.startswith("#")]


def cpp(sent: Path, labels: Path) -> list[Item]:
    sents = sent.read_text(encoding="utf-8").splitlines()
    marks = labels.read_text(encoding="utf-8").split()
    return [_split(s, label) for s, label in zip(sents, marks, strict=True)]


def accuracy(items: list[Item], predict: Predict) -> float:
    return sum(predict(text)[i] == label for text, i, label in items) / len(items)


def main() -> None:
    sets: dict[str, list[Item]] = {
        "classroom dev": [item for name in DEV_FILES for item in tsv(name)],
        "classroom check": tsv("classroom_check.tsv"),
    }
    if (CPP_DEV / "dev.sent").exists():
        sets["CPP dev split"] = cpp(CPP_DEV / "dev.sent", CPP_DEV / "dev.lb")
    else:
        print(f"(CPP dev split not found at {CPP_DEV}; set CPP_DEV to its folder)")
    sets["CPP test sample"] = cpp(DATA / "cpp_test_sample.sent", DATA / "cpp_test_sample.lb")
    sets["hand-made"] = tsv("hand_made.tsv")

    g2pm = G2pM()
    started = time.perf_counter()
    ours = G2P(cache_size=0)
    load = time.perf_counter() - started
    systems: dict[str, Predict] = {
        "pypinyin only": lambda t: list(
            lazy_pinyin(t, style=Style.TONE3, neutral_tone_with_five=True, errors=lambda x: ["?"] * len(x))  # type: ignore[arg-type,return-value]
        ),
        "g2pM only": lambda t: [p.replace("u:", "v") for p in g2pm(t, char_split=True)],
        "dictionary words + g2pM": G2P(cache_size=0, rules=False, classroom_words=False).readings,
        "+ classroom words": G2P(cache_size=0, rules=False).readings,
        "+ context rules (ours)": ours.readings,
    }
    names = list(sets)
    print("| system | " + " | ".join(f"{n} ({len(sets[n]):,})" for n in names) + " |")
    print("|---|" + "---:|" * len(names))
    for system, predict in systems.items():
        cells = [f"{accuracy(sets[n], predict):.1%}" for n in names]
        print(f"| {system} | " + " | ".join(cells) + " |")

    texts = [text for text, _, _ in sets.get("CPP dev split", sets["CPP test sample"])]
    started = time.perf_counter()
    for text in texts:
        ours.readings(text)
    seconds = time.perf_counter() - started
    chars = sum(len(t) for t in texts)
    print(f"\nG2P: loads in {load:.2f} s; reads {chars / seconds:,.0f} chars/s ({chars:,} chars, cache off)")


if __name__ == "__main__":
    main()

"""How far the knowledge the front end has can take CPP: a trained arbiter and the oracle.

Run: ``python benchmarks/bench_polyphone_ceiling.py`` (about a minute). It answers one question: is
the gap to 98.5 % on CPP a matter of combining what we have better, or of knowledge we do not have?

- **oracle**: the share of sentences where our G2P or g2pM is right; no way of choosing between the
  two can beat it;
- **trained arbiter**: a log-linear model over each polyphone's readings, trained with 5-fold cross
  validation on the CPP dev split (plus the classroom dev set in every training fold). Its features
  are g2pM's log-probability and top choice, the reading our layers chose and which layer chose it,
  pypinyin's default, every dictionary word that covers the character, and how often each reading
  follows or precedes the same neighbour in pypinyin's phrase dictionary. The classroom check set is
  never trained on.

Both stay below 98.5 %, so the remaining errors need a contextual model (g2pW's BERT reaches 99.1 % on
CPP test), and none installs offline here. The arbiter is therefore not shipped: its gain is small and
it would be one more trained artefact to keep.
"""

from __future__ import annotations

import math
import random
import sys
from collections import Counter, defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "benchmarks"))

from bench_polyphone import CPP_DEV, Item, cpp, tsv  # noqa: E402
from pypinyin import Style, pinyin  # noqa: E402
from pypinyin.constants import PHRASES_DICT  # noqa: E402
from pypinyin.contrib.tone_convert import to_tone3  # noqa: E402

from text_frontend.g2p import G2P  # noqa: E402

Features = dict[str, float]
_FOLDS = 5


@dataclass(frozen=True, slots=True)
class Case:
    """One marked polyphone with everything the arbiter may look at."""

    text: str
    i: int
    label: str
    ours: str | None
    source: str
    g2pm: dict[str, float]
    default: str
    covering: tuple[tuple[str, str], ...]
    candidates: tuple[str, ...]


def _tone3(syllable: str) -> str:
    return str(to_tone3(syllable, neutral_tone_with_five=True)).replace("ü", "v")


def _covering(text: str, i: int) -> tuple[tuple[str, str], ...]:
    """Every dictionary word of two or more characters that covers ``text[i]``, with its reading."""
    out: list[tuple[str, str]] = []
    for size in range(2, 7):
        for start in range(max(0, i - size + 1), min(i, len(text) - size) + 1):
            word = text[start : start + size]
            readings = PHRASES_DICT.get(word)
            if readings is not None and len(readings) == size:
                out.append((word, _tone3(readings[i - start][0])))
    return tuple(out)


def cases(items: list[Item], g2p: G2P) -> list[Case]:
    out: list[Case] = []
    for text, i, label in items:
        reading = g2p.explain(text)[i]
        char = text[i]
        scores = g2p.model.scores(text, [i])[0] if g2p.model.is_polyphone(char) else {}
        readings = [
            p.replace("ü", "v")
            for p in pinyin(char, style=Style.TONE3, heteronym=True, neutral_tone_with_five=True)[0]
        ]
        ours = reading.pinyin if reading is not None else None
        candidates = tuple(dict.fromkeys([*scores, *readings, *([ours] if ours else [])]))
        out.append(
            Case(
                text,
                i,
                label,
                ours,
                reading.source if reading else "",
                scores,
                readings[0],
                _covering(text, i),
                candidates,
            )
        )
    return out


class Neighbours:
    """How often each reading of a character follows or precedes a given character in dictionary words."""

    def __init__(self, chars: set[str]) -> None:
        self.left: dict[tuple[str, str], Counter[str]] = defaultdict(Counter)
        self.right: dict[tuple[str, str], Counter[str]] = defaultdict(Counter)
        for word, readings in PHRASES_DICT.items():
            if len(readings) != len(word):
                continue
            for j, char in enumerate(word):
                if char in chars:
                    said = _tone3(readings[j][0])
                    self.left[(char, word[j - 1] if j else "^")][said] += 1
                    self.right[(char, word[j + 1] if j + 1 < len(word) else "$")][said] += 1


def features(case: Case, reading: str, neighbours: Neighbours) -> Features:
    text, i = case.text, case.i
    char = text[i]
    f: Features = {f"prior|{char}|{reading}": 1.0}
    if case.g2pm:
        f["g2pm_logprob"] = max(case.g2pm.get(reading, -20.0), -20.0)
        if reading == max(case.g2pm, key=case.g2pm.__getitem__):
            f["g2pm_top"] = 1.0
            f[f"g2pm_top|{char}"] = 1.0
    if reading == case.ours:
        f[f"ours|{case.source}"] = 1.0
        f[f"ours|{case.source}|{char}"] = 1.0
    if reading == case.default:
        f["pypinyin_default"] = 1.0
    left = text[i - 1] if i else "^"
    right = text[i + 1] if i + 1 < len(text) else "$"
    for name, table, key in (
        ("left", neighbours.left, (char, left)),
        ("right", neighbours.right, (char, right)),
    ):
        counts = table.get(key)
        if counts:
            total = sum(counts.values())
            f[name] = math.log((counts[reading] + 0.1) / (total + 0.1 * (len(counts) + 1)))
            if counts.most_common(1)[0][0] == reading:
                f[name + "_top"] = 1.0
    agree = [word for word, said in case.covering if said == reading]
    if agree:
        f["covering_words"] = len(agree)
    if case.covering and max(case.covering, key=lambda ws: len(ws[0]))[1] == reading:
        f["longest_covering_word"] = 1.0
    return f


@dataclass
class Arbiter:
    """Multinomial logistic regression over a character's readings, trained with AdaGrad."""

    neighbours: Neighbours
    weights: defaultdict[str, float] = field(default_factory=lambda: defaultdict(float))
    squares: defaultdict[str, float] = field(default_factory=lambda: defaultdict(float))

    def _score(self, f: Features) -> float:
        return sum(self.weights.get(k, 0.0) * v for k, v in f.items())

    def choose(self, case: Case) -> str:
        return max(case.candidates, key=lambda r: self._score(features(case, r, self.neighbours)))

    def train(self, training: list[Case], epochs: int = 8, rate: float = 0.3, l2: float = 1e-4) -> Arbiter:
        rng = random.Random(0)
        data = [
            (case, [features(case, r, self.neighbours) for r in case.candidates])
            for case in training
            if case.label in case.candidates
        ]
        for _ in range(epochs):
            rng.shuffle(data)
            for case, fs in data:
                scores = [self._score(f) for f in fs]
                top = max(scores)
                exps = [math.exp(s - top) for s in scores]
                total = sum(exps)
                for reading, f, e in zip(case.candidates, fs, exps, strict=True):
                    gradient = e / total - (1.0 if reading == case.label else 0.0)
                    for k, v in f.items():
                        g = gradient * v + l2 * self.weights[k]
                        self.squares[k] += g * g
                        self.weights[k] -= rate * g / math.sqrt(self.squares[k] + 1e-8)
        return self


def accuracy(chosen: Sequence[str | None], data: list[Case]) -> float:
    return sum(c == case.label for c, case in zip(chosen, data, strict=True)) / len(data)


def main() -> None:
    if not (CPP_DEV / "dev.sent").exists():
        sys.exit(f"CPP dev split not found at {CPP_DEV}; set CPP_DEV to its folder")
    g2p = G2P(cache_size=0)
    cpp_dev = cases(cpp(CPP_DEV / "dev.sent", CPP_DEV / "dev.lb"), g2p)
    classroom_dev = cases(tsv("classroom_dev.tsv"), g2p)
    check = cases(tsv("classroom_check.tsv"), g2p)
    neighbours = Neighbours({c.text[c.i] for c in [*cpp_dev, *classroom_dev, *check]})

    def g2pm_choice(c: Case) -> str | None:
        return max(c.g2pm, key=c.g2pm.__getitem__) if c.g2pm else c.ours

    order = list(range(len(cpp_dev)))
    random.Random(1).shuffle(order)
    folds = [order[k::_FOLDS] for k in range(_FOLDS)]
    chosen: dict[int, str] = {}
    for k in range(_FOLDS):
        held = set(folds[k])
        training = [c for j, c in enumerate(cpp_dev) if j not in held] + classroom_dev
        arbiter = Arbiter(neighbours).train(training)
        chosen.update({j: arbiter.choose(cpp_dev[j]) for j in folds[k]})
    full = Arbiter(neighbours).train(cpp_dev + classroom_dev)

    print(f"| system | CPP dev split ({len(cpp_dev):,}) | classroom check ({len(check)}) |")
    print("|---|---:|---:|")
    for name, on_cpp, on_check in (
        ("g2pM only", [g2pm_choice(c) for c in cpp_dev], [g2pm_choice(c) for c in check]),
        ("our G2P", [c.ours for c in cpp_dev], [c.ours for c in check]),
        (
            "trained arbiter (5-fold CV on CPP)",
            [chosen[j] for j in range(len(cpp_dev))],
            [full.choose(c) for c in check],
        ),
    ):
        print(f"| {name} | {accuracy(on_cpp, cpp_dev):.1%} | {accuracy(on_check, check):.1%} |")
    oracle_cpp = sum(c.label in (c.ours, g2pm_choice(c)) for c in cpp_dev) / len(cpp_dev)
    oracle_check = sum(c.label in (c.ours, g2pm_choice(c)) for c in check) / len(check)
    print(f"| oracle: ours or g2pM, whichever is right | {oracle_cpp:.1%} | {oracle_check:.1%} |")


if __name__ == "__main__":
    main()

"""Long runs without a clause end reach WeTN in bounded pieces, cut only where WeTN reads the same."""

from __future__ import annotations

import itertools
from functools import cache

import pytest

from text_frontend.normalize import Annotated, TextNormalizer
from text_frontend.normalize.wetn import _MAX_CALL, _pieces, _safe_cut


@cache
def _normalizer() -> TextNormalizer:
    return TextNormalizer()


class _Recorder:
    """Stands in for WeTN's Normalizer and remembers how long each input was."""

    def __init__(self, real: object) -> None:
        self.real = real
        self.lengths: list[int] = []

    def normalize(self, text: str) -> str:
        self.lengths.append(len(text))
        out: str = self.real.normalize(text)  # type: ignore[attr-defined]
        return out


@pytest.mark.parametrize("unit", ["1/3 ", "10001,", "1" * 7 + "a"])
def test_a_long_run_without_clause_ends_reaches_wetn_in_bounded_pieces(
    unit: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    wetn = _normalizer().wetn
    recorder = _Recorder(wetn._normalizer)
    monkeypatch.setattr(wetn, "_normalizer", recorder)
    text = unit * (300 // len(unit))
    out = _normalizer().normalize(Annotated.verbatim(text, 0))
    assert recorder.lengths and max(recorder.lengths) <= _MAX_CALL
    assert sum(recorder.lengths) <= len(text)
    assert out.text and "/" not in out.text and "0" not in out.text


SAFE_CUT_SAMPLES = (
    "The quick brown fox jumps over the lazy dog at 10:30 a m and 7 p m with USD 5 and $ 10",
    "1/3 1/4 2/5 1 + 2 + 3 = 6 and 5 kg or 5 sq ft or 12 sq mi, 3 km/h 100 % 2024/03/05",
    "1 2 3 4 5 6 7 8 9 10 11 12 1,000 2,000 1, 2, 3; 4! 5? 6 1,000个 10-20个 3 : 1 PAOK 3:1",
    "x 1 / 3 y 1 - 2 z 5 ~ 6 ksq ft wsq mi 10:30 am 10:30 pm A M B2B M.V.P 90后 -5 +6 ±7",
)


@pytest.mark.parametrize("text", SAFE_CUT_SAMPLES)
def test_wetn_reads_both_sides_of_a_safe_cut_as_it_reads_the_whole(text: str) -> None:
    wetn = _normalizer().wetn
    whole = wetn.raw(text)
    cuts = [i for i in range(1, len(text)) if _safe_cut(text, i, 0)]
    assert len(cuts) >= 2
    wrong = [(text[:i], text[i:]) for i in cuts if wetn.raw(text[:i]) + wetn.raw(text[i:]) != whole]
    assert not wrong


@pytest.mark.parametrize(
    ("text", "cut"),
    [
        ("5 kg", 2),
        ("10:30 am", 6),
        ("10:30 a m", 8),
        ("5 sq ft", 5),
        ("5ksq ft", 5),
        ("USD 5", 4),
        ("$ 5", 2),
        ("1 / 3", 2),
        ("1 / 3", 4),
        ("1 + 2", 4),
        ("1,000个", 2),
        ("沙尔克04 3:1", 6),
    ],
)
def test_no_safe_cut_inside_what_wetn_reads_as_one_token(text: str, cut: int) -> None:
    wetn = _normalizer().wetn
    assert wetn.raw(text[:cut]) + wetn.raw(text[cut:]) != wetn.raw(text)
    assert not _safe_cut(text, cut, 0)


def test_long_ordinary_runs_read_the_same_cut_as_whole() -> None:
    wetn = _normalizer().wetn
    for text in SAFE_CUT_SAMPLES:
        assert len(_pieces(text)) > 1
        assert wetn.normalize(Annotated.verbatim(text, 0)).text == wetn.raw(text)


def test_pieces_cover_the_window_and_prefer_safe_cuts() -> None:
    text = "1/3 " * 50
    spans = _pieces(text)
    assert spans[0][0] == 0 and spans[-1][1] == len(text)
    assert all(a[1] == b[0] for a, b in itertools.pairwise(spans))
    assert all(0 < hi - lo <= _MAX_CALL for lo, hi in spans)
    assert all(text[hi - 1] == " " for _, hi in spans[:-1])
    unbroken = "10001," * 40
    assert all(unbroken[hi - 1] == "," for _, hi in _pieces(unbroken)[:-1])


def test_a_long_run_with_no_safe_cut_is_not_cut_inside_a_number() -> None:
    # The symbol layer turns each + into 加, leaving WeTN one 150-character window of digits and 加.
    text = "x = " + " + ".join(str(n) for n in range(1, 40))
    wetn = _normalizer().wetn
    assert "加".join(wetn.raw(str(n)) for n in range(1, 40)) in _normalizer().normalize_text(text)

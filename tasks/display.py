"""A segment's display text (the script's own words, markup stripped) and where each of its
characters sits in the paragraph, so times of spoken tokens can be put on the words shown."""

from __future__ import annotations

import itertools
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass

from text_frontend.markup import PauseMark, Plain, parse_markup
from text_frontend.types import Segment, Syllable

_OPENING = "“‘「『（(《〈【[{"

_Located = list[tuple[str, int | None]]


@dataclass(frozen=True, slots=True)
class DisplayText:
    text: str
    sources: tuple[int | None, ...]
    """Per character of ``text``: its index in the paragraph's text, as ``Token.source`` counts;
    None for a segment made purely by normalisation, which shows its reading."""


@dataclass(frozen=True, slots=True)
class _Mark:
    """A markup token at ``[start, end)`` of the paragraph; ``shown_end`` ends the display text it
    keeps (which starts right after its opening bracket), or is None for a pause mark."""

    start: int
    end: int
    shown_end: int | None


@dataclass(frozen=True, slots=True)
class _Markup:
    """Where the paragraph's markup is, as the front end's parser read it, so captions drop exactly
    the brackets, readings and pauses the voice treated as markup (``【行】（hang2）`` too, while
    ``【注意】（见下文）`` is prose and stays)."""

    marks: tuple[_Mark, ...]
    shown: frozenset[int]
    """Positions of the characters a caption may show: plain text and the display text of readings."""

    @classmethod
    def of(cls, text: str) -> _Markup:
        marks: list[_Mark] = []
        shown: set[int] = set()
        for piece in parse_markup(text).pieces:
            if isinstance(piece, Plain):
                shown.update(range(piece.start, piece.start + len(piece.text)))
            elif isinstance(piece, PauseMark):
                marks.append(_Mark(piece.start, piece.end, None))
            else:
                marks.append(_Mark(piece.start, piece.end, piece.start + 1 + len(piece.text)))
                shown.update(range(piece.start + 1, piece.start + 1 + len(piece.text)))
        return cls(tuple(marks), frozenset(shown))

    def pause_at(self, position: int, end: int) -> _Mark | None:
        return next(
            (m for m in self.marks if m.start == position and m.shown_end is None and m.end <= end), None
        )


@dataclass(frozen=True, slots=True)
class _Edges:
    """Where a segment's verbatim tokens lie in the paragraph, and how many syllables it says
    around them that normalisation made (the reading of "100%", "3cm", "AT&T")."""

    first: int | None
    end: int | None
    leading: int
    trailing: int


def display_map(paragraph_text: str, segment: Segment) -> DisplayText:
    """The display text of a paragraph read as this one segment (see ``display_maps``)."""
    return display_maps(paragraph_text, [segment])[0]


def display_maps(paragraph_text: str, segments: Sequence[Segment]) -> tuple[DisplayText, ...]:
    """Each segment's stretch of the script, markup stripped, for captions and speech marks.

    Captions should show what the teacher wrote ("3²+4²=5²"), not the normalised reading
    ("三的平方加四的平方…"). Only characters copied verbatim carry a ``source``, so a number,
    formula or Latin word at a segment's edge is found in the gap between two segments' verbatim
    characters: the gap goes to the segments that said something there, shared by how many
    syllables each said. The paragraph is cut into consecutive stretches, so the display texts
    of its segments concatenate to its text with nothing lost or doubled. A segment with no
    stretch of its own falls back to its reading.
    """
    if not segments:
        return ()
    edges = [_edges(s) for s in segments]
    markup = _Markup.of(paragraph_text)
    cuts = _cuts(paragraph_text, edges, markup)
    return tuple(
        _stretch(paragraph_text, cuts[i], cuts[i + 1], markup) or _reading(segment)
        for i, segment in enumerate(segments)
    )


def _edges(segment: Segment) -> _Edges:
    tokens = segment.tokens
    sourced = [k for k, t in enumerate(tokens) if t.source is not None]
    if not sourced:
        return _Edges(None, None, 0, max(1, len(segment.syllables)))
    first, last = sourced[0], sourced[-1]
    said = [isinstance(t, Syllable) for t in tokens]
    sources = [t.source for t in tokens if t.source is not None]
    return _Edges(min(sources), max(sources) + 1, sum(said[:first]), sum(said[last + 1 :]))


def _cuts(text: str, edges: Sequence[_Edges], markup: _Markup) -> list[int]:
    """Where each segment's stretch of ``text`` starts, and the end of the last one."""
    cuts = [0] * (len(edges) + 1)
    cuts[-1] = len(text)
    anchored = [i for i, e in enumerate(edges) if e.first is not None]
    spans: dict[int, tuple[int, int]] = {}
    floor = 0
    for i in anchored:  # verbatim characters come in order; guard against overlaps all the same
        first = max(edges[i].first or 0, floor)
        floor = max(edges[i].end or 0, first)
        spans[i] = (first, floor)
    # Gaps between verbatim stretches: before the first, between each pair, after the last.
    bounds: list[int | None] = [None, *anchored, None]
    for before, after in itertools.pairwise(bounds):
        start = 0 if before is None else spans[before][1]
        end = len(text) if after is None else spans[after][0]
        lo = 0 if before is None else before
        hi = len(edges) - 1 if after is None else after
        claimants = list(range(lo, hi + 1))
        weights = [_weight(edges, k, before, after) for k in claimants]
        for k, cut in zip(claimants[1:], _share(text, start, end, weights, markup), strict=True):
            cuts[k] = cut
    return cuts


def _weight(edges: Sequence[_Edges], k: int, before: int | None, after: int | None) -> int:
    """How many syllables segment ``k`` said in the gap between ``before`` and ``after``."""
    if k == before:
        return edges[k].trailing
    if k == after:
        return edges[k].leading
    return edges[k].trailing  # said nothing verbatim: all its syllables are in the gap


def _share(text: str, start: int, end: int, weights: Sequence[int], markup: _Markup) -> list[int]:
    """Cuts dividing ``text[start:end]`` among claimants in proportion to ``weights``."""
    total = sum(weights)
    cuts: list[int] = []
    if total == 0:
        # Said by nobody (spaces, marks, unspoken symbols): closing punctuation stays with the
        # segment before, an opening quote or anything else goes with the one after.
        cut = start
        while cut < end:
            mark = markup.pause_at(cut, end)
            if mark is None and not _trails(text[cut]):
                break
            cut = mark.end if mark else cut + 1
        return [_snap(cut, markup)] * (len(weights) - 1)
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    counted = 0
    for w, w_next in itertools.pairwise(weights):
        counted += w
        target = start + round((end - start) * counted / total)
        # Keep a word or number whole if a break is near; a long run is cut where its share ends.
        radius = (end - start) * min(w, w_next) // (2 * total)
        cut = _snap(_word_break(text, target, max(start, target - radius), min(end, target + radius)), markup)
        cuts.append(max(cut, cuts[-1] if cuts else start))
    return cuts


def _trails(char: str) -> bool:
    return char.isspace() or (unicodedata.category(char).startswith("P") and char not in _OPENING)


def _word_break(text: str, cut: int, start: int, end: int) -> int:
    """The nearest position to ``cut`` within ``start..end`` that does not split a run of letters
    and digits, or ``cut`` itself if there is none."""
    for distance in range(end - start + 1):
        for p in (cut - distance, cut + distance):
            if start <= p <= end and not (0 < p < len(text) and _in_word(text[p - 1]) and _in_word(text[p])):
                return p
    return cut


def _in_word(char: str) -> bool:
    """A letter or digit of a Latin word or a number (Han characters are words of their own)."""
    return char.isalnum() and not unicodedata.name(char, "").startswith("CJK")


def _snap(cut: int, markup: _Markup) -> int:
    """Move a cut out of a markup token, to the side away from its spoken content."""
    for mark in markup.marks:
        if mark.start < cut < mark.end:
            if mark.shown_end is None or mark.shown_end <= cut:
                return mark.end
            return mark.start
    return cut


def _stretch(text: str, start: int, end: int, markup: _Markup) -> DisplayText | None:
    located: _Located = [(text[i], i) for i in range(start, end) if i in markup.shown]
    shown = "".join(c for c, _ in located)
    lead = len(shown) - len(shown.lstrip())
    kept = located[lead : lead + len(shown.strip())]
    if not kept:
        return None
    return DisplayText("".join(c for c, _ in kept), tuple(i for _, i in kept))


def _reading(segment: Segment) -> DisplayText:
    return DisplayText(segment.text, (None,) * len(segment.text))

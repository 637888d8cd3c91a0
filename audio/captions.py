"""SRT and WebVTT captions cut the way broadcasters cut Chinese subtitles, timed by the speech marks.

A cue holds at most ``lines`` lines of ``line_chars`` characters and stays on screen ``min_s`` to
``max_s`` seconds (``config.captions``). Cues and lines break only between words, preferring the end
of a sentence, then a clause (a comma, a pause between segments), then any word; one word longer
than a line is the only thing ever cut. The text is the script's own words, punctuation included.

Where to cut is chosen per paragraph by dynamic programming over the words: fewest cues first,
then the best breaks, so a long sentence is split into even cues instead of a full one and a stub.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass

from config.captions import CaptionRules

# What a cue costs, and what a break after a word costs by its strength (see ``CaptionWord``): a
# break inside a clause costs more than a cue, so an extra cue that ends at a comma is preferred.
_CUE = 100
_BREAK = {3: 0, 2: 10, 1: 150}
_SENTENCE_INSIDE = 10
_TOO_SHORT = 100_000

_Width = Callable[[int, int], int]
"""Characters of words[a:b] on one line."""


@dataclass(frozen=True, slots=True)
class Cue:
    start: float
    end: float
    text: str
    lines: tuple[str, ...] = ()
    """How ``text`` is broken on screen; empty: one line."""


@dataclass(frozen=True, slots=True)
class CaptionWord:
    """A word of the script with the punctuation and space after it, and when it is spoken (ms)."""

    text: str
    start_ms: int
    end_ms: int
    strength: int
    """How good a break after it is: 3 end of a sentence, 2 a clause or a pause, 1 a word boundary."""
    paragraph: int
    """Cues never run from one paragraph into the next."""


def layout_cues(words: Sequence[CaptionWord], rules: CaptionRules, *, end_ms: int) -> list[Cue]:
    """Cues for ``words`` in order; ``end_ms`` is the end of the audio (the last cue may run on to it)."""
    cues: list[tuple[int, int, list[str]]] = []
    start = 0
    while start < len(words):
        stop = start
        while stop < len(words) and words[stop].paragraph == words[start].paragraph:
            stop += 1
        after = words[stop].start_ms if stop < len(words) else end_ms
        cues += _paragraph_cues_cached(words[start:stop], rules, after)
        start = stop
    out: list[Cue] = []
    previous_end = 0
    for start, end, lines in cues:
        if end - start < rules.min_s * 1000:  # start early, into the pause after the cue before
            start = max(previous_end, end - round(rules.min_s * 1000))
        out.append(Cue(start / 1000, end / 1000, "".join(lines), tuple(lines)))
        previous_end = end
    return out


_Layout = list[tuple[int, int, list[str]]]
_LAYOUTS: dict[tuple[object, ...], _Layout] = {}
_LAYOUT_LIMIT = 4096


def _paragraph_cues_cached(words: Sequence[CaptionWord], rules: CaptionRules, after_ms: int) -> _Layout:
    """``_paragraph_cues``, remembered by the paragraph's words and times relative to its start:
    a re-render in the same process (a worker, the web server) lays out only what changed."""
    base = words[0].start_ms
    key = (rules, after_ms - base, *((w.text, w.start_ms - base, w.end_ms - base, w.strength) for w in words))
    relative = _LAYOUTS.get(key)
    if relative is None:
        relative = [(a - base, b - base, lines) for a, b, lines in _paragraph_cues(words, rules, after_ms)]
        if len(_LAYOUTS) >= _LAYOUT_LIMIT:
            _LAYOUTS.clear()
        _LAYOUTS[key] = relative
    return [(a + base, b + base, lines) for a, b, lines in relative]


def _paragraph_cues(words: Sequence[CaptionWord], rules: CaptionRules, after_ms: int) -> _Layout:
    n = len(words)
    full = [len(w.text) for w in words]
    shown = [len(w.text.rstrip()) for w in words]
    prefix, sentences = [0], [0]  # characters, and sentence ends, before each word
    for word, length in zip(words, full, strict=True):
        prefix.append(prefix[-1] + length)
        sentences.append(sentences[-1] + (word.strength >= 3))

    def width(a: int, b: int) -> int:  # characters of words[a:b] on one line, trailing space dropped
        return prefix[b - 1] - prefix[a] + shown[b - 1]

    def next_start(k: int) -> int:
        return words[k].start_ms if k < n else after_ms

    reach = _line_reach(n, width, rules.line_chars)

    def fits(i: int, k: int) -> bool:
        """Whether words[i:k] fill at most ``lines`` lines: filling each line greedily is optimal."""
        for _ in range(rules.lines):
            if width(i, k) <= rules.line_chars:
                return True
            i = reach[i]
            if i >= k:
                return False
        return False

    max_ms, min_ms = rules.max_s * 1000, rules.min_s * 1000
    cue_chars = rules.cue_chars
    starts = [w.start_ms for w in words]
    inf = float("inf")
    best: list[float] = [0.0] + [inf] * n
    choice = [0] * (n + 1)
    for k in range(1, n + 1):
        last = words[k - 1]
        ends = _CUE + _BREAK.get(last.strength, _BREAK[1])
        before, right, sentences_before = prefix[k - 1] + shown[k - 1], last.end_ms, sentences[k - 1]
        too_soon = next_start(k) - min_ms  # a cue starting after this is over in under min_s
        for i in range(k - 1, -1, -1):
            chars = before - prefix[i]
            if i < k - 1 and (chars > cue_chars or right - starts[i] > max_ms):
                break
            cost = best[i] + ends + _SENTENCE_INSIDE * (sentences_before - sentences[i])
            cost += (cue_chars - chars) / cue_chars
            if starts[i] > too_soon:
                cost += _TOO_SHORT
            if cost < best[k] and (i == k - 1 or fits(i, k)):
                best[k], choice[k] = cost, i
    cues: list[tuple[int, int, list[str]]] = []
    k = n
    while k > 0:
        i = choice[k]
        start = words[i].start_ms
        # run on into the pause after the words when they are over too soon, never into the next cue
        end = max(words[k - 1].end_ms, min(start + round(min_ms), next_start(k)))
        lines = (
            _hard_wrap(words[i], rules) if i == k - 1 and not fits(i, k) else _wrap(words, width, i, k, rules)
        )
        cues.append((start, end, lines))
        k = i
    return cues[::-1]


def _line_reach(n: int, width: _Width, line_chars: int) -> list[int]:
    """For each word: where a line starting at it ends when filled greedily (at least one word)."""
    reach = []
    j = 0
    for i in range(n):
        j = max(j, i + 1)
        while j < n and width(i, j + 1) <= line_chars:
            j += 1
        reach.append(j)
    return reach


def _wrap(words: Sequence[CaptionWord], width: _Width, i: int, k: int, rules: CaptionRules) -> list[str]:
    """The lines of words[i:k] (known to fit): one line if it can, two balanced at the best break,
    or, with more lines allowed, each filled in turn."""
    if width(i, k) <= rules.line_chars:
        return [_line(words[i:k])]
    if rules.lines > 2:
        lines, start = [], i
        while start < k:
            end = start + 1
            while end < k and width(start, end + 1) <= rules.line_chars:
                end += 1
            lines.append(_line(words[start:end]))
            start = end
        return lines
    best: tuple[float, int] = (float("inf"), i + 1)
    for j in range(i + 1, k):
        first, second = width(i, j), width(j, k)
        if first <= rules.line_chars and second <= rules.line_chars:
            score = _BREAK.get(words[j - 1].strength, _BREAK[1]) + abs(first - second)
            best = min(best, (score, j))
    return [_line(words[i : best[1]]), _line(words[best[1] : k])]


def _hard_wrap(word: CaptionWord, rules: CaptionRules) -> list[str]:
    """A single word on its own: cut only when it is longer than a line."""
    text = word.text.strip()
    size = rules.line_chars
    return [text[i : i + size] for i in range(0, len(text), size)] or [text]


def _line(words: Sequence[CaptionWord]) -> str:
    return "".join(w.text for w in words).strip()


def _stamp(seconds: float, separator: str) -> str:
    millis = max(0, round(seconds * 1000))
    hours, rest = divmod(millis, 3_600_000)
    minutes, rest = divmod(rest, 60_000)
    secs, ms = divmod(rest, 1000)
    return f"{hours:02d}:{minutes:02d}:{secs:02d}{separator}{ms:03d}"


def _clean(text: str) -> str:
    # A blank line ends a cue in both formats; "-->" would be read as a timing line.
    return " ".join(text.split()).replace("-->", "→")


_SRT_TAG = re.compile(r"<(?=/?[A-Za-z])|\{(?=\\)")
"""What SRT players read as markup: the start of an HTML-like tag (<b>, </i>, <font …>) and an
override block ({\\an8}). SRT has no escapes, so these become their full-width look-alikes."""


def _srt_text(text: str) -> str:
    return _SRT_TAG.sub(lambda m: "＜" if m.group() == "<" else "｛", _clean(text))


def _vtt_text(text: str) -> str:
    """WebVTT cue text with ``&``, ``<`` and ``>`` as character references: a script's "x<3" or
    "AT&T" is text to show, not a tag or an entity."""
    return _clean(text).replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def _body(cue: Cue, line: Callable[[str], str]) -> str:
    return "\n".join(line(text) for text in cue.lines) if cue.lines else line(cue.text)


def to_srt(cues: Sequence[Cue]) -> str:
    blocks = [
        f"{i}\n{_stamp(c.start, ',')} --> {_stamp(c.end, ',')}\n{_body(c, _srt_text)}\n"
        for i, c in enumerate(cues, start=1)
    ]
    return "\n".join(blocks)


def to_vtt(cues: Sequence[Cue]) -> str:
    blocks = [f"{_stamp(c.start, '.')} --> {_stamp(c.end, '.')}\n{_body(c, _vtt_text)}\n" for c in cues]
    return "WEBVTT\n\n" + "\n".join(blocks)

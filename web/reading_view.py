"""One paragraph as the page's reading view draws it: each piece of the text as written, with its reading.

The readings come from :func:`text_frontend.explain.explain_line`, the code ``lessonaudio g2p
--explain`` prints, so page and CLI agree. This module only lays them over the text as the teacher
wrote it: markup (``[行](hang2)``, ``[Python](派森)``, ``[[500ms]]``) is one piece, a Latin word is one
piece, and each Han character carries the word it sits in, for a lexicon entry.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass

from text_frontend.explain import ExplainedSyllable, explain_line
from text_frontend.frontend import FrontEnd
from text_frontend.g2p import split_words
from text_frontend.lexicon import LESSON, Lexicon, build_lexicon
from text_frontend.markup import Alias, MarkupIssue, Override, PauseMark, parse_markup

_HAN_RUN = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff〇]+")


@dataclass(frozen=True, slots=True)
class WordSpan:
    start: int
    end: int
    text: str
    pinyin: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class MarkupSpan:
    """An inline override the piece sits in: re-fixing the piece rewrites this markup."""

    start: int
    end: int
    text: str
    syllables: tuple[str, ...]
    index: int
    """Which character of the override this piece is."""


@dataclass(frozen=True, slots=True)
class ReadingPiece:
    start: int
    end: int
    """``text[start:end]`` of the paragraph as written is what this piece covers (markup included)."""
    text: str
    kind: str
    """``han``, ``latin`` (a Latin word), ``alias``, ``pause`` or ``other`` (punctuation, digits)."""
    pinyin: str | None
    polyphone: bool = False
    why: str | None = None
    detail: str | None = None
    candidates: tuple[str, ...] = ()
    spelled: bool = False
    """A Latin word no lexicon knows: it will be spelled letter by letter."""
    word: WordSpan | None = None
    override: MarkupSpan | None = None


@dataclass(frozen=True, slots=True)
class ParagraphReading:
    text: str
    normalized: str
    pieces: tuple[ReadingPiece, ...]
    issues: tuple[MarkupIssue, ...]


def lesson_lexicon(entries: Mapping[str, str]) -> Lexicon:
    """The lexicon the editor shows, as the front end reads it; bad entries are left out (the
    script check reports them at their line)."""
    lexicon, _ = build_lexicon({w: r for w, r in entries.items() if w.strip()}, LESSON)
    return lexicon


def paragraph_reading(front_end: FrontEnd, text: str, lexicon: Lexicon) -> ParagraphReading:
    analysis, syllables = explain_line(front_end, text, lexicon)
    by_source: dict[int, ExplainedSyllable] = {}
    for s in syllables:
        if s.source is not None:
            by_source.setdefault(s.source, s)
    latin = {w.start: w for w in analysis.latin_words}
    markup = {p.start: p for p in parse_markup(text).pieces if isinstance(p, (Override, Alias, PauseMark))}
    words = _words(text, markup, by_source)
    pieces: list[ReadingPiece] = []
    i = 0
    while i < len(text):
        piece = markup.get(i)
        if isinstance(piece, Override):
            pieces.extend(_override_pieces(piece, by_source))
            i = piece.end
        elif isinstance(piece, Alias):
            pieces.append(
                ReadingPiece(piece.start, piece.end, piece.text, "alias", piece.spoken, why="inline")
            )
            i = piece.end
        elif isinstance(piece, PauseMark):
            pieces.append(ReadingPiece(piece.start, piece.end, text[piece.start : piece.end], "pause", None))
            i = piece.end
        elif i in latin:
            word = latin[i]
            spelled = word.kind == "spelled"
            why = "spelled" if spelled else "builtin_lexicon"
            pieces.append(
                ReadingPiece(word.start, word.end, word.text, "latin", word.reading, why=why, spelled=spelled)
            )
            i = max(word.end, i + 1)
        elif i in by_source:
            pieces.append(_han_piece(i, by_source[i], words.get(i)))
            i += 1
        else:
            pieces.append(ReadingPiece(i, i + 1, text[i], "other", None))
            i += 1
    return ParagraphReading(text, analysis.normalized, tuple(pieces), analysis.issues)


def _han_piece(at: int, s: ExplainedSyllable, word: WordSpan | None) -> ReadingPiece:
    return ReadingPiece(
        at, at + 1, s.char, "han", s.pinyin, s.polyphone, s.why, s.detail or None, s.candidates, word=word
    )


def _override_pieces(piece: Override, by_source: dict[int, ExplainedSyllable]) -> list[ReadingPiece]:
    out: list[ReadingPiece] = []
    written = [k for k, ch in enumerate(piece.text) if not ch.isspace()]
    for index, k in enumerate(written):
        at = piece.start + 1 + k
        s = by_source.get(at)
        span = MarkupSpan(piece.start, piece.end, piece.text, piece.syllables, index)
        reading = s.pinyin if s is not None else piece.syllables[index]
        out.append(
            ReadingPiece(
                piece.start,
                piece.end,
                piece.text[k],
                "han",
                reading,
                s.polyphone if s is not None else False,
                "inline",
                None,
                s.candidates if s is not None else (reading,),
                override=span,
            )
        )
    return out


def _words(
    text: str, markup: Mapping[int, object], by_source: Mapping[int, ExplainedSyllable]
) -> dict[int, WordSpan]:
    """For each Han character outside markup, the dictionary word of two or more characters it is in."""
    covered = {
        k
        for p in markup.values()
        if isinstance(p, (Override, Alias, PauseMark))
        for k in range(p.start, p.end)
    }
    out: dict[int, WordSpan] = {}
    for run in _HAN_RUN.finditer(text):
        pos = run.start()
        for word in split_words(run.group()):
            span = range(pos, pos + len(word))
            pos += len(word)
            if len(word) < 2 or any(k in covered or k not in by_source for k in span):
                continue
            found = WordSpan(span.start, span.stop, word, tuple(by_source[k].pinyin for k in span))
            for k in span:
                out[k] = found
    return out

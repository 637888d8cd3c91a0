"""The front end's one entry point: paragraph text (with markup) + lexicon → what the voice will say.

Order matters and is the reason this module exists: markup and lexicon entries are resolved first
(they always win), the whole paragraph is normalised at once (so 2个 sees its 个), readings are chosen
with the whole sentence as context, and only then is the result cut into segments, never inside a
number's reading, an override or an alias unless it alone is longer than a segment (then it is cut
between syllables and reported in ``Analysis.long_readings``).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from text_frontend.g2p import G2P
from text_frontend.latin.spelling import spell_leftovers, spell_spoken
from text_frontend.latin.terms import Term, find_terms, with_term_readings
from text_frontend.latin.words import LatinWord, reading_chars
from text_frontend.lexicon import Lexicon, LexiconStack
from text_frontend.markup import Alias, MarkupIssue, Override, PauseMark, Plain, parse_markup
from text_frontend.normalize import Annotated, Char, TextNormalizer, UnspokenSpan, find_unspoken, is_han
from text_frontend.normalize.annotated import Origin
from text_frontend.normalize.doubts import Doubt, find_doubts
from text_frontend.normalize.unspoken import PUNCTUATION
from text_frontend.segment import Break, PausePolicy, Unit, segment
from text_frontend.types import Punct, Segment, Syllable, Token

_NO_LEXICON = Lexicon()
_DEFAULT_PAUSES = PausePolicy()
_PLACEHOLDER_BASE = 0xF0000  # Supplementary Private Use Area-A: never in lesson text, kept by WeTN


@dataclass(frozen=True, slots=True)
class LongReading:
    """A number, formula, alias or lexicon entry that is read as more syllables than one segment holds.

    It is still spoken in full, cut between its syllables; the validator warns because a number
    read for half a minute is almost always a mistake. ``start``/``end`` index the paragraph as
    written.
    """

    start: int
    end: int
    syllables: int


@dataclass(frozen=True, slots=True)
class Analysis:
    """Everything the front end decided about one paragraph."""

    text: str
    normalized: str
    segments: tuple[Segment, ...]
    unspoken: tuple[UnspokenSpan, ...]
    issues: tuple[MarkupIssue, ...]
    leading_pause_ms: int = 0
    long_readings: tuple[LongReading, ...] = ()
    latin_words: tuple[LatinWord, ...] = ()
    """Latin words read by the built-in lexicon or spelled letter by letter, in paragraph order."""
    doubts: tuple[Doubt, ...] = ()
    """Units normalisation could not read and exponents too large to say, in paragraph order."""

    @property
    def tokens(self) -> tuple[Token, ...]:
        return tuple(t for s in self.segments for t in s.tokens)

    @property
    def syllables(self) -> tuple[Syllable, ...]:
        return tuple(t for t in self.tokens if isinstance(t, Syllable))


@dataclass(frozen=True, slots=True)
class _Fixed:
    """A span whose reading is decided by the teacher: an override, an alias or a lexicon match."""

    display: str
    positions: tuple[int, ...]  # source index of each display character
    syllables: tuple[str, ...] | None
    spoken: str | None
    origin: Origin
    span: tuple[int, int]  # what the writer wrote: the whole [..](..) markup, or the lexicon word
    term: Term | None = None  # a built-in English term: said with its pinned reading


class FrontEnd:
    """Loads WeTN and the polyphone model once; :meth:`analyze` is safe to call from many threads."""

    def __init__(self, cache_dir: Path | None = None, pauses: PausePolicy = _DEFAULT_PAUSES) -> None:
        self.normalizer = TextNormalizer(cache_dir)
        self.g2p = G2P()
        self.pauses = pauses

    # -- public API ---------------------------------------------------------------------------

    def analyze(
        self,
        paragraph_text: str,
        lexicon: Lexicon | LexiconStack = _NO_LEXICON,
        *,
        max_chars: int = 50,
        pause_after_ms: int | None = None,
    ) -> Analysis:
        """Normalise, read and segment one paragraph; ``pause_after_ms`` replaces the last pause."""
        markup = parse_markup(paragraph_text)
        out = _Output(paragraph_text, max_chars)
        region: list[Plain | _Fixed] = []
        for piece in markup.pieces:
            if isinstance(piece, PauseMark):
                self._region(region, out)
                region = []
                out.stream.append(Break(piece.ms))
            elif isinstance(piece, Plain):
                region.extend(_with_terms(self._expand_lexicon(piece, lexicon)))
            else:
                region.append(_from_markup(piece))
        self._region(region, out)
        stream, unspoken = out.stream, out.unspoken
        segments, leading = segment(stream, max_chars=max_chars, policy=self.pauses)
        if pause_after_ms is not None and segments:
            last = segments[-1]
            ends_with_mark = bool(stream) and isinstance(stream[-1], Break)
            pause = max(pause_after_ms, last.pause_after_ms) if ends_with_mark else pause_after_ms
            segments[-1] = Segment(last.text, last.tokens, pause)
        return Analysis(
            text=paragraph_text,
            normalized="".join(s.text for s in segments),
            segments=tuple(segments),
            unspoken=tuple(sorted(unspoken, key=lambda u: u.start)),
            issues=markup.issues,
            leading_pause_ms=leading,
            long_readings=tuple(out.long_readings),
            latin_words=tuple(sorted(out.latin_words, key=lambda w: w.start)),
            doubts=tuple(sorted(out.doubts, key=lambda d: d.start)),
        )

    def unspoken(
        self, paragraph_text: str, lexicon: Lexicon | LexiconStack = _NO_LEXICON
    ) -> tuple[UnspokenSpan, ...]:
        """Spans of the paragraph as written that the voice will skip (for the validator)."""
        return self.analyze(paragraph_text, lexicon).unspoken

    def g2p_line(self, text: str, lexicon: Lexicon | LexiconStack = _NO_LEXICON) -> dict[str, Any]:
        """How one line will be read, as the JSON the ``lessonaudio g2p --json`` command prints."""
        analysis = self.analyze(text, lexicon)
        return {
            "text": text,
            "normalized": analysis.normalized,
            "syllables": [
                {"char": s.char, "pinyin": s.pinyin, "source": s.source} for s in analysis.syllables
            ],
            "unspoken": [
                {"start": u.start, "end": u.end, "text": u.text, "reason": u.reason}
                for u in analysis.unspoken
            ],
            "latin_words": [
                {"start": w.start, "end": w.end, "text": w.text, "kind": w.kind, "reading": w.reading}
                for w in analysis.latin_words
            ],
            "issues": [
                {"start": i.start, "end": i.end, "message": i.message, "fix": i.fix} for i in analysis.issues
            ],
        }

    # -- internals ----------------------------------------------------------------------------

    def _expand_lexicon(self, plain: Plain, lexicon: Lexicon | LexiconStack) -> list[Plain | _Fixed]:
        if not lexicon.entries:
            return [plain]
        out: list[Plain | _Fixed] = []
        cursor = 0
        for at, entry in lexicon.matches(plain.text):
            if at > cursor:
                out.append(Plain(plain.text[cursor:at], plain.start + cursor))
            positions = tuple(plain.start + at + k for k in range(len(entry.word)))
            span = (positions[0], positions[-1] + 1)
            out.append(_Fixed(entry.word, positions, entry.syllables, entry.alias, "lexicon", span))
            cursor = at + len(entry.word)
        if cursor < len(plain.text):
            out.append(Plain(plain.text[cursor:], plain.start + cursor))
        return out

    def _region(self, pieces: list[Plain | _Fixed], out: _Output) -> None:
        """Normalise, read and group one stretch between pause marks; append its units to ``out``."""
        if not pieces:
            return
        annotated = Annotated(())
        fixed: dict[int, _Fixed] = {}
        for piece in pieces:
            if isinstance(piece, Plain):
                annotated = annotated + Annotated.verbatim(piece.text, piece.start)
                out.doubts.extend(find_doubts(piece.text, piece.start))
                continue
            atom = len(fixed) + 1
            fixed[atom] = piece
            if piece.syllables is not None and all(is_han(c) or c.isspace() for c in piece.display):
                # Han characters survive WeTN unchanged, so they stay visible as context for numbers.
                annotated = annotated + Annotated(tuple(_pinned_chars(piece, atom)))
            else:
                annotated = annotated + Annotated((Char(chr(_PLACEHOLDER_BASE + atom), atom=atom),))
        normalized = self.normalizer.normalize(annotated)
        chars: list[Char] = []
        for c in normalized.chars:
            if c.atom is not None and c.pinned is None and c.atom in fixed:
                chars.extend(self._expand_fixed(fixed[c.atom], c.atom))
            else:
                chars.append(c)
        for piece in fixed.values():
            if piece.term is not None:
                start, end = piece.span
                written = out.original[start:end]
                out.latin_words.append(LatinWord(start, end, written, "lexicon", piece.term.reading.text))
        spelled = spell_leftovers(chars, out.original, first_atom=len(fixed) + 1)
        chars = spelled.chars
        out.latin_words.extend(spelled.words)
        out.unspoken.extend(find_unspoken((c for c in chars if c.pinned is None), out.original))
        first, last = pieces[0], pieces[-1]
        bounds = (
            first.start if isinstance(first, Plain) else first.span[0],
            last.start + len(last.text) if isinstance(last, Plain) else last.span[1],
        )
        spans = {atom: piece.span for atom, piece in fixed.items()} | spelled.spans
        self._read(chars, out, bounds, spans)

    def _expand_fixed(self, piece: _Fixed, atom: int) -> list[Char]:
        if piece.term is not None:
            return reading_chars(piece.term.reading, *piece.span, piece.origin, atom)
        if piece.syllables is not None:
            return _pinned_chars(piece, atom)
        spoken = self.normalizer.normalize(with_term_readings(piece.spoken or ""))
        return spell_spoken([Char(c.char, None, c.pinned, piece.origin, atom) for c in spoken.chars])

    def _read(
        self, chars: list[Char], out: _Output, bounds: tuple[int, int], spans: dict[int, tuple[int, int]]
    ) -> None:
        """Read ``chars`` and group the tokens into units; ``bounds`` is the region as written."""
        at = [
            i for i, c in enumerate(chars) if c.pinned is not None or is_han(c.char) or c.char in PUNCTUATION
        ]
        text = "".join(chars[i].char for i in at)
        readings = self.g2p.readings(text, [chars[i].pinned for i in at])
        unit: list[Token] = []
        unit_key: object = None
        first = last = 0  # indices in ``chars`` of the unit's first and last token

        def close() -> None:
            out.stream.append(tuple(unit))
            if len(unit) > out.max_chars and isinstance(unit_key, tuple):
                atom = unit_key[1] if unit_key[0] == "atom" else None
                span = spans[atom] if isinstance(atom, int) else _written_span(chars, first, last, bounds)
                out.long_readings.append(LongReading(*span, syllables=len(unit)))

        for i, reading in zip(at, readings, strict=True):
            c = chars[i]
            token: Token
            if c.char in PUNCTUATION and c.pinned is None:
                token = Punct(c.char, c.source)
                key: object = None
            elif reading is None:  # a Han character no dictionary knows
                if c.source is not None:
                    written = out.original[c.source]
                    out.unspoken.append(UnspokenSpan(c.source, c.source + 1, written, "symbol"))
                continue
            else:
                token = Syllable(c.char, reading, c.source, c.origin)
                # Units: one per override/alias/lexicon entry; a run of produced characters (a number's
                # reading, a formula) is one unit too; each verbatim character stands alone.
                key = ("atom", c.atom) if c.atom is not None else ("made",) if c.source is None else None
            if unit and (key is None or key != unit_key):
                close()
                unit = []
            if not unit:
                first = i
            unit.append(token)
            unit_key = key
            last = i
        if unit:
            close()


@dataclass(slots=True)
class _Output:
    """What :meth:`FrontEnd.analyze` collects region by region."""

    original: str
    max_chars: int
    stream: list[Unit | Break] = field(default_factory=list)
    unspoken: list[UnspokenSpan] = field(default_factory=list)
    long_readings: list[LongReading] = field(default_factory=list)
    latin_words: list[LatinWord] = field(default_factory=list)
    doubts: list[Doubt] = field(default_factory=list)


def _written_span(chars: list[Char], first: int, last: int, bounds: tuple[int, int]) -> tuple[int, int]:
    """Where produced ``chars[first..last]`` came from: between the verbatim characters around them.

    Normalisation replaces a number or formula as a whole, so its source is what lies between the
    nearest characters that kept theirs (or the region's edge).
    """
    start = next((c.source + 1 for c in reversed(chars[:first]) if c.source is not None), bounds[0])
    end = next((c.source for c in chars[last + 1 :] if c.source is not None), bounds[1])
    return start, max(start, end)


def _with_terms(pieces: list[Plain | _Fixed]) -> list[Plain | _Fixed]:
    """Built-in English terms in the plain text the markup and lexicons left: the lowest layer."""
    out: list[Plain | _Fixed] = []
    for piece in pieces:
        if not isinstance(piece, Plain):
            out.append(piece)
            continue
        cursor = 0
        for match in find_terms(piece.text):
            if match.start > cursor:
                out.append(Plain(piece.text[cursor : match.start], piece.start + cursor))
            span = (piece.start + match.start, piece.start + match.end)
            positions = tuple(range(*span))
            out.append(_Fixed(match.written, positions, None, None, "lexicon", span, match.term))
            cursor = match.end
        if cursor == 0:
            out.append(piece)
        elif cursor < len(piece.text):
            out.append(Plain(piece.text[cursor:], piece.start + cursor))
    return out


def _from_markup(piece: Override | Alias) -> _Fixed:
    # Display text sits right after the opening "[" of the markup.
    positions = tuple(piece.start + 1 + k for k in range(len(piece.text)))
    span = (piece.start, piece.end)
    if isinstance(piece, Override):
        return _Fixed(piece.text, positions, piece.syllables, None, "override", span)
    return _Fixed(piece.text, positions, None, piece.spoken, "alias", span)


def _pinned_chars(piece: _Fixed, atom: int) -> list[Char]:
    assert piece.syllables is not None
    pairs = [(ch, pos) for ch, pos in zip(piece.display, piece.positions, strict=True) if not ch.isspace()]
    return [
        Char(ch, pos, syllable, piece.origin, atom)
        for (ch, pos), syllable in zip(pairs, piece.syllables, strict=True)
    ]

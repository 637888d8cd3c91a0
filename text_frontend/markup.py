"""Inline markup in paragraph text: ``[行](hang2)``, ``[Python](派森)`` and ``[[500ms]]``.

The parser never raises on bad markup. It returns the pieces it could read plus a list of
:class:`MarkupIssue` with character offsets, so the validator can point at the exact column and still
report every other problem in the same run. Offsets are indices into the paragraph text as written.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

from errors import InputError
from i18n import N_, _
from text_frontend.excerpt import excerpt
from text_frontend.pinyin import PinyinError, looks_like_pinyin, normalize_syllable, split_syllables

MAX_PAUSE_MS = 10_000
MAX_TEXT_PAUSE_MS = 60_000
"""Explicit ``[[…]]`` pause allowed in one text (a paragraph, a preview, a ``say`` line).

Each pause is capped by ``MAX_PAUSE_MS``, but without a cap on their sum a 2,000-character text of
``好[[10s]]`` asks for 41 minutes of silence, which a preview builds in memory. Checked here, in the
parser, so the validator, the web preview and ``say`` all refuse the same texts.
"""


@dataclass(frozen=True, slots=True)
class MarkupIssue:
    """A problem at ``[start, end)`` of the paragraph text, with the fix to suggest."""

    start: int
    end: int
    message: str
    fix: str


@dataclass(frozen=True, slots=True)
class Plain:
    """Text to normalise and read by the front end's own rules."""

    text: str
    start: int


@dataclass(frozen=True, slots=True)
class Override:
    """``[行](hang2)``: ``text`` is read with exactly ``syllables``, one per character."""

    text: str
    syllables: tuple[str, ...]
    start: int
    end: int


@dataclass(frozen=True, slots=True)
class Alias:
    """``[Python](派森)``: ``text`` is shown in captions but ``spoken`` is what is said."""

    text: str
    spoken: str
    start: int
    end: int


@dataclass(frozen=True, slots=True)
class PauseMark:
    """``[[500ms]]``: silence of ``ms`` milliseconds; also a segment boundary."""

    ms: int
    start: int
    end: int


Piece = Plain | Override | Alias | PauseMark


@dataclass(frozen=True, slots=True)
class Markup:
    pieces: tuple[Piece, ...]
    issues: tuple[MarkupIssue, ...]
    hints: tuple[MarkupIssue, ...] = ()
    """Warnings, not errors: text that looks like markup typed with full-width brackets but was not
    read as markup, so the validator can say why the voice will read it as written."""


class DurationError(InputError, ValueError):
    """A duration the writer must correct; ``fix`` says how."""

    def __init__(self, message: str, fix: str) -> None:
        super().__init__(message)
        self.fix = fix


_DURATION = re.compile(r"\s*(\d+(?:\.\d+)?)\s*(ms|s)\s*", re.IGNORECASE)


def parse_duration(text: str) -> int:
    """``"500ms"`` / ``"1.5s"`` → milliseconds; a bare number is refused because its unit is a guess."""
    match = _DURATION.fullmatch(text)
    if match is None:
        raise DurationError(
            _("'{text}' is not a duration").format(text=excerpt(text)),
            _("write a number with a unit, e.g. 500ms or 1.5s"),
        )
    value, unit = float(match.group(1)), match.group(2).lower()
    exact = value * (1000 if unit == "s" else 1)  # infinite for hundreds of digits: compare first
    if exact > MAX_PAUSE_MS:
        raise DurationError(
            _("pause of {text} is longer than {limit}s").format(
                text=excerpt(text.strip()), limit=MAX_PAUSE_MS // 1000
            ),
            _("split the lesson or use a shorter pause"),
        )
    return round(exact)


_HALF_WIDTH = {**{code: code - 0xFEE0 for code in range(0xFF01, 0xFF5F)}, 0x3000: 0x20}
"""Full-width letters, digits and signs as ASCII: a Chinese input method types ｈａｎｇ２ for hang2,
which would otherwise not look like pinyin and be spelled out as an alias."""


def clean_reading(reading: str) -> str:
    """``reading`` as the writer sees it: composed accents, no invisible or control characters.

    Text copied from a PDF or a Mac spells ``á`` as ``a`` plus a combining accent, and a zero-width
    space rides along with copied pinyin; either made ``háng`` fail the pinyin test and be spelled
    letter by letter as an alias, although it looks exactly like pinyin on screen.
    """
    composed = unicodedata.normalize("NFC", reading.translate(_HALF_WIDTH))
    return "".join(
        ch for ch in composed if unicodedata.category(ch) not in ("Cf", "Cc") or ch.isspace()
    ).strip()


def parse_reading(display: str, reading: str) -> tuple[str, ...] | str | MarkupIssue:
    """Decide whether ``reading`` pins pinyin for ``display`` or is an alias to speak instead.

    Returns normalised syllables, the alias text, or the issue to report (offsets relative to
    ``reading``). Shared by inline overrides and lexicon entries so both follow one rule.
    """
    reading = clean_reading(reading)
    if not reading:
        return MarkupIssue(0, 0, _("empty reading"), _("write pinyin such as hang2, or the words to say"))
    if not any(unicodedata.category(ch)[0] in "LN" for ch in reading):
        return MarkupIssue(
            0,
            len(reading),
            _("the reading '{text}' has nothing the voice can say").format(text=excerpt(reading)),
            _("write pinyin such as hang2, or the words to say in Chinese"),
        )
    if not looks_like_pinyin(reading):
        return reading
    syllables: list[str] = []
    for raw in split_syllables(reading):
        try:
            syllables.append(normalize_syllable(raw))
        except PinyinError as err:
            at = reading.find(raw)
            return MarkupIssue(max(at, 0), max(at, 0) + len(raw), str(err), err.fix)
    chars = [ch for ch in display if not ch.isspace()]
    if len(syllables) != len(chars):
        return MarkupIssue(
            0,
            len(reading),
            _("'{text}' has {chars} character(s) but {syllables} syllable(s) were given").format(
                text=excerpt(display), chars=len(chars), syllables=len(syllables)
            ),
            _("give one syllable per character, e.g. [银行](yin2 hang2)"),
        )
    return tuple(syllables)


_TOKEN = re.compile(r"\[\[(?P<pause>[^\[\]]*)\]\]|\[(?P<display>[^\[\]]+)\]\((?P<reading>[^()]*)\)")


def parse_markup(text: str) -> Markup:
    """Split ``text`` into pieces; malformed markup becomes an issue and is kept as plain text."""
    pieces: list[Piece] = []
    issues: list[MarkupIssue] = []
    cursor = 0
    for match in _TOKEN.finditer(text):
        if match.start() > cursor:
            pieces.append(Plain(text[cursor : match.start()], cursor))
        start, end = match.span()
        if match.group("pause") is not None:
            try:
                pieces.append(PauseMark(parse_duration(match.group("pause")), start, end))
            except DurationError as err:
                issues.append(MarkupIssue(start, end, str(err), err.fix))
        else:
            display, reading = match.group("display"), match.group("reading")
            parsed = parse_reading(display, reading)
            reading_at = match.start("reading")
            if isinstance(parsed, MarkupIssue):
                issues.append(
                    MarkupIssue(
                        reading_at + parsed.start,
                        reading_at + max(parsed.end, parsed.start + 1),
                        parsed.message,
                        parsed.fix,
                    )
                )
                pieces.append(Plain(display, match.start("display")))
            elif isinstance(parsed, tuple):
                pieces.append(Override(display, parsed, start, end))
            else:
                pieces.append(Alias(display, parsed, start, end))
        cursor = end
    if cursor < len(text):
        pieces.append(Plain(text[cursor:], cursor))
    hints: list[MarkupIssue] = []
    pieces = [
        p for piece in pieces for p in (_wide_markup(piece, hints) if isinstance(piece, Plain) else [piece])
    ]
    issues.extend(_stray_brackets(text, pieces))
    over = _pause_total_issue(pieces)
    if over is not None:
        issues.append(over)
        issues.sort(key=lambda issue: issue.start)
    return Markup(tuple(pieces), tuple(issues), tuple(hints))


_WIDE_TOKEN = re.compile(
    r"[\[【［]{2}(?P<pause>[^\[\]【】［］]*)[\]】］]{2}"
    r"|[\[【［](?P<display>[^\[\]【】［］()（）]+)[\]】］][(（](?P<reading>[^()（）\[\]【】［］]*)[)）]"
)
_ASCII_BRACKETS = frozenset("[]()")
_TONED = re.compile(r"[0-9āáǎàēéěèīíǐìōóǒòūúǔùǖǘǚǜńňǹḿ]")


def _wide_markup(plain: Plain, hints: list[MarkupIssue]) -> list[Piece]:
    """Markup typed with a Chinese input method, which gives 【】 and （） for [] and ().

    Full-width brackets are also ordinary prose (``【注意】（见下文）``), so they count as markup only
    when what they hold is unmistakable: valid pinyin, one syllable per character, or a duration.
    Anything else stays text; when it still looks meant as a reading or a pause, a hint says why
    it was not used.
    """
    out: list[Piece] = []
    text, cursor, at = plain.text, 0, 0
    while (match := _WIDE_TOKEN.search(text, at)) is not None:
        start, end = match.span()
        piece = None if _brackets(match) <= _ASCII_BRACKETS else _wide_piece(match, plain.start, hints)
        if piece is None:
            at = start + 1
            continue
        if start > cursor:
            out.append(Plain(text[cursor:start], plain.start + cursor))
        out.append(piece)
        cursor = at = end
    if cursor < len(text):
        out.append(Plain(text[cursor:], plain.start + cursor))
    return out if cursor else [plain]


def _brackets(match: re.Match[str]) -> set[str]:
    """The bracket characters of a token, not those inside its display or reading."""
    inner = [name for name in ("pause", "display", "reading") if match.group(name) is not None]
    edges = [match.start(), *(i for name in inner for i in match.span(name)), match.end()]
    return {ch for a, b in zip(edges[::2], edges[1::2], strict=True) for ch in match.string[a:b]}


def _wide_piece(match: re.Match[str], offset: int, hints: list[MarkupIssue]) -> Piece | None:
    start, end = offset + match.start(), offset + match.end()
    written = excerpt(match.group(0))
    if (pause := match.group("pause")) is not None:
        try:
            return PauseMark(parse_duration(pause.translate(_HALF_WIDTH)), start, end)
        except DurationError as err:
            if re.match(r"\s*\d", pause.translate(_HALF_WIDTH)):
                hints.append(_wide_hint(start, end, written, str(err), err.fix))
            return None
    display, reading = match.group("display"), match.group("reading")
    parsed = parse_reading(display, reading)
    if isinstance(parsed, tuple):
        return Override(display, parsed, start, end)
    cleaned = clean_reading(reading)
    meant = (
        looks_like_pinyin(cleaned)
        and _TONED.search(cleaned.lower()) is not None
        and len(split_syllables(cleaned)) == sum(not ch.isspace() for ch in display)
    )
    if isinstance(parsed, MarkupIssue) and meant:  # e.g. 【行】（hang6）, not 【版本】（v2）
        hints.append(_wide_hint(start, end, written, parsed.message, parsed.fix))
    return None


def _wide_hint(start: int, end: int, written: str, problem: str, fix: str) -> MarkupIssue:
    return MarkupIssue(
        start,
        end,
        _(
            "`{written}` looks like markup typed with full-width brackets, but it is read as text: {problem}"
        ).format(written=written, problem=problem),
        _("{fix}; write markup with [ ] and ( ), e.g. [行](hang2) or [[500ms]]").format(fix=fix),
    )


_STRAY = (
    (re.compile(r"\[\["), N_("unfinished pause markup"), N_("close it as [[500ms]]")),
    (
        re.compile(r"\]\]"),
        N_("unmatched ]] (no [[ opens it)"),
        N_("remove it, or write a pause as [[500ms]]"),
    ),
    (
        re.compile(r"\]\("),
        N_("unfinished override markup"),
        N_("write [字](pinyin) or [text](alias) with both brackets closed"),
    ),
)
_AROUND_FIX = N_(
    "remove it: markup is written [行](hang2), [Python](派森) or [[500ms]], with no bracket around it"
)


def _stray_brackets(text: str, pieces: list[Piece]) -> list[MarkupIssue]:
    """Flag ``[[``, ``]]`` and ``](`` left in plain text: markup typos, never prose.

    Left alone they would be shown in captions (and by engines that read punctuation, spoken), and
    the pause or reading the writer meant would silently not happen.
    """
    found: list[MarkupIssue] = []
    for piece in pieces:
        if not isinstance(piece, Plain):
            continue
        for pattern, message, fix in _STRAY:
            for m in pattern.finditer(piece.text):
                at = piece.start + m.start()
                found.append(MarkupIssue(at, at + 2, _(message), _(fix)))
    found.extend(_brackets_around_markup(text, pieces, found))
    return sorted(found, key=lambda issue: issue.start)


def _brackets_around_markup(text: str, pieces: list[Piece], found: list[MarkupIssue]) -> list[MarkupIssue]:
    """A ``[`` just before markup or a ``]`` just after it, as in ``[[行](hang2)]``.

    A lone bracket elsewhere is left alone: ``a[0]`` in a programming lesson and the interval
    ``(0, 1]`` in a maths one are prose. One touching markup is a typo for markup, and would be
    shown in captions around the word it was meant to wrap.
    """
    flagged = [(issue.start, issue.end) for issue in found]
    more: list[MarkupIssue] = []
    for piece in pieces:
        if isinstance(piece, Plain):
            continue
        before, after = piece.start - 1, piece.end
        if before >= 0 and text[before] == "[":
            more.append(MarkupIssue(before, before + 1, _("stray [ just before markup"), _(_AROUND_FIX)))
        if after < len(text) and text[after] == "]":
            more.append(MarkupIssue(after, after + 1, _("stray ] just after markup"), _(_AROUND_FIX)))
    return [m for m in more if not any(lo <= m.start < hi for lo, hi in flagged)]


def pause_total_ms(pieces: tuple[Piece, ...] | list[Piece]) -> int:
    """The explicit ``[[…]]`` pause in ``pieces``, in milliseconds."""
    return sum(piece.ms for piece in pieces if isinstance(piece, PauseMark))


def _pause_total_issue(pieces: list[Piece]) -> MarkupIssue | None:
    """The issue at the first pause that takes the text over ``MAX_TEXT_PAUSE_MS``, if one does.

    It points at that pause (not the whole text) so the writer sees where the silence adds up.
    """
    total = 0
    for piece in pieces:
        if not isinstance(piece, PauseMark):
            continue
        total += piece.ms
        if total > MAX_TEXT_PAUSE_MS:
            whole = pause_total_ms(pieces)
            return MarkupIssue(
                piece.start,
                piece.end,
                _("the pauses add up to {seconds:g}s, over the {limit}s limit for one paragraph").format(
                    seconds=whole / 1000, limit=MAX_TEXT_PAUSE_MS // 1000
                ),
                _("use fewer or shorter pauses, or split the paragraph"),
            )
    return None

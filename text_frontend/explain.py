"""Why each syllable of a line reads as it does: the one explanation the CLI and the web page share.

``lessonaudio g2p --explain`` prints it and the page's reading view draws it, so a teacher sees the
same answer in both: the reading, whether the character is a polyphone, the readings it could have,
and the layer that chose (inline override, lesson or course lexicon, rule, dictionary word, model).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from i18n import _
from text_frontend.g2p import Reading
from text_frontend.lexicon import Lexicon, LexiconStack
from text_frontend.types import Syllable

if TYPE_CHECKING:
    from text_frontend.frontend import Analysis, FrontEnd

# Who pinned a reading before the G2P saw it, by the front end's ``origin`` of the syllable.
PIN_SOURCES = {"override": "inline", "lexicon": "lesson_lexicon", "course": "course_lexicon"}
_NO_LEXICON = Lexicon()


@dataclass(frozen=True, slots=True)
class ExplainedSyllable:
    char: str
    pinyin: str
    source: int | None
    """Index of ``char`` in the line as written; None for characters normalisation produced."""
    origin: str
    polyphone: bool
    why: str
    """The layer that chose: ``inline``, ``lesson_lexicon``, ``rule``, ``word``, ``model``, ..."""
    detail: str
    """The rule's description or the dictionary word, when ``why`` has one."""
    candidates: tuple[str, ...]
    """The readings the character can have (one for a character that is not a polyphone)."""


def explain_line(
    front_end: FrontEnd, line: str, lexicon: Lexicon | LexiconStack = _NO_LEXICON
) -> tuple[Analysis, tuple[ExplainedSyllable, ...]]:
    """The front end's analysis of ``line`` and every syllable it says, each with its reason.

    The front end pins what overrides and lexicons chose; the G2P is asked again for the rest, with
    those pins as context, so its answer carries the layer (rule, dictionary word, model) that chose.
    """
    analysis = front_end.analyze(line, lexicon)
    tokens = analysis.tokens
    text = "".join(t.char for t in tokens)
    pins: list[Reading | None] = []
    for t in tokens:
        pin = None
        if isinstance(t, Syllable) and t.origin != "g2p":
            source = PIN_SOURCES.get(t.origin, "pinned")
            # A kind of pin this module does not know yet is still named, by its origin.
            pin = Reading(t.pinyin, source, t.origin if source == "pinned" else "")  # type: ignore[arg-type]
        pins.append(pin)
    explained = front_end.g2p.explain(text, pins)
    out: list[ExplainedSyllable] = []
    for t, why in zip(tokens, explained, strict=True):
        if not isinstance(t, Syllable):
            continue
        reason, detail = _reason(why, t.pinyin)
        polyphone = front_end.g2p.is_polyphone(t.char)
        out.append(
            ExplainedSyllable(
                t.char,
                t.pinyin,
                t.source,
                t.origin,
                polyphone,
                reason,
                detail,
                candidates(front_end, t.char, t.pinyin),
            )
        )
    return analysis, tuple(out)


def candidates(front_end: FrontEnd, char: str, reading: str) -> tuple[str, ...]:
    """The readings ``char`` can have, ``reading`` (the one chosen) first among them.

    The polyphone model's list where it has one; pypinyin's heteronyms for a character only the rules
    know (their readings are in the same tone-numbered spelling).
    """
    found: list[str] = []
    model = front_end.g2p.model.candidates.get(char)
    if model is not None:
        found.extend(model[1])
    elif front_end.g2p.is_polyphone(char):
        from pypinyin import Style, pinyin

        found.extend(
            p.replace("ü", "v")
            for p in pinyin(char, style=Style.TONE3, heteronym=True, neutral_tone_with_five=True)[0]
        )
    ordered = [reading, *(p for p in found if p != reading)]
    return tuple(dict.fromkeys(ordered))


def _reason(why: Reading | None, pinyin: str) -> tuple[str, str]:
    """The layer and its detail, in the reader's language: a rule's description is a catalog
    message (its English is also its name); a dictionary word is the word itself."""
    if why is None or why.pinyin != pinyin:  # read in a context the explanation cannot reproduce
        return "model", _("chosen in context")
    return why.source, _(why.detail) if why.source == "rule" and why.detail else why.detail

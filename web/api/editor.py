"""The page's script editor: a script as paragraphs and back (comments kept), and how a paragraph reads.

``/api/scripts/paragraphs`` and ``/api/scripts/apply`` do the YAML round trip on the server
(:mod:`lesson_specs.roundtrip`), so the teacher's comments and key order survive the paragraph
editor. ``/api/scripts/readings`` is ``lessonaudio g2p --explain`` for one paragraph, laid over the
text as written (:mod:`web.reading_view`), for the reading view's fix-by-click.
"""

# No `from __future__ import annotations`: FastAPI evaluates the handlers' annotations, which name
# the ``access`` dependencies this module is given.
from typing import Annotated

from fastapi import APIRouter, Depends
from pydantic import BaseModel, Field

from i18n import _
from lesson_specs import MAX_PARAGRAPH_CHARS, MAX_SCRIPT_BYTES, Diagnostic
from lesson_specs.roundtrip import (
    EditError,
    ParagraphEdit,
    RoundTripError,
    ScriptOutline,
    apply_edits,
    outline,
)
from text_frontend.lexicon import LESSON, build_lexicon, spoken_length
from web.api.access import Access
from web.api.responses import error_responses
from web.errors import ApiError
from web.reading_view import ReadingPiece, lesson_lexicon, paragraph_reading
from web.schemas import ScriptRequest
from web.services import Services
from web.tokens import TokenInfo
from web.validation import SCRIPT_SOURCE

MAX_PARAGRAPHS = 2_000
MAX_LEXICON_ENTRIES = 2_000
_WORD = Field(min_length=1, max_length=64)


class ParagraphOut(BaseModel):
    index: int = Field(description="0-based place in the script's `paragraphs:`; send it back as `source`.")
    text: str
    emotion: str | None = Field(description="The paragraph's own `emotion:`; null when it uses the script's.")
    pause_after: str | None = Field(description="`pause_after:` as written (e.g. `1s`), or null.")
    line: int = Field(description="1-based line where the paragraph starts.")


class OutlineOut(BaseModel):
    paragraphs: list[ParagraphOut]
    emotion: str | None = Field(description="The script's default emotion, if it sets one.")
    lexicon: dict[str, str] = Field(description="The lesson's own `lexicon:`, word to reading.")


class ParagraphIn(BaseModel):
    source: int | None = Field(
        None, ge=0, description="The paragraph's `index` in the script sent; null for a new paragraph."
    )
    text: str = Field(max_length=MAX_PARAGRAPH_CHARS)
    emotion: str | None = Field(None, max_length=32, description="null or empty: the script's emotion.")
    pause_after: str | None = Field(None, max_length=32, description="e.g. `500ms`, `1s`; null: none.")


class ApplyRequest(ScriptRequest):
    paragraphs: list[ParagraphIn] = Field(max_length=MAX_PARAGRAPHS, description="The whole list, in order.")
    lexicon_add: dict[str, str] = Field(
        default_factory=dict,
        max_length=MAX_LEXICON_ENTRIES,
        description="Entries to set in the lesson's `lexicon:` (added before `paragraphs:` if missing).",
    )


class ApplyOut(OutlineOut):
    script: str = Field(description="The script with the edits; comments and key order kept.")


class ReadingsRequest(BaseModel):
    text: str = Field(
        min_length=1, max_length=MAX_PARAGRAPH_CHARS, description="One paragraph, markup allowed."
    )
    lexicon: dict[str, str] = Field(
        default_factory=dict, max_length=MAX_LEXICON_ENTRIES, description="The lesson's `lexicon:`."
    )


class WordOut(BaseModel):
    start: int
    end: int
    text: str
    pinyin: list[str]


class OverrideOut(BaseModel):
    start: int
    end: int
    text: str
    syllables: list[str]
    index: int = Field(description="Which character of the override this piece is.")


class PieceOut(BaseModel):
    start: int = Field(description="`text[start:end]` is what the piece covers, markup included.")
    end: int
    text: str
    kind: str = Field(description="`han`, `latin`, `alias`, `pause` or `other`.")
    pinyin: str | None = Field(description="Tone-numbered pinyin; for a Latin word or alias, what is said.")
    polyphone: bool
    why: str | None = Field(
        description="Who chose the reading: `inline`, `lesson_lexicon`, `rule`, `word`, `dictionary`,"
        " `model`, `single`, `sandhi`; `spelled` or `builtin_lexicon` for Latin words."
    )
    detail: str | None = Field(description="The rule or dictionary word that chose.")
    candidates: list[str] = Field(description="The readings the character can have, the chosen one first.")
    spelled: bool = Field(description="A Latin word that will be spelled letter by letter.")
    word: WordOut | None = Field(description="The dictionary word the character is in, for a lexicon entry.")
    override: OverrideOut | None = Field(description="The inline override the character is in.")


class IssueOut(BaseModel):
    start: int
    end: int
    message: str
    fix: str


class ReadingsOut(BaseModel):
    text: str
    normalized: str
    pieces: list[PieceOut]
    issues: list[IssueOut]


def outline_out(found: ScriptOutline) -> OutlineOut:
    return OutlineOut(
        paragraphs=[
            ParagraphOut(
                index=p.index, text=p.text, emotion=p.emotion, pause_after=p.pause_after, line=p.line
            )
            for p in found.paragraphs
        ],
        emotion=found.emotion,
        lexicon=found.lexicon,
    )


def piece_out(p: ReadingPiece) -> PieceOut:
    word = (
        WordOut(start=p.word.start, end=p.word.end, text=p.word.text, pinyin=list(p.word.pinyin))
        if p.word
        else None
    )
    span = p.override
    override = (
        OverrideOut(
            start=span.start, end=span.end, text=span.text, syllables=list(span.syllables), index=span.index
        )
        if span
        else None
    )
    return PieceOut(
        start=p.start,
        end=p.end,
        text=p.text,
        kind=p.kind,
        pinyin=p.pinyin,
        polyphone=p.polyphone,
        why=p.why,
        detail=p.detail,
        candidates=list(p.candidates),
        spelled=p.spelled,
        word=word,
        override=override,
    )


def _script_error(err: RoundTripError) -> ApiError:
    diagnostic = Diagnostic(SCRIPT_SOURCE, err.line, err.col, err.message, err.fix)
    return ApiError(
        422,
        "bad_script",
        err.message,
        where=_("line {line}, column {column}").format(line=err.line, column=err.col),
        fix=err.fix,
        diagnostics=[diagnostic],
    )


def _check_lexicon(entries: dict[str, str]) -> None:
    _lexicon, issues = build_lexicon(entries, LESSON)
    for word, issue in issues.items():
        raise ApiError(
            422,
            "bad_lexicon_entry",
            _("lexicon `{word}`: {problem}").format(word=word, problem=issue.message),
            where="lexicon_add",
            fix=issue.fix,
        )


def router(services: Services, access: Access) -> APIRouter:
    routes = APIRouter(tags=["scripts"])

    @routes.post(
        "/api/scripts/paragraphs",
        response_model=OutlineOut,
        responses=error_responses(400, 401, 413, 422, 429),
    )
    def paragraphs(body: ScriptRequest, who: Annotated[TokenInfo, Depends(access.edit)]) -> OutlineOut:
        """The script as the paragraph editor shows it: each paragraph with its line, the default
        emotion and the lesson lexicon. Only YAML syntax and the `paragraphs:` list are checked here."""
        try:
            return outline_out(outline(body.script))
        except RoundTripError as err:
            raise _script_error(err) from None

    @routes.post(
        "/api/scripts/apply",
        response_model=ApplyOut,
        responses=error_responses(400, 401, 413, 422, 429),
    )
    def apply(body: ApplyRequest, who: Annotated[TokenInfo, Depends(access.edit)]) -> ApplyOut:
        """Write the edited paragraph list (and new lexicon entries) into the script, keeping its
        comments, key order and quoting. Paragraphs name the `index` they had (`source`), so moved
        paragraphs keep the comments written above them. Each `source` may appear once: a copied
        paragraph is a new one (`source: null`). Both script routes count against the editor's own
        limit (`LESSONAUDIO_WEB_EDITS_PER_MINUTE`): a large script takes seconds to rewrite."""
        _check_lexicon(body.lexicon_add)
        edits = [ParagraphEdit(p.source, p.text, p.emotion, p.pause_after) for p in body.paragraphs]
        try:
            script = apply_edits(body.script, edits, body.lexicon_add)
            found = outline(script)
        except RoundTripError as err:
            raise _script_error(err) from None
        except EditError as err:
            raise ApiError(
                422, "bad_paragraph_source", err.message, where=f"paragraphs[{err.edit}].source", fix=err.fix
            ) from None
        if len(script.encode()) > MAX_SCRIPT_BYTES:
            raise ApiError(
                422,
                "script_too_large",
                _("the edited script is over {limit} KB").format(limit=MAX_SCRIPT_BYTES // 1024),
                where="paragraphs",
                fix=_("split the lesson into several scripts"),
            )
        return ApplyOut(script=script, **outline_out(found).model_dump())

    @routes.post(
        "/api/scripts/readings",
        response_model=ReadingsOut,
        responses=error_responses(400, 401, 413, 422, 429),
    )
    def readings(
        body: ReadingsRequest, who: Annotated[TokenInfo, Depends(access.script_check)]
    ) -> ReadingsOut:
        """How a paragraph will be read, piece by piece as written: pinyin, polyphones with their
        candidate readings, and who chose each reading (as `lessonaudio g2p --explain` says).
        Markup problems come back in `issues`, not as an error; a paragraph the lexicon makes longer
        than a paragraph may be is refused before it is read (`paragraph_too_long`)."""
        lexicon = lesson_lexicon(body.lexicon)
        said = spoken_length(body.text, lexicon)
        if said > MAX_PARAGRAPH_CHARS:
            raise ApiError(
                422,
                "paragraph_too_long",
                _(
                    "paragraph is {count:,} characters once the lexicon's aliases are put in"
                    " ({written:,} as written), over the {limit:,} limit"
                ).format(count=said, written=len(body.text), limit=MAX_PARAGRAPH_CHARS),
                where="text",
                fix=_(
                    "shorten the lexicon's aliases for words the paragraph repeats, or split the paragraph"
                ),
            )
        found = paragraph_reading(services.checker.front_end.get(), body.text, lexicon)
        return ReadingsOut(
            text=found.text,
            normalized=found.normalized,
            pieces=[piece_out(p) for p in found.pieces],
            issues=[IssueOut(start=i.start, end=i.end, message=i.message, fix=i.fix) for i in found.issues],
        )

    return routes

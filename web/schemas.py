"""The API's request and response bodies, as OpenAPI documents them (``/docs``, ``/openapi.json``)."""

from __future__ import annotations

from datetime import datetime
from typing import Literal, get_args

from pydantic import BaseModel, ConfigDict, Field

from lesson_specs import MAX_PARAGRAPH_CHARS, MAX_SCRIPT_BYTES, Emotion
from text_frontend.markup import MAX_TEXT_PAUSE_MS

EmotionName = Literal["neutral", "happy", "sad", "angry", "gentle", "serious", "excited", "surprised"]
assert set(get_args(EmotionName)) == {e.value for e in Emotion}, "keep EmotionName in step with Emotion"


class ErrorDetail(BaseModel):
    code: str = Field(description="Stable machine-readable reason, e.g. `rate_limited`.")
    message: str = Field(description="What went wrong, in words.")
    where: str | None = Field(None, description="The field, path or text position concerned.")
    fix: str | None = Field(None, description="What to change to make the request succeed.")


class DiagnosticOut(BaseModel):
    severity: Literal["error", "warning"]
    line: int = Field(description="1-based line in the script.")
    column: int = Field(description="1-based column in the script.")
    paragraph: int | None = Field(description="1-based paragraph number, when the problem is in one.")
    message: str
    fix: str
    text: str = Field(description="The one-line form the CLI prints: `file:line:col: … (fix)`.")


class ErrorResponse(BaseModel):
    error: ErrorDetail
    diagnostics: list[DiagnosticOut] | None = Field(None, description="Every problem in a lesson script.")


class TtsRequest(BaseModel):
    """The reference API's request (ModelScope Sambert-HifiGan WebUI), plus an optional voice."""

    model_config = ConfigDict(json_schema_extra={"example": {"text": "同学们好！", "emotion": "happy"}})

    text: str = Field(
        min_length=1,
        max_length=MAX_PARAGRAPH_CHARS,
        description="One paragraph; lesson markup allowed, its `[[…]]` pauses at most"
        f" {MAX_TEXT_PAUSE_MS // 1000} s in all. Long text is split into segments.",
    )
    emotion: EmotionName = Field("neutral", description="Prosody preset.")
    voice: str | None = Field(None, max_length=64, description="Voice name; default from settings.")


class ScriptRequest(BaseModel):
    script: str = Field(
        min_length=1,
        max_length=MAX_SCRIPT_BYTES,
        description="The lesson script (YAML), as the file would contain it.",
    )


class RenderRequest(ScriptRequest):
    callback_url: str | None = Field(
        None,
        max_length=2000,
        description="Called with a signed POST when the render finishes or fails "
        "(see the `X-Lessonaudio-Signature` header).",
    )
    voice: str | None = Field(None, max_length=64, description="Override the script's voice.")


class LessonOut(BaseModel):
    id: str
    title: str
    course: str | None
    paragraphs: int


class ValidationOut(BaseModel):
    ok: bool = Field(description="True when the script has no errors (warnings allowed).")
    errors: list[DiagnosticOut]
    warnings: list[DiagnosticOut]
    lesson: LessonOut | None


class StageOut(BaseModel):
    name: str = Field(description="`front end`, `synthesis`, `assemble`, …")
    total: int
    done: int
    finished: bool


class WebhookOut(BaseModel):
    delivered: bool
    attempts: int
    status: int | None
    error: str | None


class JobOut(BaseModel):
    id: str
    state: Literal["queued", "running", "finished", "failed"]
    lesson_id: str
    title: str
    submitted_by: str = Field(description="Name of the token that submitted the job.")
    script_sha256: str = Field(description="SHA-256 of the submitted script's UTF-8 bytes.")
    submitted_at: datetime
    started_at: datetime | None
    finished_at: datetime | None
    stages: list[StageOut]
    render_id: str | None = Field(description="Set when finished; see `/api/renders/{render_id}`.")
    error: str | None
    webhook: WebhookOut | None
    runner: Literal["local", "prefect"] = Field(
        description="`local`: rendered by the web server; `prefect`: a flow run on a Prefect worker."
    )
    flow_run_id: str | None = Field(description="The Prefect flow run, once a `prefect` job is submitted.")
    status_url: str


class FileOut(BaseModel):
    name: str
    url: str
    download_url: str
    media_type: str


class RenderOut(BaseModel):
    render_id: str
    lesson_id: str
    title: str
    course: str | None
    created_at: datetime | None
    duration_s: float | None
    segments: int | None
    paragraphs: int | None = Field(None, description="Paragraphs in the lesson, from the manifest.")
    paragraphs_resynthesised: int | None = Field(
        None,
        description="Paragraphs this render synthesised afresh (at least one segment not from the cache).",
    )
    files: list[FileOut]


class SessionRequest(BaseModel):
    token: str = Field(min_length=1, max_length=200, description="A teacher token from the admin.")


class EmotionsOut(BaseModel):
    emotions: list[str]
    voices: list[str]
    default_voice: str

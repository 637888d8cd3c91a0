"""The HTTP API: preview (``POST /tts``, the reference API's shape), script checks, renders, files.

Every route needs a teacher token (Bearer, or the page's session cookie). A teacher's token sees only
the jobs and renders it submitted, an admin's sees all; anything else answers 404, exactly as for an
id that does not exist, so ids cannot be probed. Handlers that run models or touch disks are plain
``def``: FastAPI runs them on its thread pool, so the event loop stays free.
"""

# No `from __future__ import annotations`: FastAPI must evaluate the annotations of the route
# closures below, which name local dependencies.
from typing import Annotated, Any, Literal, get_args

from fastapi import APIRouter, Depends, Path, Query, Request, Response
from fastapi.responses import FileResponse
from fastapi.security import HTTPAuthorizationCredentials

from engines import emotion_names, voice_names
from lesson_specs import Diagnostic
from storage.layout import CAPTIONS_SRT, CAPTIONS_VTT, LESSON_MP3, LESSON_WAV, MANIFEST
from web.auth import bearer_scheme, caller
from web.errors import ApiError
from web.jobs import Job
from web.netguard import TargetRefused
from web.ratelimit import RateLimiter
from web.render_index import QA_HTML, QA_JSON, RenderEntry
from web.schemas import (
    DiagnosticOut,
    EmotionsOut,
    ErrorResponse,
    FileOut,
    JobOut,
    LessonOut,
    RenderOut,
    RenderRequest,
    ScriptRequest,
    StageOut,
    TtsRequest,
    ValidationOut,
    WebhookOut,
)
from web.services import Services
from web.tokens import TokenInfo
from web.validation import ScriptReport

MEDIA_TYPES = {
    LESSON_MP3: "audio/mpeg",
    LESSON_WAV: "audio/wav",
    CAPTIONS_VTT: "text/vtt; charset=utf-8",
    CAPTIONS_SRT: "application/x-subrip; charset=utf-8",
    MANIFEST: "application/json",
    QA_HTML: "text/html; charset=utf-8",
    QA_JSON: "application/json",
}
FileName = Literal[
    "lesson.mp3", "lesson.wav", "captions.vtt", "captions.srt", "manifest.json", "qa.html", "qa.json"
]
assert set(get_args(FileName)) == set(MEDIA_TYPES)

JOB_ID = r"^[0-9a-f]{16}$"
RENDER_ID = r"^\d{8}T\d{6}Z-[0-9a-f]{8}-[0-9a-f]{4}$"


def error_responses(*codes: int) -> dict[int | str, dict[str, Any]]:
    meaning = {
        400: "The body is not JSON encoded as UTF-8.",
        401: "No, unknown or revoked teacher token.",
        404: "No such job or render (or not one this token submitted).",
        413: "Request body over the size limit.",
        422: "The request or the lesson script is invalid; the body says where and how to fix it.",
        429: "Too many requests; `Retry-After` says how many seconds to wait.",
        503: "The voice is not available on this server.",
    }
    return {code: {"model": ErrorResponse, "description": meaning[code]} for code in codes}


def diagnostic_out(d: Diagnostic) -> DiagnosticOut:
    return DiagnosticOut(
        severity=d.severity,
        line=d.line,
        column=d.col,
        paragraph=d.paragraph,
        message=d.message,
        fix=d.fix,
        text=str(d),
    )


def validation_out(report: ScriptReport) -> ValidationOut:
    spec = report.spec
    lesson = (
        LessonOut(id=spec.id, title=spec.title, course=spec.course, paragraphs=len(spec.paragraphs))
        if spec is not None
        else None
    )
    return ValidationOut(
        ok=report.ok,
        errors=[diagnostic_out(d) for d in report.errors],
        warnings=[diagnostic_out(d) for d in report.warnings],
        lesson=lesson,
    )


def job_out(job: Job) -> JobOut:
    webhook = job.webhook
    return JobOut(
        id=job.id,
        state=job.state.value,
        lesson_id=job.lesson_id,
        title=job.title,
        submitted_at=job.submitted_at,
        started_at=job.started_at,
        finished_at=job.finished_at,
        stages=[StageOut(name=s.name, total=s.total, done=s.done, finished=s.finished) for s in job.stages],
        render_id=job.outcome.render_id if job.outcome else None,
        error=job.error,
        webhook=WebhookOut(
            delivered=webhook.delivered, attempts=webhook.attempts, status=webhook.status, error=webhook.error
        )
        if webhook
        else None,
        status_url=f"/api/jobs/{job.id}",
    )


def render_out(entry: RenderEntry) -> RenderOut:
    base = f"/api/renders/{entry.render_id}/files"
    return RenderOut(
        render_id=entry.render_id,
        lesson_id=entry.lesson_id,
        title=entry.title,
        course=entry.course,
        created_at=entry.created_at,
        duration_s=entry.duration_s,
        segments=entry.segments,
        files=[
            FileOut(
                name=name,
                url=f"{base}/{name}",
                download_url=f"{base}/{name}?download=true",
                media_type=MEDIA_TYPES[name],
            )
            for name in entry.files()
        ],
    )


def _limit(limiter: RateLimiter, who: TokenInfo, what: str) -> None:
    wait = limiter.hit(f"token:{who.id}")
    if wait is not None:
        raise ApiError(
            429,
            "rate_limited",
            f"too many {what} requests: at most {limiter.limit} per minute per token",
            where=what,
            fix=f"wait {wait} s and try again",
            headers={"Retry-After": str(wait)},
        )


def visible_renders(services: Services, who: TokenInfo, limit: int) -> list[RenderEntry]:
    """The renders ``who`` may see, newest first."""
    return services.renders.list(limit, owner=None if who.is_admin else who.id)


def api_router(services: Services) -> APIRouter:
    router = APIRouter()

    def teacher(
        request: Request,
        credentials: Annotated[HTTPAuthorizationCredentials | None, Depends(bearer_scheme)],
    ) -> TokenInfo:
        return caller(services.tokens, services.sessions, request, credentials)

    def tts_limited(who: Annotated[TokenInfo, Depends(teacher)]) -> TokenInfo:
        _limit(services.tts_limit, who, "preview")
        return who

    def render_limited(who: Annotated[TokenInfo, Depends(teacher)]) -> TokenInfo:
        _limit(services.render_limit, who, "render")
        return who

    def validate_limited(who: Annotated[TokenInfo, Depends(teacher)]) -> TokenInfo:
        _limit(services.validate_limit, who, "script check")
        return who

    @router.post(
        "/tts",
        tags=["preview"],
        summary="Speak one paragraph (reference API)",
        response_class=Response,
        responses={
            200: {"content": {"audio/wav": {}}, "description": "16-bit mono WAV of the paragraph."},
            **error_responses(400, 401, 413, 422, 429, 503),
        },
    )
    def tts(body: TtsRequest, who: Annotated[TokenInfo, Depends(tts_limited)]) -> Response:
        """Front end, segmentation (long text is split), cached synthesis per segment, joined with the
        pauses. Segments come from the same cache as lesson renders."""
        audio = services.preview.synthesize(body.text, body.emotion, body.voice)
        return Response(
            audio.wav,
            media_type="audio/wav",
            headers={
                "X-Lessonaudio-Segments": str(audio.segments),
                "X-Lessonaudio-Cached-Segments": str(audio.cached),
                "Cache-Control": "no-store",
            },
        )

    @router.get("/api/voices", tags=["preview"], response_model=EmotionsOut, responses=error_responses(401))
    def voices(who: Annotated[TokenInfo, Depends(teacher)]) -> EmotionsOut:
        """Emotions and voices the preview and renders accept."""
        return EmotionsOut(
            emotions=list(emotion_names()), voices=list(voice_names()), default_voice=services.default_voice
        )

    @router.post(
        "/api/scripts/validate",
        tags=["scripts"],
        response_model=ValidationOut,
        responses=error_responses(400, 401, 413, 422, 429),
    )
    def validate(body: ScriptRequest, who: Annotated[TokenInfo, Depends(validate_limited)]) -> ValidationOut:
        """Check a script without rendering it: every error with line and column, and warnings for
        text that would not be pronounced. A script with errors still answers 200 (`ok: false`)."""
        return validation_out(services.checker.check(body.script))

    @router.post(
        "/api/renders",
        tags=["renders"],
        status_code=202,
        response_model=JobOut,
        responses=error_responses(400, 401, 413, 422, 429),
    )
    def submit(body: RenderRequest, who: Annotated[TokenInfo, Depends(render_limited)]) -> JobOut:
        """Validate, then queue a render; poll `status_url` for progress. A script with errors is
        refused (422) with every diagnostic, and nothing runs."""
        report = services.checker.check(body.script)
        if report.spec is None or report.errors:
            first = report.errors[0] if report.errors else None
            raise ApiError(
                422,
                "invalid_script",
                f"the script has {len(report.errors)} error(s)"
                + (f"; first: {first.message}" if first else ""),
                where=f"script line {first.line}, column {first.col}" if first else "script",
                fix=first.fix if first else None,
                diagnostics=report.errors + report.warnings,
            )
        callback = body.callback_url.strip() if body.callback_url else None
        if callback:
            if services.webhooks is None:
                raise ApiError(
                    422,
                    "webhooks_disabled",
                    "this server sends no callbacks: it has no webhook secret",
                    where="callback_url",
                    fix="leave callback_url out and poll status_url, or ask the operator to set "
                    "LESSONAUDIO_WEB_WEBHOOK_SECRET",
                )
            try:
                services.webhooks.check(callback)
            except TargetRefused as err:
                raise ApiError(422, "callback_refused", str(err), where="callback_url") from None
        job = services.jobs.submit(
            body.script,
            report.spec,
            owner=who.name,
            owner_id=who.id,
            voice=body.voice,
            callback_url=callback,
        )
        return job_out(job)

    @router.get(
        "/api/jobs/{job_id}",
        tags=["renders"],
        response_model=JobOut,
        responses=error_responses(401, 404, 422),
    )
    def job_status(
        job_id: Annotated[str, Path(pattern=JOB_ID)], who: Annotated[TokenInfo, Depends(teacher)]
    ) -> JobOut:
        """Progress of a submitted render, stage by stage; `render_id` once it finished."""
        job = services.jobs.get(job_id)
        if job is None or not who.may_see(job.owner_id):
            raise ApiError(
                404,
                "no_such_job",
                f"no render job {job_id!r}",
                where="job_id",
                fix="jobs are kept in memory; after a server restart look the render up in /api/renders",
            )
        return job_out(job)

    @router.get(
        "/api/renders", tags=["renders"], response_model=list[RenderOut], responses=error_responses(401, 422)
    )
    def list_renders(
        who: Annotated[TokenInfo, Depends(teacher)],
        limit: Annotated[int, Query(ge=1, le=500, description="At most this many.")] = 50,
    ) -> list[RenderOut]:
        """Finished renders, newest first: this token's own, or every render for an admin token."""
        return [render_out(e) for e in visible_renders(services, who, limit)]

    def _entry(render_id: str, who: TokenInfo) -> RenderEntry:
        entry = services.renders.get(render_id)
        if entry is None or not who.may_see(services.owners.owner(render_id)):
            raise ApiError(
                404, "no_such_render", f"no render {render_id!r}", where="render_id", fix="see /api/renders"
            )
        return entry

    @router.get(
        "/api/renders/{render_id}",
        tags=["renders"],
        response_model=RenderOut,
        responses=error_responses(401, 404, 422),
    )
    def get_render(
        render_id: Annotated[str, Path(pattern=RENDER_ID)], who: Annotated[TokenInfo, Depends(teacher)]
    ) -> RenderOut:
        """One finished render and the files it has (a QA report only if the back-check ran)."""
        return render_out(_entry(render_id, who))

    file_path = "/api/renders/{render_id}/files/{name}"
    file_responses: dict[int | str, dict[str, Any]] = {
        200: {"content": {t.split(";")[0]: {} for t in MEDIA_TYPES.values()}, "description": "The file."},
        **error_responses(401, 404, 422),
    }

    @router.get(file_path, tags=["renders"], response_class=FileResponse, responses=file_responses)
    def get_file(
        render_id: Annotated[str, Path(pattern=RENDER_ID)],
        name: FileName,
        who: Annotated[TokenInfo, Depends(teacher)],
        download: Annotated[bool, Query(description="Ask the browser to save the file.")] = False,
    ) -> FileResponse:
        """Audio, captions, manifest or QA report of a render (audio supports HTTP range requests)."""
        entry = _entry(render_id, who)
        path = entry.folder / name
        if not path.is_file():
            raise ApiError(
                404,
                "no_such_file",
                f"render {render_id} has no {name}",
                where="name",
                fix="the QA report exists only when the back-check ran",
            )
        headers = {"Cache-Control": "private, max-age=3600"}
        if name == QA_HTML:
            # The report is generated HTML: run it in an opaque origin, away from the session cookie.
            headers["Content-Security-Policy"] = "sandbox allow-scripts allow-popups"
        filename = f"{entry.lesson_id}-{entry.render_id}-{name}"
        return FileResponse(
            path,
            media_type=MEDIA_TYPES[name],
            headers=headers,
            filename=filename if download else None,
            content_disposition_type="attachment" if download else "inline",
        )

    # HEAD too, as its own operation (one route for both would give both the same operation id):
    # players and download managers ask for the size first.
    router.add_api_route(
        file_path,
        get_file,
        methods=["HEAD"],
        name="head_file",
        summary="Size and type of a render file",
        tags=["renders"],
        response_class=FileResponse,
        responses=file_responses,
    )
    return router

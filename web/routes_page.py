"""The teachers' page: one server-rendered HTML page, and the sign-in that gives it a session cookie."""

from pathlib import Path

from fastapi import APIRouter, Request, Response
from fastapi.responses import HTMLResponse
from fastapi.templating import Jinja2Templates

from engines import emotion_names
from i18n import _, current_language, ngettext
from web.api.renders import render_out, visible_renders
from web.api.responses import error_responses
from web.auth import SESSION_COOKIE, check_token
from web.page_text import EMOTION_LABELS, JOB_STATE_LABELS, page_text, translated
from web.schemas import SessionRequest
from web.services import Services
from web.tokens import TokenInfo

TEMPLATES = Jinja2Templates(directory=Path(__file__).resolve().parent / "templates")
TEMPLATES.env.add_extension("jinja2.ext.i18n")
TEMPLATES.env.install_gettext_callables(gettext=_, ngettext=ngettext, newstyle=True)  # type: ignore[attr-defined]


def page_router(services: Services) -> APIRouter:
    router = APIRouter()

    def current(request: Request) -> TokenInfo | None:
        session_id = request.cookies.get(SESSION_COOKIE)
        return services.sessions.authenticate(session_id) if session_id else None

    @router.get("/", response_class=HTMLResponse, include_in_schema=False)
    def index(request: Request) -> Response:
        teacher = current(request)
        renders = [render_out(e) for e in visible_renders(services, teacher, 20)] if teacher else []
        jobs = services.jobs.recent(None if teacher.is_admin else teacher.id, 20) if teacher else []
        return TEMPLATES.TemplateResponse(
            request,
            "index.html",
            {
                "teacher": teacher,
                "emotions": emotion_names(),
                "renders": renders,
                "jobs": jobs,
                "language": current_language(),
                "emotion_labels": translated(EMOTION_LABELS),
                "state_labels": translated(JOB_STATE_LABELS),
                "page_text": page_text(),
            },
        )

    @router.post(
        "/session",
        tags=["session"],
        status_code=204,
        response_class=Response,
        responses=error_responses(400, 401, 413, 422),
    )
    def sign_in(body: SessionRequest) -> Response:
        """Exchange a teacher token for a page session: the cookie (HttpOnly, SameSite=Strict) holds
        a random session id kept on the server, never the token. It ends at sign-out, after
        12 hours, or when the token is revoked."""
        info = check_token(services.tokens, body.token.strip())
        response = Response(status_code=204)
        response.set_cookie(
            SESSION_COOKIE,
            services.sessions.start(info),
            max_age=int(services.sessions.lifetime.total_seconds()),
            httponly=True,
            samesite="strict",
            secure=services.cookie_secure,
            path="/",
        )
        response.headers["X-Lessonaudio-Teacher"] = info.name
        return response

    @router.delete("/session", tags=["session"], status_code=204, response_class=Response)
    def sign_out(request: Request) -> Response:
        """End the page session on the server and forget its cookie."""
        session_id = request.cookies.get(SESSION_COOKIE)
        if session_id:
            services.sessions.end(session_id)
        response = Response(status_code=204)
        response.delete_cookie(SESSION_COOKIE, path="/", httponly=True, samesite="strict")
        return response

    return router

"""The teachers' page: one server-rendered HTML page, and the sign-in that gives it a session cookie."""

from pathlib import Path

from fastapi import APIRouter, Request, Response
from fastapi.responses import HTMLResponse
from fastapi.templating import Jinja2Templates

from engines import emotion_names
from web.auth import SESSION_COOKIE, authenticate
from web.errors import ApiError
from web.routes_api import error_responses, render_out
from web.schemas import SessionRequest
from web.services import Services
from web.tokens import TokenInfo

TEMPLATES = Jinja2Templates(directory=Path(__file__).resolve().parent / "templates")
SESSION_MAX_AGE_S = 12 * 3600


def page_router(services: Services) -> APIRouter:
    router = APIRouter()

    def current(request: Request) -> TokenInfo | None:
        token = request.cookies.get(SESSION_COOKIE)
        if not token:
            return None
        try:
            return authenticate(services.tokens, token)
        except ApiError:
            return None

    @router.get("/", response_class=HTMLResponse, include_in_schema=False)
    def index(request: Request) -> Response:
        teacher = current(request)
        renders = [render_out(e) for e in services.renders.list(20)] if teacher else []
        return TEMPLATES.TemplateResponse(
            request,
            "index.html",
            {"teacher": teacher, "emotions": emotion_names(), "renders": renders},
        )

    @router.post(
        "/session",
        tags=["session"],
        status_code=204,
        response_class=Response,
        responses=error_responses(400, 401, 413, 422),
    )
    def sign_in(body: SessionRequest) -> Response:
        """Exchange a teacher token for the page's session cookie (HttpOnly, SameSite=Strict)."""
        info = authenticate(services.tokens, body.token.strip())
        response = Response(status_code=204)
        response.set_cookie(
            SESSION_COOKIE,
            body.token.strip(),
            max_age=SESSION_MAX_AGE_S,
            httponly=True,
            samesite="strict",
            secure=services.cookie_secure,
            path="/",
        )
        response.headers["X-Lessonaudio-Teacher"] = info.name
        return response

    @router.delete("/session", tags=["session"], status_code=204, response_class=Response)
    def sign_out() -> Response:
        """Forget the session cookie."""
        response = Response(status_code=204)
        response.delete_cookie(SESSION_COOKIE, path="/", httponly=True, samesite="strict")
        return response

    return router

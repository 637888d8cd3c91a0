"""The web application factory: ``create_app(settings)`` for ``lessonaudio web`` and tests.

Settings are read once by the entry point and passed in; nothing below reads the environment.
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path

from fastapi import FastAPI
from fastapi.staticfiles import StaticFiles

from config import Settings
from web.api import api_router
from web.bodylimit import BodyLimitMiddleware
from web.docs import docs_router
from web.errors import install_error_handlers
from web.headers import SecurityHeadersMiddleware
from web.language import LanguageMiddleware
from web.routes_page import page_router
from web.services import Services, build_services

STATIC = Path(__file__).resolve().parent / "static"
DESCRIPTION = """
Render Chinese lesson scripts into lesson audio, and preview single paragraphs.

Authenticate every request with `Authorization: Bearer <token>`; an admin creates tokens with
`lessonaudio web token create NAME`. A teacher's token sees the jobs and renders it submitted; an
admin token (`--admin`) sees all. Errors are JSON: `{"error": {"code", "message", "where", "fix"}}`,
plus `diagnostics` (line, column, fix) for lesson scripts.
"""


def create_app(settings: Settings, services: Services | None = None) -> FastAPI:
    """The app for ``settings``; pass ``services`` to replace its parts (tests do)."""
    built = services if services is not None else build_services(settings)

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        yield
        built.close()

    app = FastAPI(
        title="lessonaudio",
        version="0.1.0",
        summary="Lesson audio for teachers: check scripts, preview paragraphs, render lessons.",
        description=DESCRIPTION,
        lifespan=lifespan,
        docs_url=None,  # served by web.docs from this package, not from a CDN
        redoc_url=None,  # ReDoc is not bundled; /docs covers the same schema
    )
    install_error_handlers(app)
    app.add_middleware(SecurityHeadersMiddleware)
    app.add_middleware(BodyLimitMiddleware, max_bytes=settings.web_max_body_kb * 1024)
    app.add_middleware(LanguageMiddleware, default=settings.web_language)  # outermost: every message
    app.include_router(api_router(built))
    app.include_router(page_router(built))
    app.include_router(docs_router(app.openapi_url or "/openapi.json", f"{app.title} API"))
    app.mount("/static", StaticFiles(directory=STATIC), name="static")
    app.state.services = built
    return app

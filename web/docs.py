"""``/docs``: Swagger UI served from this package (``swagger-ui-bundle-v2``), never from a CDN.

FastAPI's default docs page loads Swagger UI from a CDN, which the page's own Content-Security-Policy
forbids and which a school network without internet cannot reach. Here the bundle's files are served
under ``/docs/assets/`` and the page gets its own policy: scripts, styles and requests from this origin
only, plus FastAPI's one inline start-up script, allowed by a nonce that is new on every response.

Swagger UI 5 reads the OpenAPI 3.1 schema FastAPI writes, so the page loads ``/openapi.json`` itself.

Only the files the page uses are served (a whitelist, not the bundle's folder): the bundle also ships
a demo ``index.html`` and an initializer pointing at a public demo API, which have no place here.
"""

from __future__ import annotations

import secrets
from pathlib import Path

import swagger_ui_bundle
from fastapi import APIRouter
from fastapi.openapi.docs import get_swagger_ui_html
from fastapi.responses import FileResponse, HTMLResponse

from i18n import _
from web.errors import ApiError

DOCS_URL = "/docs"
ASSETS_URL = f"{DOCS_URL}/assets"
ASSETS_DIR = Path(str(swagger_ui_bundle.swagger_ui_path))
ASSETS = {
    "swagger-ui-bundle.js": "text/javascript; charset=utf-8",
    "swagger-ui.css": "text/css; charset=utf-8",
    "favicon-32x32.png": "image/png",
    # Source maps: only browser developer tools ask for them, and then they should be found.
    "swagger-ui-bundle.js.map": "application/json",
    "swagger-ui.css.map": "application/json",
}
SWAGGER_PARAMETERS = {
    # Swagger UI would otherwise send the schema's URL to a public validator service and show its badge.
    "validatorUrl": None,
}
INLINE_SCRIPT = "<script>"


def docs_csp(nonce: str) -> str:
    """What Swagger UI needs and nothing more: its own files, the inline start-up script (by nonce),
    the schema and "Try it out" requests to this origin, and the data: images in its stylesheet."""
    return (
        "default-src 'none'; "
        f"script-src 'self' 'nonce-{nonce}'; "
        "style-src 'self'; "
        "img-src 'self' data:; "
        "connect-src 'self'; "
        "frame-ancestors 'none'; base-uri 'none'; form-action 'none'"
    )


def docs_page(openapi_url: str, title: str) -> HTMLResponse:
    nonce = secrets.token_urlsafe(18)
    page = get_swagger_ui_html(
        openapi_url=openapi_url,
        title=title,
        swagger_js_url=f"{ASSETS_URL}/swagger-ui-bundle.js",
        swagger_css_url=f"{ASSETS_URL}/swagger-ui.css",
        swagger_favicon_url=f"{ASSETS_URL}/favicon-32x32.png",
        swagger_ui_parameters=SWAGGER_PARAMETERS,
    )
    html = bytes(page.body).decode("utf-8")
    if html.count(INLINE_SCRIPT) != 1:  # FastAPI changed its template: fail loudly, not with a blank page
        raise RuntimeError("FastAPI's Swagger UI page no longer has exactly one inline <script>")
    html = html.replace(INLINE_SCRIPT, f'<script nonce="{nonce}">')
    return HTMLResponse(
        html, headers={"Content-Security-Policy": docs_csp(nonce), "Cache-Control": "no-store"}
    )


def docs_router(openapi_url: str, title: str) -> APIRouter:
    """The docs page and its assets; the page reads the app's own schema at ``openapi_url``."""
    router = APIRouter(include_in_schema=False)

    @router.get(DOCS_URL)
    def docs() -> HTMLResponse:
        return docs_page(openapi_url, title)

    @router.get(f"{ASSETS_URL}/{{name}}")
    def asset(name: str) -> FileResponse:
        media_type = ASSETS.get(name)
        if media_type is None:
            raise ApiError(
                404,
                "not_found",
                _("no docs asset `{name}`").format(name=name),
                where="name",
                fix=_("open {url} instead").format(url=DOCS_URL),
            )
        return FileResponse(
            ASSETS_DIR / name, media_type=media_type, headers={"Cache-Control": "public, max-age=86400"}
        )

    return router

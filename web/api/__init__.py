"""The HTTP API: preview (``POST /tts``, the reference API's shape), script checks, renders, files.

Every route needs a teacher token (Bearer, or the page's session cookie). A teacher's token sees only
the jobs and renders it submitted, an admin's sees all; anything else answers 404, exactly as for an
id that does not exist, so ids cannot be probed (``web.api.access`` holds both rules). Handlers that
run models or touch disks are plain ``def``: FastAPI runs them on its thread pool, so the event loop
stays free.

One module per resource; each builds its routes around the :class:`Services` it is given, so the
routes never read settings or globals. They are included in the order the schema lists them.
"""

from __future__ import annotations

from fastapi import APIRouter

from web.api import editor, files, jobs, preview, renders, scripts
from web.api.access import Access
from web.services import Services


def api_router(services: Services) -> APIRouter:
    access = Access(services)
    router = APIRouter()
    for module in (preview, scripts, editor, jobs, renders, files):
        router.include_router(module.router(services, access))
    return router

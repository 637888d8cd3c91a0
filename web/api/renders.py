"""Finished renders: the caller's list, one render, and the lookup the file routes share."""

# No `from __future__ import annotations`: FastAPI evaluates the handlers' annotations, which name
# the ``access`` dependencies this module is given.
from typing import Annotated

from fastapi import APIRouter, Depends, Path, Query

from i18n import _
from web.api.access import Access, visible
from web.api.media import MEDIA_TYPES
from web.api.responses import error_responses
from web.render_index import RenderEntry
from web.schemas import FileOut, RenderOut
from web.services import Services
from web.tokens import TokenInfo

RENDER_ID = r"^\d{8}T\d{6}Z-[0-9a-f]{8}-[0-9a-f]{4}$"


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
        paragraphs=entry.paragraphs,
        paragraphs_resynthesised=entry.paragraphs_resynthesised,
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


def visible_renders(services: Services, who: TokenInfo, limit: int) -> list[RenderEntry]:
    """The renders ``who`` may see, newest first."""
    return services.renders.list(limit, owner=None if who.is_admin else who.id)


def render_entry(services: Services, render_id: str, who: TokenInfo) -> RenderEntry:
    """Render ``render_id`` if ``who`` may see it, else the 404 of an id that does not exist."""
    return visible(
        services.renders.get(render_id),
        lambda _: services.owners.owner(render_id),
        who,
        code="no_such_render",
        message=_("no render `{id}`").format(id=render_id),
        where="render_id",
        fix=_("see /api/renders"),
    )


def router(services: Services, access: Access) -> APIRouter:
    routes = APIRouter(tags=["renders"])

    @routes.get("/api/renders", response_model=list[RenderOut], responses=error_responses(401, 422))
    def list_renders(
        who: Annotated[TokenInfo, Depends(access.teacher)],
        limit: Annotated[int, Query(ge=1, le=500, description="At most this many.")] = 50,
    ) -> list[RenderOut]:
        """Finished renders, newest first: this token's own, or every render for an admin token."""
        return [render_out(e) for e in visible_renders(services, who, limit)]

    @routes.get(
        "/api/renders/{render_id}", response_model=RenderOut, responses=error_responses(401, 404, 422)
    )
    def get_render(
        render_id: Annotated[str, Path(pattern=RENDER_ID)], who: Annotated[TokenInfo, Depends(access.teacher)]
    ) -> RenderOut:
        """One finished render and the files it has (a QA report only if the back-check ran)."""
        return render_out(render_entry(services, render_id, who))

    return routes

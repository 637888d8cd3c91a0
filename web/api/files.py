"""A render's files: audio, captions, manifest, speech marks and QA report, by GET and by HEAD.

HEAD is its own route because players and download managers ask for the size first; it is a
separate operation with its own name, as one route for both methods would give both the same
operation id.
"""

# No `from __future__ import annotations`: FastAPI evaluates the handlers' annotations, which name
# the ``access`` dependencies this module is given.
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Path, Query
from fastapi.responses import FileResponse

from i18n import _
from web.api.access import Access
from web.api.media import MEDIA_TYPES, FileName
from web.api.renders import RENDER_ID, render_entry
from web.api.responses import error_responses
from web.errors import ApiError
from web.render_index import QA_HTML
from web.services import Services
from web.tokens import TokenInfo

FILE_PATH = "/api/renders/{render_id}/files/{name}"
FILE_RESPONSES: dict[int | str, dict[str, Any]] = {
    200: {"content": {t.split(";")[0]: {} for t in MEDIA_TYPES.values()}, "description": "The file."},
    **error_responses(401, 404, 422),
}


def router(services: Services, access: Access) -> APIRouter:
    routes = APIRouter(tags=["renders"])

    @routes.get(FILE_PATH, response_class=FileResponse, responses=FILE_RESPONSES)
    def get_file(
        render_id: Annotated[str, Path(pattern=RENDER_ID)],
        name: FileName,
        who: Annotated[TokenInfo, Depends(access.teacher)],
        download: Annotated[bool, Query(description="Ask the browser to save the file.")] = False,
    ) -> FileResponse:
        """Audio, captions, manifest, speech marks or QA report of a render (audio takes range requests)."""
        entry = render_entry(services, render_id, who)
        path = entry.folder / name
        if not path.is_file():
            raise ApiError(
                404,
                "no_such_file",
                _("render {id} has no {name}").format(id=render_id, name=name),
                where="name",
                fix=_("the QA report exists only when the back-check ran"),
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

    routes.add_api_route(
        FILE_PATH,
        get_file,
        methods=["HEAD"],
        name="head_file",
        summary="Size and type of a render file",
        response_class=FileResponse,
        responses=FILE_RESPONSES,
    )
    return routes

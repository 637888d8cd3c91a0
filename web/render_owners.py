"""Which web token submitted which render, recorded on the render's catalog row.

The render flow records every render in the catalog; when a web job finishes, its token is written on
that row. A render the catalog does not have yet (the flow wrote to another database, or a runner
that records nothing) is imported from its manifest first, so ownership never depends on how the
render ran. Until the owner is written a render is visible to admins only: a teacher never sees a
render that might not be theirs.
"""

from __future__ import annotations

import json
from pathlib import Path

from sqlalchemy import Engine, select

from storage.catalog import Catalog
from storage.db import Render
from storage.layout import MANIFEST


class RenderOwners:
    """Owners of renders in the catalog database (shares the token store's engine)."""

    def __init__(self, engine: Engine) -> None:
        self._catalog = Catalog(engine)

    @property
    def engine(self) -> Engine:
        """The catalog database's engine, for the other web tables kept there (jobs)."""
        return self._catalog.engine

    def claim(self, render_id: str, folder: Path, token_id: int) -> None:
        """Record ``token_id`` as the owner of the finished render ``render_id`` in ``folder``."""
        if not self._set_owner(render_id, token_id):
            manifest = json.loads((folder / MANIFEST).read_text(encoding="utf-8"))
            self._catalog.import_render(manifest, folder=str(folder))
            if not self._set_owner(render_id, token_id):
                raise LookupError(f"render {render_id} is not in the catalog after importing it")

    def _set_owner(self, render_id: str, token_id: int) -> bool:
        with self._catalog.session() as session:
            render = session.scalar(select(Render).where(Render.render_id == render_id))
            if render is None:
                return False
            if render.owner_token_id is None:  # a render is claimed once, by the job that made it
                render.owner_token_id = token_id
            return True

    def owner(self, render_id: str) -> int | None:
        with self._catalog.session() as session:
            return session.scalar(select(Render.owner_token_id).where(Render.render_id == render_id))

    def owned(self, token_id: int) -> set[str]:
        """Render ids of every render ``token_id`` submitted."""
        query = select(Render.render_id).where(
            Render.owner_token_id == token_id, Render.render_id.is_not(None)
        )
        with self._catalog.session() as session:
            return {render_id for render_id in session.scalars(query) if render_id}

"""Past renders, read-only: from the output folder's manifests, or from the catalog database.

The page and API only need "list recent renders" and "find one render's folder", so that is the whole
interface. The folder index works on any machine; the catalog index (setting
``web_renders_from=catalog``) is for when the render flow records into the catalog, and lists only
renders whose folder is on this machine (their files have to be served from here).

Listing can be limited to one web token's renders (a teacher's view); who may open one render is
decided by the routes, from the owner recorded in the catalog (``web.render_owners``).
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any, Protocol

from sqlalchemy import select

from storage.catalog import CatalogError, open_catalog
from storage.db import Render
from storage.layout import CAPTIONS_SRT, CAPTIONS_VTT, LESSON_MP3, LESSON_WAV, MANIFEST, SPEECH_MARKS
from web.render_owners import RenderOwners

RENDER_ID = re.compile(r"\d{8}T\d{6}Z-[0-9a-f]{8}-[0-9a-f]{4}")
QA_HTML = "qa.html"
QA_JSON = "qa.json"
SERVED_FILES = (LESSON_MP3, LESSON_WAV, CAPTIONS_VTT, CAPTIONS_SRT, MANIFEST, SPEECH_MARKS, QA_HTML, QA_JSON)
"""The only names a render's file endpoint serves; anything else in a folder stays private."""


@dataclass(frozen=True, slots=True)
class RenderEntry:
    render_id: str
    lesson_id: str
    title: str
    course: str | None
    created_at: datetime | None
    duration_s: float | None
    segments: int | None
    folder: Path
    paragraphs: int | None = None
    paragraphs_resynthesised: int | None = None
    """Paragraphs with a segment synthesised afresh by this render (the rest came from the cache)."""

    def files(self) -> tuple[str, ...]:
        return tuple(name for name in SERVED_FILES if (self.folder / name).is_file())


class RenderIndex(Protocol):
    def list(self, limit: int = 50, owner: int | None = None) -> list[RenderEntry]:
        """Newest first; only renders submitted by web token ``owner`` when given."""
        ...

    def get(self, render_id: str) -> RenderEntry | None: ...


def _time(value: Any) -> datetime | None:
    try:
        return datetime.fromisoformat(str(value)) if value else None
    except ValueError:
        return None


def _paragraph_counts(segments: list[dict[str, Any]]) -> dict[str, int | None]:
    """How many of the manifest's paragraphs this render synthesised afresh; None for a manifest
    from before segments recorded ``reused``."""
    if not segments or any("reused" not in s for s in segments):
        return {"paragraphs": None, "paragraphs_resynthesised": None}
    paragraphs = {s["paragraph"] for s in segments}
    fresh = {s["paragraph"] for s in segments if not s["reused"]}
    return {"paragraphs": len(paragraphs), "paragraphs_resynthesised": len(fresh)}


def entry_from_manifest(folder: Path) -> RenderEntry | None:
    """None for a folder without a readable manifest (still being written, or not a render)."""
    try:
        data = json.loads((folder / MANIFEST).read_text(encoding="utf-8"))
        return RenderEntry(
            render_id=str(data["render_id"]),
            lesson_id=str(data["lesson_id"]),
            title=str(data.get("title") or data["lesson_id"]),
            course=data.get("course"),
            created_at=_time(data.get("created_at")),
            duration_s=float(data["duration"]) if data.get("duration") is not None else None,
            segments=len(data.get("segments") or []),
            folder=folder,
            **_paragraph_counts(data.get("segments") or []),
        )
    except (OSError, ValueError, KeyError, TypeError):
        return None


class FolderRenderIndex:
    """Scans ``{root}/{course}/{lesson}/{render_id}/manifest.json``; hidden staging folders never match."""

    def __init__(self, root: Path, owners: RenderOwners) -> None:
        self.root = root
        self.owners = owners

    def _folders(self) -> list[Path]:
        folders = [
            p.parent for p in self.root.glob(f"*/*/*/{MANIFEST}") if RENDER_ID.fullmatch(p.parent.name)
        ]
        return sorted(folders, key=lambda p: p.name, reverse=True)  # render ids sort by time

    def list(self, limit: int = 50, owner: int | None = None) -> list[RenderEntry]:
        entries: list[RenderEntry] = []
        folders = self._folders()
        if owner is not None:
            owned = self.owners.owned(owner)
            folders = [folder for folder in folders if folder.name in owned]
        for folder in folders:
            entry = entry_from_manifest(folder)
            if entry is not None:
                entries.append(entry)
            if len(entries) >= limit:
                break
        return entries

    def get(self, render_id: str) -> RenderEntry | None:
        if not RENDER_ID.fullmatch(render_id):
            return None
        for path in self.root.glob(f"*/*/{render_id}/{MANIFEST}"):
            entry = entry_from_manifest(path.parent)
            if entry is not None and entry.render_id == render_id:
                return entry
        return None


class CatalogRenderIndex:
    """Reads ``storage.catalog``; the folder's manifest supplies the details the page shows."""

    def __init__(self, database_url: str) -> None:
        self._catalog = open_catalog(database_url)

    def list(self, limit: int = 50, owner: int | None = None) -> list[RenderEntry]:
        query = select(Render.folder).where(Render.render_id.is_not(None), Render.folder.is_not(None))
        if owner is not None:
            query = query.where(Render.owner_token_id == owner)
        query = query.order_by(Render.started_at.desc(), Render.id.desc()).limit(limit)
        with self._catalog.session() as session:
            folders = [folder for folder in session.scalars(query) if folder]
        entries = [entry_from_manifest(Path(folder)) for folder in folders]
        return [entry for entry in entries if entry is not None]

    def get(self, render_id: str) -> RenderEntry | None:
        if not RENDER_ID.fullmatch(render_id):
            return None
        try:
            render = self._catalog.get_render(render_id)
        except CatalogError:
            return None
        return entry_from_manifest(Path(render.folder)) if render.folder else None

    def close(self) -> None:
        self._catalog.close()

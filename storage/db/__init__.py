"""The render catalog: lessons, renders and segments in SQL (SQLite by default, PostgreSQL by URL).

Schema changes ship as Alembic migrations inside this package (``migrations/``), so a database is
always brought up by the same scripts whatever the working directory.
"""

from storage.db.inbox_items import InboxItem
from storage.db.models import Base, Lesson, Render, RenderStatus, Segment
from storage.db.session import (
    CatalogUnavailable,
    DatabaseUrlError,
    current_revision,
    head_revision,
    make_engine,
    open_database,
    upgrade_database,
)
from storage.db.web_jobs import WebJob
from storage.db.web_tokens import WebSession, WebToken

__all__ = [
    "Base",
    "CatalogUnavailable",
    "DatabaseUrlError",
    "InboxItem",
    "Lesson",
    "Render",
    "RenderStatus",
    "Segment",
    "WebJob",
    "WebSession",
    "WebToken",
    "current_revision",
    "head_revision",
    "make_engine",
    "open_database",
    "upgrade_database",
]

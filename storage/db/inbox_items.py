"""The inbox ledger table: which script bytes the scanner has already handled, and how.

Keyed by (inbox, key, sha256): a script is submitted once per content, a rejected one is not retried
until its bytes change, and a script moved back to an old version is recognised as already handled.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from storage.db.models import Base, utcnow

SUBMITTED = "submitted"
RENDERED = "rendered"
REJECTED = "rejected"
SKIPPED = "skipped"
"""An entry the scanner will not read (a link, a FIFO, an unreadable file), already warned about;
``sha256`` holds a hash of the reason instead of the file's content."""
RESUBMITTING = "resubmitting"
"""``detail`` of a submitted row while one scan replaces its run; see ``InboxLedger.claim``."""


class InboxItem(Base):
    __tablename__ = "inbox_items"
    __table_args__ = (UniqueConstraint("inbox", "key", "sha256"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    inbox: Mapped[str] = mapped_column(String(1000))
    key: Mapped[str] = mapped_column(String(1000))
    sha256: Mapped[str] = mapped_column(String(64))
    status: Mapped[str] = mapped_column(String(20))
    """``submitted`` (a render flow run was created), ``rendered`` (that run completed),
    ``rejected`` (validation errors) or ``skipped`` (never read; see :data:`SKIPPED`)."""
    detail: Mapped[str | None] = mapped_column(Text)
    """The flow run id (:data:`RESUBMITTING` while a scan replaces a failed run), the report, or why
    the entry was skipped."""
    seen_at: Mapped[datetime] = mapped_column(default=utcnow)
    """When the row was recorded or its run last replaced."""

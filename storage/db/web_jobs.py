"""The web's render jobs: one row per script submitted from the page or the API.

A job outlives the web process that took it: the page lists a teacher's jobs from here after a
restart, a job running on Prefect is followed again by its flow run id, and one whose local render
died with the process is shown failed with the reason. Declared beside the other catalog tables so
the schema never depends on the web package being imported.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Boolean, CheckConstraint, Float, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from storage.db.models import Base, UTCDateTime

JOB_STATES = ("queued", "running", "finished", "failed")
JOB_RUNNERS = ("local", "prefect")
"""``local``: rendered inside the web process; ``prefect``: a flow run of a deployment, on a worker."""


class WebJob(Base):
    __tablename__ = "web_jobs"
    __table_args__ = (
        CheckConstraint(f"state IN {JOB_STATES!r}", name="state"),
        CheckConstraint(f"runner IN {JOB_RUNNERS!r}", name="runner"),
    )

    id: Mapped[str] = mapped_column(String(16), primary_key=True)
    owner_token_id: Mapped[int] = mapped_column(Integer, index=True)
    """The submitting token (``web_tokens.id``): who may see the job. No foreign key, as on renders."""
    owner_name: Mapped[str] = mapped_column(String(64))
    """The token's name when the job was submitted: who submitted it, as the page shows it."""
    lesson_id: Mapped[str] = mapped_column(String(200))
    title: Mapped[str] = mapped_column(Text)
    script_sha256: Mapped[str] = mapped_column(String(64))
    spec_path: Mapped[str] = mapped_column(Text)
    """The script's copy the render reads; the render flow records the same path on its render row."""
    voice: Mapped[str | None] = mapped_column(String(64))
    callback_url: Mapped[str | None] = mapped_column(Text)
    runner: Mapped[str] = mapped_column(String(16))
    state: Mapped[str] = mapped_column(String(16), index=True)
    error: Mapped[str | None] = mapped_column(Text)
    flow_run_id: Mapped[str | None] = mapped_column(String(36))
    render_id: Mapped[str | None] = mapped_column(String(64))
    folder: Mapped[str | None] = mapped_column(Text)
    duration_s: Mapped[float | None] = mapped_column(Float)
    host: Mapped[str | None] = mapped_column(String(255))
    """The web process that renders a local job (``storage.liveness``), to tell a dead one."""
    pid: Mapped[int | None] = mapped_column(Integer)
    heartbeat_at: Mapped[datetime | None] = mapped_column(UTCDateTime(), nullable=True)
    submitted_at: Mapped[datetime] = mapped_column(UTCDateTime(), index=True)
    started_at: Mapped[datetime | None] = mapped_column(UTCDateTime(), nullable=True)
    finished_at: Mapped[datetime | None] = mapped_column(UTCDateTime(), nullable=True)
    webhook_delivered: Mapped[bool | None] = mapped_column(Boolean, nullable=True)
    webhook_attempts: Mapped[int | None] = mapped_column(Integer, nullable=True)
    webhook_status: Mapped[int | None] = mapped_column(Integer, nullable=True)
    webhook_error: Mapped[str | None] = mapped_column(Text, nullable=True)
    language: Mapped[str | None] = mapped_column(String(16), nullable=True)
    """The submitter's language (``i18n``): what the job's failure reason is written in."""

"""SQLAlchemy 2 models of the render catalog.

The schema is owned by the migrations in ``storage/db/migrations``; these classes must describe the
same tables (a test compares them with what the migrations build, on SQLite and PostgreSQL).
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any, ClassVar

from sqlalchemy import (
    JSON,
    BigInteger,
    Boolean,
    CheckConstraint,
    DateTime,
    Float,
    ForeignKey,
    Integer,
    MetaData,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.dialects.postgresql import JSONB
from sqlalchemy.engine import Dialect
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column, relationship
from sqlalchemy.types import TypeDecorator

from storage.render_status import STATUS_VALUES as STATUS_VALUES
from storage.render_status import RenderStatus as RenderStatus

NAMING = {
    "ix": "ix_%(table_name)s_%(column_0_N_name)s",
    "uq": "uq_%(table_name)s_%(column_0_N_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


def utcnow() -> datetime:
    return datetime.now(UTC)


class UTCDateTime(TypeDecorator[datetime]):
    """Timezone-aware UTC in and out: SQLite stores no zone, so naive values read back are UTC."""

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("naive datetime given to the catalog; use an aware UTC datetime")
        return value.astimezone(UTC)

    def process_result_value(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        return value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)


JSONType = JSON().with_variant(JSONB(), "postgresql")


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING)
    type_annotation_map: ClassVar[dict[Any, Any]] = {
        datetime: UTCDateTime(),
        dict[str, Any]: JSONType,
        list[Any]: JSONType,
    }


class Lesson(Base):
    __tablename__ = "lessons"
    __table_args__ = (UniqueConstraint("course", "lesson_id"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    course: Mapped[str] = mapped_column(String(200))
    """The script's course name; '' when the script names none."""
    lesson_id: Mapped[str] = mapped_column(String(200))
    title: Mapped[str | None] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)

    renders: Mapped[list[Render]] = relationship(back_populates="lesson", passive_deletes=True)


class Render(Base):
    __tablename__ = "renders"
    __table_args__ = (CheckConstraint(f"status IN {STATUS_VALUES!r}", name="status"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    lesson_pk: Mapped[int] = mapped_column(ForeignKey("lessons.id", ondelete="CASCADE"), index=True)
    render_id: Mapped[str | None] = mapped_column(String(64), unique=True)
    """The folder name ``{time}-{spec8}-{rand}``; known once the render has a folder."""
    status: Mapped[str] = mapped_column(String(16), index=True)
    spec_path: Mapped[str | None] = mapped_column(Text)
    spec_sha256: Mapped[str | None] = mapped_column(String(64))
    voice: Mapped[str | None] = mapped_column(String(64))
    owner_token_id: Mapped[int | None] = mapped_column(Integer, index=True)
    """The web token (``web_tokens.id``) that submitted the render; null for the CLI and the inbox.
    No foreign key: the render tables stay independent of the web's, and tokens are only ever
    revoked, never deleted, so the id keeps its meaning."""
    engine_id: Mapped[str | None] = mapped_column(String(200))
    model_sha256: Mapped[str | None] = mapped_column(String(64))
    manifest_version: Mapped[int | None] = mapped_column(Integer)
    duration_s: Mapped[float | None] = mapped_column(Float)
    """Length of the lesson audio."""
    render_seconds: Mapped[float | None] = mapped_column(Float)
    """Wall time the render took."""
    segment_count: Mapped[int | None] = mapped_column(Integer)
    synthesized_count: Mapped[int | None] = mapped_column(Integer)
    reused_count: Mapped[int | None] = mapped_column(Integer)
    loudness_lufs: Mapped[float | None] = mapped_column(Float)
    folder: Mapped[str | None] = mapped_column(Text)
    qa_summary: Mapped[dict[str, Any] | None] = mapped_column()
    """The back-check's summary as it reported it; null until a back-check ran."""
    store: Mapped[str | None] = mapped_column(Text)
    """Where it was published, e.g. ``s3://bucket/prefix`` or a local folder."""
    object_keys: Mapped[list[Any] | None] = mapped_column()
    latest_key: Mapped[str | None] = mapped_column(Text)
    bytes_uploaded: Mapped[int | None] = mapped_column(BigInteger)
    error: Mapped[str | None] = mapped_column(Text)
    host: Mapped[str | None] = mapped_column(String(255))
    """Where the render runs: ``hostname/pid-namespace`` (``storage.liveness``)."""
    pid: Mapped[int | None] = mapped_column(Integer)
    heartbeat_at: Mapped[datetime | None] = mapped_column()
    """Stamped every minute while the render runs; a stale one means its process is gone."""
    started_at: Mapped[datetime] = mapped_column(default=utcnow)
    finished_at: Mapped[datetime | None] = mapped_column()
    published_at: Mapped[datetime | None] = mapped_column()
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)

    lesson: Mapped[Lesson] = relationship(back_populates="renders")
    segments: Mapped[list[Segment]] = relationship(
        back_populates="render", order_by="Segment.index", passive_deletes=True
    )


class Segment(Base):
    __tablename__ = "segments"
    __table_args__ = (UniqueConstraint("render_pk", "index"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    render_pk: Mapped[int] = mapped_column(ForeignKey("renders.id", ondelete="CASCADE"), index=True)
    index: Mapped[int] = mapped_column(Integer)
    paragraph: Mapped[int] = mapped_column(Integer)
    text: Mapped[str] = mapped_column(Text)
    normalized: Mapped[str | None] = mapped_column(Text)
    pinyin: Mapped[str | None] = mapped_column(Text)
    emotion: Mapped[str] = mapped_column(String(32))
    start_s: Mapped[float] = mapped_column(Float)
    end_s: Mapped[float] = mapped_column(Float)
    duration_s: Mapped[float] = mapped_column(Float)
    pause_after_ms: Mapped[int] = mapped_column(Integer, default=0)
    cache_key: Mapped[str] = mapped_column(String(64), index=True)
    reused: Mapped[bool] = mapped_column(Boolean, default=False)
    cer: Mapped[float | None] = mapped_column(Float)
    """Character error rate of the back-check's transcript; null until checked."""
    per: Mapped[float | None] = mapped_column(Float)
    """Pinyin (phone) error rate; null until checked."""
    flags: Mapped[list[Any]] = mapped_column(default=list)
    flagged: Mapped[bool] = mapped_column(Boolean, default=False)
    """``flags`` is non-empty; a plain column so SQL can count flagged segments on any database."""

    render: Mapped[Render] = relationship(back_populates="segments")

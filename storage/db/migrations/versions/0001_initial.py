"""Initial catalog: lessons, renders, segments.

Revision ID: 0001
Revises:
Create Date: 2026-11-25
"""

from __future__ import annotations

from typing import Any

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

revision = "0001"
down_revision = None
branch_labels = None
depends_on = None

UTC_TIME = sa.DateTime(timezone=True)


def _json() -> sa.types.TypeEngine[Any]:
    return sa.JSON().with_variant(postgresql.JSONB(astext_type=sa.Text()), "postgresql")


def upgrade() -> None:
    op.create_table(
        "lessons",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("course", sa.String(length=200), nullable=False),
        sa.Column("lesson_id", sa.String(length=200), nullable=False),
        sa.Column("title", sa.Text(), nullable=True),
        sa.Column("created_at", UTC_TIME, nullable=False),
        sa.Column("updated_at", UTC_TIME, nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_lessons")),
        sa.UniqueConstraint("course", "lesson_id", name=op.f("uq_lessons_course_lesson_id")),
    )
    op.create_table(
        "renders",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("lesson_pk", sa.Integer(), nullable=False),
        sa.Column("render_id", sa.String(length=64), nullable=True),
        sa.Column("status", sa.String(length=16), nullable=False),
        sa.Column("spec_path", sa.Text(), nullable=True),
        sa.Column("spec_sha256", sa.String(length=64), nullable=True),
        sa.Column("voice", sa.String(length=64), nullable=True),
        sa.Column("engine_id", sa.String(length=200), nullable=True),
        sa.Column("model_sha256", sa.String(length=64), nullable=True),
        sa.Column("manifest_version", sa.Integer(), nullable=True),
        sa.Column("duration_s", sa.Float(), nullable=True),
        sa.Column("render_seconds", sa.Float(), nullable=True),
        sa.Column("segment_count", sa.Integer(), nullable=True),
        sa.Column("synthesized_count", sa.Integer(), nullable=True),
        sa.Column("reused_count", sa.Integer(), nullable=True),
        sa.Column("loudness_lufs", sa.Float(), nullable=True),
        sa.Column("folder", sa.Text(), nullable=True),
        sa.Column("qa_summary", _json(), nullable=True),
        sa.Column("store", sa.Text(), nullable=True),
        sa.Column("object_keys", _json(), nullable=True),
        sa.Column("latest_key", sa.Text(), nullable=True),
        sa.Column("bytes_uploaded", sa.BigInteger(), nullable=True),
        sa.Column("error", sa.Text(), nullable=True),
        sa.Column("started_at", UTC_TIME, nullable=False),
        sa.Column("finished_at", UTC_TIME, nullable=True),
        sa.Column("published_at", UTC_TIME, nullable=True),
        sa.Column("updated_at", UTC_TIME, nullable=False),
        sa.CheckConstraint(
            "status IN ('running', 'finished', 'published', 'failed')", name=op.f("ck_renders_status")
        ),
        sa.ForeignKeyConstraint(
            ["lesson_pk"], ["lessons.id"], name=op.f("fk_renders_lesson_pk_lessons"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_renders")),
        sa.UniqueConstraint("render_id", name=op.f("uq_renders_render_id")),
    )
    op.create_index(op.f("ix_renders_lesson_pk"), "renders", ["lesson_pk"])
    op.create_index(op.f("ix_renders_status"), "renders", ["status"])
    op.create_table(
        "segments",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("render_pk", sa.Integer(), nullable=False),
        sa.Column("index", sa.Integer(), nullable=False),
        sa.Column("paragraph", sa.Integer(), nullable=False),
        sa.Column("text", sa.Text(), nullable=False),
        sa.Column("normalized", sa.Text(), nullable=True),
        sa.Column("pinyin", sa.Text(), nullable=True),
        sa.Column("emotion", sa.String(length=32), nullable=False),
        sa.Column("start_s", sa.Float(), nullable=False),
        sa.Column("end_s", sa.Float(), nullable=False),
        sa.Column("duration_s", sa.Float(), nullable=False),
        sa.Column("pause_after_ms", sa.Integer(), nullable=False),
        sa.Column("cache_key", sa.String(length=64), nullable=False),
        sa.Column("reused", sa.Boolean(), nullable=False),
        sa.Column("cer", sa.Float(), nullable=True),
        sa.Column("per", sa.Float(), nullable=True),
        sa.Column("flags", _json(), nullable=False),
        sa.Column("flagged", sa.Boolean(), nullable=False),
        sa.ForeignKeyConstraint(
            ["render_pk"], ["renders.id"], name=op.f("fk_segments_render_pk_renders"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_segments")),
        sa.UniqueConstraint("render_pk", "index", name=op.f("uq_segments_render_pk_index")),
    )
    op.create_index(op.f("ix_segments_cache_key"), "segments", ["cache_key"])
    op.create_index(op.f("ix_segments_render_pk"), "segments", ["render_pk"])


def downgrade() -> None:
    op.drop_table("segments")
    op.drop_table("renders")
    op.drop_table("lessons")

"""Web render jobs are kept in the catalog, so they survive a restart of ``lessonaudio web``.

Revision ID: 0006_web_jobs
Revises: 0005_web_roles_sessions
Create Date: 2026-11-27
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0006_web_jobs"
down_revision = "0005_web_roles_sessions"
branch_labels = None
depends_on = None

UTC_TIME = sa.DateTime(timezone=True)


def upgrade() -> None:
    op.create_table(
        "web_jobs",
        sa.Column("id", sa.String(length=16), nullable=False),
        sa.Column("owner_token_id", sa.Integer(), nullable=False),
        sa.Column("owner_name", sa.String(length=64), nullable=False),
        sa.Column("lesson_id", sa.String(length=200), nullable=False),
        sa.Column("title", sa.Text(), nullable=False),
        sa.Column("script_sha256", sa.String(length=64), nullable=False),
        sa.Column("spec_path", sa.Text(), nullable=False),
        sa.Column("voice", sa.String(length=64), nullable=True),
        sa.Column("callback_url", sa.Text(), nullable=True),
        sa.Column("runner", sa.String(length=16), nullable=False),
        sa.Column("state", sa.String(length=16), nullable=False),
        sa.Column("error", sa.Text(), nullable=True),
        sa.Column("flow_run_id", sa.String(length=36), nullable=True),
        sa.Column("render_id", sa.String(length=64), nullable=True),
        sa.Column("folder", sa.Text(), nullable=True),
        sa.Column("duration_s", sa.Float(), nullable=True),
        sa.Column("host", sa.String(length=255), nullable=True),
        sa.Column("pid", sa.Integer(), nullable=True),
        sa.Column("heartbeat_at", UTC_TIME, nullable=True),
        sa.Column("submitted_at", UTC_TIME, nullable=False),
        sa.Column("started_at", UTC_TIME, nullable=True),
        sa.Column("finished_at", UTC_TIME, nullable=True),
        sa.Column("webhook_delivered", sa.Boolean(), nullable=True),
        sa.Column("webhook_attempts", sa.Integer(), nullable=True),
        sa.Column("webhook_status", sa.Integer(), nullable=True),
        sa.Column("webhook_error", sa.Text(), nullable=True),
        sa.CheckConstraint(
            "state IN ('queued', 'running', 'finished', 'failed')", name=op.f("ck_web_jobs_state")
        ),
        sa.CheckConstraint("runner IN ('local', 'prefect')", name=op.f("ck_web_jobs_runner")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_web_jobs")),
    )
    op.create_index(op.f("ix_web_jobs_owner_token_id"), "web_jobs", ["owner_token_id"])
    op.create_index(op.f("ix_web_jobs_state"), "web_jobs", ["state"])
    op.create_index(op.f("ix_web_jobs_submitted_at"), "web_jobs", ["submitted_at"])


def downgrade() -> None:
    op.drop_table("web_jobs")

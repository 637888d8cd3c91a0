"""Renders record their owner (host, pid) and a heartbeat; a new status, ``abandoned``.

Revision ID: 0004_render_owner
Revises: 0003_inbox_items
Create Date: 2026-11-26
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0004_render_owner"
down_revision = "0003_inbox_items"
branch_labels = None
depends_on = None

OLD_STATUSES = "status IN ('running', 'finished', 'published', 'failed')"
NEW_STATUSES = "status IN ('running', 'finished', 'published', 'failed', 'abandoned')"


def upgrade() -> None:
    # On SQLite this recreates the table; storage.db.session runs migrations with foreign keys off,
    # so dropping the old table does not cascade into the segments.
    with op.batch_alter_table("renders") as batch:
        batch.add_column(sa.Column("host", sa.String(length=255), nullable=True))
        batch.add_column(sa.Column("pid", sa.Integer(), nullable=True))
        batch.add_column(sa.Column("heartbeat_at", sa.DateTime(timezone=True), nullable=True))
        batch.drop_constraint(op.f("ck_renders_status"), type_="check")
        batch.create_check_constraint(op.f("ck_renders_status"), sa.text(NEW_STATUSES))


def downgrade() -> None:
    op.execute("UPDATE renders SET status = 'failed' WHERE status = 'abandoned'")
    with op.batch_alter_table("renders") as batch:
        batch.drop_constraint(op.f("ck_renders_status"), type_="check")
        batch.create_check_constraint(op.f("ck_renders_status"), sa.text(OLD_STATUSES))
        batch.drop_column("heartbeat_at")
        batch.drop_column("pid")
        batch.drop_column("host")

"""The inbox ledger (scan-inbox deployment).

Revision ID: 0003_inbox_items
Revises: 0002_web_tokens
Create Date: 2026-11-25
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0003_inbox_items"
down_revision = "0002_web_tokens"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "inbox_items",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("inbox", sa.String(length=1000), nullable=False),
        sa.Column("key", sa.String(length=1000), nullable=False),
        sa.Column("sha256", sa.String(length=64), nullable=False),
        sa.Column("status", sa.String(length=20), nullable=False),
        sa.Column("detail", sa.Text(), nullable=True),
        sa.Column("seen_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_inbox_items")),
        sa.UniqueConstraint("inbox", "key", "sha256", name=op.f("uq_inbox_items_inbox_key_sha256")),
    )


def downgrade() -> None:
    op.drop_table("inbox_items")

"""Web tokens get a role, the page's sessions get a table, renders record the submitting token.

Existing tokens become teachers: a token's owner may not be the person who should see every render,
so admin rights are given only on purpose (``lessonaudio web token create NAME --admin``).

Revision ID: 0005_web_roles_sessions
Revises: 0004_render_owner
Create Date: 2026-11-26
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0005_web_roles_sessions"
down_revision = "0004_render_owner"
branch_labels = None
depends_on = None

UTC_TIME = sa.DateTime(timezone=True)


def upgrade() -> None:
    with op.batch_alter_table("web_tokens") as batch:
        batch.add_column(sa.Column("role", sa.String(length=16), server_default="teacher", nullable=False))
        batch.create_check_constraint(op.f("ck_web_tokens_role"), sa.text("role IN ('teacher', 'admin')"))
    op.create_table(
        "web_sessions",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("session_sha256", sa.String(length=64), nullable=False),
        sa.Column("token_id", sa.Integer(), nullable=False),
        sa.Column("created_at", UTC_TIME, nullable=False),
        sa.Column("expires_at", UTC_TIME, nullable=False),
        sa.ForeignKeyConstraint(
            ["token_id"],
            ["web_tokens.id"],
            name=op.f("fk_web_sessions_token_id_web_tokens"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_web_sessions")),
        sa.UniqueConstraint("session_sha256", name=op.f("uq_web_sessions_session_sha256")),
    )
    op.create_index(op.f("ix_web_sessions_token_id"), "web_sessions", ["token_id"])
    op.create_index(op.f("ix_web_sessions_expires_at"), "web_sessions", ["expires_at"])
    op.add_column("renders", sa.Column("owner_token_id", sa.Integer(), nullable=True))
    op.create_index(op.f("ix_renders_owner_token_id"), "renders", ["owner_token_id"])


def downgrade() -> None:
    op.drop_index(op.f("ix_renders_owner_token_id"), table_name="renders")
    # Not a batch: copying ``renders`` on SQLite would cascade into the segments if foreign keys are on;
    # a plain DROP COLUMN (SQLite 3.35+) leaves the table in place.
    op.drop_column("renders", "owner_token_id")
    op.drop_table("web_sessions")
    with op.batch_alter_table("web_tokens") as batch:
        batch.drop_constraint(op.f("ck_web_tokens_role"), type_="check")
        batch.drop_column("role")

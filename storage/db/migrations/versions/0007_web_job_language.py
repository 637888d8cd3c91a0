"""A web job remembers its submitter's language, so a job a restart settles or re-queues still fails
in the language of whoever submitted it.

Revision ID: 0007_web_job_language
Revises: 0006_web_jobs
Create Date: 2026-11-27
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0007_web_job_language"
down_revision = "0006_web_jobs"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("web_jobs") as batch:
        batch.add_column(sa.Column("language", sa.String(length=16), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("web_jobs") as batch:
        batch.drop_column("language")

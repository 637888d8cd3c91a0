"""Alembic environment: runs on the connection :func:`storage.db.session.upgrade_database` hands in.

There is no ``alembic.ini``: the script location comes from the installed package, so migrations
work from any working directory. A new migration is written by hand next to ``versions/0001_initial.py``
(``render_as_batch`` keeps ALTERs working on SQLite), and ``tests/storage/test_db.py`` checks that the
migrated schema matches the models.
"""

from __future__ import annotations

from alembic import context

from storage.db.models import Base

connection = context.config.attributes.get("connection")
if connection is None:
    raise RuntimeError("run catalog migrations through storage.db.upgrade_database (lessonaudio db upgrade)")

context.configure(
    connection=connection,
    target_metadata=Base.metadata,
    version_table=context.config.get_main_option("version_table") or "alembic_version",
    render_as_batch=True,
    compare_type=True,
)
with context.begin_transaction():
    context.run_migrations()

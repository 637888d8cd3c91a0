"""Alembic migrations of the render catalog; run them with ``lessonaudio db upgrade``."""

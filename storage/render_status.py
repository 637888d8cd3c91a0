"""A render's life states, apart from the SQLAlchemy models: the CLI names them in its help text,
which must not wait for SQLAlchemy to import."""

from __future__ import annotations

from enum import StrEnum


class RenderStatus(StrEnum):
    """Where a render is in its life; ``published`` means a ``latest.json`` points (or pointed) at it."""

    RUNNING = "running"
    FINISHED = "finished"
    PUBLISHED = "published"
    FAILED = "failed"
    ABANDONED = "abandoned"
    """Its process died without recording an outcome (``storage.liveness`` decides)."""


STATUS_VALUES = tuple(s.value for s in RenderStatus)

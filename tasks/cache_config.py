"""Where the segment cache keeps its records, results and locks.

Apart from the synthesis task (which imports Prefect), so the wiring that builds it from settings
stays free of Prefect.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path


@dataclass(frozen=True, slots=True)
class CacheConfig:
    """Where cache records, cached results and locks live (all on one filesystem by default)."""

    root: Path
    result_storage: str | None
    """A saved Prefect storage block (``"s3-bucket/lesson-cache"``) for workers on several machines;
    None: results are files under ``root``."""
    lock_url: str | None
    """``redis://host:port/db`` to serialise cache keys across machines; None: flock on ``root``."""

    @property
    def segments(self) -> Path:
        return self.root / "segments"

    @property
    def plans(self) -> Path:
        """Lesson plans by what they are read from (``tasks.plan_cache``)."""
        return self.root / "plans"

    @property
    def pieces(self) -> Path:
        """Mastered paragraph pieces (``storage.pieces``), beside the segments they are made of."""
        return self.root / "pieces"

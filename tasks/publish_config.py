"""Where a render is published to and how often a failed publish is tried again.

Apart from the publish task (which imports Prefect), so the wiring that builds it from settings
stays free of Prefect.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from storage.objects import S3Settings


@dataclass(frozen=True, slots=True)
class LocalTarget:
    root: Path | None = None
    """Store root; None publishes in place, in the output root the render was written to."""
    prefix: str = ""


@dataclass(frozen=True, slots=True)
class S3Target:
    s3: S3Settings
    prefix: str = ""


PublishTarget = LocalTarget | S3Target


@dataclass(frozen=True, slots=True)
class PublishConfig:
    target: PublishTarget
    segments_root: Path | None
    """The segment store (``<cache_dir>/segment-cache/segments``) whose FLACs go under ``segments/``;
    None publishes no segments."""
    retries: int
    retry_delay_s: float
    """Delay before the first retry; each later retry waits twice as long as the one before."""

"""Runtime settings, read once at an entry point (CLI command, Prefect flow) and passed down.

Library code never reads the environment itself: it takes the values it needs as arguments, so tests can
build any configuration in-process and two renders with different settings can run side by side.
Every field can be set as ``LESSONAUDIO_<FIELD>`` in the environment or a ``.env`` file.
"""

from __future__ import annotations

from pathlib import Path

import platformdirs
from pydantic import Field
from pydantic_settings import BaseSettings, SettingsConfigDict


def _default_cache_dir() -> Path:
    return Path(platformdirs.user_cache_dir("lessonaudio"))


class Settings(BaseSettings):
    """Everything an operator may want to change without touching code."""

    model_config = SettingsConfigDict(env_prefix="LESSONAUDIO_", env_file=".env", extra="ignore")

    cache_dir: Path = Field(
        default_factory=_default_cache_dir,
        description="Root for prepared models and the segment cache; shared by every render on the machine.",
    )
    models_dir: Path | None = Field(
        default=None, description="Where prepared models live; defaults to <cache_dir>/models."
    )
    default_voice: str = Field(default="baker", description="Voice used when a lesson names none.")
    max_segment_chars: int = Field(
        default=50, ge=4, le=500, description="Longest segment synthesised in one call."
    )
    output_dir: Path = Field(
        default=Path("out"),
        description="Local folder laid out like the bucket: {course}/{lesson_id}/{render_id}/.",
    )
    synthesis_workers: int = Field(
        default=2, ge=1, le=64, description="Segments synthesised at once within one render."
    )
    engine_threads: int = Field(
        default=1, ge=1, le=64, description="ONNX Runtime threads per engine (workers x threads ~ cores)."
    )
    result_storage: str | None = Field(
        default=None,
        description="Saved Prefect storage block for cache results (e.g. 's3-bucket/lesson-cache') "
        "when workers on several machines share the cache; default: a folder under cache_dir.",
    )
    tts_http_url: str | None = Field(
        default=None, description="Base URL of a remote reference-API TTS service (voice 'http')."
    )

    @property
    def resolved_models_dir(self) -> Path:
        return self.models_dir if self.models_dir is not None else self.cache_dir / "models"


def load_settings() -> Settings:
    """Read settings from the environment; call this only at entry points."""
    return Settings()

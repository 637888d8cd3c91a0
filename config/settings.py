"""Runtime settings, read once at an entry point (CLI command, Prefect flow) and passed down.

Library code never reads the environment itself: it takes the values it needs as arguments, so tests can
build any configuration in-process and two renders with different settings can run side by side.
Every field can be set as ``LESSONAUDIO_<FIELD>`` in the environment or a ``.env`` file.
"""

from __future__ import annotations

from pathlib import Path
from typing import Literal

import platformdirs
from pydantic import Field, ValidationError
from pydantic_settings import BaseSettings, SettingsConfigDict

from errors import InputError
from i18n import _
from i18n.problems import problem_message


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
        default=50,
        ge=4,
        le=500,
        description="Most tokens in one segment, counted as spoken: syllables after normalisation "
        "(a number by its reading) plus punctuation marks; longer readings are cut.",
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
    # Publishing and the render catalog.
    database_url: str | None = Field(
        default=None,
        description="SQLAlchemy URL of the render catalog, e.g. postgresql+psycopg://user@host/db; "
        "default: a SQLite file <cache_dir>/lessonaudio.db.",
    )
    s3_bucket: str | None = Field(
        default=None, description="Publish to this S3 bucket; unset: publish to the local output folder."
    )
    s3_prefix: str = Field(default="", description="Key prefix inside the bucket (no leading slash).")
    s3_endpoint_url: str | None = Field(
        default=None,
        description="S3-compatible endpoint (MinIO, R2, ...); unset: AWS_ENDPOINT_URL or AWS itself.",
    )
    s3_region: str | None = Field(default=None, description="Region; unset: AWS_REGION / AWS config.")
    s3_addressing_style: str = Field(
        default="auto", pattern="^(auto|path|virtual)$", description="S3 addressing style."
    )
    s3_multipart_threshold_mb: int = Field(
        default=16, ge=1, le=5000, description="Files at least this large are uploaded in parts."
    )
    publish_retries: int = Field(default=3, ge=0, le=20, description="Retries of a failed publish.")
    publish_retry_delay_s: float = Field(
        default=2.0, ge=0, le=600, description="First retry delay; doubles with each retry."
    )

    # Web page and HTTP API: `lessonaudio web`.
    web_host: str = Field(default="127.0.0.1", description="Address `lessonaudio web` listens on.")
    web_port: int = Field(default=8000, ge=1, le=65535, description="Port `lessonaudio web` listens on.")
    web_language: Literal["zh-CN", "en"] = Field(
        default="zh-CN",
        description="Language of the page and API for a browser whose Accept-Language asks for neither.",
    )
    web_tts_per_minute: int = Field(
        default=10, ge=1, le=10_000, description="Preview (`POST /tts`) requests per token per minute."
    )
    web_renders_per_minute: int = Field(
        default=6, ge=1, le=10_000, description="Render submissions per token per minute."
    )
    web_validations_per_minute: int = Field(
        default=30,
        ge=1,
        le=10_000,
        description="Script checks (`POST /api/scripts/validate`) per token per minute.",
    )
    web_edits_per_minute: int = Field(
        default=120,
        ge=1,
        le=10_000,
        description=(
            "Paragraph editor round trips (`POST /api/scripts/paragraphs`, `/apply`) per token per minute."
        ),
    )
    web_request_timeout_s: float = Field(
        default=30.0,
        gt=0,
        le=3600,
        description="Time a client has to send a whole request (headers and body) before the "
        "connection is closed.",
    )
    web_max_body_kb: int = Field(
        default=512, ge=16, le=65_536, description="Largest request body accepted (413 above it)."
    )
    web_render_workers: int = Field(
        default=1, ge=1, le=16, description="Renders the web server runs at once; more wait in a queue."
    )
    web_render_deployment: str | None = Field(
        default=None,
        description="Submit page renders as flow runs of this Prefect deployment (e.g. "
        "render-lesson/render-lesson) on PREFECT_API_URL's server, run by `lessonaudio serve` or a "
        "worker; unset: render in the web process.",
    )
    web_renders_from: str = Field(
        default="folder",
        pattern="^(folder|catalog)$",
        description="Where the page lists past renders: the output folder's manifests, or the catalog DB.",
    )
    web_cookie_secure: bool = Field(
        default=False, description="Mark the session cookie Secure (set when served over HTTPS)."
    )
    web_webhook_secret: str | None = Field(
        default=None,
        repr=False,
        description="HMAC-SHA256 key for render callbacks; unset: renders with a callback_url are refused.",
    )
    web_webhook_allow_private: bool = Field(
        default=False,
        description="Allow callbacks to addresses that are not globally routable (loopback, private, "
        "link-local, site-local…).",
    )
    web_webhook_retries: int = Field(default=5, ge=0, le=20, description="Retries of a failed callback.")
    web_webhook_retry_delay_s: float = Field(
        default=2.0, ge=0, le=600, description="First callback retry delay; doubles with each retry."
    )
    web_webhook_timeout_s: float = Field(
        default=10.0, gt=0, le=120, description="Timeout of one callback attempt."
    )

    # ASR back-check and QA report.
    backcheck: bool = Field(
        default=True,
        description="Listen to every render with ASR, retry flagged segments, write qa.json/html.",
    )
    asr_engine: str = Field(
        default="whisper", pattern="^(whisper|paraformer)$", description="Recogniser for the back-check."
    )
    asr_model_dir: Path | None = Field(
        default=None,
        description="Recogniser model folder; whisper default: the pinned <models_dir>/whisper-base; "
        "paraformer: required (an exported funasr-onnx model).",
    )
    asr_threads: int = Field(default=2, ge=1, le=64, description="CPU threads of the recogniser.")
    asr_beam_size: int = Field(default=1, ge=1, le=10, description="Whisper beam size (1: greedy, fastest).")
    asr_batch_size: int = Field(default=8, ge=1, le=32, description="Whisper windows decoded together.")
    qa_max_per: float = Field(
        default=0.34, gt=0, le=2, description="Flag a segment whose toneless-pinyin error rate is above this."
    )
    qa_min_pinyin_errors: int = Field(
        default=2, ge=1, le=50, description="...and that has at least this many wrong syllables."
    )
    qa_silence_dbfs: float = Field(
        default=-50.0, le=0, description="Flag a segment whose RMS level is below this as silent."
    )
    qa_attempts: int = Field(
        default=2, ge=0, le=5, description="Re-syntheses (each slower) tried for a flagged segment."
    )

    # Scheduled generation and scale-out: `lessonaudio serve`.
    inbox: str | None = Field(
        default=None, description="Folder or s3://bucket/prefix scanned for new or changed lesson scripts."
    )
    inbox_cron: str = Field(
        default="*/15 * * * *", description="Schedule of the scan-inbox deployment (cron, UTC)."
    )
    inbox_interval_s: float | None = Field(
        default=None,
        # Below 10 s scans pile up faster than they finish; above a day the cron says it better,
        # and inf/nan would overflow the schedule's timedelta.
        ge=10,
        le=86400,
        allow_inf_nan=False,
        description="Scan the inbox every this many seconds (10 to 86400) instead of on the cron "
        "(sub-minute schedules).",
    )
    inbox_settle_s: float = Field(
        default=5.0,
        ge=0,
        le=300,
        description="A script is submitted only once unchanged (size and mtime, or ETag) for this long.",
    )
    lock_url: str | None = Field(
        default=None,
        description="redis://host:port/db: serialise segment synthesis across machines; "
        "default: file locks in cache_dir (one machine).",
    )
    synthesis_slots: int | None = Field(
        default=None,
        ge=1,
        le=1000,
        description="Global concurrency limit on synthesis across all workers (a Prefect limit); "
        "unset: each render is bounded only by synthesis_workers.",
    )

    @property
    def resolved_models_dir(self) -> Path:
        return self.models_dir if self.models_dir is not None else self.cache_dir / "models"


class SettingsError(InputError, ValueError):
    """An environment variable (or ``.env`` line) holds a value the setting cannot take.

    Raised instead of pydantic's multi-line report so every command can answer with one line that
    names the variable, what it holds and what it should hold.
    """


def load_settings() -> Settings:
    """Read settings from the environment; call this only at entry points."""
    try:
        return Settings()
    except ValidationError as err:
        problems = []
        for error in err.errors():
            field = ".".join(str(part) for part in error["loc"])
            value = str(error.get("input", ""))
            shown = value if len(value) <= 40 else value[:39] + "…"
            problems.append(f"LESSONAUDIO_{field.upper()}={shown!r}: {problem_message(error)}")
        fix = _("fix the variable in the environment or .env, or unset it")
        raise SettingsError(_("{problems} ({fix})").format(problems="; ".join(problems), fix=fix)) from None

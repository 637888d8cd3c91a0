"""Every component's configuration, built from ``Settings`` here and nowhere else.

Components take small frozen configs and never see ``Settings``; entry points (CLI commands, flows,
the web page) read the settings once and ask this module for the configs they pass down. Mapping a
setting to a config field in one place keeps a CLI render, a deployed run and the web page from
drifting apart on what a setting means or what an unset one falls back to: the defaults are the
settings' own (``config.settings``), and the config classes carry none that a setting decides.

Imports flow one way: this module imports the components, never the reverse, and it imports no
Prefect, so any entry point or test can use it. Each builder imports its component's config when it
is called, so a command that only opens the catalog loads neither numpy nor httpx.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from asr.registry import RecognizerConfig
    from config import Settings
    from engines.registry import VoiceConfig
    from qa.config import QAConfig
    from storage.db_config import DatabaseConfig
    from storage.objects import S3Settings
    from tasks.backcheck_config import BackcheckConfig
    from tasks.cache_config import CacheConfig
    from tasks.publish_config import PublishConfig
    from web.webhooks import WebhookConfig

__all__ = [
    "backcheck_config",
    "cache_config",
    "database_config",
    "publish_config",
    "qa_config",
    "recognizer_config",
    "s3_settings_for",
    "synthesis_workers",
    "voice_config",
    "webhook_config",
]

_MIB = 1024 * 1024


def synthesis_workers(settings: Settings) -> int:
    """Segments one render synthesises at once: the same for a CLI render and a deployed run."""
    return settings.synthesis_workers


def voice_config(settings: Settings) -> VoiceConfig:
    from engines.registry import VoiceConfig

    return VoiceConfig(
        models_dir=settings.resolved_models_dir,
        http_url=settings.tts_http_url,
        threads=settings.engine_threads,
    )


def cache_config(settings: Settings) -> CacheConfig:
    from storage.segments import segment_cache_root
    from tasks.cache_config import CacheConfig

    return CacheConfig(
        root=segment_cache_root(settings.cache_dir),
        result_storage=settings.result_storage,
        lock_url=settings.lock_url,
    )


def recognizer_config(settings: Settings) -> RecognizerConfig:
    from asr.registry import RecognizerConfig

    return RecognizerConfig(
        engine=settings.asr_engine,
        models_dir=settings.resolved_models_dir,
        model_dir=settings.asr_model_dir,
        threads=settings.asr_threads,
        beam_size=settings.asr_beam_size,
        batch_size=settings.asr_batch_size,
    )


def qa_config(settings: Settings) -> QAConfig:
    from qa.config import QAConfig

    return QAConfig(
        max_per=settings.qa_max_per,
        min_pinyin_errors=settings.qa_min_pinyin_errors,
        silence_dbfs=settings.qa_silence_dbfs,
        attempts=settings.qa_attempts,
    )


def backcheck_config(settings: Settings) -> BackcheckConfig:
    from storage.segments import segment_cache_root
    from tasks.backcheck_config import BackcheckConfig

    return BackcheckConfig(
        enabled=settings.backcheck,
        recognizer=recognizer_config(settings),
        qa=qa_config(settings),
        # Beside the segments, so `lessonaudio cache prune` ages it out with them.
        store=segment_cache_root(settings.cache_dir) / "backcheck",
    )


def s3_settings_for(settings: Settings, bucket: str) -> S3Settings:
    """How to reach ``bucket`` with the configured endpoint; shared by publishing and the S3 inbox."""
    from storage.objects import S3Settings

    return S3Settings(
        bucket=bucket,
        endpoint_url=settings.s3_endpoint_url,
        region=settings.s3_region,
        addressing_style=settings.s3_addressing_style,
        multipart_threshold=settings.s3_multipart_threshold_mb * _MIB,
        multipart_chunksize=max(8 * _MIB, settings.s3_multipart_threshold_mb * _MIB // 2),
    )


def publish_config(settings: Settings) -> PublishConfig:
    """S3 when ``LESSONAUDIO_S3_BUCKET`` is set, else the local output folder in place."""
    from tasks.publish_config import LocalTarget, PublishConfig, PublishTarget, S3Target

    target: PublishTarget
    if settings.s3_bucket:
        target = S3Target(s3_settings_for(settings, settings.s3_bucket), prefix=settings.s3_prefix.strip("/"))
    else:
        target = LocalTarget()
    return PublishConfig(
        target=target,
        segments_root=cache_config(settings).segments,
        retries=settings.publish_retries,
        retry_delay_s=settings.publish_retry_delay_s,
    )


def webhook_config(settings: Settings) -> WebhookConfig | None:
    """Render callbacks' signing and retries; None when no secret is set (callbacks are refused)."""
    from web.webhooks import WebhookConfig

    if not settings.web_webhook_secret:
        return None
    return WebhookConfig(
        secret=settings.web_webhook_secret,
        allow_private=settings.web_webhook_allow_private,
        retries=settings.web_webhook_retries,
        retry_delay_s=settings.web_webhook_retry_delay_s,
        timeout_s=settings.web_webhook_timeout_s,
    )


def database_config(settings: Settings) -> DatabaseConfig:
    """The catalog every command and flow opens: LESSONAUDIO_DATABASE_URL, else the embedded default,
    one SQLite file per machine next to the segment cache."""
    from storage.db_config import DEFAULT_DB_NAME, DatabaseConfig

    if settings.database_url:
        return DatabaseConfig(settings.database_url)
    return DatabaseConfig(f"sqlite:///{(settings.cache_dir / DEFAULT_DB_NAME).resolve()}")

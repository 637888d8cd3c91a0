"""Settings become component configs in one module: no Prefect, every field mapped, no second set of defaults.

Each mapping is checked with values that differ from the defaults, so a builder that dropped a
setting (and left the component on its own default) fails here, and the config classes are checked
to carry no defaults of their own that a setting decides.
"""

from __future__ import annotations

import dataclasses
import io
import json
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from rich.console import Console

from asr.registry import RecognizerConfig
from config import Settings, load_settings
from engines.registry import VoiceConfig
from qa.config import QAConfig
from storage.db_config import DatabaseConfig
from tasks.backcheck_config import BackcheckConfig
from tasks.cache_config import CacheConfig
from tasks.publish_config import LocalTarget, PublishConfig, S3Target
from web.webhooks import WebhookConfig
from wiring import (
    backcheck_config,
    cache_config,
    database_config,
    publish_config,
    qa_config,
    recognizer_config,
    s3_settings_for,
    synthesis_workers,
    voice_config,
    webhook_config,
)

ROOT = Path(__file__).resolve().parents[2]

# Builds every config in a fresh interpreter and reports which top-level packages that loaded,
# first after the catalog's config alone, then after all of them.
_PROBE = """
import json, sys
from config import Settings
import wiring
settings = Settings(cache_dir=sys.argv[1], s3_bucket="b", web_webhook_secret="s")
wiring.database_config(settings)
catalog_only = sorted({name.split(".")[0] for name in sys.modules})
for build in (wiring.voice_config, wiring.cache_config, wiring.recognizer_config, wiring.qa_config,
              wiring.backcheck_config, wiring.publish_config, wiring.webhook_config,
              wiring.synthesis_workers, wiring.database_config):
    build(settings)
wiring.s3_settings_for(settings, "other")
print(json.dumps({"catalog_only": catalog_only, "all": sorted({n.split(".")[0] for n in sys.modules})}))
"""


def test_building_every_config_imports_no_prefect(tmp_path: Path) -> None:
    done = subprocess.run(
        [sys.executable, "-c", _PROBE, str(tmp_path)], cwd=ROOT, capture_output=True, text=True, check=True
    )
    loaded = json.loads(done.stdout)
    assert "prefect" not in loaded["all"]
    assert {"engines", "asr", "qa", "tasks", "web", "storage"} <= set(loaded["all"])  # all were built
    # A command that only opens the catalog pays for none of the components' libraries.
    assert set(loaded["catalog_only"]).isdisjoint({"prefect", "sqlalchemy", "numpy", "httpx"})


@pytest.fixture
def settings(tmp_path: Path) -> Settings:
    """Every setting a builder reads, at a value other than its default (init values beat the environment)."""
    chosen = Settings(
        cache_dir=tmp_path / "cache",
        models_dir=tmp_path / "models",
        synthesis_workers=7,
        engine_threads=3,
        result_storage="s3-bucket/lesson-cache",
        tts_http_url="http://tts.example:9000",
        lock_url="redis://locks:6379/2",
        database_url="postgresql+psycopg://u@db/lessons",
        s3_bucket="school-lessons",
        s3_prefix="/audio/",
        s3_endpoint_url="http://minio:9000",
        s3_region="eu-west-1",
        s3_addressing_style="path",
        s3_multipart_threshold_mb=40,
        publish_retries=6,
        publish_retry_delay_s=0.25,
        web_webhook_secret="hush",
        web_webhook_allow_private=True,
        web_webhook_retries=9,
        web_webhook_retry_delay_s=0.5,
        web_webhook_timeout_s=3.0,
        backcheck=False,
        asr_engine="paraformer",
        asr_model_dir=tmp_path / "paraformer",
        asr_threads=5,
        asr_beam_size=4,
        asr_batch_size=3,
        qa_max_per=0.5,
        qa_min_pinyin_errors=4,
        qa_silence_dbfs=-40.0,
        qa_attempts=1,
    )
    defaults = Settings.model_construct()
    for name in chosen.model_fields_set:
        assert getattr(chosen, name) != getattr(defaults, name), name  # the test would not see it dropped
    return chosen


def test_voice_config(settings: Settings, tmp_path: Path) -> None:
    assert voice_config(settings) == VoiceConfig(
        models_dir=tmp_path / "models", http_url="http://tts.example:9000", threads=3
    )


def test_cache_config(settings: Settings, tmp_path: Path) -> None:
    config = cache_config(settings)
    assert config == CacheConfig(
        root=tmp_path / "cache" / "segment-cache",
        result_storage="s3-bucket/lesson-cache",
        lock_url="redis://locks:6379/2",
    )
    assert config.segments == tmp_path / "cache" / "segment-cache" / "segments"


def test_backcheck_config(settings: Settings, tmp_path: Path) -> None:
    recognizer = RecognizerConfig(
        engine="paraformer",
        models_dir=tmp_path / "models",
        model_dir=tmp_path / "paraformer",
        threads=5,
        beam_size=4,
        batch_size=3,
    )
    qa = QAConfig(max_per=0.5, min_pinyin_errors=4, silence_dbfs=-40.0, attempts=1)
    assert recognizer_config(settings) == recognizer
    assert qa_config(settings) == qa
    assert backcheck_config(settings) == BackcheckConfig(
        enabled=False, recognizer=recognizer, qa=qa, store=tmp_path / "cache" / "segment-cache" / "backcheck"
    )


def test_publish_config(settings: Settings, tmp_path: Path) -> None:
    config = publish_config(settings)
    assert isinstance(config.target, S3Target)
    assert config.target.prefix == "audio"
    s3 = config.target.s3
    assert (s3.bucket, s3.endpoint_url, s3.region, s3.addressing_style) == (
        "school-lessons",
        "http://minio:9000",
        "eu-west-1",
        "path",
    )
    assert (s3.multipart_threshold, s3.multipart_chunksize) == (40 * 1024 * 1024, 20 * 1024 * 1024)
    assert s3_settings_for(settings, "inbox").bucket == "inbox"  # the inbox reaches S3 the same way
    assert (config.segments_root, config.retries, config.retry_delay_s) == (
        tmp_path / "cache" / "segment-cache" / "segments",
        6,
        0.25,
    )
    local = publish_config(settings.model_copy(update={"s3_bucket": None}))
    assert local == PublishConfig(LocalTarget(), config.segments_root, retries=6, retry_delay_s=0.25)


def test_webhook_config(settings: Settings) -> None:
    assert webhook_config(settings) == WebhookConfig(
        secret="hush", allow_private=True, retries=9, retry_delay_s=0.5, timeout_s=3.0
    )
    assert webhook_config(settings.model_copy(update={"web_webhook_secret": None})) is None


def test_database_config(settings: Settings, tmp_path: Path) -> None:
    assert database_config(settings) == DatabaseConfig("postgresql+psycopg://u@db/lessons")
    embedded = database_config(settings.model_copy(update={"database_url": None}))
    assert embedded == DatabaseConfig(f"sqlite:///{(tmp_path / 'cache' / 'lessonaudio.db').resolve()}")


@pytest.mark.parametrize(
    ("config", "settings_decide"),
    [
        (VoiceConfig, {"models_dir", "http_url", "threads"}),
        (CacheConfig, {"root", "result_storage", "lock_url"}),
        (RecognizerConfig, {"engine", "models_dir", "model_dir", "threads", "beam_size", "batch_size"}),
        (QAConfig, {"max_per", "min_pinyin_errors", "silence_dbfs", "attempts"}),
        (BackcheckConfig, {"enabled", "recognizer", "qa", "store"}),
        (PublishConfig, {"target", "segments_root", "retries", "retry_delay_s"}),
        (WebhookConfig, {"secret", "allow_private", "retries", "retry_delay_s", "timeout_s"}),
        (DatabaseConfig, {"url"}),
    ],
)
def test_configs_have_no_defaults_of_their_own_for_settings(config: Any, settings_decide: set[str]) -> None:
    """A default here would be a second spelling of the setting's, free to drift from it."""
    fields = {f.name: f for f in dataclasses.fields(config)}
    assert settings_decide <= set(fields)
    for name in settings_decide:
        assert fields[name].default is dataclasses.MISSING, f"{config.__name__}.{name}"
        assert fields[name].default_factory is dataclasses.MISSING, f"{config.__name__}.{name}"


def _pool_size(runner: Any) -> int:
    executor = runner._executor
    assert executor is not None
    return int(executor._max_workers)


def test_deployed_and_cli_renders_run_the_same_number_of_workers(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    """A deployed run sizes the flow's own runner when it starts; the CLI hands the flow one built from
    the settings it read. Both go through ``wiring.synthesis_workers``, so both see the same count."""
    import flows.render
    from app.commands.render import _render

    monkeypatch.setenv("LESSONAUDIO_SYNTHESIS_WORKERS", "5")
    settings = load_settings()
    assert synthesis_workers(settings) == 5

    with flows.render.render_lesson.task_runner.duplicate() as deployed:  # what Prefect does per run
        deployed_workers = _pool_size(deployed)

    seen: list[int] = []

    class Flow:
        """Stands in for the flow: records the pool the CLI's runner opens, renders nothing."""

        def with_options(self, task_runner: Any) -> Any:
            def run(*args: Any, **kwargs: Any) -> flows.render.RenderSummary:
                with task_runner.duplicate() as runner:
                    seen.append(_pool_size(runner))
                return flows.render.RenderSummary("l", "r", str(tmp_path), 1.0, 1, 1, 0, 0.1)

            return run

    monkeypatch.setattr(flows.render, "render_lesson", Flow())
    _render(Console(file=io.StringIO()), settings, tmp_path / "lesson.yaml", None, None, False)
    assert seen == [deployed_workers] == [5]

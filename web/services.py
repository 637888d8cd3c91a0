"""Everything the routes use, built once from settings; tests build it with fakes instead.

Keeping this separate from the app factory means routes never read settings or globals: they get a
:class:`Services` and call it, so each piece can be replaced (a fake voice for the schema fuzzer, a
recording runner for webhook tests) without patching modules.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Protocol

from config import Settings
from web.frontend import SharedFrontEnd
from web.jobs import JobManager
from web.preview import PreviewAudio, PreviewService
from web.ratelimit import RateLimiter
from web.render_index import CatalogRenderIndex, FolderRenderIndex, RenderIndex
from web.render_owners import RenderOwners
from web.runners import EmbeddedRunner, deployment_runs
from web.sessions import SessionStore, SqlSessionStore
from web.token_store import SqlTokenStore
from web.tokens import TokenStore
from web.validation import ScriptChecker
from web.webhooks import WebhookSender
from wiring import database_config, webhook_config


class Previewer(Protocol):
    def synthesize(self, text: str, emotion: str, voice: str | None = None) -> PreviewAudio: ...


@dataclass
class Services:
    tokens: TokenStore
    sessions: SessionStore
    owners: RenderOwners
    checker: ScriptChecker
    preview: Previewer
    jobs: JobManager
    renders: RenderIndex
    webhooks: WebhookSender | None
    tts_limit: RateLimiter
    render_limit: RateLimiter
    validate_limit: RateLimiter
    edit_limit: RateLimiter
    default_voice: str = "baker"
    cookie_secure: bool = False

    def close(self) -> None:
        self.jobs.close()
        for thing in (self.tokens, self.renders):
            close = getattr(thing, "close", None)
            if callable(close):
                close()


def webhook_sender(settings: Settings) -> WebhookSender | None:
    """The sender of render callbacks; None when no secret is set, so callbacks are refused."""
    config = webhook_config(settings)
    return WebhookSender(config) if config is not None else None


def build_services(settings: Settings) -> Services:
    front_end = SharedFrontEnd()
    url = database_config(settings).url
    webhooks = webhook_sender(settings)
    tokens = SqlTokenStore.open(url)
    owners = RenderOwners(tokens.engine)  # tokens, sessions and owners share one catalog database
    renders: RenderIndex = (
        CatalogRenderIndex(url)
        if settings.web_renders_from == "catalog"
        else FolderRenderIndex(settings.output_dir, owners)
    )
    return Services(
        tokens=tokens,
        sessions=SqlSessionStore(tokens.engine),
        owners=owners,
        checker=ScriptChecker(front_end, settings.max_segment_chars),
        preview=PreviewService.from_settings(settings, front_end),
        jobs=JobManager(
            runner=EmbeddedRunner(settings.output_dir),
            jobs_dir=settings.cache_dir / "web-jobs",
            owners=owners,
            webhooks=webhooks,
            workers=settings.web_render_workers,
            remote=deployment_runs(settings),
            language=settings.web_language,
        ),
        renders=renders,
        webhooks=webhooks,
        tts_limit=RateLimiter(settings.web_tts_per_minute),
        render_limit=RateLimiter(settings.web_renders_per_minute),
        validate_limit=RateLimiter(settings.web_validations_per_minute),
        edit_limit=RateLimiter(settings.web_edits_per_minute),
        default_voice=settings.default_voice,
        cookie_secure=settings.web_cookie_secure,
    )

"""The teacher's language: messages are written in English and translated through gettext catalogs.

Teachers in China read the diagnostics, the CLI's messages and the API's errors, so every such
message goes through :func:`_` (or :func:`N_` where it is written before anyone asked). The catalog
for Simplified Chinese is ``i18n/locale/zh_CN/LC_MESSAGES/lessonaudio.po``, kept with Babel
(``make messages`` extracts, updates and compiles it); ``tests/test_i18n.py`` fails when a message
has no translation or the compiled catalog is stale.

The language is a context variable, not a global: the CLI sets it once at its entry point (from
``LESSONAUDIO_LANG`` or the locale), the web app sets it for each request (from Accept-Language),
and messages are translated when they are made, in the language of whoever will read them.
Reading the compiled ``.mo`` needs only the standard library, so no command pays for Babel.
"""

from __future__ import annotations

import gettext as _gettext
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from contextvars import ContextVar
from functools import cache
from pathlib import Path

__all__ = [
    "DEFAULT_LANGUAGE",
    "DOMAIN",
    "LANGUAGES",
    "LOCALE_DIR",
    "N_",
    "_",
    "current_language",
    "language_from_accept",
    "language_from_env",
    "ngettext",
    "use_language",
]

DOMAIN = "lessonaudio"
LOCALE_DIR = Path(__file__).resolve().parent / "locale"
LANGUAGES = ("zh-CN", "en")
"""Every language a message exists in: the catalog's and the source's."""
DEFAULT_LANGUAGE = "en"
"""Where nothing says otherwise (a shell with no locale, a library call): the source language."""

_CATALOG_OF = {"zh-CN": "zh_CN"}
_language: ContextVar[str] = ContextVar("lessonaudio_language", default=DEFAULT_LANGUAGE)


@cache
def _translations(language: str) -> _gettext.NullTranslations:
    locale = _CATALOG_OF.get(language)
    if locale is None:
        return _gettext.NullTranslations()
    return _gettext.translation(DOMAIN, LOCALE_DIR, languages=[locale])


def _(message: str) -> str:
    """``message`` in the current language; format placeholders after translating, never before."""
    return _translations(_language.get()).gettext(message)


def ngettext(singular: str, plural: str, n: int) -> str:
    """The singular or plural form for ``n`` in the current language (Chinese has one form)."""
    return _translations(_language.get()).ngettext(singular, plural, n)


def N_(message: str) -> str:
    """Marks a message for the catalog without translating it: for text written at import time."""
    return message


def current_language() -> str:
    """The language messages are being translated into, one of :data:`LANGUAGES`."""
    return _language.get()


@contextmanager
def use_language(language: str) -> Iterator[str]:
    """Translate messages made inside the block into ``language`` (a tag of :data:`LANGUAGES`)."""
    if language not in LANGUAGES:
        raise ValueError(f"unknown language {language!r}; one of {', '.join(LANGUAGES)}")
    token = _language.set(language)
    try:
        yield language
    finally:
        _language.reset(token)


def _match(tag: str) -> str | None:
    """A language tag or locale name (zh, zh-Hans-CN, zh_CN.UTF-8, en-GB) as one of LANGUAGES."""
    primary = tag.strip().replace("_", "-").split(".")[0].split("@")[0].split("-")[0].lower()
    if primary == "zh":
        return "zh-CN"  # the catalog is Simplified Chinese; a Traditional reader still reads it best
    if primary == "en":
        return "en"
    return None


def language_from_env(environ: Mapping[str, str]) -> str:
    """The CLI's language: ``LESSONAUDIO_LANG``, else the locale (LC_ALL, LC_MESSAGES, LANG), else English.

    A locale of ``C`` or ``POSIX`` (a bare container, a CI job) reads as English, as gettext does.
    """
    chosen = environ.get("LESSONAUDIO_LANG", "").strip()
    if chosen:
        return _match(chosen) or DEFAULT_LANGUAGE
    for name in ("LC_ALL", "LC_MESSAGES", "LANG"):
        value = environ.get(name, "").strip()
        if value:
            return _match(value) or DEFAULT_LANGUAGE
    return DEFAULT_LANGUAGE


def language_from_accept(header: str | None, default: str = "zh-CN") -> str:
    """The best of :data:`LANGUAGES` for an Accept-Language header by its q-values, else ``default``."""
    best: tuple[float, int, str] | None = None
    for position, part in enumerate((header or "").split(",")):
        tag, _sep, params = part.partition(";")
        quality = 1.0
        for param in params.split(";"):
            key, _eq, value = param.strip().partition("=")
            if key == "q":
                try:
                    quality = float(value)
                except ValueError:
                    quality = 0.0
        language = _match(tag) if tag.strip() != "*" else None
        if language is None or quality <= 0:
            continue
        candidate = (quality, -position, language)
        if best is None or candidate > best:
            best = candidate
    return best[2] if best is not None else default

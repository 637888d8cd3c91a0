"""The words the teachers' page shows, in the reader's language.

The template translates its own text; what the page's scripts show (statuses, buttons they add,
download names) is written here once, marked for the catalog, and handed to the scripts as JSON in
the page, so the JavaScript carries keys, never English, and one catalog serves the whole page.
"""

from __future__ import annotations

from collections.abc import Mapping

from i18n import N_, _

__all__ = ["EMOTION_LABELS", "JOB_STATE_LABELS", "page_text", "translated"]

EMOTION_LABELS: Mapping[str, str] = {
    "neutral": N_("neutral"),
    "happy": N_("happy"),
    "sad": N_("sad"),
    "angry": N_("angry"),
    "gentle": N_("gentle"),
    "serious": N_("serious"),
    "excited": N_("excited"),
    "surprised": N_("surprised"),
}
"""The script's emotion keys stay English in YAML; the page names them in the reader's language."""

JOB_STATE_LABELS: Mapping[str, str] = {
    "queued": N_("queued"),
    "running": N_("running"),
    "finished": N_("finished"),
    "failed": N_("failed"),
}

SCRIPT_TEXT: Mapping[str, str] = {}
"""Text the page's scripts show, by key (filled as the scripts move their strings here)."""


def translated(labels: Mapping[str, str]) -> dict[str, str]:
    """``labels`` with every value in the current language."""
    return {key: _(label) for key, label in labels.items()}


def page_text() -> dict[str, str]:
    """Everything the page's scripts may show, in the current language."""
    return translated(SCRIPT_TEXT)

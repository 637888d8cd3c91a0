"""Surnames: a character right after 姓 takes its surname reading (姓曾 zeng1, 姓单 shan4)."""

from __future__ import annotations

from i18n import N_
from text_frontend.g2p.rules.context import Context, Rule

# Characters whose surname reading differs from their everyday one: read so right after 姓.
SURNAMES = {
    "曾": "zeng1",
    "单": "shan4",
    "解": "xie4",
    "仇": "qiu2",
    "区": "ou1",
    "朴": "piao2",
    "查": "zha1",
    "盖": "ge3",
    "缪": "miao4",
    "覃": "qin2",
    "召": "shao4",
}


def surname(c: Context) -> str | None:
    """A character right after 姓 is a surname (班主任姓曾, 同桌姓单): its surname reading."""
    return SURNAMES.get(c.text[c.i]) if c.prev() == "姓" else None


SURNAME_RULE = Rule(N_("a character after 姓 takes its surname reading"), surname)

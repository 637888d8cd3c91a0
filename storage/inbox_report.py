"""The report left beside a rejected inbox script: where each problem is and how to fix it, in the
validator's words but without the script's own words.

The report lands in the inbox, and the ledger keeps a copy in the catalog; both can be read by
people and tools that were never meant to see what the file says (it may not be a lesson at all,
but a config file with keys in it). The teacher needs the line and column, the kind of problem and
the fix, and has the script open anyway. So the validator's messages are kept, minus what came from
the script, which is shown as ``…``:

* a quoted piece (messages quote what they complain about in backticks or quotes) any of whose
  words occurs anywhere in the script, in any letter case and with or without a tone digit. That
  also catches what a message derives from a value (a slug suggestion, a cut excerpt). The
  validator's own examples (`` `id: my-lesson` ``) stay, and so do the format's keys and emotion
  names, which "did you mean" suggestions name;
* any other word that is also a word of the script: values a message names unquoted (``pause of
  90s``) or a fix derives from one (``e.g. hao1``), and, next to a ``…`` where a long message was
  cut, any piece of the script's text.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace

from i18n import N_, _
from lesson_specs import Emotion, SpecError
from lesson_specs.loader import PARAGRAPH_KEYS, TOP_KEYS

HIDDEN = "…"
VOCABULARY = frozenset(
    {*TOP_KEYS, *PARAGRAPH_KEYS, *(e.value for e in Emotion), "paragraph", "lesson", "script", "yaml"}
)
"""Words of the format, kept even when the script uses them too: they say what is wrong, not what the
script says."""
_QUOTED = re.compile(r"`[^`\n]*`|'[^'\n]*'|\"[^\"\n]*\"|“[^”\n]*”|‘[^’\n]*’|「[^」\n]*」")
_WORD = re.compile(r"\w+")
_INDICATOR = re.compile(r"[^\w\s]|\\(?:[a-z]|x[0-9a-f]{2}|u[0-9a-f]{4})|<[a-z ]+>")
"""What YAML errors quote that is a kind of problem, not content: one punctuation mark, an escaped
control character (a tab), a token name (``<block end>``)."""

HEADER = (
    N_("This script was not rendered. Fix the problems below and save it; the next scan checks it again."),
    N_("Each line gives the line:column in the script; words from the script are shown as {hidden}"),
)
"""The report's first two lines, translated when a report is written."""


@dataclass(frozen=True, slots=True)
class ScriptWords:
    """What the script says, case-folded: its words, and all of it for fragments of cut messages."""

    words: frozenset[str]
    text: str

    @classmethod
    def of(cls, data: bytes) -> ScriptWords:
        text = data.decode("utf-8", "replace").casefold()
        return cls(frozenset(_WORD.findall(text)), text)

    def has(self, word: str, *, fragment: bool) -> bool:
        """Whether ``word`` (or it without a tone digit) is a word of the script, or with
        ``fragment``, anywhere in its text."""
        folded = word.casefold()
        toneless = folded.rstrip("0123456789") or folded
        if fragment:
            return folded in self.text or toneless in self.text
        return folded in self.words or toneless in self.words


def rejection_report(error: SpecError, data: bytes) -> str:
    """The ``.errors.txt`` text for ``data``, rejected with ``error``."""
    script = ScriptWords.of(data)
    lines = [
        str(replace(d, message=redact(d.message, script), fix=redact(d.fix, script)))
        for d in error.diagnostics
    ]
    header = [_(HEADER[0]), _(HEADER[1]).format(hidden=HIDDEN)]
    return "\n".join([*header, *lines]) + "\n"


def redact(text: str, script: ScriptWords) -> str:
    """``text`` with quoted values and words of the script replaced by ``…``."""
    out: list[str] = []
    last = 0
    for quoted in _QUOTED.finditer(text):
        out.append(_redact_words(text[last : quoted.start()], script))
        span = quoted.group()
        out.append(span if _validators_own(span[1:-1], script) else span[0] + HIDDEN + span[-1])
        last = quoted.end()
    out.append(_redact_words(text[last:], script))
    return "".join(out)


def _validators_own(quoted: str, script: ScriptWords) -> bool:
    """Whether a quoted piece is the validator's text (an example, a key) rather than the script's."""
    if _INDICATOR.fullmatch(quoted):
        return True
    words = _WORD.findall(quoted)
    if not words:
        return False  # punctuation from the script
    return not any(script.has(w, fragment=True) for w in words if w.casefold() not in VOCABULARY)


def _harmless(word: str) -> bool:
    """Format words, and numbers a message states unquoted (200 KB, 2 syllables), say what is wrong
    and how big, not what the script says."""
    return word.casefold() in VOCABULARY or (word.isascii() and word.isdigit())


def _redact_words(text: str, script: ScriptWords) -> str:
    def one(match: re.Match[str]) -> str:
        word = match.group()
        if _harmless(word):
            return word
        # Beside a ``…`` a long message was cut, maybe inside a word: a piece of any script word counts.
        cut = (
            text[match.start() - 1 : match.start()] == HIDDEN or text[match.end() : match.end() + 1] == HIDDEN
        )
        return HIDDEN if script.has(word, fragment=cut) else word

    return _WORD.sub(one, text)

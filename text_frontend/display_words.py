"""Words of the text a lesson shows (the script's own words), for speech marks and caption breaks.

Han runs are cut by the front end's own word matcher (``g2p.split_words``), so a caption never
breaks a word the voice read as one. A run of letters and digits is one word, with the joiners
that belong inside numbers and words ("3.14", "1,000", "12:30", "don't", "e-mail"); any other
visible symbol (+, =, %) is a word of its own. Punctuation and spaces belong to no word.
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

_HAN = "\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff〇"
_TOKEN = re.compile(
    rf"(?P<han>[{_HAN}]+)"
    rf"|(?P<alnum>[^\W_{_HAN}]+(?:[.,:/'’\-][^\W_{_HAN}]+)*)"
    r"|(?P<other>\S)"
)


def is_pause_char(char: str) -> bool:
    """Punctuation or space: shown, but not itself spoken."""
    return char.isspace() or unicodedata.category(char).startswith("P")


@lru_cache(maxsize=4096)
def word_spans(text: str) -> tuple[tuple[int, int], ...]:
    """[start, end) of every word of ``text``, in order (cached: a re-render sees the same texts).

    The word matcher (and pypinyin's phrase dictionary under it) is loaded on the first call: a
    render of a stored plan has its words already and never calls this.
    """
    from text_frontend.g2p import split_words

    spans: list[tuple[int, int]] = []
    for match in _TOKEN.finditer(text):
        start = match.start()
        if match.lastgroup == "han":
            for word in split_words(match.group()):
                spans.append((start, start + len(word)))
                start += len(word)
        elif match.lastgroup == "alnum" or not is_pause_char(match.group()):
            spans.append((start, match.end()))
    return tuple(spans)

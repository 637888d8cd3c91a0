"""WeTextProcessing (WeTN) for the general cases: numbers, dates, times, money, units, fractions.

Options differ from WeTN's defaults on purpose: interjections (嗯 啊 呃) are kept because a teacher who
writes them wants them said; erhua is kept because 这儿 is pronounced with 儿; no traditional→simplified
or full→half-width conversion, so verbatim characters stay verbatim for captions and source offsets.
Non-default options mean WeTN must compile its FSTs once (~5 s): they go to a per-options folder under
the user cache (``LESSONAUDIO_CACHE_DIR`` overrides), written atomically so concurrent first runs
cannot leave a half-written file, and loaded in ~0.5 s afterwards.
"""

from __future__ import annotations

import logging
import os
import re
import shutil
import string
import tempfile
import threading
from importlib.metadata import version
from pathlib import Path

from tn.chinese.normalizer import Normalizer

from text_frontend.normalize.annotated import Annotated, Char, realign

# WeTN configures its logger at INFO on import; its build chatter is not our users' business.
logging.getLogger("wetext").setLevel(logging.WARNING)

log = logging.getLogger(__name__)

OPTIONS = {
    "remove_interjections": False,
    "remove_erhua": False,
    "traditional_to_simple": False,
    "full_to_half": False,
    "remove_puncts": False,
    "tag_oov": False,
}
_CONTEXT = 4  # characters of context WeTN gets on each side of what it must rewrite
_FST_FILES = ("zh_tn_tagger.fst", "zh_tn_verbalizer.fst")
# Clause ends: WeTN never needs context across them, and cutting there keeps each call short.
_CLAUSE_END = re.compile(r"(?<=[。！？；，\n])")
# Most characters one WeTN call gets. Its tagger and our diff of its output grow faster than linearly
# with the input, so a long run with no clause end (2,000 characters of ``1/3 1/3 …``) cost 5-25 s
# in one call; cut into pieces of this size it costs about a second.
_MAX_CALL = 64
_SAFE = 4  # rank of a cut no WeTN token can span (:func:`_cut_rank`)
_ASCII_DIGITS = frozenset(string.digits)
_ASCII_LETTERS = frozenset(string.ascii_letters)
_ASCII_PUNCT = frozenset(string.punctuation)
# Cutting after these never splits a WeTN token: no rule or word list of WeTN's contains them.
_NEVER_IN_TOKEN = frozenset("!?;")
# Mistakes WeTN makes that are safe to undo on its output: 第2名 → 第两名.
_POST_FIXES = (("第两", "第二"),)


def default_cache_dir() -> Path:
    env = os.environ.get("LESSONAUDIO_CACHE_DIR")
    if env:
        return Path(env) / "wetn"
    base = os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache"
    return Path(base) / "lessonaudio" / "wetn"


def _options_key() -> str:
    flags = "".join("1" if OPTIONS[k] else "0" for k in sorted(OPTIONS))
    return f"zh-{version('WeTextProcessing')}-{flags}"


def _load(cache_root: Path) -> Normalizer:
    target = cache_root / _options_key()
    if all((target / name).is_file() for name in _FST_FILES):
        return Normalizer(cache_dir=str(target), **OPTIONS)
    try:
        cache_root.mkdir(parents=True, exist_ok=True)
        staging = Path(tempfile.mkdtemp(prefix=".build-", dir=cache_root))
    except OSError as err:
        log.warning("cannot write WeTN cache under %s (%s); building in a temporary folder", cache_root, err)
        staging = Path(tempfile.mkdtemp(prefix="lessonaudio-wetn-"))
        return Normalizer(cache_dir=str(staging), **OPTIONS)
    normalizer = Normalizer(cache_dir=str(staging), **OPTIONS)
    try:
        staging.rename(target)
    except OSError:  # another process finished first: its files are as good as ours
        shutil.rmtree(staging, ignore_errors=True)
    return normalizer


def _needs_wetn(text: str) -> bool:
    """Han text and punctuation come out of WeTN unchanged with our options; skip the FST for them."""
    return any(
        (ch.isascii() and not ch.isspace()) or (not ch.isascii() and not _is_han_or_cjk_punct(ch))
        for ch in text
    )


def _is_han_or_cjk_punct(ch: str) -> bool:
    code = ord(ch)
    return (
        0x4E00 <= code <= 0x9FFF
        or 0x3000 <= code <= 0x303F
        or (0xFF01 <= code <= 0xFF0F and ch not in "％＋－")
        or ch in "“”‘’…—·《》（）：；！？，"
    )


class WeTextNormalizer:
    """One loaded WeTN; calls are serialised because pynini FST composition is not documented thread-safe."""

    def __init__(self, cache_dir: Path | None = None) -> None:
        self._normalizer = _load(cache_dir or default_cache_dir())
        self._lock = threading.Lock()

    def raw(self, text: str) -> str:
        """WeTN's own output for ``text`` plus our post-fixes; no provenance."""
        with self._lock:
            out: str = self._normalizer.normalize(text)
        for wrong, right in _POST_FIXES:
            out = out.replace(wrong, right)
        return out

    def normalize(self, src: Annotated) -> Annotated:
        """Normalise window by window and carry sources and pinned readings through by diff.

        A window is a stretch that needs WeTN plus a few characters of context on each side, within
        its clause: WeTN's rules are local (个 after a number, 第 before it, 年月日 between digits),
        and sending it only those windows instead of whole paragraphs roughly doubles throughput. A long
        window goes in pieces (:func:`_pieces`) so that no text can make one call slow.
        """
        text = src.text
        out: list[Char] = []
        start = 0
        for piece in _CLAUSE_END.split(text):
            if not piece:
                continue
            for lo, hi, needs in _windows(piece):
                if not needs:
                    out.extend(src.chars[start + lo : start + hi])
                    continue
                for cut_lo, cut_hi in _pieces(piece[lo:hi]):
                    chunk = Annotated(src.chars[start + lo + cut_lo : start + lo + cut_hi])
                    out.extend(realign(chunk, self.raw(chunk.text)).chars)
            start += len(piece)
        return Annotated(tuple(out))


def _windows(clause: str) -> list[tuple[int, int, bool]]:
    """Cover ``clause`` with (start, end, needs WeTN) windows; context joins nearby islands."""
    flags = [_needs_wetn(ch) for ch in clause]
    if not any(flags):
        return [(0, len(clause), False)]
    spans: list[list[int]] = []
    for i, flag in enumerate(flags):
        if not flag:
            continue
        lo, hi = max(0, i - _CONTEXT), min(len(clause), i + 1 + _CONTEXT)
        if spans and lo <= spans[-1][1]:
            spans[-1][1] = hi
        else:
            spans.append([lo, hi])
    windows: list[tuple[int, int, bool]] = []
    cursor = 0
    for lo, hi in spans:
        if lo > cursor:
            windows.append((cursor, lo, False))
        windows.append((lo, hi, True))
        cursor = hi
    if cursor < len(clause):
        windows.append((cursor, len(clause), False))
    return windows


def _pieces(window: str, limit: int = _MAX_CALL) -> list[tuple[int, int]]:
    """Cut ``window`` into (start, end) pieces of at most ``limit`` characters for one WeTN call each.

    Each cut is the last one within the limit that no WeTN token can span, so the pieces read exactly
    as the whole would. A run with no such place (``1+2+…+39`` once the symbol layer has said the
    pluses, ``10001,10001,…``) is cut where the reading most likely survives, and at worst at the
    limit: the cost of reading it must stay bounded whatever the text.
    """
    spans: list[tuple[int, int]] = []
    start = 0
    while len(window) - start > limit:
        end = _cut(window, start, start + limit)
        spans.append((start, end))
        start = end
    spans.append((start, len(window)))
    return spans


def _cut(text: str, lo: int, hi: int) -> int:
    """The last cut in ``(lo, hi]`` of the best kind there is: see :func:`_cut_rank`."""
    best, best_rank = hi, -1
    for i in range(hi, lo, -1):
        rank = _cut_rank(text, i, lo)
        if rank == _SAFE:
            return i
        if rank > best_rank:
            best, best_rank = i, rank
    return best


def _cut_rank(text: str, i: int, lo: int) -> int:
    """How well a cut before ``text[i]`` keeps WeTN's reading: safe, else after whitespace, else
    outside any ASCII word or number (``24|加25``), else after ASCII punctuation, else anywhere."""
    if _safe_cut(text, i, lo):
        return _SAFE
    before = text[i - 1]
    if before.isspace():
        return 3
    if not _in_word_or_number(text, i):
        return 2
    return 1 if before in _ASCII_PUNCT else 0


def _in_word_or_number(text: str, i: int) -> bool:
    """Whether ``text[i - 1]`` and ``text[i]`` belong to one ASCII word or number (3.14, 1/3, 10:30)."""
    before, after = text[i - 1], text[i]
    word = _ASCII_DIGITS | _ASCII_LETTERS
    if before in word and after in word:
        return True
    if before in _ASCII_PUNCT and after in _ASCII_DIGITS:
        return i >= 2 and text[i - 2] in _ASCII_DIGITS
    if before in _ASCII_DIGITS and after in _ASCII_PUNCT:
        return i + 1 < len(text) and text[i + 1] in _ASCII_DIGITS
    return False


def _safe_cut(text: str, i: int, lo: int) -> bool:
    """Whether no WeTN token can hold both ``text[i - 1]`` and ``text[i]``.

    WeTN reads a string as a sequence of tokens, each verbalised on its own, so cutting where no
    token can cross leaves its output unchanged. From its grammar (``tn/chinese/rules``): the only
    spaces inside a token are single ASCII spaces after a number or an operator, fraction slash,
    currency, team name or the ``sq`` of ``sq ft``, before a unit, operator, slash or ``am``/``pm``
    (``a m`` too); commas only between digits (``1,000个``); ``!?;`` never. Hence the safe places: after
    ``!?;``, after a comma not between digits, after any other whitespace or two spaces, and after
    one space between digits (the run before made of ASCII digits and punctuation, so no team name
    like 沙尔克04 ends there) or between words (unless the word before is one letter or ends in sq).
    """
    before, after = text[i - 1], text[i]
    if before in _NEVER_IN_TOKEN:
        return True
    if before == ",":
        return not (i >= 2 and text[i - 2] in _ASCII_DIGITS and after in _ASCII_DIGITS)
    if not before.isspace() or after.isspace():
        return False
    if before != " " or i < 2 or text[i - 2].isspace():
        return True
    run = _run_before(text, i - 1, lo)
    if not run:  # the space opens the piece: no token starts with a space
        return True
    if after in _ASCII_DIGITS:
        return run[-1] in _ASCII_DIGITS and all(ch in _ASCII_DIGITS or ch in _ASCII_PUNCT for ch in run)
    if after in _ASCII_LETTERS:
        word = run[len(run.rstrip(string.ascii_letters)) :]
        return len(word) > 1 and not word.lower().endswith("sq")
    return False


def _run_before(text: str, space: int, lo: int) -> str:
    """The characters between the previous whitespace (or ``lo``) and the space at ``space``."""
    start = space
    while start > lo and not text[start - 1].isspace():
        start -= 1
    return text[start:space]

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
        and sending it only those windows instead of whole paragraphs roughly doubles throughput.
        """
        text = src.text
        out: list[Char] = []
        start = 0
        for piece in _CLAUSE_END.split(text):
            if not piece:
                continue
            for lo, hi, needs in _windows(piece):
                chunk = Annotated(src.chars[start + lo : start + hi])
                out.extend(realign(chunk, self.raw(piece[lo:hi])).chars if needs else chunk.chars)
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

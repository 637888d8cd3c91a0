"""Shared helpers for voice tests: the real prepared Baker voice, loaded once per test session.

Plain cached functions rather than pytest fixtures, so test modules can import them without fixture
shadowing tricks. Preparation uses the
models dir from settings (the user cache by default), so it happens once per machine; afterwards
``prepare_baker`` only re-verifies hashes.
"""

from __future__ import annotations

import functools
import shutil
import unicodedata
from pathlib import Path
from typing import Any

from pypinyin import Style, lazy_pinyin

from config import load_settings
from engines.baker import BakerEngine, load_baker
from models import BAKER, prepare_baker
from text_frontend.types import Punct, Syllable, Token


@functools.cache
def baker_models_dir() -> Path:
    models_dir = load_settings().resolved_models_dir
    prepare_baker(models_dir, log=print)
    return models_dir


@functools.cache
def baker_engine() -> BakerEngine:
    return load_baker(baker_models_dir())


def _one_per_char(chunk: str) -> Any:
    return list(chunk)


def tokens(text: str) -> tuple[Token, ...]:
    """STAND-IN front end: pypinyin readings for Han characters, punctuation kept, nothing else.

    Voice tests use it instead of ``text_frontend`` on purpose: they pin what the *engine* does with
    given pinyin, and must not change when the front end's normalisation or polyphone model does.
    """
    readings: list[str] = lazy_pinyin(
        text, style=Style.TONE3, neutral_tone_with_five=True, errors=_one_per_char
    )
    assert len(readings) == len(text), (text, readings)
    out: list[Token] = []
    for i, (char, reading) in enumerate(zip(text, readings, strict=True)):
        if reading != char and reading[-1:].isdigit():
            out.append(Syllable(char, reading, i))
        elif unicodedata.category(char).startswith("P"):
            out.append(Punct(char, i))
        else:
            raise ValueError(f"stand-in front end cannot read {char!r}")
    return tuple(out)


def with_reading(toks: tuple[Token, ...], index: int, pinyin: str) -> tuple[Token, ...]:
    """Replace the reading of the ``index``-th syllable, as a lesson override would."""
    out: list[Token] = []
    seen = 0
    for tok in toks:
        if isinstance(tok, Syllable):
            if seen == index:
                tok = Syllable(tok.char, pinyin, tok.source, "override")
            seen += 1
        out.append(tok)
    return tuple(out)


def copy_models(dst_root: Path) -> Path:
    """A private copy of the prepared models dir, safe to corrupt."""
    src = baker_models_dir() / BAKER.name
    dst = dst_root / "models"
    shutil.copytree(src, dst / BAKER.name)
    return dst

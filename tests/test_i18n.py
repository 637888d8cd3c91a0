"""Every message a teacher can read exists in Simplified Chinese, and each reader gets their language.

The catalog check extracts messages from the source with Babel and the project's own ``babel.cfg``,
so a new ``_()`` without a translation fails here, not in front of a teacher.
"""

from __future__ import annotations

import os
import re
import string
import subprocess
import sys
from pathlib import Path

import pytest
from babel.messages.extract import extract_from_dir
from babel.messages.frontend import parse_mapping_cfg
from babel.messages.mofile import read_mo
from babel.messages.pofile import read_po

from i18n import (
    LANGUAGES,
    LOCALE_DIR,
    _,
    current_language,
    language_from_accept,
    language_from_env,
    use_language,
)
from lesson_specs import SpecError, load_spec

ROOT = Path(__file__).resolve().parents[1]
PO = LOCALE_DIR / "zh_CN" / "LC_MESSAGES" / "lessonaudio.po"
MO = PO.with_suffix(".mo")
HAN = re.compile(r"[\u4e00-\u9fff]")
CHINESE_TEXT = re.compile(r"[\u3000-\u303f\u4e00-\u9fff\uff00-\uffef]")  # Han or full-width punctuation


def _extracted() -> set[str]:
    with open(ROOT / "i18n" / "babel.cfg", encoding="utf-8") as cfg:
        method_map, options_map = parse_mapping_cfg(cfg)  # type: ignore[no-untyped-call]
    found = set()
    for _file, _line, message, _comments, _context in extract_from_dir(str(ROOT), method_map, options_map):
        found.add(message if isinstance(message, str) else message[0])
    return found


def _catalog() -> dict[str, str]:
    with open(PO, "rb") as f:
        catalog = read_po(f, locale="zh_CN")
    return {m.id: str(m.string) for m in catalog if m.id and isinstance(m.id, str) and "fuzzy" not in m.flags}


def _fields(template: str) -> list[str]:
    return sorted(f"{name}:{spec}" for _text, name, spec, _conv in string.Formatter().parse(template) if name)


def test_every_message_in_the_source_has_a_chinese_translation() -> None:
    extracted = _extracted()
    catalog = _catalog()
    assert len(extracted) > 50  # the extraction found the project's messages, not an empty tree
    untranslated = sorted(m for m in extracted if not catalog.get(m))
    assert not untranslated, f"run `make messages` and translate: {untranslated}"
    stale = sorted(set(catalog) - extracted)
    assert not stale, f"translations of messages no longer in the source (run `make messages`): {stale}"


def test_translations_keep_every_placeholder_and_are_chinese() -> None:
    for message, translated in _catalog().items():
        assert _fields(translated) == _fields(message), (message, translated)
        assert CHINESE_TEXT.search(translated), f"not translated into Chinese: {message!r} -> {translated!r}"


def test_the_compiled_catalog_matches_the_source_catalog() -> None:
    with open(MO, "rb") as f:
        compiled = {m.id: m.string for m in read_mo(f) if m.id}
    assert compiled == _catalog(), "run `make messages` to compile the catalog"


def test_messages_follow_the_language_in_use() -> None:
    assert current_language() == "en"
    with use_language("zh-CN"):
        assert _("paragraph has no text") == "段落没有文字"
        with use_language("en"):
            assert _("paragraph has no text") == "paragraph has no text"
        assert current_language() == "zh-CN"
    assert _("paragraph has no text") == "paragraph has no text"
    with pytest.raises(ValueError, match="unknown language"), use_language("fr"):
        pass


@pytest.mark.parametrize(
    ("environ", "expected"),
    [
        ({}, "en"),
        ({"LANG": "C.UTF-8"}, "en"),
        ({"LANG": "zh_CN.UTF-8"}, "zh-CN"),
        ({"LANG": "zh_TW.UTF-8"}, "zh-CN"),
        ({"LANG": "en_US.UTF-8", "LC_ALL": "zh_CN.UTF-8"}, "zh-CN"),
        ({"LANG": "zh_CN.UTF-8", "LC_MESSAGES": "en_GB.UTF-8"}, "en"),
        ({"LANG": "zh_CN.UTF-8", "LESSONAUDIO_LANG": "en"}, "en"),
        ({"LANG": "en_US.UTF-8", "LESSONAUDIO_LANG": "zh-CN"}, "zh-CN"),
        ({"LESSONAUDIO_LANG": "fr"}, "en"),
    ],
)
def test_the_cli_language_comes_from_the_setting_then_the_locale(
    environ: dict[str, str], expected: str
) -> None:
    assert language_from_env(environ) == expected


@pytest.mark.parametrize(
    ("header", "expected"),
    [
        (None, "zh-CN"),
        ("", "zh-CN"),
        ("fr-FR, de;q=0.8", "zh-CN"),
        ("en-US,en;q=0.9", "en"),
        ("zh-CN,zh;q=0.9,en;q=0.8", "zh-CN"),
        ("en;q=0.5, zh-Hans;q=0.9", "zh-CN"),
        ("fr, en;q=0.4", "en"),
        ("zh;q=0, en", "en"),
        ("*", "zh-CN"),
    ],
)
def test_the_page_language_comes_from_accept_language(header: str | None, expected: str) -> None:
    assert language_from_accept(header) == expected
    assert expected in LANGUAGES


BAD_SCRIPT = (
    "id: Bad Id\ntitle: t\nparagraphs:\n"
    "  - text: 我们去[银行](yin2 hang)。[[2 minutes]]\n    emotion: hapy\n    colour: red\n"
)


def test_diagnostics_are_made_in_the_language_in_use() -> None:
    with use_language("zh-CN"), pytest.raises(SpecError) as zh:
        load_spec(BAD_SCRIPT, source="lesson.yaml")
    with pytest.raises(SpecError) as en:
        load_spec(BAD_SCRIPT, source="lesson.yaml")
    assert len(zh.value.diagnostics) == len(en.value.diagnostics) == 5
    for zh_line, en_line in zip(str(zh.value).splitlines(), str(en.value).splitlines(), strict=True):
        assert zh_line.split(": ", 1)[0] == en_line.split(": ", 1)[0]  # same file:line:col
        assert HAN.search(zh_line.replace("我们去", "").replace("银行", ""))
        assert not HAN.search(en_line.replace("我们去", "").replace("银行", ""))
    assert "第 1 段：" in str(zh.value) and "没有声调" in str(zh.value)


def _validate(tmp_path: Path, **env: str) -> str:
    script = tmp_path / "lesson.yaml"
    script.write_text(BAD_SCRIPT, encoding="utf-8")
    clean = {k: v for k, v in os.environ.items() if not k.startswith(("LC_", "LANG", "LESSONAUDIO_LANG"))}
    run = subprocess.run(
        [sys.executable, "-m", "app.cli", "validate", str(script)],
        capture_output=True,
        text=True,
        env={**clean, **env},
        cwd=ROOT,
        timeout=120,
    )
    assert run.returncode != 0
    return run.stdout + run.stderr


def test_the_cli_speaks_the_teachers_locale(tmp_path: Path) -> None:
    chinese = _validate(tmp_path, LANG="zh_CN.UTF-8")
    english = _validate(tmp_path, LANG="zh_CN.UTF-8", LESSONAUDIO_LANG="en")
    for said in ("不是合法的标识", "没有声调", "未知的情感", "未知的键", "第 1 段"):
        assert said in chinese
    for said in ("is not a slug", "has no tone", "unknown emotion", "unknown key", "paragraph 1"):
        assert said in english
        assert said not in chinese

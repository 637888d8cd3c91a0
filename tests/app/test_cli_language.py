"""The command speaks the reader's language: ``LESSONAUDIO_LANG=zh-CN`` gets Chinese, ``en`` English.

Each case runs the real command as a subprocess, once per language, with the language chosen the way
a teacher chooses it (the variable, or the locale), and checks both sides: the Chinese run says the
Chinese words and none of the English message's, the English run has no Chinese at all. Scripts
here are ASCII, so any Chinese in an English run is a message that leaked. Exit codes are the
machine's and must not depend on the language.
"""

from __future__ import annotations

import errno
import os
import re
import subprocess
import sys
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

from app.commands.columns import table_lines, width
from app.exit_codes import error_lines
from app.prefect_server import PrefectServerError
from errors import NotFoundError
from i18n import use_language

ROOT = Path(__file__).resolve().parents[2]
HAN = re.compile(r"[\u3400-\u9fff\uff00-\uffef\u3000-\u303f]")
"""Chinese characters and full-width punctuation: what an English reader must never be shown."""

BAD_SCRIPT = "id: Bad Id\ntitle: t\nparagraphs:\n  - text: hello\n    emotion: joy\n"


@dataclass(frozen=True)
class Said:
    code: int
    stdout: str
    stderr: str

    @property
    def text(self) -> str:
        return self.stdout + self.stderr


def lessonaudio(tmp_path: Path, language: str, *args: str, **env: str) -> Said:
    """``lessonaudio ARGS`` in a fresh cache and catalog, in ``language`` (empty: by the locale)."""
    clean = {
        k: v for k, v in os.environ.items() if not k.startswith(("LC_", "LANG", "LESSONAUDIO_", "PREFECT_"))
    }
    chosen = {"LESSONAUDIO_LANG": language} if language else {}
    run = subprocess.run(
        [sys.executable, "-m", "app.cli", *args],
        capture_output=True,
        text=True,
        env={
            **clean,
            "LESSONAUDIO_CACHE_DIR": str(tmp_path / "cache"),
            "LESSONAUDIO_DATABASE_URL": f"sqlite:///{tmp_path / 'catalog.db'}",
            **chosen,
            **env,
        },
        cwd=tmp_path,
        timeout=180,
    )
    assert "Traceback" not in run.stderr, run.stderr
    return Said(run.returncode, run.stdout, run.stderr)


def both(tmp_path: Path, *args: str, **env: str) -> tuple[Said, Said]:
    """The command in Chinese, then in English; the exit code must be the same."""
    zh = lessonaudio(tmp_path, "zh-CN", *args, **env)
    en = lessonaudio(tmp_path, "en", *args, **env)
    assert zh.code == en.code, (zh, en)
    return zh, en


def check(zh: Said, en: Said, *, chinese: Sequence[str], english: Sequence[str]) -> None:
    """``chinese`` all in the Chinese run and ``english`` in none of it; the English run says
    ``english`` and has no Chinese."""
    for said in chinese:
        assert said in zh.text, (said, zh.text)
    for said in english:
        assert said in en.text, (said, en.text)
        assert said not in zh.text, (said, zh.text)
    assert not HAN.search(en.text), en.text
    assert "error:" not in zh.text


def test_validate_speaks_chinese_and_english(tmp_path: Path) -> None:
    script = tmp_path / "bad.yaml"
    script.write_text(BAD_SCRIPT, encoding="utf-8")
    zh, en = both(tmp_path, "validate", "--no-warnings", str(script))
    assert zh.code == 2
    check(
        zh,
        en,
        chinese=("不是合法的标识", "未知的情感", "错误：1 个脚本中有 1 个有错误"),
        english=("is not a slug", "unknown emotion", "error: 1 of 1 script(s) have errors"),
    )


def test_a_good_script_is_ok_in_either_language(tmp_path: Path) -> None:
    script = tmp_path / "good.yaml"
    script.write_text("id: good\ntitle: t\nparagraphs:\n  - text: ni hao\n", encoding="utf-8")
    zh, en = both(tmp_path, "validate", "--no-warnings", str(script))
    assert zh.code == 0
    check(zh, en, chinese=("：通过，1 个段落",), english=(": ok, 1 paragraphs",))


def test_a_bad_setting_is_named_in_the_readers_language(tmp_path: Path) -> None:
    zh, en = both(tmp_path, "cache", "info", LESSONAUDIO_MAX_SEGMENT_CHARS="lots")
    assert zh.code == 2
    check(
        zh,
        en,
        chinese=("错误：设置有误：LESSONAUDIO_MAX_SEGMENT_CHARS='lots'", "必须是整数", "删除它"),
        english=(
            "error: bad setting: LESSONAUDIO_MAX_SEGMENT_CHARS='lots': must be a whole number",
            "fix the variable in the environment or .env, or unset it",
        ),
    )


def test_a_missing_render_id_is_not_found_in_either_language(tmp_path: Path) -> None:
    zh, en = both(tmp_path, "renders", "show", "999")
    assert zh.code == 3
    check(
        zh,
        en,
        chinese=("错误：", "请先运行 `lessonaudio db upgrade`"),
        english=("error: ", "run `lessonaudio db upgrade` or render a lesson first"),
    )
    upgraded = lessonaudio(tmp_path, "zh-CN", "db", "upgrade")
    assert upgraded.code == 0 and "升级到版本" in upgraded.stdout
    zh, en = both(tmp_path, "renders", "show", "999")
    assert zh.code == 3
    check(zh, en, chinese=("错误：", "999"), english=("error: ", "no render '999' in the catalog"))
    zh, en = both(tmp_path, "renders", "list")
    check(zh, en, chinese=("还没有记录任何渲染",), english=("no renders recorded yet",))


def test_rendering_a_missing_file_is_refused_in_the_readers_language(tmp_path: Path) -> None:
    zh, en = both(tmp_path, "render", "nothere.yaml")
    assert zh.code == 2
    assert "nothere.yaml:1:1:" in zh.stderr and "nothere.yaml:1:1:" in en.stderr
    check(
        zh,
        en,
        chinese=("错误：nothere.yaml 有 1 个错误，见上方",),
        english=("error: nothere.yaml has 1 error(s), listed above",),
    )


def test_models_list_with_no_models_says_what_to_run(tmp_path: Path) -> None:
    empty = tmp_path / "no-models"
    zh, en = both(tmp_path, "models", "list", LESSONAUDIO_MODELS_DIR=str(empty))
    assert zh.code == 0
    check(
        zh,
        en,
        chinese=("模型文件夹：", "状态", "缺失", "有些模型尚未准备好：请运行 `lessonaudio models prepare`"),
        english=("models dir:", "status", "missing", "some models are not ready", "(pinned)"),
    )
    header, first = zh.stdout.splitlines()[1:3]
    assert width(header.split("sha256")[0]) == width(first.split(first.split()[3])[0])  # columns line up


def test_cache_info_in_either_language(tmp_path: Path) -> None:
    zh, en = both(tmp_path, "cache", "info")
    assert zh.code == 0
    check(
        zh,
        en,
        chinese=("片段缓存：", "0 个文件", "合计", "合成的片段"),
        english=("segment cache:", "0 files", "total", "synthesised segments"),
    )


def test_server_status_when_none_runs(tmp_path: Path) -> None:
    zh, en = both(tmp_path, "server", "status")
    assert zh.code == 1
    check(
        zh,
        en,
        chinese=("未在运行（下一次渲染会启动它）",),
        english=("not running (the next render starts it)",),
    )


def test_the_locale_chooses_chinese_when_lessonaudio_lang_is_unset(tmp_path: Path) -> None:
    said = lessonaudio(tmp_path, "", "server", "status", LANG="zh_CN.UTF-8")
    assert said.code == 1 and "未在运行" in said.stdout


@pytest.mark.parametrize(
    ("error", "chinese", "english"),
    [
        (
            FileNotFoundError(errno.ENOENT, os.strerror(errno.ENOENT), "/nowhere/x"),
            "错误：[Errno 2] 没有那个文件或文件夹: '/nowhere/x'（请检查路径、权限和磁盘剩余空间）",
            "error: [Errno 2] No such file or directory: '/nowhere/x' (check the path, its permissions",
        ),
        (
            PrefectServerError("Prefect server on port 1 did not start:\nboom", Path("/tmp/s.log")),
            "（日志：/tmp/s.log）",
            "(its log: /tmp/s.log)",
        ),
        (
            RuntimeError("boom"),
            "意外的 RuntimeError：boom（这是程序缺陷",
            "unexpected RuntimeError: boom (a bug",
        ),
        (NotFoundError("x"), "错误：x", "error: x"),
    ],
)
def test_error_lines_are_in_the_language_in_use(error: BaseException, chinese: str, english: str) -> None:
    with use_language("zh-CN"):
        zh = error_lines(error)
    with use_language("en"):
        en = error_lines(error)
    assert len(zh) == len(en) == 1
    assert chinese in zh[0] and english in en[0]
    assert not HAN.search(en[0])


def test_tables_line_up_by_terminal_width() -> None:
    lines = table_lines([("状态", "x"), ("ok", "y")])
    assert lines == ["状态  x", "ok    y"]
    assert width("模型a") == 5


def test_render_progress_bars_name_their_stages_in_the_readers_language() -> None:
    from flows.progress import STAGE_LABELS, stage_label

    with use_language("zh-CN"):
        chinese = [stage_label(stage) for stage in STAGE_LABELS]
    with use_language("en"):
        english = [stage_label(stage) for stage in STAGE_LABELS]
    assert english == list(STAGE_LABELS)
    assert all(HAN.search(label) for label in chinese), chinese
    assert stage_label("a stage of tomorrow") == "a stage of tomorrow"


USAGE_CHROME = ("Usage:", "Try '", "for help", "Error", "Options", "Arguments", "Commands", "[required]")


def english_words(said: str, args: Sequence[str]) -> list[str]:
    """ASCII words left in ``said`` once the command line's own tokens (the command, its options,
    quoted values, Click's [OPTIONS] COMMAND [ARGS] placeholders) are taken out."""
    text = re.sub(
        r"python -m app\.cli|'[^']*'|--?[\w-]+|\[OPTIONS\]|COMMAND|\[ARGS\]|\{\w+\}|lessonaudio", " ", said
    )
    return [word for word in re.findall(r"[A-Za-z]{2,}", text) if word not in args]


@pytest.mark.parametrize(
    ("args", "chinese"),
    [
        (("--bogus",), "没有这个选项：--bogus"),
        (("render",), "缺少参数 'spec'。"),
        (("renders", "list", "--limit", "many"), "'--limit' 的值无效：必须是整数"),
        (("renders", "list", "--limit", "0"), "'--limit' 的值无效：不能小于 1"),
        (("renders", "list", "--limit"), "选项 '--limit' 后面需要一个值。"),
        (("renders", "list", "extra"), "多出了参数（extra）"),
        (("rendr",), "没有 'rendr' 这个命令。您是想输入 'render', 'renders' 吗？"),
        (("renders", "list", "--lim", "3"), "（可用的选项：--limit）"),
    ],
)
def test_usage_errors_are_in_the_readers_language(
    tmp_path: Path, args: tuple[str, ...], chinese: str
) -> None:
    zh, en = both(tmp_path, *args)
    assert zh.code == 2
    squeezed = re.sub(r"[│╭╮╰╯─\s]+", " ", zh.stderr)  # Rich's error box may wrap the line
    assert chinese in squeezed, zh.stderr
    assert english_words(zh.stderr, args) == [], zh.stderr
    assert "用法：" in zh.stderr or args == ("renders", "list", "--limit")
    assert not HAN.search(en.stderr), en.stderr
    assert "Error" in en.stderr


@pytest.mark.parametrize("args", [(), ("models",), ("render", "--help")])
def test_help_pages_have_their_headings_in_the_readers_language(
    tmp_path: Path, args: tuple[str, ...]
) -> None:
    zh, en = both(tmp_path, *args)
    assert "用法：" in zh.text and "显示此帮助并退出。" in zh.text
    for chrome in USAGE_CHROME:
        assert chrome not in zh.text, (chrome, zh.text)
    assert "Usage:" in en.text and "Show this message and exit." in en.text
    assert not HAN.search(en.text.replace("(YAML)", "")), en.text


BOX = re.compile(r"[│╭╮╰╯─\s]+")


@pytest.mark.parametrize(
    ("args", "chinese", "english"),
    [
        (
            ("render", "--help"),
            [
                "渲染一课：在 OUT/课程/课文/渲染 下生成",
                "要渲染的课文脚本（YAML）。",
                "完成后发布（设置了 LESSONAUDIO_S3_BUCKET",
            ],
            ["Render a lesson: WAV, MP3, SRT", "The lesson script (YAML) to render.", "Publish when done"],
        ),
        (
            ("g2p", "--help"),
            ["说明每个多音字为什么这样读：行内指定、课文或课程词库、规则、词典词语，还是模型。"],
            ["Say for each polyphone why it reads as it does"],
        ),
        (
            ("renders", "list", "--help"),
            ["列出渲染，最新的在前。", "只看这种状态：running, finished, published, failed, abandoned。"],
            [
                "List renders, newest first.",
                "Only this status: running, finished, published, failed, abandoned.",
            ],
        ),
        ((), ["把中文课文脚本（YAML）制作成完整的课文音频。", "查看和清理片段缓存。"], ["Inspect and prune"]),
    ],
)
def test_help_pages_describe_commands_and_options_in_the_readers_language(
    tmp_path: Path, args: tuple[str, ...], chinese: list[str], english: list[str]
) -> None:
    zh, en = both(tmp_path, *args, COLUMNS="80")
    zh_text, en_text = BOX.sub("", zh.text), BOX.sub(" ", en.text)
    for said in chinese:  # whole: a Chinese line is folded where it is too long, never cut short
        assert BOX.sub("", said) in zh_text, (said, zh.text)
    for said in english:
        assert said in en_text, (said, en.text)
        assert said not in BOX.sub(" ", zh.text), (said, zh.text)
    assert "…" not in zh.text
    examples = en.text.replace("十", "").replace("[行]", "")  # g2p's help quotes a script's characters
    assert not HAN.search(examples), en.text


def _help_texts(command: Any) -> Iterator[str]:
    for text in (command.help, command.short_help):
        if text:
            yield text
    for param in command.params:
        if getattr(param, "help", None):
            yield param.help
    for sub in getattr(command, "commands", {}).values():
        yield from _help_texts(sub)


def test_every_help_text_of_every_command_has_a_chinese_translation() -> None:
    """Typer builds the help pages from docstrings and ``help=``: each must reach the catalog."""
    import typer

    from app.cli import app
    from app.usage_text import _speak_commands

    english = list(_help_texts(typer.main.get_command(app)))
    assert len(english) > 60
    tree = typer.main.get_command(app)
    with use_language("zh-CN"):
        _speak_commands(tree)
    chinese = list(_help_texts(tree))
    assert len(chinese) == len(english)
    untranslated = [e for e, z in zip(english, chinese, strict=True) if e == z or not HAN.search(z)]
    assert not untranslated

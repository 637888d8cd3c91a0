"""The project's exceptions speak their reader's language: each package's errors, made through real
code paths, read in Chinese with no English prose under zh-CN, and with no Chinese under en.

Values a message quotes (a voice name, a path, a URL, a library's own words) stay as they are in
both languages; what must change is the sentence around them, so each case names those values and
the check looks at the rest.
"""

from __future__ import annotations

import re
import socket
from collections.abc import Callable, Iterable
from pathlib import Path

import pytest

from asr.protocol import RecognizerError
from asr.registry import ASR_ENGINES, RecognizerConfig, create_recognizer
from engines import PRESETS, UnknownEmotionError, UnknownVoiceError, preset
from engines.registry import VoiceConfig, create_engine
from i18n import use_language
from lesson_specs import SpecError, load_spec
from qa.report import QAReportError, load_report
from storage.catalog import CatalogMissing, open_catalog
from storage.db import DatabaseUrlError
from storage.db.session import SUPPORTED, URL_EXAMPLE, check_database_url
from storage.inbox import InboxError, InboxLocation
from storage.inbox_report import rejection_report
from storage.objects import S3Settings
from storage.publish import PublishInputError, read_render_folder
from tasks.publish import (
    PublishConfig,
    PublishFailed,
    S3Target,
    publish_and_record,
    publish_with_retries,
    root_cause,
)
from tests.s3_server import make_render
from web.token_store import SqlTokenStore
from web.tokens import TokenError

HAN = re.compile(r"[\u4e00-\u9fff]")
CODE = re.compile(r"`[^`]*`|\S+://\S+|\b[A-Z][A-Z0-9_]{2,}\b\S*")
"""Code a message names in both languages: `commands`, URLs, SETTINGS."""
WORD = re.compile(r"[A-Za-z]{2,}")


def _made(raising: Callable[[], object], kind: type[BaseException], language: str) -> str:
    with use_language(language), pytest.raises(kind) as caught:
        raising()
    return str(caught.value)


def _prose(message: str, data: Iterable[str]) -> set[str]:
    """The words of ``message`` that are its own, not quoted values or code."""
    for value in sorted(data, key=len, reverse=True):
        message = message.replace(value, " ")
    return {w.lower() for w in WORD.findall(CODE.sub(" ", message))}


def check_both(raising: Callable[[], object], kind: type[BaseException], data: Iterable[str] = ()) -> str:
    """``raising``'s message in Chinese and English; returns the English one for further checks."""
    values = list(data)
    chinese = _made(raising, kind, "zh-CN")
    english = _made(raising, kind, "en")
    assert HAN.search(chinese), chinese
    english_words = _prose(english, values)
    assert english_words, english  # the case has prose to translate, or it proves nothing
    assert not english_words & _prose(chinese, values), (chinese, english)
    shown = english
    for value in values:
        shown = shown.replace(value, " ")
    assert not HAN.search(shown), english
    return english


def test_an_unknown_voice_through_the_engine_registry(tmp_path: Path) -> None:
    config = VoiceConfig(models_dir=tmp_path, http_url=None, threads=1)
    english = check_both(
        lambda: create_engine("robot", config), UnknownVoiceError, ["'robot'", "baker, http, sambert"]
    )
    assert english == "unknown voice 'robot'; choose one of: baker, http, sambert"


def test_an_unknown_emotion_through_the_presets() -> None:
    english = check_both(lambda: preset("furious"), UnknownEmotionError, ["'furious'", ", ".join(PRESETS)])
    assert english.startswith("unknown emotion 'furious'; choose one of: neutral")


def test_an_unknown_recogniser_through_the_asr_registry(tmp_path: Path) -> None:
    config = RecognizerConfig("kaldi", tmp_path, None, 1, 1, 1)
    check_both(lambda: create_recognizer(config), RecognizerError, ["'kaldi'", ", ".join(ASR_ENGINES)])


def test_a_bad_database_url_through_storage_db() -> None:
    english = check_both(
        lambda: check_database_url("oracle://x"),
        DatabaseUrlError,
        ["oracle://x", "'oracle'", SUPPORTED, URL_EXAMPLE],
    )
    assert "names an unsupported database 'oracle'" in english


def test_a_missing_catalog_is_named_in_the_readers_language(tmp_path: Path) -> None:
    path = tmp_path / "none" / "catalog.db"
    english = check_both(lambda: open_catalog(f"sqlite:///{path}", create=False), CatalogMissing, [str(path)])
    assert english == f"no catalog at {path}"


def _closed_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])  # closed when the block ends: connections are refused


def test_a_publish_to_an_unreachable_endpoint(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("AWS_ACCESS_KEY_ID", "testing")
    monkeypatch.setenv("AWS_SECRET_ACCESS_KEY", "testing")
    render = make_render(tmp_path / "out", tmp_path / "segments")
    endpoint = f"http://127.0.0.1:{_closed_port()}"
    settings = S3Settings(bucket="lessons", endpoint_url=endpoint, region="us-east-1", max_attempts=1)
    config = PublishConfig(S3Target(settings), tmp_path / "segments", retries=0, retry_delay_s=0.0)
    catalog = open_catalog(f"sqlite:///{tmp_path / 'catalog.db'}")
    try:
        pk = catalog.record_render_started(render.manifest["course"], render.manifest["lesson_id"])
        catalog.record_render_finished(pk, render.manifest, folder=str(render.folder))

        def publish() -> None:
            publish_and_record(render.folder, config, catalog, pk, publisher=publish_with_retries)

        with pytest.raises(PublishFailed) as first:
            publish()
        cause = root_cause(first.value)
        library = f"{type(cause).__name__}: {cause}"  # botocore's own words, the same in any language
        english = check_both(publish, PublishFailed, [library, "s3://lessons/", endpoint])
        assert english == f"publish to s3://lessons/ at {endpoint} failed: {library}"
        assert library.startswith("EndpointConnectionError")
    finally:
        catalog.close()


def test_a_render_folder_that_is_not_one(tmp_path: Path) -> None:
    check_both(lambda: read_render_folder(tmp_path / "gone"), PublishInputError, [str(tmp_path / "gone")])


def test_an_inbox_that_is_neither_a_folder_nor_a_bucket() -> None:
    check_both(lambda: InboxLocation.parse("http://host/inbox"), InboxError, ["'http://host/inbox'"])


def test_a_qa_report_folder_with_no_report(tmp_path: Path) -> None:
    english = check_both(lambda: load_report(tmp_path), QAReportError, [str(tmp_path / "qa.json")])
    assert english.endswith("does not exist (was the render made with the back-check off?)")


def test_a_token_name_that_exists(tmp_path: Path) -> None:
    store = SqlTokenStore.open(f"sqlite:///{tmp_path / 'catalog.db'}")
    try:
        store.create("alice")
        english = check_both(lambda: store.create("alice"), TokenError, ["'alice'"])
        assert english == "a token named 'alice' already exists (revoke it or choose another name)"
    finally:
        store.close()


def test_the_inbox_report_header_is_in_the_readers_language() -> None:
    data = b"id: 1\n"
    with pytest.raises(SpecError) as caught:
        load_spec(data, source="bad.yaml")
    with use_language("zh-CN"):
        chinese = rejection_report(caught.value, data).splitlines()[:2]
    with use_language("en"):
        english = rejection_report(caught.value, data).splitlines()[:2]
    assert english[0].startswith("This script was not rendered.")
    assert all(HAN.search(line) for line in chinese)
    assert not any(HAN.search(line) for line in english)


@pytest.mark.usefixtures("prefect_server")
def test_the_scan_flow_writes_reports_in_the_machines_language(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A worker runs the scan without the CLI, so the flow itself reads LESSONAUDIO_LANG."""
    from flows.scan_inbox import scan_inbox

    inbox = tmp_path / "inbox"
    inbox.mkdir()
    (inbox / "bad.yaml").write_text("id: 1\n", "utf-8")
    monkeypatch.setenv("LESSONAUDIO_DATABASE_URL", f"sqlite:///{tmp_path / 'catalog.db'}")
    monkeypatch.setenv("LESSONAUDIO_CACHE_DIR", str(tmp_path / "cache"))
    monkeypatch.setenv("LESSONAUDIO_INBOX_SETTLE_S", "0")
    monkeypatch.setenv("LESSONAUDIO_LANG", "zh-CN")
    with use_language("en"):  # what a worker's thread starts with
        result = scan_inbox(inbox=str(inbox))
    assert result.rejected == ("bad.yaml",)
    report = (inbox / "bad.yaml.errors.txt").read_text("utf-8").splitlines()
    assert report[0] == "这个脚本没有生成音频。请修正下面的问题并保存；下次扫描时会重新检查。"
    assert all(HAN.search(line) for line in report[2:]), report


def test_a_scan_with_no_inbox_says_so_in_the_machines_language(monkeypatch: pytest.MonkeyPatch) -> None:
    """Checked before the flow does anything, so its function is called without a Prefect run."""
    from errors import InputError
    from flows.scan_inbox import scan_inbox

    monkeypatch.delenv("LESSONAUDIO_INBOX", raising=False)
    monkeypatch.setenv("LESSONAUDIO_LANG", "zh-CN")
    with pytest.raises(InputError, match="未配置收件箱：请把 LESSONAUDIO_INBOX 设为"):
        scan_inbox.fn(inbox=None)
    monkeypatch.setenv("LESSONAUDIO_LANG", "en")
    with pytest.raises(InputError, match="no inbox configured: set LESSONAUDIO_INBOX"):
        scan_inbox.fn(inbox=None)

"""The page and API answer in the reader's language: Accept-Language first, Chinese by default.

These run the real app (fake voice and renderer: the subject is which language the messages are in)
with the shipped default, ``web_language="zh-CN"``, unless a test says otherwise.
"""

from __future__ import annotations

import errno
import os
import re
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient

from config import Settings
from flows.progress import Reporter
from tests.browser.support import EXAMPLE, FakeRunner, fake_app, new_token, web_settings
from web.job_types import RenderOutcome

HAN = re.compile(r"[\u4e00-\u9fff]")
BROKEN = (
    "id: Bad Id\ntitle: t\nparagraphs:\n  - text: 去[银行](yin2 hang)\n    emotion: hapy\n    colour: red\n"
)


@pytest.fixture
def app(tmp_path: Path) -> FastAPI:
    return fake_app(web_settings(tmp_path, web_language="zh-CN"))


@pytest.fixture
def client(app: FastAPI) -> Iterator[TestClient]:
    with TestClient(app) as test_client:
        yield test_client


def _validate(client: TestClient, app: FastAPI, accept: str | None) -> dict[str, object]:
    if not hasattr(app.state, "test_token"):
        app.state.test_token = new_token(app)
    headers = {"Authorization": f"Bearer {app.state.test_token}"}
    if accept is not None:
        headers["Accept-Language"] = accept
    response = client.post("/api/scripts/validate", headers=headers, json={"script": BROKEN})
    assert response.status_code == 200
    body: dict[str, object] = response.json()
    body["content_language"] = response.headers.get("content-language")
    body["vary"] = response.headers.get("vary")
    return body


def _said(report: dict[str, object]) -> str:
    errors = report["errors"]
    assert isinstance(errors, list) and len(errors) == 4
    # The script's own words (去, 银行) are quoted in messages whatever the language: leave them out.
    return " ".join(f"{d['message']} {d['fix']}" for d in errors).replace("去", "").replace("银行", "")


def test_the_shipped_default_is_chinese() -> None:
    assert Settings.model_fields["web_language"].default == "zh-CN"


@pytest.mark.parametrize("accept", [None, "zh-CN,zh;q=0.9,en;q=0.8", "fr-FR", "zh-TW"])
def test_a_chinese_reader_gets_no_english_message(
    client: TestClient, app: FastAPI, accept: str | None
) -> None:
    report = _validate(client, app, accept)
    said = _said(report)
    assert report["content_language"] == "zh-CN" and "Accept-Language" in str(report["vary"])
    assert "未知的键" in said and "没有声调" in said and "未知的情感" in said
    for english in ("unknown", "paragraph", "tone", "did you mean", "use one of", "is not"):
        assert english not in said


def test_an_english_reader_gets_no_chinese_message(client: TestClient, app: FastAPI) -> None:
    report = _validate(client, app, "en-US,en;q=0.9")
    said = _said(report)
    assert report["content_language"] == "en"
    assert "unknown key" in said and "has no tone" in said
    assert not HAN.search(said), said


def test_each_request_keeps_its_own_language(client: TestClient, app: FastAPI) -> None:
    """The language is per request, never left behind for the next one."""
    first = _said(_validate(client, app, "en"))
    second = _said(_validate(client, app, "zh-CN"))
    third = _said(_validate(client, app, "en"))
    assert first == third and not HAN.search(first) and HAN.search(second)


def test_an_operator_can_make_english_the_default(tmp_path: Path) -> None:
    app = fake_app(web_settings(tmp_path, web_language="en"))
    with TestClient(app) as client:
        assert not HAN.search(_said(_validate(client, app, None)))
        assert HAN.search(_said(_validate(client, app, "zh")))


def _visible_text(html: str) -> str:
    """The page's words: tags, the scripts' JSON and the teacher's sample paragraph left out."""
    html = re.sub(r"<script[^>]*>.*?</script>", " ", html, flags=re.S)
    html = re.sub(r"<textarea[^>]*>.*?</textarea>", " ", html, flags=re.S)
    return re.sub(r"<[^>]+>", " ", html)


def _signed_in(client: TestClient, app: FastAPI) -> None:
    response = client.post("/session", json={"token": new_token(app)})
    assert response.status_code == 204


def test_the_page_is_chinese_for_a_chinese_browser(client: TestClient, app: FastAPI) -> None:
    signed_out = client.get("/", headers={"Accept-Language": "zh-CN,zh;q=0.9"}).text
    assert '<html lang="zh-CN">' in signed_out and "登录" in signed_out
    _signed_in(client, app)
    page = client.get("/", headers={"Accept-Language": "zh-CN,zh;q=0.9"}).text
    words = _visible_text(page)
    assert "检查脚本" in words and "生成课程音频" in words and "开心" in words
    for english in ("Sign in", "Check script", "Render lesson", "Past renders", "happy"):
        assert english not in words


def test_the_page_is_english_for_an_english_browser(client: TestClient, app: FastAPI) -> None:
    _signed_in(client, app)
    page = client.get("/", headers={"Accept-Language": "en-US,en;q=0.9"}).text
    words = _visible_text(page)
    assert '<html lang="en">' in page and "Check script" in words and "happy" in words
    assert not HAN.search(words), HAN.findall(words)


@pytest.mark.parametrize(
    ("method", "path", "body", "signed", "status"),
    [
        ("POST", "/api/scripts/validate", {}, True, 422),  # the schema: a missing field
        ("POST", "/api/scripts/validate", {"script": 5}, True, 422),  # the schema: a wrong type
        ("GET", "/api/renders/20260101T000000Z-abcdef12-abcd", None, True, 404),  # no such render
        ("GET", "/api/jobs/0123456789abcdef", None, True, 404),
        ("GET", "/api/jobs/nope", None, True, 422),  # a pattern pydantic has no message of ours for
        ("GET", "/api/renders", None, False, 401),  # no token
        ("GET", "/no/such/page", None, True, 404),  # Starlette's own answer
    ],
)
def test_api_errors_speak_the_readers_language(
    client: TestClient, app: FastAPI, method: str, path: str, body: object, signed: bool, status: int
) -> None:
    if not hasattr(app.state, "test_token"):
        app.state.test_token = new_token(app)
    said = {}
    for language in ("zh-CN", "en"):
        headers = {"Accept-Language": language}
        if signed:
            headers["Authorization"] = f"Bearer {app.state.test_token}"
        response = client.request(method, path, headers=headers, json=body)
        assert response.status_code == status, response.text
        error = response.json()["error"]
        said[language] = f"{error['message']} {error.get('fix') or ''}"
    assert HAN.search(said["zh-CN"]), said
    assert not re.search(r"\b(the|is|must|not|no|send|try)\b", said["zh-CN"]), said
    assert not HAN.search(said["en"]), said


STATIC = Path(__file__).resolve().parents[2] / "web" / "static"
TEXT_CALL = re.compile(r"""\btext\(\s*["']([^"'`]+)["']""")
ENGLISH_WORD = re.compile(r"\b[A-Za-z]{3,}\b")
# Placeholders' names, and the names kept as they are in any language.
KEPT = {"HTTP", "MP3", "WAV", "SRT", "WebVTT", "YAML"}


def _page_text(client: TestClient, app: FastAPI, language: str) -> dict[str, str]:
    _signed_in(client, app)
    page = client.get("/", headers={"Accept-Language": language}).text
    found = re.search(r'<script type="application/json" id="page-text">(.*?)</script>', page, flags=re.S)
    assert found, "the page carries no page-text JSON"
    import json

    text: dict[str, str] = json.loads(found.group(1))
    return text


def test_the_scripts_text_is_chinese_for_a_chinese_reader(client: TestClient, app: FastAPI) -> None:
    from web.page_text import SCRIPT_TEXT

    text = _page_text(client, app, "zh-CN,zh;q=0.9")
    assert set(text) == set(SCRIPT_TEXT)
    english = {}
    for key, value in text.items():
        words = set(ENGLISH_WORD.findall(re.sub(r"\{\w+\}", "", value))) - KEPT
        if words:
            english[key] = words
    assert english == {}, english
    assert text["resynthesised"] == "{total} 段中有 {fresh} 段重新合成。"


def test_the_scripts_text_is_english_for_an_english_reader(client: TestClient, app: FastAPI) -> None:
    text = _page_text(client, app, "en-US,en;q=0.9")
    chinese = {key: value for key, value in text.items() if HAN.search(value)}
    assert chinese == {}, chinese
    assert text["paragraph"] == "Paragraph {n}"


def test_every_key_the_scripts_use_is_in_the_page_text() -> None:
    """A key the scripts name but the page lacks would show the key itself to the reader."""
    from web.page_text import SCRIPT_TEXT

    used = {
        key
        for name in ("app.js", "editor.js", "karaoke.js")
        for key in TEXT_CALL.findall((STATIC / name).read_text(encoding="utf-8"))
    }
    assert len(used) > 60, sorted(used)  # the parse found the calls
    assert used - set(SCRIPT_TEXT) == set()
    # Keys built at run time: the files a render offers and the stages a render reports.
    app_js = (STATIC / "app.js").read_text(encoding="utf-8")
    files = re.search(r"const FILES = \[(.*?)\];", app_js)
    assert files
    for name in re.findall(r'"([^"]+)"', files.group(1)):
        assert f"file.{name}" in SCRIPT_TEXT, name
    for stage in ("front end", "synthesis", "assemble", "back-check", "publish"):
        assert f"stage.{stage}" in SCRIPT_TEXT, stage
    from web.page_text import JOB_STATE_LABELS

    for state in JOB_STATE_LABELS:  # the jobs table, redrawn by the script
        assert f"state.{state}" in SCRIPT_TEXT, state


def test_the_scripts_carry_no_words_of_their_own() -> None:
    """No Chinese, and no English sentence, left in the scripts: their words are the page text's."""
    for name in ("app.js", "editor.js"):
        source = (STATIC / name).read_text(encoding="utf-8")
        code = "\n".join(line for line in source.splitlines() if not line.lstrip().startswith("//"))
        assert not HAN.search(code), (name, HAN.findall(code)[:10])
        strings = re.findall(r'"([^"\n]*)"|`([^`\n]*)`', code)
        sentences = [s for pair in strings for s in pair if re.search(r"[A-Z][a-z]+ [a-z]+", s)]
        assert sentences == [], (name, sentences)


@dataclass
class DeniedRunner(FakeRunner):
    """A render that cannot write its output: the machine's English reason is what it raises."""

    def run(self, spec_path: Path, voice: str | None, progress: Reporter) -> RenderOutcome:
        raise PermissionError(errno.EACCES, os.strerror(errno.EACCES), str(self.out_dir / "lesson.wav"))


@pytest.mark.parametrize("accept", ["zh-CN,zh;q=0.9", "en-US,en;q=0.9"])
def test_a_failed_job_says_why_in_the_readers_language(tmp_path: Path, accept: str) -> None:
    from tests.web.test_web_api import wait_for_job

    settings = web_settings(tmp_path, web_language="zh-CN")
    app = fake_app(settings, DeniedRunner(settings.output_dir))
    script = EXAMPLE.read_text(encoding="utf-8")
    with TestClient(app) as client:
        headers = {"Authorization": f"Bearer {new_token(app)}", "Accept-Language": accept}
        url = client.post("/api/renders", headers=headers, json={"script": script}).json()["status_url"]
        job = wait_for_job(client, headers, url)
        listed = client.get("/api/jobs", headers=headers).json()
    assert job["state"] == "failed" and listed[0]["error"] == job["error"]
    if accept.startswith("zh"):
        assert job["error"].startswith("权限不够: "), job["error"]
        assert "Permission" not in job["error"]
    else:
        assert job["error"].startswith("PermissionError: [Errno 13] Permission denied: ")
        assert not HAN.search(job["error"])


@pytest.mark.parametrize(
    ("method", "path", "body", "chinese", "english"),
    [
        (
            "POST",
            "/api/scripts/paragraphs",
            {"script": ": : :"},
            "YAML 语法错误：这一行的缩进和同一层的其他行不一致：请检查行首的空格"
            "（expected <block end>, but found ':'）",
            "YAML syntax error: expected <block end>, but found ':'",
        ),
        (
            "POST",
            "/api/scripts/validate",
            {"script": "id: l1\ntitle: 注意: 这里\n"},
            "YAML 语法错误：没加引号的文字里有“冒号加空格”：请把这段文字用引号括起来"
            "（mapping values are not allowed here）",
            "YAML syntax error: mapping values are not allowed here",
        ),
        ("GET", "/api/jobs/nope", None, "不是有效的编号", "must match the pattern ^[0-9a-f]{16}$"),
        ("GET", "/api/renders/nope", None, "不是有效的编号", None),
    ],
)
def test_syntax_errors_and_bad_ids_are_said_plainly(
    client: TestClient,
    app: FastAPI,
    method: str,
    path: str,
    body: object,
    chinese: str,
    english: str | None,
) -> None:
    if not hasattr(app.state, "test_token"):
        app.state.test_token = new_token(app)
    said = {}
    for language in ("zh-CN", "en"):
        headers = {"Accept-Language": language, "Authorization": f"Bearer {app.state.test_token}"}
        response = client.request(method, path, headers=headers, json=body)
        assert response.status_code == (200 if path.endswith("/validate") else 422), response.text
        answer = response.json()
        first = [answer["error"]["message"]] if "error" in answer else []
        said[language] = first + [d["message"] for d in answer.get("errors") or ()]
    assert chinese in said["zh-CN"], said
    if english is not None:
        assert english in said["en"], said
    assert not any(HAN.search(m.replace("注意", "").replace("这里", "")) for m in said["en"]), said


@pytest.mark.parametrize(
    ("path", "body", "chinese", "english"),
    [
        ("/api/scripts/validate", {"script": BROKEN}, "脚本检查", "script check"),
        ("/api/scripts/paragraphs", {"script": BROKEN}, "脚本编辑", "script edit"),
    ],
)
def test_a_rate_limit_names_what_was_limited_in_the_readers_language(
    tmp_path: Path, path: str, body: object, chinese: str, english: str
) -> None:
    limited = fake_app(web_settings(tmp_path, web_validations_per_minute=1, web_edits_per_minute=1))
    try:
        with TestClient(limited) as client:
            auth = {"Authorization": f"Bearer {new_token(limited)}"}
            client.post(path, headers=auth, json=body)
            said = {}
            for language in ("zh-CN", "en"):
                response = client.post(path, headers={**auth, "Accept-Language": language}, json=body)
                assert response.status_code == 429, response.text
                said[language] = response.json()["error"]
    finally:
        limited.state.services.close()
    assert said["zh-CN"]["where"] == chinese and chinese in said["zh-CN"]["message"], said
    assert said["en"]["where"] == english, said

"""The page's script editor API: paragraphs out of a script and back with comments and key order kept,
and the reading of a paragraph from the real front end (the code ``lessonaudio g2p --explain`` runs)."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient

from lesson_specs import load_spec
from lesson_specs.roundtrip import ParagraphEdit, RoundTripError, apply_edits, outline
from tests.browser.support import EXAMPLE, fake_app, new_token, web_settings

COMMENTED = """\
# 第三课：课堂用语 (keep this comment)
title: 第三课
id: lesson-3   # the id after the title, on purpose
emotion: gentle
paragraphs:
  # the greeting
  - text: 同学们好！
    emotion: happy
  # the bank sentence
  - text: "他在银行工作。"   # quoted on purpose
    pause_after: 1s
  - text: 我们去散步。
# closing remark
"""


@pytest.fixture(scope="module")
def app(tmp_path_factory: pytest.TempPathFactory) -> Iterator[FastAPI]:
    built = fake_app(
        web_settings(
            tmp_path_factory.mktemp("editor"), web_validations_per_minute=1000, web_edits_per_minute=1000
        )
    )
    yield built
    built.state.services.close()


@pytest.fixture(scope="module")
def client(app: FastAPI) -> Iterator[TestClient]:
    with TestClient(app) as test_client:
        test_client.headers["Authorization"] = f"Bearer {new_token(app)}"
        test_client.headers["Accept-Language"] = "en"  # messages are asserted in English
        yield test_client


def post(client: TestClient, path: str, body: dict[str, Any], status: int = 200) -> dict[str, Any]:
    response = client.post(path, json=body)
    assert response.status_code == status, response.text
    data: dict[str, Any] = response.json()
    return data


def unchanged(outline_json: dict[str, Any]) -> list[dict[str, Any]]:
    return [
        {"source": p["index"], "text": p["text"], "emotion": p["emotion"], "pause_after": p["pause_after"]}
        for p in outline_json["paragraphs"]
    ]


def test_paragraphs_come_with_their_lines_emotion_and_the_lexicon(client: TestClient) -> None:
    found = post(client, "/api/scripts/paragraphs", {"script": EXAMPLE.read_text(encoding="utf-8")})
    assert [p["line"] for p in found["paragraphs"]] == [10, 12, 13, 16, 18]
    assert found["paragraphs"][2] == {
        "index": 2,
        "text": "一般地，如果直角边是a和b，斜边是c，那么a²+b²=c²。",
        "emotion": "serious",
        "pause_after": "1s",
        "line": 13,
    }
    assert found["paragraphs"][1]["emotion"] is None
    assert found["emotion"] == "neutral"
    assert found["lexicon"] == {"勾股": "gou1 gu3", "Python": "派森"}


SPACED = """\
id: spaced
title: 空行和块
paragraphs:

  # first
  - text: |
      第一行
      第二行
  - 只有文字的一段

  - {text: 流式, emotion: sad}
    # indented, after a flow mapping

# end
"""
FOUR_SPACES = """\
id: a
title: b
lexicon:
    银行: yin2 hang2
paragraphs:
    -   text: 你好
        emotion: happy
"""


@pytest.mark.parametrize("script", [COMMENTED, SPACED, FOUR_SPACES, EXAMPLE.read_text(encoding="utf-8")])
def test_an_unchanged_list_gives_back_the_script_byte_for_byte(client: TestClient, script: str) -> None:
    found = post(client, "/api/scripts/paragraphs", {"script": script})
    applied = post(client, "/api/scripts/apply", {"script": script, "paragraphs": unchanged(found)})
    assert applied["script"] == script


def test_edits_keep_comments_key_order_and_quoting(client: TestClient) -> None:
    found = post(client, "/api/scripts/paragraphs", {"script": COMMENTED})
    edits = unchanged(found)
    edits[0]["text"] = "同学们早上好！"
    edits[1]["emotion"] = "serious"
    edits = [
        edits[1],
        edits[0],
        {"source": None, "text": "新的一段。", "emotion": "sad", "pause_after": "500ms"},
    ]
    applied = post(
        client,
        "/api/scripts/apply",
        {"script": COMMENTED, "paragraphs": edits, "lexicon_add": {"银行": "yin2 hang2"}},
    )
    script = applied["script"]
    assert script == (
        "# 第三课：课堂用语 (keep this comment)\n"
        "title: 第三课\n"
        "id: lesson-3   # the id after the title, on purpose\n"
        "emotion: gentle\n"
        "lexicon:\n"
        "  银行: yin2 hang2\n"
        "paragraphs:\n"
        "  # the bank sentence\n"
        '  - text: "他在银行工作。"   # quoted on purpose\n'
        "    pause_after: 1s\n"
        "    emotion: serious\n"
        "  # the greeting\n"
        "  - text: 同学们早上好！\n"
        "    emotion: happy\n"
        "  - text: 新的一段。\n"
        "    emotion: sad\n"
        "    pause_after: 500ms\n"
        "# closing remark\n"
    )
    spec = load_spec(script)
    assert [p.text for p in spec.paragraphs] == ["他在银行工作。", "同学们早上好！", "新的一段。"]
    assert [p["line"] for p in applied["paragraphs"]] == [9, 13, 15]


def test_a_deleted_paragraph_takes_its_comment_and_the_rest_keep_theirs() -> None:
    paragraphs = outline(COMMENTED).paragraphs
    kept = [ParagraphEdit(p.index, p.text, p.emotion, p.pause_after) for p in paragraphs if p.index != 1]
    script = apply_edits(COMMENTED, kept)
    assert "# the bank sentence" not in script and "银行" not in script
    assert "  # the greeting\n  - text: 同学们好！" in script
    assert script.endswith("  - text: 我们去散步。\n# closing remark\n")


def test_bad_yaml_and_a_missing_list_are_one_clear_error(client: TestClient) -> None:
    bad = post(client, "/api/scripts/paragraphs", {"script": "id: x\nparagraphs: [\n  - text: 你好\n"}, 422)
    assert bad["error"]["code"] == "bad_script"
    assert bad["error"]["message"].startswith("YAML syntax error")
    assert bad["error"]["where"].startswith("line ")
    assert bad["error"]["fix"] == "correct the YAML in the YAML view"
    assert bad["diagnostics"][0]["line"] >= 2
    missing = post(client, "/api/scripts/paragraphs", {"script": "id: x\ntitle: t\nparagraphs: 你好\n"}, 422)
    assert missing["error"]["message"] == "`paragraphs` must be a list"
    assert missing["error"]["where"] == "line 3, column 1"
    not_a_map = post(client, "/api/scripts/apply", {"script": "- 你好\n", "paragraphs": []}, 422)
    assert "must be a mapping" in not_a_map["error"]["message"]
    stale = post(
        client, "/api/scripts/apply", {"script": COMMENTED, "paragraphs": [{"source": 7, "text": "x"}]}, 422
    )
    assert stale["error"]["message"] == "paragraph 8 is not in the script"
    lexicon = post(
        client,
        "/api/scripts/apply",
        {"script": COMMENTED, "paragraphs": [], "lexicon_add": {"银行": "yin2"}},
        422,
    )
    assert lexicon["error"]["code"] == "bad_lexicon_entry" and lexicon["error"]["fix"]


def test_round_trip_errors_name_the_line() -> None:
    with pytest.raises(RoundTripError) as caught:
        outline("id: x\nparagraphs:\n  - text: 你好\n  - [1, 2]\n")
    assert (caught.value.line, caught.value.col) == (4, 5)
    assert "paragraph 2" in caught.value.message


def pieces(client: TestClient, text: str, lexicon: dict[str, str] | None = None) -> list[dict[str, Any]]:
    found = post(client, "/api/scripts/readings", {"text": text, "lexicon": lexicon or {}})
    covered = [k for p in found["pieces"] for k in range(p["start"], p["end"])]
    assert sorted(set(covered)) == list(range(len(text))), "every character of the text is in a piece"
    result: list[dict[str, Any]] = found["pieces"]
    return result


def test_readings_of_hang_and_xing_come_from_the_real_front_end(client: TestClient) -> None:
    found = pieces(client, "他在银行工作，每天行走很远。")
    bank, walk = found[3], found[9]
    assert (bank["text"], bank["pinyin"], bank["polyphone"], bank["why"], bank["detail"]) == (
        "行",
        "hang2",
        True,
        "dictionary",
        "银行",
    )
    assert bank["candidates"][0] == "hang2" and "xing2" in bank["candidates"]
    assert bank["word"] == {"start": 2, "end": 4, "text": "银行", "pinyin": ["yin2", "hang2"]}
    assert (walk["pinyin"], walk["why"], walk["word"]["text"]) == ("xing2", "dictionary", "行走")
    assert found[6] == {
        "start": 6,
        "end": 7,
        "text": "，",
        "kind": "other",
        "pinyin": None,
        "polyphone": False,
        "why": None,
        "detail": None,
        "candidates": [],
        "spelled": False,
        "word": None,
        "override": None,
    }
    assert not found[0]["polyphone"] and found[0]["pinyin"] == "ta1"


def test_de_particles_are_read_by_their_rules(client: TestClient) -> None:
    found = {p["start"]: p for p in pieces(client, "他跑得很快，高兴地笑了。")}
    de, di = found[2], found[8]
    assert (de["text"], de["pinyin"], de["why"]) == ("得", "de5", "rule")
    assert "complement" in de["detail"] and {"de2", "dei3"} <= set(de["candidates"])
    assert (di["text"], di["pinyin"], di["why"]) == ("地", "de5", "rule")
    assert "di4" in di["candidates"]


def test_an_override_and_a_lexicon_entry_are_shown_as_the_teachers(client: TestClient) -> None:
    text = "在银[行](xing2)工作。勾股和Kubernetes。"
    found = pieces(client, text, {"勾股": "gou1 gu3"})
    xing = next(p for p in found if p["text"] == "行")
    assert (xing["pinyin"], xing["why"], xing["start"], xing["end"]) == ("xing2", "inline", 2, 12)
    assert xing["override"] == {"start": 2, "end": 12, "text": "行", "syllables": ["xing2"], "index": 0}
    gou = next(p for p in found if p["text"] == "勾")
    assert (gou["pinyin"], gou["why"]) == ("gou1", "lesson_lexicon")
    spelled = next(p for p in found if p["kind"] == "latin")
    assert (spelled["text"], spelled["spelled"], spelled["why"]) == ("Kubernetes", True, "spelled")
    assert text[spelled["start"] : spelled["end"]] == "Kubernetes"


def test_an_override_written_by_the_editor_changes_the_reading(client: TestClient) -> None:
    """What the page does on a click: write [行](xing2) into the text, apply, read again."""
    script = "id: bank\ntitle: 银行\nparagraphs:\n  # keep me\n  - text: 他在银行工作。\n"
    found = post(client, "/api/scripts/paragraphs", {"script": script})
    text = found["paragraphs"][0]["text"]
    bank = pieces(client, text)[3]
    fixed = text[: bank["start"]] + "[行](xing2)" + text[bank["end"] :]
    edits = [{"source": 0, "text": fixed, "emotion": None, "pause_after": None}]
    applied = post(client, "/api/scripts/apply", {"script": script, "paragraphs": edits})
    assert (
        applied["script"]
        == "id: bank\ntitle: 银行\nparagraphs:\n  # keep me\n  - text: 他在银[行](xing2)工作。\n"
    )
    assert load_spec(applied["script"]).paragraphs[0].text == "他在银[行](xing2)工作。"
    again = next(p for p in pieces(client, fixed) if p["text"] == "行")
    assert (again["pinyin"], again["why"]) == ("xing2", "inline")
    word = post(
        client,
        "/api/scripts/apply",
        {"script": script, "paragraphs": unchanged(found), "lexicon_add": {"银行": "yin2 xing2"}},
    )
    assert "lexicon:\n  银行: yin2 xing2\nparagraphs:\n  # keep me\n" in word["script"]
    lexicon = word["lexicon"]
    assert lexicon == {"银行": "yin2 xing2"}
    assert pieces(client, text, lexicon)[3]["why"] == "lesson_lexicon"


def test_markup_problems_come_back_as_issues(client: TestClient) -> None:
    found = post(client, "/api/scripts/readings", {"text": "在银[行](hang)工作"})
    assert found["issues"] and "tone" in found["issues"][0]["message"]


def test_the_editor_routes_need_a_token(app: FastAPI) -> None:
    with TestClient(app) as anonymous:
        for path in ("/api/scripts/paragraphs", "/api/scripts/apply", "/api/scripts/readings"):
            assert anonymous.post(path, json={}).status_code == 401


def test_a_lexicon_written_empty_is_filled_where_it_is() -> None:
    script = "id: a\nlexicon:\ntitle: b\nparagraphs:\n  - text: 银行\n"
    written = apply_edits(script, [ParagraphEdit(0, "银行")], {"银行": "yin2 hang2"})
    assert written == "id: a\nlexicon:\n  银行: yin2 hang2\ntitle: b\nparagraphs:\n  - text: 银行\n"
    assert load_spec(written).lexicon.entries


def _alias_bomb(depth: int) -> str:
    """Each level a list of nine of the one before: a few hundred bytes, 9**depth values expanded."""
    lines = ["id: bomb", "title: t", "a0: &a0 哈"]
    lines += [f"a{k}: &a{k} [{', '.join([f'*a{k - 1}'] * 9)}]" for k in range(1, depth)]
    lines += ["paragraphs:", f"  - text: *a{depth - 1}", "lexicon:", f"  哈: *a{depth - 1}"]
    return "\n".join(lines) + "\n"


@pytest.mark.parametrize("path", ["/api/scripts/paragraphs", "/api/scripts/apply"])
def test_an_alias_bomb_is_refused_before_anything_expands_it(client: TestClient, path: str) -> None:
    script = _alias_bomb(12)  # 9**11 values if expanded: the web process would never answer
    assert len(script) < 1000
    body: dict[str, Any] = {"script": script}
    if path.endswith("apply"):
        body["paragraphs"] = []
    error = post(client, path, body, status=422)["error"]
    assert error["code"] == "bad_script" and "aliases" in error["message"], error
    assert error["where"] == "line 4, column 10", error  # the first `*a0`


def test_a_script_without_aliases_still_round_trips_its_anchors() -> None:
    """An anchor alone expands nothing, so a script that only names a value stays editable."""
    script = "id: a\ntitle: t\nparagraphs:\n  - &first 同学们好。\n"
    assert [p.text for p in outline(script).paragraphs] == ["同学们好。"]
    with pytest.raises(RoundTripError, match="aliases"):
        outline(script + "  - *first\n")


def test_readings_of_a_paragraph_the_lexicon_multiplies_are_refused_before_reading(
    client: TestClient, monkeypatch: pytest.MonkeyPatch
) -> None:
    """2,000 哈 with an alias for 哈 once cost minutes of CPU for a 7 KB request; now it costs nothing."""

    def never(*args: object) -> None:
        raise AssertionError("the front end must not read a paragraph over the limit")

    monkeypatch.setattr("web.api.editor.paragraph_reading", never)
    refused = post(client, "/api/scripts/readings", {"text": "哈" * 2000, "lexicon": {"哈": "哈哈"}}, 422)
    assert refused["error"]["code"] == "paragraph_too_long" and refused["error"]["where"] == "text"
    assert (
        "4,000 characters once the lexicon's aliases are put in (2,000 as written)"
        in refused["error"]["message"]
    )
    assert "shorten the lexicon's aliases" in refused["error"]["fix"]


def test_an_alias_too_long_is_left_out_of_the_reading_view(client: TestClient) -> None:
    found = pieces(client, "哈哈", {"哈": "哈哈大笑" * 75})
    assert [(p["text"], p["kind"]) for p in found] == [("哈", "han"), ("哈", "han")]


def test_validate_refuses_the_lexicon_alias_bomb_without_reading_it(
    app: FastAPI, client: TestClient, monkeypatch: pytest.MonkeyPatch
) -> None:
    def never() -> None:
        raise AssertionError("a script with errors must not reach the front end")

    monkeypatch.setattr(app.state.services.checker.front_end, "get", never)
    alias = "哈哈大笑，" * 6
    script = "id: a\ntitle: t\nlexicon:\n  哈: " + alias + "\nparagraphs:\n" + f"  - {'哈' * 2000}\n" * 10
    report = post(client, "/api/scripts/validate", {"script": script})
    assert report["ok"] is False
    paragraphs = [d for d in report["errors"] if d["message"].startswith("paragraph is 60,000 characters")]
    assert [(d["line"], d["paragraph"]) for d in paragraphs] == [(6 + k, 1 + k) for k in range(10)]
    (lesson,) = (d for d in report["errors"] if d not in paragraphs)
    assert lesson["paragraph"] == 1 and "600,000 characters once the lexicon's aliases" in lesson["message"]


def test_lexicon_words_yaml_reads_as_other_than_text_are_written_quoted() -> None:
    import yaml

    script = "id: a\ntitle: b\nparagraphs:\n  - text: yes no\n"
    entries = {"yes": "是", "no": "不", "on": "在", "12:30": "shi2 er4 dian3 ban4", "Python": "派森"}
    written = apply_edits(script, [ParagraphEdit(0, "yes no")], entries)
    assert "  'yes': 是\n  'no': 不\n  'on': 在\n" in written and "  Python: 派森\n" in written
    assert yaml.safe_load(written)["lexicon"] == entries
    assert outline(written).lexicon == entries


def test_a_paragraph_sent_twice_is_refused_naming_the_edit_not_the_script(client: TestClient) -> None:
    text = "id: x\ntitle: t\nparagraphs:\n  - text: 一\n    emotion: happy\n  - 二\n"
    twice = [{"source": 0, "text": "AAA"}, {"source": 0, "text": "BBB"}]
    refused = post(client, "/api/scripts/apply", {"script": text, "paragraphs": twice}, 422)["error"]
    assert refused["code"] == "bad_paragraph_source"
    assert refused["where"] == "paragraphs[1].source"
    assert "paragraph 1" in refused["message"] and "twice" in refused["message"]
    stale = post(
        client, "/api/scripts/apply", {"script": text, "paragraphs": [{"source": 2, "text": "x"}]}, 422
    )
    assert stale["error"]["where"] == "paragraphs[0].source"
    copied = post(
        client,
        "/api/scripts/apply",
        {"script": text, "paragraphs": [twice[0], {"source": None, "text": "BBB"}]},
    )
    assert "&" not in copied["script"] and [p["text"] for p in copied["paragraphs"]] == ["AAA", "BBB"]


@pytest.mark.parametrize("path", ["/api/scripts/paragraphs", "/api/scripts/apply"])
def test_the_editor_routes_have_a_limit_of_their_own(tmp_path: Path, path: str) -> None:
    """Rewriting a large script costs seconds of CPU; the page does it after each pause in typing,
    so editing has its own bucket and leaves the script checks alone."""
    limited_app = fake_app(web_settings(tmp_path, web_edits_per_minute=2, web_validations_per_minute=1))
    try:
        with TestClient(limited_app) as limited:
            limited.headers["Authorization"] = f"Bearer {new_token(limited_app)}"
            body = (
                {"script": COMMENTED, "paragraphs": []} if path.endswith("apply") else {"script": COMMENTED}
            )
            for _attempt in range(2):
                assert limited.post(path, json=body).status_code == 200
            refused = limited.post(path, json=body)
            assert refused.status_code == 429 and 1 <= int(refused.headers["Retry-After"]) <= 60
            assert refused.json()["error"]["code"] == "rate_limited"
            assert limited.post("/api/scripts/validate", json={"script": COMMENTED}).status_code == 200
    finally:
        limited_app.state.services.close()

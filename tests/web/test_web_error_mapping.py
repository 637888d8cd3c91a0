"""Every kind of project error answers its own HTTP status, in the API's one JSON error shape.

Through the real app (``create_app``), real authentication and real routes. Kinds a route reaches
only when a database, voice or disk fails are raised by a narrow fake in place of one service; the
real 404 and 422 paths show the same body shape.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient

from audio.export import WriteError
from engines.protocol import EngineUnavailableError, VoiceFailedError
from errors import InputError, LessonaudioError, NotFoundError, UnavailableError, WorkFailedError
from lesson_specs import SpecError, load_spec
from storage.db import CatalogUnavailable, DatabaseUrlError
from tests.browser.support import EXAMPLE, fake_app, new_token, web_settings
from web.errors import PROJECT_ERRORS, project_status
from web.render_index import RenderEntry
from web.services import Services


@pytest.fixture
def app(tmp_path: Path) -> Iterator[FastAPI]:
    application = fake_app(web_settings(tmp_path))
    yield application
    application.state.services.close()


@pytest.fixture
def client(app: FastAPI) -> Iterator[TestClient]:
    with TestClient(app, raise_server_exceptions=False) as test_client:
        yield test_client


@pytest.fixture
def auth(app: FastAPI) -> dict[str, str]:
    return {"Authorization": f"Bearer {new_token(app)}"}


class _FailingIndex:
    """A render index whose every call raises ``error``: a catalog that went away, say."""

    def __init__(self, error: Exception) -> None:
        self.error = error

    def list(self, limit: int = 50, owner: int | None = None) -> list[RenderEntry]:
        raise self.error

    def get(self, render_id: str) -> RenderEntry | None:
        raise self.error


def _renders_fail_with(app: FastAPI, error: Exception) -> None:
    services: Services = app.state.services
    services.renders = _FailingIndex(error)


def _spec_error() -> SpecError:
    with pytest.raises(SpecError) as raised:
        load_spec("id: Bad Id\ntitle: t\nparagraphs: []\n", source="script.yaml")
    return raised.value


@pytest.mark.parametrize(
    ("error", "status", "code"),
    [
        (InputError("the course name is too long"), 422, "invalid_input"),
        (NotFoundError("no lesson 'x'"), 404, "not_found"),
        (CatalogUnavailable("the catalog database x: connection failed"), 503, "unavailable"),
        (WorkFailedError("paragraph 2: the voice failed"), 500, "work_failed"),
        (LessonaudioError("of no kind"), 500, "work_failed"),
        # Two kinds at once, resolved as the CLI resolves them (app.exit_codes).
        (DatabaseUrlError("LESSONAUDIO_DATABASE_URL x names an unsupported database"), 422, "invalid_input"),
        (EngineUnavailableError("the voice server is down"), 503, "unavailable"),
        (WriteError("/cache/x", 28, "No space left on device"), 503, "unavailable"),
    ],
)
def test_each_kind_answers_its_status_in_the_error_shape(
    app: FastAPI, client: TestClient, auth: dict[str, str], error: Exception, status: int, code: str
) -> None:
    _renders_fail_with(app, error)
    answer = client.get("/api/renders", headers=auth)
    assert answer.status_code == status, answer.text
    body = answer.json()
    assert set(body) == {"error"} and set(body["error"]) == {"code", "message", "where", "fix"}
    assert body["error"]["code"] == code
    assert body["error"]["message"] == str(error)
    assert body["error"]["where"] == "/api/renders" and body["error"]["fix"]
    assert "Traceback" not in answer.text


def test_a_long_message_is_one_bounded_line(app: FastAPI, client: TestClient, auth: dict[str, str]) -> None:
    _renders_fail_with(app, WorkFailedError("could not synthesise “" + "九" * 5000 + "”:\nthe voice failed"))
    message = client.get("/api/renders", headers=auth).json()["error"]["message"]
    assert len(message) <= 300 and "\n" not in message and message.endswith("the voice failed")


def test_a_script_error_carries_its_diagnostics(
    app: FastAPI, client: TestClient, auth: dict[str, str]
) -> None:
    _renders_fail_with(app, _spec_error())
    body = client.get("/api/renders", headers=auth).json()
    assert body["error"]["code"] == "invalid_input"
    assert body["error"]["message"].startswith("the script has 2 error(s); first: ")
    assert [d["line"] for d in body["diagnostics"]] == [1, 3]


def test_a_route_with_its_own_lookup_maps_too(app: FastAPI, client: TestClient, auth: dict[str, str]) -> None:
    """The one-render route and the file routes share ``render_entry``; what its index raises maps."""
    _renders_fail_with(app, CatalogUnavailable("the catalog database x: connection failed"))
    render_id = "20260101T000000Z-deadbeef-0000"
    for url in (f"/api/renders/{render_id}", f"/api/renders/{render_id}/files/lesson.mp3"):
        answer = client.get(url, headers=auth)
        assert answer.status_code == 503 and answer.json()["error"]["code"] == "unavailable", url


class _FailingPreview:
    def __init__(self, error: Exception) -> None:
        self.error = error

    def synthesize(self, text: str, emotion: str, voice: str | None = None) -> object:
        raise self.error


@pytest.mark.parametrize(
    ("error", "status"),
    [(EngineUnavailableError("the voice server is down"), 503), (VoiceFailedError("x"), 500)],
)
def test_the_preview_maps_the_voice_the_same_way(
    app: FastAPI, client: TestClient, auth: dict[str, str], error: Exception, status: int
) -> None:
    services: Services = app.state.services
    services.preview = _FailingPreview(error)  # type: ignore[assignment]
    answer = client.post("/tts", json={"text": "同学们好", "emotion": "happy"}, headers=auth)
    assert answer.status_code == status and answer.json()["error"]["message"] == str(error)


def test_real_refusals_keep_the_same_shape(client: TestClient, auth: dict[str, str]) -> None:
    missing = client.get("/api/renders/20260101T000000Z-deadbeef-0000", headers=auth)
    assert missing.status_code == 404 and missing.json()["error"]["code"] == "no_such_render"
    broken = EXAMPLE.read_text(encoding="utf-8").replace("id: ", "id: Not A Slug ", 1)
    refused = client.post("/api/renders", json={"script": broken}, headers=auth)
    assert refused.status_code == 422, refused.text
    body = refused.json()
    assert body["error"]["code"] == "invalid_script" and body["diagnostics"]


def test_a_bug_is_still_an_internal_error(app: FastAPI, client: TestClient, auth: dict[str, str]) -> None:
    _renders_fail_with(app, RuntimeError("boom"))
    answer = client.get("/api/renders", headers=auth)
    assert answer.status_code == 500 and answer.json()["error"]["code"] == "internal_error"
    assert "boom" not in answer.text


def test_the_table_covers_the_four_kinds_in_order() -> None:
    assert [kind for kind, *_ in PROJECT_ERRORS] == [
        InputError,
        NotFoundError,
        UnavailableError,
        WorkFailedError,
    ]
    assert project_status(UnavailableError("x"))[0] == 503


def test_every_operation_documents_the_statuses_any_route_can_answer(app: FastAPI) -> None:
    schema = app.openapi()
    for path, item in schema["paths"].items():
        for method, operation in item.items():
            if not path.startswith(("/api/", "/tts")):
                continue
            responses = operation["responses"]
            for status in ("500", "503"):
                assert status in responses, (method, path, status)
                assert responses[status]["content"]["application/json"]["schema"] == {
                    "$ref": "#/components/schemas/ErrorResponse"
                }

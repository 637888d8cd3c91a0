"""The API's OpenAPI schema builds cleanly, and the one rule behind every "not found or not yours" 404.

FastAPI only warns (it does not fail) when two operations share an id, and a shared id makes client
generators drop one of them; so the schema is built with every warning recorded.
"""

from __future__ import annotations

import warnings
from collections import Counter
from datetime import UTC, datetime
from pathlib import Path

import pytest

from tests.browser.support import fake_app, web_settings
from web.api.access import visible
from web.errors import ApiError
from web.tokens import Role, TokenInfo

OPERATIONS = [
    ("/tts", "post"),
    ("/api/voices", "get"),
    ("/api/scripts/validate", "post"),
    ("/api/scripts/paragraphs", "post"),
    ("/api/scripts/apply", "post"),
    ("/api/scripts/readings", "post"),
    ("/api/renders", "post"),
    ("/api/renders", "get"),
    ("/api/jobs", "get"),
    ("/api/jobs/{job_id}", "get"),
    ("/api/renders/{render_id}", "get"),
    ("/api/renders/{render_id}/files/{name}", "get"),
    ("/api/renders/{render_id}/files/{name}", "head"),
    ("/session", "post"),
    ("/session", "delete"),
]
"""Every documented operation: a route that loses its place in the schema fails here too."""


def test_the_schema_builds_without_warnings_and_every_operation_id_is_unique(tmp_path: Path) -> None:
    app = fake_app(web_settings(tmp_path))
    try:
        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("always")
            schema = app.openapi()
    finally:
        app.state.services.close()
    assert [str(w.message) for w in caught] == []
    operations = [(path, method, op) for path, item in schema["paths"].items() for method, op in item.items()]
    ids = Counter(op.get("operationId") for _, _, op in operations)
    assert None not in ids
    assert [i for i, n in ids.items() if n > 1] == []
    assert sorted((path, method) for path, method, _ in operations) == sorted(OPERATIONS)


def token(id: int, role: Role = Role.TEACHER) -> TokenInfo:
    return TokenInfo(
        id=id, name=f"t{id}", role=role, created_at=datetime.now(UTC), last_used_at=None, revoked_at=None
    )


def lookup(item: str | None, who: TokenInfo, owners: dict[str, int | None], asked: list[str]) -> str:
    def owner(found: str) -> int | None:
        asked.append(found)
        return owners[found]

    return visible(item, owner, who, code="no_such_thing", message="no thing", where="id", fix="list them")


def test_visible_answers_the_same_404_for_missing_and_for_someone_elses() -> None:
    owners: dict[str, int | None] = {"mine": 1, "theirs": 2, "cli": None}
    asked: list[str] = []
    assert lookup("mine", token(1), owners, asked) == "mine"
    errors = []
    for item in (None, "theirs", "cli"):
        with pytest.raises(ApiError) as refused:
            lookup(item, token(1), owners, asked)
        errors.append((refused.value.status_code, refused.value.code, refused.value.message))
    assert errors == [(404, "no_such_thing", "no thing")] * 3
    assert asked == ["mine", "theirs", "cli"]  # a missing item's owner is never looked up
    admin = token(9, Role.ADMIN)
    assert [lookup(i, admin, owners, []) for i in ("theirs", "cli")] == ["theirs", "cli"]

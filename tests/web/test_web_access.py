"""Who sees what: a teacher's token sees the jobs and renders it submitted, an admin's token sees
all; another teacher's job, render or file answers 404 exactly like an id that does not exist. The
submitting token is recorded on the render's catalog row."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient

from config import Settings
from storage.catalog import open_catalog
from tests.browser.support import EXAMPLE, FakeRunner, fake_app, new_token, web_settings
from tests.web.test_web_api import wait_for_job
from web.render_index import CatalogRenderIndex
from web.services import Services
from web.tokens import Role

FILES = ("lesson.mp3", "lesson.wav", "captions.vtt", "manifest.json")


@pytest.fixture
def settings(tmp_path: Path) -> Settings:
    return web_settings(tmp_path)


@pytest.fixture
def app(settings: Settings) -> FastAPI:
    return fake_app(settings)


@pytest.fixture
def client(app: FastAPI) -> Iterator[TestClient]:
    with TestClient(app) as test_client:
        yield test_client


def bearer(app: FastAPI, name: str, role: Role = Role.TEACHER) -> dict[str, str]:
    return {"Authorization": f"Bearer {new_token(app, name, role)}"}


def render(client: TestClient, auth: dict[str, str]) -> dict[str, Any]:
    """Submit the example and wait for its job to finish."""
    submitted = client.post(
        "/api/renders", headers=auth, json={"script": EXAMPLE.read_text(encoding="utf-8")}
    )
    assert submitted.status_code == 202, submitted.text
    job = wait_for_job(client, auth, submitted.json()["status_url"])
    assert job["state"] == "finished", job
    return job


def listed(client: TestClient, auth: dict[str, str]) -> set[str]:
    response = client.get("/api/renders", headers=auth)
    assert response.status_code == 200
    return {r["render_id"] for r in response.json()}


def test_teachers_see_only_their_own_jobs_and_renders(app: FastAPI, client: TestClient) -> None:
    alice, bob, admin = bearer(app, "alice"), bearer(app, "bob"), bearer(app, "root", Role.ADMIN)
    alices, bobs = render(client, alice), render(client, bob)
    mine, theirs = alices["render_id"], bobs["render_id"]

    assert listed(client, alice) == {mine}
    assert listed(client, bob) == {theirs}
    assert listed(client, admin) == {mine, theirs}

    for who in (alice, admin):
        assert client.get(f"/api/renders/{mine}", headers=who).status_code == 200
        assert client.get(f"/api/jobs/{alices['id']}", headers=who).status_code == 200
        for name in FILES:
            assert client.get(f"/api/renders/{mine}/files/{name}", headers=who).status_code == 200

    # Bob gets exactly what a render that does not exist gets: no way to tell the id is real.
    unknown = client.get("/api/renders/20990101T000000Z-00000000-0000", headers=bob).json()
    refused = client.get(f"/api/renders/{mine}", headers=bob)
    assert refused.status_code == 404 and refused.json()["error"]["code"] == unknown["error"]["code"]
    assert client.get(f"/api/jobs/{alices['id']}", headers=bob).status_code == 404
    assert client.get(f"/api/jobs/{alices['id']}", headers=bob).json()["error"]["code"] == "no_such_job"
    for name in FILES:
        assert client.get(f"/api/renders/{mine}/files/{name}", headers=bob).status_code == 404
        assert client.head(f"/api/renders/{mine}/files/{name}", headers=bob).status_code == 404


def test_the_page_lists_only_the_teachers_renders(app: FastAPI, client: TestClient) -> None:
    alice_token = new_token(app, "alice")
    mine = render(client, {"Authorization": f"Bearer {alice_token}"})["render_id"]
    theirs = render(client, bearer(app, "bob"))["render_id"]
    assert client.post("/session", json={"token": alice_token}).status_code == 204
    page = client.get("/").text
    assert mine in page and theirs not in page


def test_renders_made_outside_the_web_are_for_admins_only(settings: Settings, app: FastAPI) -> None:
    """A render from the CLI or the inbox has no submitting token: no teacher may claim it."""
    from web.jobs import JobProgress

    outcome = FakeRunner(settings.output_dir).run(EXAMPLE, None, JobProgress(lambda change: None))
    with TestClient(app) as client:
        teacher, admin = bearer(app, "alice"), bearer(app, "root", Role.ADMIN)
        assert listed(client, teacher) == set()
        assert client.get(f"/api/renders/{outcome.render_id}", headers=teacher).status_code == 404
        assert listed(client, admin) == {outcome.render_id}
        assert client.get(f"/api/renders/{outcome.render_id}", headers=admin).status_code == 200


def test_the_catalog_records_the_submitting_token(
    settings: Settings, app: FastAPI, client: TestClient
) -> None:
    render_id = render(client, bearer(app, "alice"))["render_id"]
    render(client, bearer(app, "bob"))
    services: Services = app.state.services
    alice = next(t for t in services.tokens.list() if t.name == "alice")
    assert settings.database_url is not None
    catalog = open_catalog(settings.database_url)
    try:
        assert catalog.get_render(render_id).owner_token_id == alice.id
    finally:
        catalog.close()
    index = CatalogRenderIndex(settings.database_url)  # LESSONAUDIO_WEB_RENDERS_FROM=catalog
    try:
        assert [e.render_id for e in index.list(owner=alice.id)] == [render_id]
        assert len(index.list()) == 2
    finally:
        index.close()


def test_a_render_the_flow_already_recorded_is_claimed_not_duplicated(
    settings: Settings, app: FastAPI
) -> None:
    """The real flow records the render itself; the job then only writes the owner on that row."""
    assert settings.database_url is not None

    class RecordingRunner(FakeRunner):
        def run(self, spec_path: Path, voice: str | None, progress: Any) -> Any:
            outcome = super().run(spec_path, voice, progress)
            catalog = open_catalog(str(settings.database_url))
            manifest = json.loads((Path(outcome.folder) / "manifest.json").read_text(encoding="utf-8"))
            catalog.import_render(manifest, folder=outcome.folder)
            catalog.close()
            return outcome

    recording = fake_app(settings, RecordingRunner(settings.output_dir))
    with TestClient(recording) as client:
        auth = bearer(recording, "alice")
        render_id = render(client, auth)["render_id"]
        assert listed(client, auth) == {render_id}
    catalog = open_catalog(settings.database_url)
    try:
        rows = catalog.list_renders()
    finally:
        catalog.close()
    assert [(r.render_id, r.owner_token_id is not None) for r in rows] == [(render_id, True)]

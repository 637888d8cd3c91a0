"""``/docs`` works offline and under its own Content-Security-Policy: Swagger UI comes from this
package, every asset the page names is same-origin and served with the right type, and the one
inline script is allowed by a per-response nonce. ``tests/browser/test_browser_docs.py`` renders it."""

from __future__ import annotations

import re
from collections.abc import Iterator
from html.parser import HTMLParser
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from tests.browser.support import fake_app, web_settings

ASSET_TYPES = {".js": "text/javascript", ".css": "text/css", ".png": "image/png"}


class Assets(HTMLParser):
    """Every URL the page loads, and the nonces of its scripts."""

    def __init__(self) -> None:
        super().__init__()
        self.urls: list[str] = []
        self.inline_nonces: list[str | None] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = dict(attrs)
        for name in ("src", "href"):
            if values.get(name):
                self.urls.append(str(values[name]))
        if tag == "script" and not values.get("src"):
            self.inline_nonces.append(values.get("nonce"))


@pytest.fixture
def client(tmp_path: Path) -> Iterator[TestClient]:
    with TestClient(fake_app(web_settings(tmp_path))) as test_client:
        yield test_client


def directives(csp: str) -> dict[str, list[str]]:
    return {part.split()[0]: part.split()[1:] for part in csp.split(";") if part.strip()}


def test_docs_load_only_same_origin_assets_of_the_right_type(client: TestClient) -> None:
    page = client.get("/docs")
    assert page.status_code == 200 and page.headers["content-type"].startswith("text/html")
    found = Assets()
    found.feed(page.text)
    assert found.urls, "the page names no assets"
    for url in found.urls:
        assert url.startswith("/") and not url.startswith("//"), f"{url} is not on this server"
        asset = client.get(url)
        assert asset.status_code == 200, url
        expected = ASSET_TYPES[Path(url).suffix]
        assert asset.headers["content-type"].startswith(expected), (url, asset.headers["content-type"])
        assert len(asset.content) > 0
    assert "cdn" not in page.text.lower() and "https://" not in page.text


def test_docs_csp_allows_its_own_scripts_and_one_nonce(client: TestClient) -> None:
    first, second = client.get("/docs"), client.get("/docs")
    policy = directives(first.headers["Content-Security-Policy"])
    found = Assets()
    found.feed(first.text)
    assert len(found.inline_nonces) == 1 and found.inline_nonces[0]
    nonce = found.inline_nonces[0]
    assert policy["script-src"] == ["'self'", f"'nonce-{nonce}'"]
    assert policy["default-src"] == ["'none'"] and policy["connect-src"] == ["'self'"]
    assert "'unsafe-inline'" not in first.headers["Content-Security-Policy"]
    assert "'unsafe-eval'" not in first.headers["Content-Security-Policy"]
    second_nonce = re.search(r"'nonce-([^']+)'", second.headers["Content-Security-Policy"])
    assert second_nonce is not None and second_nonce.group(1) != nonce  # new on every response
    assert client.get("/openapi.json").status_code == 200  # what the page fetches, same origin


def test_only_the_pages_own_assets_are_served(client: TestClient) -> None:
    for name in ("index.html", "swagger-initializer.js", "..%2F..%2F__init__.py", "oauth2-redirect.html"):
        response = client.get(f"/docs/assets/{name}")
        assert response.status_code == 404, name
        assert response.json()["error"]["code"] == "not_found"
    assert client.get("/redoc").status_code == 404  # ReDoc would come from a CDN: not offered


def test_the_docs_read_the_apps_own_openapi_31_schema(client: TestClient) -> None:
    """Swagger UI 5 reads 3.1, so the page points at ``/openapi.json`` and no second schema exists."""
    page = client.get("/docs").text
    assert "url: '/openapi.json'" in page or 'url: "/openapi.json"' in page, page
    schema = client.get("/openapi.json").json()
    assert schema["openapi"].startswith("3.1")
    bundle = client.get("/docs/assets/swagger-ui-bundle.js").text
    assert "5.31" in bundle or "OpenAPI 3.1" in bundle or "openapi31" in bundle.lower()

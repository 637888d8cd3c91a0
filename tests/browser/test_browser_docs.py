"""``/docs`` in a real headless Chromium: Swagger UI renders every operation of the API from this
server's own files, with no Content-Security-Policy violation and no console error, and with no
network beyond this server (the test machine has none)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from selenium import webdriver
from selenium.webdriver.common.by import By
from selenium.webdriver.support.ui import WebDriverWait

from tests.browser.support import fake_app, live_server, web_settings

RECORD_VIOLATIONS = """
window.cspViolations = [];
document.addEventListener("securitypolicyviolation", (e) => {
  const where = `${e.sourceFile}:${e.lineNumber}`;
  window.cspViolations.push(`${e.violatedDirective} blocked ${e.blockedURI || "inline"} (${where})`);
});
"""
HTTP_METHODS = {"get", "put", "post", "delete", "patch", "head", "options"}


def operation_count(schema: dict[str, Any]) -> int:
    return sum(1 for item in schema["paths"].values() for method in item if method in HTTP_METHODS)


def test_docs_render_every_operation_without_csp_violations(
    tmp_path: Path, browser: webdriver.Chrome
) -> None:
    app = fake_app(web_settings(tmp_path))
    expected = operation_count(app.openapi())
    with live_server(app) as url:
        browser.execute_cdp_cmd("Page.addScriptToEvaluateOnNewDocument", {"source": RECORD_VIOLATIONS})
        browser.get(f"{url}/docs")
        wait = WebDriverWait(browser, 30, poll_frequency=0.25)
        wait.until(lambda d: len(d.find_elements(By.CSS_SELECTOR, ".opblock")) == expected)
        assert "lessonaudio" in browser.find_element(By.CSS_SELECTOR, ".info .title").text

        # Open one operation: its parameters and documented responses render too.
        browser.find_element(
            By.CSS_SELECTOR, "#operations-renders-submit_api_renders_post .opblock-summary"
        ).click()
        wait.until(lambda d: d.find_elements(By.CSS_SELECTOR, ".opblock.is-open .responses-table"))
        # And the Authorize dialog, where a teacher pastes a token.
        browser.find_element(By.CSS_SELECTOR, ".auth-wrapper .authorize").click()
        wait.until(lambda d: d.find_elements(By.CSS_SELECTOR, ".modal-ux .auth-container"))

        violations = browser.execute_script("return window.cspViolations")
        console: list[dict[str, Any]] = browser.get_log("browser")  # type: ignore[no-untyped-call]
    assert violations == []
    problems = [
        entry["message"]
        for entry in console
        if entry["level"] in ("SEVERE", "WARNING") or "Content Security Policy" in entry["message"]
    ]
    assert problems == []

"""A script the voice cannot say is refused by the page's check, as by `validate`."""

from __future__ import annotations

from web.frontend import SharedFrontEnd
from web.validation import ScriptChecker


def test_the_web_check_refuses_a_script_the_voice_cannot_say() -> None:
    report = ScriptChecker(SharedFrontEnd(), 50).check("id: a\ntitle: t\nparagraphs:\n  - 呣，好的。\n")
    assert not report.ok and [d.severity for d in report.errors] == ["error"]
    assert "a syllable the voice cannot say" in report.errors[0].message

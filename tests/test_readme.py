"""The README documents every setting and both fresh-machine commands; the Makefile has them."""

from __future__ import annotations

from pathlib import Path

from config.settings import Settings

ROOT = Path(__file__).resolve().parent.parent
README = (ROOT / "README.md").read_text(encoding="utf-8")


def test_every_setting_is_documented() -> None:
    missing = [name for name in Settings.model_fields if f"`LESSONAUDIO_{name.upper()}`" not in README]
    assert missing == []


def test_fresh_machine_commands() -> None:
    assert "make render" in README and "make test" in README
    makefile = (ROOT / "Makefile").read_text(encoding="utf-8")
    assert "\nrender:" in makefile and "\ntest:" in makefile
    assert "make test" in (ROOT / ".ci" / "run").read_text(encoding="utf-8")

"""Opening a catalog whose schema is current is cheap: no Alembic, no Mako, no lock.

The answer "current" is read from the migration scripts and the version table directly, so it must
agree with Alembic's own, and anything else (a new, an older or an odd database) still goes through
Alembic's upgrade.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest
from sqlalchemy import text

from storage.db import current_revision, head_revision, make_engine, open_database, upgrade_database
from storage.db.session import MIGRATIONS, VERSION_TABLE, shipped_head

ROOT = Path(__file__).resolve().parents[2]


def test_the_scripts_name_the_head_alembic_names() -> None:
    assert shipped_head() == head_revision()


def test_a_current_catalog_opens_without_alembic(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'catalog.db'}"
    open_database(url).dispose()  # created and migrated
    probe = (
        "import json, sys\n"
        "from storage.catalog import open_catalog\n"
        f"open_catalog({url!r}).close()\n"
        "print(json.dumps(sorted({m.partition('.')[0] for m in sys.modules})))\n"
    )
    done = subprocess.run([sys.executable, "-c", probe], cwd=ROOT, capture_output=True, text=True, check=True)
    loaded = set(json.loads(done.stdout))
    assert "sqlalchemy" in loaded  # the catalog really was opened
    assert loaded.isdisjoint({"alembic", "mako"})


@pytest.mark.parametrize("recorded", [None, "0003_inbox_items", "not-a-revision"])
def test_a_catalog_not_at_the_head_is_upgraded(tmp_path: Path, recorded: str | None) -> None:
    """A new database, an older one and one recording a revision this package does not ship."""
    engine = make_engine(f"sqlite:///{tmp_path / 'catalog.db'}")
    if recorded is not None:
        from alembic import command

        from storage.db.session import _alembic_config

        with engine.begin() as conn:
            command.upgrade(_alembic_config(conn), "0003_inbox_items")
        if recorded != "0003_inbox_items":
            with engine.begin() as conn:
                conn.execute(text(f"UPDATE {VERSION_TABLE} SET version_num = :r"), {"r": recorded})
    if recorded == "not-a-revision":
        with pytest.raises(Exception, match="not-a-revision"):  # Alembic's refusal, not a silent pass
            upgrade_database(engine)
    else:
        assert upgrade_database(engine) == head_revision()
        assert current_revision(engine) == head_revision()
    engine.dispose()


def test_two_heads_leave_the_decision_to_alembic(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    versions = tmp_path / "versions"
    versions.mkdir()
    for name in ("a", "b"):
        (versions / f"{name}.py").write_text(f'revision = "{name}"\ndown_revision = None\n', encoding="utf-8")
    monkeypatch.setattr("storage.db.session.MIGRATIONS", tmp_path)
    shipped_head.cache_clear()
    try:
        assert shipped_head() is None
    finally:
        monkeypatch.setattr("storage.db.session.MIGRATIONS", MIGRATIONS)
        shipped_head.cache_clear()

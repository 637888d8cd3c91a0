"""What ``tests/conftest.py`` does to keep the fast tier fast: each worker's session cache starts with
the compiled WeTN grammar, and bytecode is cached even where PYTHONDONTWRITEBYTECODE is set."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from text_frontend.normalize.wetn import WeTextNormalizer


def test_the_session_cache_starts_with_the_compiled_grammar(session_cache: Path) -> None:
    """A render in the session cache loads the grammar instead of compiling it (seconds of CPU)."""
    folder = session_cache / "cache" / "wetn"
    grammars = sorted(p.name for p in folder.iterdir())
    assert grammars and not any(name.startswith(".") for name in grammars)
    for name in grammars:
        files = sorted(f.name for f in (folder / name).iterdir())
        assert files == ["zh_tn_tagger.fst", "zh_tn_verbalizer.fst"]
    WeTextNormalizer(folder)
    assert sorted(p.name for p in folder.iterdir()) == grammars  # loaded: nothing was built


def test_test_processes_and_their_commands_keep_their_bytecode() -> None:
    """Compiling the project from source in every worker and command would cost a third of collection."""
    assert not sys.dont_write_bytecode
    child = subprocess.run(
        [sys.executable, "-c", "import sys; print(sys.dont_write_bytecode)"],
        capture_output=True,
        text=True,
        check=True,
    )
    assert child.stdout.strip() == "False"

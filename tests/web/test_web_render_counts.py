"""How many paragraphs a render synthesised afresh, as the render's manifest says (narrow: the
browser test in Chinese checks the same numbers after real renders)."""

from __future__ import annotations

import json
from pathlib import Path

from web.render_index import entry_from_manifest


def _folder(tmp_path: Path, segments: list[dict[str, object]]) -> Path:
    manifest = {"render_id": "r", "lesson_id": "l", "title": "t", "duration": 1.0, "segments": segments}
    (tmp_path / "manifest.json").write_text(json.dumps(manifest), encoding="utf-8")
    return tmp_path


def test_a_paragraph_counts_as_fresh_when_any_of_its_segments_was_synthesised(tmp_path: Path) -> None:
    segments: list[dict[str, object]] = [
        {"paragraph": 1, "reused": True},
        {"paragraph": 1, "reused": False},
        {"paragraph": 2, "reused": True},
        {"paragraph": 3, "reused": True},
        {"paragraph": 3, "reused": True},
    ]
    entry = entry_from_manifest(_folder(tmp_path, segments))
    assert entry is not None
    assert (entry.paragraphs, entry.paragraphs_resynthesised, entry.segments) == (3, 1, 5)


def test_a_manifest_without_reuse_flags_says_nothing_about_them(tmp_path: Path) -> None:
    entry = entry_from_manifest(_folder(tmp_path, [{"paragraph": 1}, {"paragraph": 2, "reused": False}]))
    assert entry is not None
    assert (entry.paragraphs, entry.paragraphs_resynthesised) == (None, None)

"""Publishing uploads a render's speech marks with its other files, after the captions and before
the manifest, and still publishes older render folders that have none."""

from __future__ import annotations

import json
from pathlib import Path
from typing import TYPE_CHECKING

from storage.objects import LocalObjectStore
from storage.publish import PUBLISHED_FILES
from tasks.publish import LocalTarget, publish_render_now

if TYPE_CHECKING:
    from tests.s3_server import RenderFactory

pytest_plugins = ["tests.s3_server"]


def test_marks_are_published_with_the_render(render_factory: RenderFactory, tmp_path: Path) -> None:
    marks = {"marks_version": 1, "segments": [], "marks": []}
    render = render_factory(extra={"marks.json": json.dumps(marks).encode()})
    publish_render_now(render.folder, LocalTarget(root=tmp_path / "site", prefix="v1"), None)
    store = LocalObjectStore(tmp_path / "site")
    key = f"v1/初中数学八年级/math-g8-pythagoras/{render.render_id}/marks.json"
    assert key in store.list_keys()
    assert json.loads(store.get_bytes(key) or b"") == marks
    pointer = json.loads(store.get_bytes("v1/初中数学八年级/math-g8-pythagoras/latest.json") or b"{}")
    assert key in [o["key"] for o in pointer["objects"]]
    names = list(PUBLISHED_FILES)
    assert names.index("captions.vtt") < names.index("marks.json") < names.index("manifest.json")


def test_a_render_without_marks_is_still_published(render_factory: RenderFactory, tmp_path: Path) -> None:
    render = render_factory()
    assert not (render.folder / "marks.json").exists()
    result = publish_render_now(render.folder, LocalTarget(root=tmp_path / "site"), None)
    assert not any(key.endswith("marks.json") for key in result.keys)

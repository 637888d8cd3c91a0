"""Pruning the segment cache by last use: what goes, what stays, and that renders recover."""

from __future__ import annotations

import os
import time
from pathlib import Path

import numpy as np
import pytest
from typer.testing import CliRunner

from app.cli import app
from audio.mastering import master_paragraph
from audio.mp3 import encode_piece
from storage.housekeeping import prune, usage
from storage.pieces import PieceStore
from storage.segments import SegmentStore, segment_cache_root
from tasks.backcheck_store import load_snippets, save_snippets

pytestmark = pytest.mark.tiny_voice("test_renders_mark_what_they_reuse_and_recover_after_a_prune")

DAY = 86_400.0


def age(path: Path, days: float) -> None:
    then = time.time() - days * DAY
    os.utime(path, (then, then))


def make_piece(store: PieceStore, key: str) -> None:
    tone = (0.1 * np.sin(np.arange(24_000) / 24_000 * 2 * np.pi * 200)).astype(np.float32)
    piece = master_paragraph([(tone, 0)], 24_000, pause_after_ms=500, target_lufs=-16)
    store.put(key, piece, encode_piece(piece.samples, 24_000), 24_000)


def test_prune_removes_what_was_not_used_and_keeps_the_rest(tmp_path: Path) -> None:
    segments, pieces = SegmentStore(tmp_path / "segments"), PieceStore(tmp_path / "pieces")
    old_key, new_key = "a" * 64, "b" * 64
    for key in (old_key, new_key):
        segments.put(key, np.zeros(2400, dtype=np.float32) + 0.1, 24_000)
        make_piece(pieces, key)
    for path in (tmp_path / "segments").rglob("*"):
        age(path, 40)
    for path in (tmp_path / "pieces").rglob(f"{old_key}.*"):
        age(path, 40)
    for path in (tmp_path / "pieces").rglob(f"{new_key}.*"):
        age(path, 40)
    pieces.touch(new_key)  # a render reused this piece and one segment just now
    segments.touch(new_key)
    orphan = tmp_path / "pieces" / "cc" / ("c" * 64 + ".pcm")  # a put that crashed before its JSON
    orphan.parent.mkdir(parents=True)
    orphan.write_bytes(b"\0" * 100)
    age(orphan, 40)

    checks = tmp_path / "backcheck"
    save_snippets(checks, old_key, [b"old"])
    save_snippets(checks, new_key, [b"new"])
    for path in checks.rglob("*.bin"):
        age(path, 40)
    assert load_snippets(checks, new_key) == [b"new"]  # a render reused these players just now

    planned = {u.kind: u.files for u in prune(tmp_path, older_than_s=30 * DAY, dry_run=True)}
    # a piece is its JSON, PCM, MP3 and energy
    assert planned == {"segments": 1, "pieces": 4 + 1, "records": 0, "results": 0, "plans": 0, "backcheck": 1}
    assert sum(u.files for u in usage(tmp_path)) == 2 + 2 * 4 + 1 + 2  # a dry run deletes nothing

    prune(tmp_path, older_than_s=30 * DAY)
    assert not segments.has(old_key) and segments.has(new_key)
    assert pieces.get(old_key) is None and pieces.get(new_key) is not None
    assert not orphan.exists()
    assert not list((tmp_path / "pieces").rglob(f"{old_key}.*"))  # the piece went as a whole
    assert load_snippets(checks, old_key) is None and load_snippets(checks, new_key) == [b"new"]


@pytest.mark.usefixtures("prefect_server")
def test_renders_mark_what_they_reuse_and_recover_after_a_prune(
    render_env: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from flows.render import render_lesson

    monkeypatch.setenv("LESSONAUDIO_CACHE_DIR", str(tmp_path / "cache"))
    monkeypatch.setenv("LESSONAUDIO_BACKCHECK", "false")
    spec = tmp_path / "lesson.yaml"
    spec.write_text(
        "id: prune-me\ntitle: 测试\nparagraphs:\n  - text: 春天来了。\n  - text: 小草发芽了。\n",
        encoding="utf-8",
    )
    root = segment_cache_root(tmp_path / "cache")
    first = render_lesson(str(spec), out_dir=str(tmp_path / "out"))
    assert first.synthesized == first.segments == 2

    cached = [p for kind in ("segments", "pieces") for p in (root / kind).rglob("*") if p.is_file()]
    for path in cached:
        age(path, 40)
    again = render_lesson(str(spec), out_dir=str(tmp_path / "out"))  # reuses, and so marks, everything
    assert again.synthesized == 0 and again.mastered == 0
    kept = prune(root, older_than_s=30 * DAY)
    assert {u.kind: u.files for u in kept}["segments"] == 0 and {u.kind: u.files for u in kept}["pieces"] == 0

    for path in cached:
        age(path, 40)
    gone = prune(root, older_than_s=30 * DAY)
    segment_files = [p for p in cached if (root / "segments") in p.parents]
    assert len(segment_files) == 4  # each segment's audio and its character times
    assert {u.kind: u.files for u in gone}["segments"] == len(segment_files)
    third = render_lesson(str(spec), out_dir=str(tmp_path / "out"))  # records outlived their audio
    assert third.synthesized == 2 and third.mastered == 2


def test_cache_commands(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("LESSONAUDIO_CACHE_DIR", str(tmp_path))
    segments = SegmentStore(segment_cache_root(tmp_path) / "segments")
    segments.put("d" * 64, np.zeros(2400, dtype=np.float32) + 0.1, 24_000)
    age(segments.path("d" * 64), 10)
    runner = CliRunner()
    info = runner.invoke(app, ["cache", "info"])
    assert info.exit_code == 0 and "segments" in info.output and "1 files" in info.output
    dry = runner.invoke(app, ["cache", "prune", "--older-than", "7", "--dry-run"])
    assert dry.exit_code == 0 and "would remove" in dry.output and segments.has("d" * 64)
    done = runner.invoke(app, ["cache", "prune", "--older-than", "7"])
    assert done.exit_code == 0 and not segments.has("d" * 64)
    assert runner.invoke(app, ["cache", "prune", "--older-than", "-1"]).exit_code != 0

"""The back-check store's players: kept whole or not at all."""

from __future__ import annotations

from pathlib import Path

from tasks.backcheck_store import load_snippets, save_snippets, snippets_key


def test_snippets_come_back_as_they_were_saved(tmp_path: Path) -> None:
    key = snippets_key("ab" * 32, [(0.0, 1.5), (1.5, 3.0)])
    save_snippets(tmp_path, key, [b"ID3\x00one", b"", b"two\n\ntwo"])
    assert load_snippets(tmp_path, key) == [b"ID3\x00one", b"", b"two\n\ntwo"]


def test_other_spans_are_another_key() -> None:
    assert snippets_key("ab" * 32, [(0.0, 1.5)]) != snippets_key("ab" * 32, [(0.0, 1.6)])
    assert snippets_key("ab" * 32, [(0.0, 1.5)]) != snippets_key("cd" * 32, [(0.0, 1.5)])


def test_a_cut_short_or_garbled_record_is_missing(tmp_path: Path) -> None:
    key = snippets_key("ab" * 32, [(0.0, 1.0)])
    assert load_snippets(tmp_path, key) is None
    save_snippets(tmp_path, key, [b"abcdef"])
    (path,) = (tmp_path / "snippets").rglob("*.bin")
    path.write_bytes(path.read_bytes()[:-1])
    assert load_snippets(tmp_path, key) is None
    path.write_bytes(b"not json\nabc")
    assert load_snippets(tmp_path, key) is None

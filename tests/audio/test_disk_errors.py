"""Writing files: a full or read-only disk is named (file, system reason, way out); modes follow the umask.

The tests run as root, which ignores file permissions, so "read-only" and "full" are made real: a
small tmpfs mounted read-only (EROFS), one filled to the last page (ENOSPC), and a path through a
regular file (ENOTDIR, needs no privileges). Mounting needs root; where it is refused the tmpfs
cases skip with the reason.
"""

from __future__ import annotations

import os
import stat
from collections.abc import Iterator
from pathlib import Path

import numpy as np
import pytest

from audio.export import WriteError, write_joined, write_text, write_wav
from audio.mastering import master_paragraph
from audio.mp3 import encode_piece
from storage.locks import FlockLockManager
from storage.objects import LocalObjectStore, sha256_file
from storage.pieces import PieceStore
from storage.segments import SegmentStore
from tests.mounts import Mount

KEY = "ab" + "0" * 62
RATE = 24_000
CACHE_HINT = "(free space or set LESSONAUDIO_CACHE_DIR)"


def speech(seconds: float = 1.0) -> np.ndarray:
    rng = np.random.default_rng(7)
    return (0.2 * rng.standard_normal(int(seconds * RATE))).astype(np.float32)


def put_piece(root: Path) -> None:
    mastered = master_paragraph([(speech(), 0)], RATE, pause_after_ms=500, target_lufs=-16.0)
    PieceStore(root).put(KEY, mastered, encode_piece(mastered.samples, RATE), RATE)


def full(mount: Mount) -> Path:
    """A tmpfs with not one page left."""
    point = mount("size=256k")
    with pytest.raises(OSError, match="No space left"), open(point / "filler", "wb") as filler:
        filler.write(bytes(512 * 1024))
        filler.flush()
    return point


@pytest.mark.parametrize("make", ["segment", "piece"])
def test_a_full_cache_names_the_file_and_the_reason(make: str, tmpfs: Mount) -> None:
    cache = full(tmpfs)
    if make == "segment":
        with pytest.raises(WriteError) as caught:
            SegmentStore(cache / "segments").put(KEY, speech(), RATE)
        wanted = cache / "segments" / "ab" / f"{KEY}.flac"
    else:
        with pytest.raises(WriteError) as caught:
            put_piece(cache / "pieces")
        wanted = cache / "pieces" / "ab" / f"{KEY}.pcm"
    assert str(caught.value) == f"cannot write {wanted}: No space left on device {CACHE_HINT}"
    assert not wanted.exists()  # nothing truncated left under the key
    assert [p.name for p in cache.rglob("*") if p.is_file()] == ["filler"]  # no temporary files either


def test_a_read_only_cache_names_the_file_and_the_reason(tmpfs: Mount) -> None:
    cache = tmpfs("ro,size=64k")
    with pytest.raises(WriteError) as segment:
        SegmentStore(cache / "segments").put(KEY, speech(), RATE)
    assert str(segment.value) == (
        f"cannot write {cache / 'segments' / 'ab' / f'{KEY}.flac'}: Read-only file system {CACHE_HINT}"
    )
    with pytest.raises(WriteError) as lock:
        FlockLockManager(cache / "locks").acquire_lock("segment-x", holder="render")
    assert str(lock.value).startswith(f"cannot write {cache / 'locks'}/")
    assert str(lock.value).endswith(f".lock: Read-only file system {CACHE_HINT}")


def test_a_cache_path_through_a_file_is_named(tmp_path: Path) -> None:
    blocker = tmp_path / "cache"
    blocker.write_text("a file where the cache folder should be", encoding="utf-8")
    with pytest.raises(WriteError) as caught:
        SegmentStore(blocker / "segments").put(KEY, speech(), RATE)
    assert str(caught.value) == (
        f"cannot write {blocker / 'segments' / 'ab' / f'{KEY}.flac'}: Not a directory {CACHE_HINT}"
    )


def test_a_full_output_disk_names_the_lesson_file(tmpfs: Mount) -> None:
    out = full(tmpfs)
    with pytest.raises(WriteError) as caught:
        write_wav(out / "lesson.wav", [np.zeros(RATE, dtype=np.int16)], RATE)
    assert str(caught.value) == f"cannot write {out / 'lesson.wav'}: No space left on device"
    assert caught.value.errno == 28  # still an OSError with its errno for callers that look


def test_a_missing_input_is_not_reported_as_a_write_error(tmp_path: Path) -> None:
    pruned = tmp_path / "pieces" / "gone.mp3"
    with pytest.raises(FileNotFoundError) as caught:
        write_joined(tmp_path / "lesson.mp3", [lambda: b"ID3", pruned.read_bytes])
    assert not isinstance(caught.value, WriteError) and caught.value.filename == str(pruned)
    assert list(tmp_path.iterdir()) == []  # the temporary file went too


@pytest.fixture(params=[0o022, 0o027])
def umask(request: pytest.FixtureRequest) -> Iterator[int]:
    old = os.umask(request.param)
    yield int(request.param)
    os.umask(old)


def test_written_files_follow_the_umask(umask: int, tmp_path: Path) -> None:
    write_text(tmp_path / "out" / "captions.vtt", "WEBVTT\n")
    write_wav(tmp_path / "out" / "lesson.wav", [np.zeros(100, dtype=np.int16)], RATE)
    SegmentStore(tmp_path / "segments").put(KEY, speech(), RATE)
    put_piece(tmp_path / "pieces")
    LocalObjectStore(tmp_path / "site").put_file(
        "a/lesson.wav",
        tmp_path / "out" / "lesson.wav",
        content_type="audio/wav",
        sha256=sha256_file(tmp_path / "out" / "lesson.wav"),
    )
    files = [p for p in tmp_path.rglob("*") if p.is_file()]
    assert len(files) == 8  # 2 outputs, 1 segment, 4 piece files, 1 published copy
    modes = {str(p.relative_to(tmp_path)): oct(stat.S_IMODE(p.stat().st_mode)) for p in files}
    assert set(modes.values()) == {oct(0o666 & ~umask)}, modes


@pytest.mark.parametrize("disk", ["full", "read-only"])
def test_say_names_its_wav_and_the_reason(disk: str, tmpfs: Mount) -> None:
    """``say`` wrote through libsndfile, which reports a full disk as "System error" and a read-only
    one against its hidden temporary name; the teacher must see the file they asked for."""
    from app.commands.say import write_wav as say_wav
    from engines.protocol import Audio

    folder = full(tmpfs) if disk == "full" else tmpfs("ro,size=1m")
    target = folder / "hello.wav"
    with pytest.raises(WriteError) as caught:
        say_wav(target, Audio(speech(), RATE))
    reason = "No space left on device" if disk == "full" else "Read-only file system"
    assert str(caught.value) == f"cannot write {target}: {reason}"
    assert not any(folder.glob(".hello.wav.*"))

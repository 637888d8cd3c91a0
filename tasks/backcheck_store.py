"""Back-check results kept by what was heard, so a lesson that sounds the same is not transcribed again.

A cached re-render assembles byte-identical audio from the same segments; listening to it again would
cost the Whisper load and the whole transcription for the same answer. The key is everything that
answer depends on: the assembled WAV's sha256, each segment's content key, place and words (the
references and the report's text), the recogniser's model and decoding settings and the QA
thresholds (which also decide the retries). The value is the finished check, retries included, as
JSON: text and numbers only, never audio, never code.

The QA report's players are kept the same way, by the finished lesson's sha256 and the spans they are
cut at: cutting them is an ffmpeg run that a cached re-render would otherwise pay for the same bytes.

A record that cannot be read (a crash mid-write is impossible: it is renamed into place, but a disk
can still hand back garbage) is treated as missing and replaced after the next listen.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
from collections.abc import Sequence
from dataclasses import asdict
from pathlib import Path
from typing import Any, cast

from asr.registry import RecognizerConfig
from audio.export import atomic_write
from qa.align import Op
from qa.config import QAConfig
from qa.metrics import Score
from qa.results import Attempt, DiffItem, Hearing, LessonCheck, SegmentCheck, WindowResult
from tasks.jobs import LessonPlan

FORMAT = "backcheck-v1"
"""Part of every key: a change to what a check holds or how it is made starts a fresh store."""


def sha256_file(path: Path) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def model_identity(recognizer: RecognizerConfig) -> str:
    """The recogniser's model without loading it: the pinned hash, or an operator model's file stats."""
    if recognizer.engine == "whisper" and recognizer.model_dir is None:
        from models.whisper import WHISPER_BASE

        pinned = {f.name: f.sha256 for f in WHISPER_BASE.files}
        return f"{WHISPER_BASE.name}:{pinned['model.bin']}"
    folder = recognizer.model_dir
    if folder is None:
        return recognizer.engine
    try:
        files = sorted(p for p in folder.iterdir() if p.is_file())
        stats = [(p.name, p.stat().st_size, p.stat().st_mtime_ns) for p in files]
    except OSError:
        stats = []
    return f"{folder.resolve()}:{json.dumps(stats)}"


def check_key(
    plan: LessonPlan,
    wav_sha256: str,
    spans: Sequence[tuple[float, float]],
    recognizer: RecognizerConfig,
    qa: QAConfig,
) -> str:
    """The identity of one listen: same key, same check."""
    heard = {
        "format": FORMAT,
        "wav_sha256": wav_sha256,
        "spans": [list(span) for span in spans],
        "segments": [[j.index, j.paragraph, j.key, j.display_text] for j in plan.jobs],
        "engine": recognizer.engine,
        "model": model_identity(recognizer),
        "beam_size": recognizer.beam_size,
        "batch_size": recognizer.batch_size,
        "qa": asdict(qa),
    }
    return hashlib.sha256(json.dumps(heard, sort_keys=True, ensure_ascii=False).encode()).hexdigest()


def _path(root: Path, key: str) -> Path:
    return root / key[:2] / f"{key}.json"


def store_bytes(target: Path, data: bytes) -> None:
    """Write a cache record whole (renamed into place); a store that cannot be written only costs
    the next render the work again."""
    with contextlib.suppress(OSError):  # WriteError included
        atomic_write(target, lambda temporary: _write_bytes(temporary, data), durable=False)


def save_check(root: Path, key: str, check: LessonCheck) -> None:
    """Store ``check`` under ``key``."""
    store_bytes(_path(root, key), (json.dumps(asdict(check), ensure_ascii=False) + "\n").encode())


def snippets_key(wav_sha256: str, spans: Sequence[tuple[float, float]]) -> str:
    """The identity of a set of players: the lesson they are cut from and where."""
    cut = {"format": FORMAT, "wav_sha256": wav_sha256, "spans": [list(span) for span in spans]}
    return hashlib.sha256(json.dumps(cut, sort_keys=True).encode()).hexdigest()


def _snippets_path(root: Path, key: str) -> Path:
    return root / "snippets" / key[:2] / f"{key}.bin"


def save_snippets(root: Path, key: str, snippets: Sequence[bytes]) -> None:
    """One file: a JSON line of the snippets' sizes, then their bytes one after another."""
    sizes = json.dumps([len(s) for s in snippets]).encode()
    store_bytes(_snippets_path(root, key), sizes + b"\n" + b"".join(snippets))


def load_snippets(root: Path, key: str) -> list[bytes] | None:
    """The stored snippets, or None if missing or not whole (then they are cut again)."""
    try:
        data = _snippets_path(root, key).read_bytes()
        header, _sep, body = data.partition(b"\n")
        sizes = [int(n) for n in json.loads(header)]
    except (OSError, ValueError, TypeError):
        return None
    if any(n < 0 for n in sizes) or sum(sizes) != len(body):
        return None
    out, at = [], 0
    for n in sizes:
        out.append(body[at : at + n])
        at += n
    _used(_snippets_path(root, key))
    return out


def _used(path: Path) -> None:
    """Mark a record as used now: pruning the cache by age keeps what renders still reuse."""
    with contextlib.suppress(OSError):
        os.utime(path)


def load_check(root: Path, key: str) -> LessonCheck | None:
    try:
        data = json.loads(_path(root, key).read_text(encoding="utf-8"))
        check = _lesson_check(data)
    except (OSError, ValueError, KeyError, TypeError):
        return None
    _used(_path(root, key))
    return check


def _score(data: dict[str, Any]) -> Score:
    return Score(int(data["ref_len"]), int(data["char_errors"]), int(data["pinyin_errors"]))


def _hearing(data: dict[str, Any]) -> Hearing:
    return Hearing(
        transcript=str(data["transcript"]),
        score=_score(data["score"]),
        diff=tuple(DiffItem(cast(Op, d["op"]), str(d["ref"]), str(d["hyp"])) for d in data["diff"]),
        level_dbfs=float(data["level_dbfs"]),
        reasons=tuple(str(r) for r in data["reasons"]),
    )


def _attempt(data: dict[str, Any]) -> Attempt:
    hearing = data["hearing"]
    return Attempt(
        number=int(data["number"]),
        rate=float(data["rate"]),
        key=str(data["key"]),
        hearing=None if hearing is None else _hearing(hearing),
        error=None if data["error"] is None else str(data["error"]),
    )


def _segment(data: dict[str, Any]) -> SegmentCheck:
    return SegmentCheck(
        index=int(data["index"]),
        paragraph=int(data["paragraph"]),
        text=str(data["text"]),
        reference=str(data["reference"]),
        window=int(data["window"]),
        hearing=_hearing(data["hearing"]),
        attempts=tuple(_attempt(a) for a in data["attempts"]),
        kept=int(data["kept"]),
        heard_alone=bool(data["heard_alone"]),
    )


def _window(data: dict[str, Any]) -> WindowResult:
    return WindowResult(
        start_s=float(data["start_s"]),
        end_s=float(data["end_s"]),
        segments=tuple(int(s) for s in data["segments"]),
        transcript=str(data["transcript"]),
        seconds=float(data["seconds"]),
    )


def _lesson_check(data: dict[str, Any]) -> LessonCheck:
    return LessonCheck(
        engine_id=str(data["engine_id"]),
        windows=tuple(_window(w) for w in data["windows"]),
        segments=tuple(_segment(s) for s in data["segments"]),
        audio_s=float(data["audio_s"]),
        asr_s=float(data["asr_s"]),
    )


def _write_bytes(path: Path, data: bytes) -> None:
    path.write_bytes(data)

"""``qa.json``: the back-check results of one render, for people (via qa.html), CI and the manifest.

The JSON is the single source: ``qa.html`` and ``lessonaudio qa`` are both built from it, so what CI
gates on is exactly what a reviewer sees.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

from errors import WorkFailedError
from i18n import _
from qa.config import QAConfig
from qa.results import Attempt, Hearing, LessonCheck, SegmentCheck

QA_VERSION = 1
QA_JSON = "qa.json"
QA_HTML = "qa.html"


class QAReportError(WorkFailedError):
    """A qa.json that is missing or not one of ours; the message says which file."""


@dataclass(frozen=True, slots=True)
class LessonInfo:
    lesson_id: str
    title: str
    render_id: str


def _r(x: float) -> float:
    return round(x, 4)


def hearing_data(h: Hearing) -> dict[str, Any]:
    return {
        "transcript": h.transcript,
        "cer": _r(h.score.cer),
        "per": _r(h.score.per),
        "char_errors": h.score.char_errors,
        "pinyin_errors": h.score.pinyin_errors,
        "level_dbfs": h.level_dbfs,
        "flagged": h.flagged,
        "reasons": list(h.reasons),
    }


def attempt_data(a: Attempt) -> dict[str, Any]:
    data: dict[str, Any] = {"attempt": a.number, "rate": a.rate, "key": a.key}
    if a.hearing is not None:
        data.update({k: v for k, v in hearing_data(a.hearing).items() if k != "reasons"})
    if a.error:
        data["error"] = a.error
    return data


def segment_summary(s: SegmentCheck) -> dict[str, Any]:
    """The per-segment record the manifest carries (compact: no diff)."""
    final = s.final
    return {
        "cer": _r(final.score.cer),
        "per": _r(final.score.per),
        "flagged": s.flagged,
        "reasons": list(final.reasons),
        "transcript": final.transcript,
        "attempts": [attempt_data(a) for a in s.attempts],
        "kept": s.kept,
    }


def report_data(
    check: LessonCheck,
    info: LessonInfo,
    spans: Sequence[tuple[float, float]],
    config: QAConfig,
    duration_s: float | None = None,
) -> dict[str, Any]:
    """``spans`` and ``duration_s`` are the final lesson's (after any re-assembly)."""
    score = check.score
    segments = []
    for s, (start, end) in zip(check.segments, spans, strict=True):
        final = s.final
        segments.append(
            {
                "index": s.index,
                "paragraph": s.paragraph,
                "text": s.text,
                "reference": s.reference,
                "start": round(start, 3),
                "end": round(end, 3),
                "window": s.window,
                "heard_alone": s.heard_alone,
                "ref_len": final.score.ref_len,
                **hearing_data(final),
                "diff": [[d.op, d.ref, d.hyp] for d in final.diff],
                "first_hearing": hearing_data(s.hearing) if s.kept else None,
                "attempts": [attempt_data(a) for a in s.attempts],
                "kept": s.kept,
            }
        )
    return {
        "qa_version": QA_VERSION,
        "lesson_id": info.lesson_id,
        "title": info.title,
        "render_id": info.render_id,
        "engine": check.engine_id,
        "duration": round(duration_s if duration_s is not None else check.audio_s, 3),
        "asr_seconds": round(check.asr_s, 3),
        "thresholds": asdict(config),
        "summary": {
            "segments": len(check.segments),
            "cer": _r(score.cer),
            "per": _r(score.per),
            "flags": len(check.flagged),
            "flagged": list(check.flagged),
            "resynthesised": sum(1 for s in check.segments if s.attempts),
            "replaced": sum(1 for s in check.segments if s.kept),
        },
        "windows": [
            {
                "start": round(w.start_s, 3),
                "end": round(w.end_s, 3),
                "seconds": round(w.seconds, 3),
                "segments": list(w.segments),
                "transcript": w.transcript,
            }
            for w in check.windows
        ],
        "segments": segments,
    }


def load_report(path: Path) -> dict[str, Any]:
    """Read ``path`` (a render folder or its qa.json) and check it is a qa report we understand."""
    file = path / QA_JSON if path.is_dir() else path
    try:
        data = json.loads(file.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise QAReportError(
            _("{file} does not exist (was the render made with the back-check off?)").format(file=file)
        ) from None
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as err:
        raise QAReportError(_("{file} is not readable JSON: {error}").format(file=file, error=err)) from None
    if not isinstance(data, dict) or data.get("qa_version") != QA_VERSION or "summary" not in data:
        raise QAReportError(
            _("{file} is not a lessonaudio QA report (qa_version {version})").format(
                file=file, version=QA_VERSION
            )
        )
    return data

"""The output folder is laid out exactly like the bucket: ``{course}/{lesson_id}/{render_id}/``.

Keeping one layout for the local folder and S3 means publishing is a copy, and a teacher browsing the
local folder sees what the school's bucket will hold.
"""

from __future__ import annotations

import re
import secrets
from datetime import UTC, datetime
from pathlib import Path

from i18n import N_

LESSON_WAV = "lesson.wav"
LESSON_MP3 = "lesson.mp3"
CAPTIONS_SRT = "captions.srt"
CAPTIONS_VTT = "captions.vtt"
MANIFEST = "manifest.json"
SPEECH_MARKS = "marks.json"
NO_COURSE = "_no-course"
OUTPUT_HINT = N_("free space or choose another output folder: --out or LESSONAUDIO_OUTPUT_DIR")
"""What to do when the output folder cannot be written."""


def course_folder(course: str | None) -> str:
    """A course name as one path segment: separators and control characters become dashes."""
    if not course:
        return NO_COURSE
    cleaned = re.sub(r"[\\/\x00-\x1f\x7f]+", "-", course).strip(" .-")
    return cleaned or NO_COURSE


def new_render_id(spec_sha256: str, now: datetime | None = None) -> str:
    """Sortable by time, tied to the script version, unique even for two renders in one second."""
    moment = (now or datetime.now(UTC)).strftime("%Y%m%dT%H%M%SZ")
    return f"{moment}-{spec_sha256[:8]}-{secrets.token_hex(2)}"


def render_dir(root: Path, course: str | None, lesson_id: str, render_id: str) -> Path:
    return root / course_folder(course) / lesson_id / render_id


def staging_dir(final: Path) -> Path:
    """A hidden sibling the render writes into; renamed to ``final`` only when everything is there."""
    return final.parent / f".{final.name}.partial"

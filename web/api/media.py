"""The files a render may have, as the API names them, and the media type each is served as."""

from __future__ import annotations

from typing import Literal, get_args

from storage.layout import CAPTIONS_SRT, CAPTIONS_VTT, LESSON_MP3, LESSON_WAV, MANIFEST, SPEECH_MARKS
from web.render_index import QA_HTML, QA_JSON

MEDIA_TYPES = {
    LESSON_MP3: "audio/mpeg",
    LESSON_WAV: "audio/wav",
    CAPTIONS_VTT: "text/vtt; charset=utf-8",
    CAPTIONS_SRT: "application/x-subrip; charset=utf-8",
    MANIFEST: "application/json",
    SPEECH_MARKS: "application/json",
    QA_HTML: "text/html; charset=utf-8",
    QA_JSON: "application/json",
}
FileName = Literal[
    "lesson.mp3",
    "lesson.wav",
    "captions.vtt",
    "captions.srt",
    "manifest.json",
    "marks.json",
    "qa.html",
    "qa.json",
]
"""Spelled out for the schema's enum; the assertion keeps it in step with the storage layout."""
assert set(get_args(FileName)) == set(MEDIA_TYPES)

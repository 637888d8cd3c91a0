"""Publishing a finished render folder to an object store, visible all at once or not at all.

Order is the whole trick: content-addressed segment audio first, then the render's own files (manifest
last), and only then ``{course}/{lesson_id}/latest.json``, written in one PUT (S3) or one rename
(local). A reader that starts from ``latest.json`` therefore never finds a key that is not there yet;
a publish killed midway leaves unreferenced objects that the next attempt finds and skips, and
unfinished multipart uploads that a later publish of the lesson aborts once they are stale.

Objects are written once: an object found missing is created with "only if absent", so publishes
racing for the same content-addressed segment store one version of it, not one each.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Mapping
from dataclasses import asdict, dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from errors import InputError
from i18n import _
from storage.layout import (
    CAPTIONS_SRT,
    CAPTIONS_VTT,
    LESSON_MP3,
    LESSON_WAV,
    MANIFEST,
    SPEECH_MARKS,
    course_folder,
)
from storage.objects import ObjectExists, ObjectInfo, ObjectStore, ObjectStoreError, join_key, sha256_file
from storage.segments import SegmentStore

QA_JSON = "qa.json"
QA_HTML = "qa.html"
LATEST = "latest.json"
SEGMENTS_PREFIX = "segments"
POINTER_VERSION = 1

PUBLISHED_FILES: Mapping[str, str] = {
    LESSON_MP3: "audio/mpeg",
    LESSON_WAV: "audio/wav",
    CAPTIONS_SRT: "application/x-subrip; charset=utf-8",
    CAPTIONS_VTT: "text/vtt; charset=utf-8",
    QA_JSON: "application/json; charset=utf-8",
    QA_HTML: "text/html; charset=utf-8",
    SPEECH_MARKS: "application/json; charset=utf-8",
    MANIFEST: "application/json; charset=utf-8",
}
"""The allow-list, in upload order (manifest last). Anything else in the folder is not published."""
REQUIRED_FILES = frozenset({LESSON_MP3, LESSON_WAV, CAPTIONS_SRT, CAPTIONS_VTT, MANIFEST})
SEGMENT_CONTENT_TYPE = "audio/flac"
IMMUTABLE = "public, max-age=31536000, immutable"
"""Objects under a render id or a content key never change."""
POINTER_TYPE = "application/json; charset=utf-8"
POINTER_CACHE = "no-cache"
"""``latest.json`` changes with every publish; caches must revalidate it."""


class PublishInputError(InputError):
    """The folder cannot be published as it is (missing files, a manifest that does not match); retrying
    will not help."""


@dataclass(frozen=True, slots=True)
class PublishedObject:
    key: str
    sha256: str
    size: int
    content_type: str


@dataclass(frozen=True, slots=True)
class PublishResult:
    render_id: str
    store: str
    keys: tuple[str, ...]
    """Every object the pointer lists: the render's files and its segments."""
    latest_key: str
    bytes_uploaded: int
    uploaded: int
    skipped: int
    """Objects already present with the same sha256 (so a second publish of a render uploads nothing)."""
    missing_segments: tuple[str, ...]
    """Segment keys neither in the local segment store nor in the target; the lesson audio is complete
    without them, so they are reported, not fatal."""
    pointer_moved: bool
    """False when ``latest.json`` already named a newer render (an older render never replaces it)."""


@dataclass(frozen=True, slots=True)
class RenderFolder:
    folder: Path
    course_dir: str
    lesson_id: str
    render_id: str
    manifest: Mapping[str, Any]


def _nonempty(path: Path) -> bool:
    return path.is_file() and path.stat().st_size > 0


def read_render_folder(folder: Path) -> RenderFolder:
    """Check that ``folder`` is a complete render laid out as ``{course}/{lesson_id}/{render_id}``."""
    if not folder.is_dir():
        raise PublishInputError(_("{folder}: not a render folder").format(folder=folder))
    if folder.name.startswith("."):
        raise PublishInputError(
            _("{folder}: an unfinished render (staging folder) cannot be published").format(folder=folder)
        )
    missing = sorted(n for n in REQUIRED_FILES if not _nonempty(folder / n))
    if missing:
        raise PublishInputError(
            _("{folder}: missing or empty {files}").format(folder=folder, files=", ".join(missing))
        )
    try:
        manifest = json.loads((folder / MANIFEST).read_text(encoding="utf-8"))
    except (OSError, ValueError) as err:
        raise PublishInputError(
            _("{file}: unreadable manifest: {error}").format(file=folder / MANIFEST, error=err)
        ) from None
    if not isinstance(manifest, dict):
        raise PublishInputError(_("{file}: not a JSON object").format(file=folder / MANIFEST))
    expected = (
        course_folder(manifest.get("course")),
        str(manifest.get("lesson_id")),
        str(manifest.get("render_id")),
    )
    actual = (folder.parent.parent.name, folder.parent.name, folder.name)
    if expected != actual:
        raise PublishInputError(
            _(
                "{folder}: manifest says {expected}, folder is {actual} "
                "(publish the folder the render wrote, not a copy or a renamed one)"
            ).format(folder=folder, expected="/".join(expected), actual="/".join(actual))
        )
    return RenderFolder(folder, actual[0], actual[1], actual[2], manifest)


def pointer_key(prefix: str, course_dir: str, lesson_id: str) -> str:
    return join_key(prefix, course_dir, lesson_id, LATEST)


def segment_key(prefix: str, cache_key: str) -> str:
    return join_key(prefix, SEGMENTS_PREFIX, cache_key[:2], f"{cache_key}.flac")


def read_pointer(store: ObjectStore, key: str) -> dict[str, Any] | None:
    data = store.get_bytes(key)
    return None if data is None else _parse_pointer(data)


def _parse_pointer(data: bytes) -> dict[str, Any] | None:
    try:
        pointer = json.loads(data)
    except ValueError:
        return None  # a corrupt pointer is replaced, never trusted
    return pointer if isinstance(pointer, dict) else None


POINTER_ATTEMPTS = 20
"""Compare-and-swap rounds before a publish gives up on ``latest.json`` (each lost round means
another publish of the same lesson just wrote it)."""


def _move_pointer(store: ObjectStore, key: str, pointer: Mapping[str, Any]) -> bool:
    """Point ``latest.json`` at this render unless it names a newer one; True if a newer one won.

    Read, compare, then write only if nobody wrote in between (``ObjectStore.put_if``); a lost race
    reads again, so two publishes at the same moment always leave the newer render in place.
    """
    body = json.dumps(pointer, ensure_ascii=False, indent=2).encode("utf-8") + b"\n"
    for _unused in range(POINTER_ATTEMPTS):
        found = store.get_tagged(key)
        current = _parse_pointer(found[0]) if found is not None else None
        if current is not None and str(current.get("render_id", "")) > str(pointer["render_id"]):
            return True
        if _same_pointer(current, pointer):
            return False
        tag = found[1] if found is not None else None
        if store.put_if(key, body, tag=tag, content_type=POINTER_TYPE, cache_control=POINTER_CACHE):
            return False
    raise ObjectStoreError(
        _("{key} kept changing under {attempts} concurrent publishes").format(
            key=key, attempts=POINTER_ATTEMPTS
        )
    )


def _same_pointer(old: Mapping[str, Any] | None, new: Mapping[str, Any]) -> bool:
    if old is None:
        return False
    strip = ("published_at",)
    return {k: v for k, v in old.items() if k not in strip} == {
        k: v for k, v in new.items() if k not in strip
    }


class _Uploader:
    def __init__(self, store: ObjectStore, on_object: Callable[[str, bool], None] | None) -> None:
        self.store = store
        self.on_object = on_object
        self.bytes = 0
        self.uploaded = 0
        self.skipped = 0

    def put(self, key: str, path: Path, content_type: str) -> PublishedObject:
        sha256 = sha256_file(path)
        size = path.stat().st_size
        present = self.store.head(key)
        fresh = not _same(present, sha256, size)
        if fresh:
            try:
                # Missing: create it, unless another publish does so first. Different bytes: repair.
                sent = self._write(key, path, content_type, sha256, if_absent=present is None)
            except ObjectExists:
                if _same(self.store.head(key), sha256, size):
                    fresh, sent = False, 0
                else:
                    sent = self._write(key, path, content_type, sha256, if_absent=False)
            self.bytes += sent
        if fresh:
            self.uploaded += 1
        else:
            self.skipped += 1
        if self.on_object is not None:
            self.on_object(key, fresh)
        return PublishedObject(key, sha256, size, content_type)

    def _write(self, key: str, path: Path, content_type: str, sha256: str, *, if_absent: bool) -> int:
        return self.store.put_file(
            key, path, content_type=content_type, sha256=sha256, cache_control=IMMUTABLE, if_absent=if_absent
        )


def _same(present: ObjectInfo | None, sha256: str, size: int) -> bool:
    return present is not None and present.sha256 == sha256 and present.size == size


def publish_folder(
    folder: Path,
    store: ObjectStore,
    *,
    prefix: str = "",
    segments: SegmentStore | None = None,
    on_object: Callable[[str, bool], None] | None = None,
) -> PublishResult:
    """Publish one render folder; safe to repeat and to resume after a crash (see the module doc)."""
    render = read_render_folder(folder)
    uploader = _Uploader(store, on_object)
    for stale in (join_key(prefix, render.course_dir, render.lesson_id), join_key(prefix, SEGMENTS_PREFIX)):
        store.abort_stale_uploads(stale + "/")

    segment_objects: list[PublishedObject] = []
    missing: list[str] = []
    seen: set[str] = set()
    for entry in render.manifest.get("segments") or []:
        cache_key = str(entry.get("cache_key", ""))
        if len(cache_key) != 64 or cache_key in seen:
            continue
        seen.add(cache_key)
        key = segment_key(prefix, cache_key)
        local = segments.path(cache_key) if segments is not None else None
        if local is not None and local.is_file():
            segment_objects.append(uploader.put(key, local, SEGMENT_CONTENT_TYPE))
            continue
        present = store.head(key)
        if present is not None and present.sha256 is not None:
            segment_objects.append(PublishedObject(key, present.sha256, present.size, SEGMENT_CONTENT_TYPE))
            uploader.skipped += 1
        else:
            missing.append(key)

    render_prefix = join_key(prefix, render.course_dir, render.lesson_id, render.render_id)
    render_objects = [
        uploader.put(join_key(render_prefix, name), folder / name, content_type)
        for name, content_type in PUBLISHED_FILES.items()
        if (folder / name).is_file()
    ]

    latest = pointer_key(prefix, render.course_dir, render.lesson_id)
    pointer = {
        "pointer_version": POINTER_VERSION,
        "course": render.manifest.get("course"),
        "lesson_id": render.lesson_id,
        "render_id": render.render_id,
        "title": render.manifest.get("title"),
        "duration": render.manifest.get("duration"),
        "manifest": join_key(render_prefix, MANIFEST),
        "objects": [asdict(o) for o in render_objects],
        "segments": [asdict(o) for o in segment_objects],
        "published_at": datetime.now(UTC).isoformat(timespec="seconds"),
    }
    newer_exists = _move_pointer(store, latest, pointer)
    return PublishResult(
        render_id=render.render_id,
        store=store.describe(),
        keys=tuple(o.key for o in (*render_objects, *segment_objects)),
        latest_key=latest,
        bytes_uploaded=uploader.bytes,
        uploaded=uploader.uploaded,
        skipped=uploader.skipped,
        missing_segments=tuple(missing),
        pointer_moved=not newer_exists,
    )

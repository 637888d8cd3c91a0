"""Plans kept by what they are made from, so re-rendering an unchanged script skips the front end.

A plan is a pure function of the script as read (paragraphs, lexicons, emotions), the voice, the
segment limit and the code and data that read text. Reading the text needs the normalisation grammars,
the polyphone model and pypinyin's dictionaries: most of a cached render's own work. The key holds
all of it: the spec's fields (not the file name), the voice identity, ``max_chars``, and a
fingerprint of the reading code and data (each file's path, size and modification time, and the
versions of the libraries that read), so any edit to them, or an upgrade, makes plans anew.

Records are pickles in the machine's own cache folder, the trust of the code itself, like Prefect's
cached results beside them. One that cannot be read is a miss, and the front end makes it again.
"""

from __future__ import annotations

import contextlib
import hashlib
import os
import pickle
from dataclasses import replace
from functools import cache
from importlib import metadata
from pathlib import Path

from lesson_specs.model import LessonSpec
from tasks.backcheck_store import store_bytes
from tasks.jobs import LessonPlan, VoiceIdentity

FORMAT = "plan-v1"
ROOT = Path(__file__).resolve().parents[1]
READING_CODE = (
    "text_frontend",
    "lesson_specs",
    "engines/prosody.py",
    "tasks/plan.py",
    "tasks/jobs.py",
    "tasks/display.py",
    "tasks/plan_cache.py",
)
"""What turns a script into a plan, relative to the project root."""
READING_LIBRARIES = ("pypinyin", "g2pM", "WeTextProcessing", "pynini")


def _files(path: Path) -> list[Path]:
    if path.is_file():
        return [path]
    found: list[Path] = []
    for folder, names, files in os.walk(path):
        names[:] = sorted(n for n in names if n != "__pycache__")
        found.extend(Path(folder) / f for f in sorted(files) if not f.endswith(".pyc"))
    return found


@cache
def reading_fingerprint() -> str:
    """Changes whenever the code, data or libraries that read text change; stats only, no reading."""
    digest = hashlib.sha256(FORMAT.encode())
    for part in READING_CODE:
        for path in _files(ROOT / part):
            stat = path.stat()
            digest.update(f"{path.relative_to(ROOT)}\0{stat.st_size}\0{stat.st_mtime_ns}\n".encode())
    for name in READING_LIBRARIES:
        try:
            version = metadata.version(name)
        except metadata.PackageNotFoundError:
            version = "-"
        digest.update(f"{name}=={version}\n".encode())
    return digest.hexdigest()


def plan_key(spec: LessonSpec, voice: VoiceIdentity, max_chars: int) -> str:
    """Same key, same plan. The spec's ``repr`` covers every field it was read into, all frozen values;
    where the script and its course lexicon were read from is left out (a plan never holds it), so the
    same script submitted again under another name is the same plan."""
    where_left_out = replace(
        spec,
        source="",
        course_lexicon=None,
        paragraphs=tuple(replace(p, origin=replace(p.origin, file="")) for p in spec.paragraphs),
    )
    read = repr(where_left_out)
    made = f"{reading_fingerprint()}\0{voice!r}\0{max_chars}\0{read}"
    return hashlib.sha256(made.encode()).hexdigest()


def _path(root: Path, key: str) -> Path:
    return root / key[:2] / f"{key}.pickle"


def load_plan(root: Path, key: str) -> LessonPlan | None:
    """The stored plan, marked as used now (pruning by age keeps it); None if missing or unreadable."""
    path = _path(root, key)
    try:
        plan = pickle.loads(path.read_bytes())
    except Exception:
        return None
    if not isinstance(plan, LessonPlan):
        return None
    with contextlib.suppress(OSError):
        os.utime(path)
    return plan


def save_plan(root: Path, key: str, plan: LessonPlan) -> None:
    """Renamed into place whole; a folder that cannot be written only costs the next render the front end."""
    store_bytes(_path(root, key), pickle.dumps(plan, protocol=pickle.HIGHEST_PROTOCOL))

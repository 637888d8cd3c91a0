"""The render catalog API: what the flow records about each render, and what the CLI reads back.

Every write is one short transaction keyed by natural keys (course + lesson id, render id, segment
index), so recording the same event twice updates rows instead of adding them: a retried flow or a
re-publish never duplicates lessons, renders or segments.
"""

from __future__ import annotations

from collections.abc import Collection, Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any

from sqlalchemy import Engine, case, func, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session, selectinload, sessionmaker

from errors import NotFoundError
from i18n import _
from storage.db.models import Lesson, Render, RenderStatus, Segment, utcnow
from storage.db.session import explained, make_engine, open_database, sqlite_file
from storage.liveness import ProcessOwner, abandoned_reason, this_process

MAX_ERROR_CHARS = 4000


class CatalogError(NotFoundError):
    """A catalog request that names something that does not exist (a bad render id, say)."""


class CatalogMissing(CatalogError):
    """A read found no SQLite catalog file: reading never creates one (a typo in the URL would
    otherwise make a new, empty catalog that silently shows no renders)."""

    def __init__(self, path: Path) -> None:
        super().__init__(_("no catalog at {path}").format(path=path))
        self.path = path


@dataclass(frozen=True, slots=True)
class AbandonedRender:
    render_pk: int
    render_id: str | None
    reason: str


@dataclass(frozen=True, slots=True)
class SegmentQA:
    """The back-check's verdict on one segment, by its 0-based index in the lesson."""

    index: int
    cer: float | None
    per: float | None = None
    flags: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class LessonQA:
    course: str
    lesson_id: str
    render_pk: int
    render_id: str | None
    status: str
    segments: int
    checked: int
    flagged: int
    mean_cer: float | None
    max_cer: float | None
    mean_per: float | None


@dataclass(frozen=True, slots=True)
class CourseQA:
    """QA of the current render of each lesson in a course: the published one, else the newest finished."""

    course: str
    lessons: tuple[LessonQA, ...]
    failed_renders: int
    abandoned_renders: int = 0

    @property
    def segments(self) -> int:
        return sum(lesson.segments for lesson in self.lessons)

    @property
    def checked(self) -> int:
        return sum(lesson.checked for lesson in self.lessons)

    @property
    def flagged(self) -> int:
        return sum(lesson.flagged for lesson in self.lessons)

    @property
    def mean_cer(self) -> float | None:
        """Mean over every checked segment of the course (not a mean of lesson means)."""
        weighted = [
            (lesson.mean_cer, lesson.checked) for lesson in self.lessons if lesson.mean_cer is not None
        ]
        total = sum(n for _unused, n in weighted)
        return sum(m * n for m, n in weighted) / total if total else None


def _short(reason: str) -> str:
    return reason if len(reason) <= MAX_ERROR_CHARS else reason[: MAX_ERROR_CHARS - 1] + "…"


class Catalog:
    """Lessons, renders and segments in SQL; construct with :func:`open_catalog`."""

    def __init__(self, engine: Engine) -> None:
        self.engine = engine
        self._sessions = sessionmaker(engine, expire_on_commit=False)

    @contextmanager
    def session(self) -> Iterator[Session]:
        with self._sessions.begin() as session:
            yield session

    def close(self) -> None:
        self.engine.dispose()

    # -- writes -----------------------------------------------------------------------------------

    def _lesson(self, session: Session, course: str | None, lesson_id: str, title: str | None) -> Lesson:
        lesson = session.scalar(
            select(Lesson).where(Lesson.course == (course or ""), Lesson.lesson_id == lesson_id)
        )
        if lesson is None:
            lesson = Lesson(course=course or "", lesson_id=lesson_id, title=title)
            session.add(lesson)
            session.flush()
        elif title and lesson.title != title:
            lesson.title = title
        return lesson

    def _lesson_pk(self, course: str | None, lesson_id: str, title: str | None) -> int:
        """The lesson's row id, created in its own transaction if it is new.

        Two renders of a new lesson may both find no row and both insert; the loser's insert fails
        on the unique key once the winner commits, and a second look in a fresh transaction finds
        the winner's row.
        """
        try:
            with self.session() as session:
                return self._lesson(session, course, lesson_id, title).id
        except IntegrityError:
            with self.session() as session:
                return self._lesson(session, course, lesson_id, title).id

    def _render(self, session: Session, render_pk: int) -> Render:
        render = session.get(Render, render_pk)
        if render is None:
            raise CatalogError(_("no render with id {render}").format(render=render_pk))
        return render

    def record_render_started(
        self,
        course: str | None,
        lesson_id: str,
        *,
        title: str | None = None,
        render_id: str | None = None,
        spec_sha256: str | None = None,
        spec_path: str | None = None,
        voice: str | None = None,
        owner: ProcessOwner | None = None,
    ) -> int:
        """A new ``running`` render; returns its row id, which every later call takes.

        ``owner`` (default: this process) and a first heartbeat are recorded, so a render whose
        process dies is recognised as abandoned (:meth:`abandon_dead_renders`).
        """
        owner = owner or this_process()
        lesson_pk = self._lesson_pk(course, lesson_id, title)
        now = utcnow()
        with self.session() as session:
            render = Render(
                lesson_pk=lesson_pk,
                render_id=render_id,
                status=RenderStatus.RUNNING.value,
                spec_sha256=spec_sha256,
                spec_path=spec_path,
                voice=voice,
                host=owner.host,
                pid=owner.pid,
                heartbeat_at=now,
                started_at=now,
            )
            session.add(render)
            session.flush()
            return render.id

    def record_render_finished(
        self,
        render_pk: int,
        manifest: Mapping[str, Any],
        *,
        folder: str | None = None,
        render_seconds: float | None = None,
        qa_summary: Mapping[str, Any] | None = None,
    ) -> None:
        """Copy the manifest's facts and segments in; safe to repeat (segments are matched by index)."""
        with self.session() as session:
            render = self._render(session, render_pk)
            segments = list(manifest.get("segments") or [])
            render.render_id = str(manifest["render_id"])
            render.status = (
                render.status if render.status == RenderStatus.PUBLISHED else RenderStatus.FINISHED.value
            )
            render.spec_sha256 = manifest.get("spec_sha256", render.spec_sha256)
            render.voice = manifest.get("voice", render.voice)
            render.engine_id = manifest.get("engine_id")
            render.model_sha256 = manifest.get("model_sha256")
            render.manifest_version = manifest.get("manifest_version")
            render.duration_s = manifest.get("duration")
            render.loudness_lufs = (manifest.get("loudness") or {}).get("integrated_lufs")
            render.segment_count = len(segments)
            render.reused_count = sum(1 for s in segments if s.get("reused"))
            render.synthesized_count = len(segments) - render.reused_count
            render.render_seconds = render_seconds if render_seconds is not None else render.render_seconds
            render.folder = folder if folder is not None else render.folder
            if qa_summary is not None:
                render.qa_summary = dict(qa_summary)
            render.finished_at = render.finished_at or utcnow()
            render.error = None
            existing = {s.index: s for s in render.segments}
            for data in segments:
                row = existing.get(int(data["index"]))
                if row is None:
                    row = Segment(render_pk=render.id, index=int(data["index"]), flags=[], flagged=False)
                    session.add(row)
                row.paragraph = int(data.get("paragraph", 0))
                row.text = str(data.get("text", ""))
                row.normalized = data.get("normalized")
                row.pinyin = data.get("pinyin")
                row.emotion = str(data.get("emotion", ""))
                row.start_s = float(data["start"])
                row.end_s = float(data["end"])
                row.duration_s = float(data.get("duration", row.end_s - row.start_s))
                row.pause_after_ms = int(data.get("pause_after_ms", 0))
                row.cache_key = str(data["cache_key"])
                row.reused = bool(data.get("reused", False))

    def record_render_failed(self, render_pk: int, reason: str) -> None:
        """Mark failed with the reason; a render that is already visible stays ``published``."""
        with self.session() as session:
            render = self._render(session, render_pk)
            if render.status != RenderStatus.PUBLISHED:
                render.status = RenderStatus.FAILED.value
            render.error = _short(reason)

    def beat(self, render_pk: int) -> None:
        """The render is alive: stamp its heartbeat. One wrongly marked abandoned (it was stopped,
        not dead) is ``running`` again."""
        with self.session() as session:
            session.execute(
                update(Render)
                .where(
                    Render.id == render_pk,
                    Render.status.in_([RenderStatus.RUNNING.value, RenderStatus.ABANDONED.value]),
                )
                .values(
                    heartbeat_at=utcnow(),
                    status=RenderStatus.RUNNING.value,
                    error=case((Render.status == RenderStatus.ABANDONED.value, None), else_=Render.error),
                )
            )

    def abandon_dead_renders(self, now: datetime | None = None) -> list[AbandonedRender]:
        """Mark ``running`` renders whose process is gone as ``abandoned`` (see ``storage.liveness``).

        Each row is updated only if its heartbeat is still the one judged, so a render that beats
        between the read and the write stays ``running``.
        """
        moment = now or utcnow()
        query = select(
            Render.id, Render.render_id, Render.host, Render.pid, Render.heartbeat_at, Render.started_at
        )
        with self.session() as session:
            rows = session.execute(query.where(Render.status == RenderStatus.RUNNING.value)).all()
        abandoned = []
        for pk, render_id, host, pid, heartbeat_at, started_at in rows:
            owner = ProcessOwner(host, pid) if host is not None and pid is not None else None
            reason = abandoned_reason(owner, heartbeat_at, started_at, moment)
            if reason is None:
                continue
            same_beat = (
                Render.heartbeat_at.is_(None) if heartbeat_at is None else Render.heartbeat_at == heartbeat_at
            )
            with self.session() as session:
                changed = session.execute(
                    update(Render)
                    .where(Render.id == pk, Render.status == RenderStatus.RUNNING.value, same_beat)
                    .values(status=RenderStatus.ABANDONED.value, error=reason)
                    .returning(Render.id)
                ).first()
            if changed is not None:
                abandoned.append(AbandonedRender(pk, render_id, reason))
        return abandoned

    def statuses(self, render_ids: Collection[str]) -> dict[str, str]:
        """The status of each of ``render_ids`` the catalog knows."""
        if not render_ids:
            return {}
        query = select(Render.render_id, Render.status).where(Render.render_id.in_(list(render_ids)))
        with self.session() as session:
            return {str(rid): str(status) for rid, status in session.execute(query)}

    def record_published(
        self,
        render_pk: int,
        keys: Sequence[str],
        *,
        latest_key: str,
        store: str,
        bytes_uploaded: int,
    ) -> None:
        """The render is visible: its pointer is written. Repeating it only refreshes the facts."""
        with self.session() as session:
            render = self._render(session, render_pk)
            render.status = RenderStatus.PUBLISHED.value
            render.object_keys = list(keys)
            render.latest_key = latest_key
            render.store = store
            render.bytes_uploaded = bytes_uploaded
            render.published_at = render.published_at or utcnow()
            render.error = None

    def record_qa(
        self, render_pk: int, summary: Mapping[str, Any], segments: Sequence[SegmentQA] = ()
    ) -> None:
        """Store the back-check's summary and per-segment scores (segments are matched by index)."""
        with self.session() as session:
            render = self._render(session, render_pk)
            render.qa_summary = dict(summary)
            rows = {s.index: s for s in render.segments}
            for qa in segments:
                row = rows.get(qa.index)
                if row is None:
                    raise CatalogError(
                        _("render {render} has no segment {index}").format(render=render_pk, index=qa.index)
                    )
                row.cer, row.per = qa.cer, qa.per
                row.flags = list(qa.flags)
                row.flagged = bool(qa.flags)

    def import_render(self, manifest: Mapping[str, Any], *, folder: str | None = None) -> int:
        """Find or create the row for a finished render folder (e.g. one rendered before the catalog)."""
        render_id = str(manifest["render_id"])
        with self.session() as session:
            found = session.scalar(select(Render.id).where(Render.render_id == render_id))
        if found is None:
            found = self.record_render_started(
                manifest.get("course"), str(manifest["lesson_id"]), title=manifest.get("title")
            )
        self.record_render_finished(found, manifest, folder=folder)
        return found

    # -- reads ------------------------------------------------------------------------------------

    def get_render(self, ref: str | int) -> Render:
        """A render by row id (``12``) or render id (``20261125T…``), with its lesson and segments."""
        query = select(Render).options(selectinload(Render.lesson), selectinload(Render.segments))
        text_ref = str(ref).strip()
        if text_ref.isdigit():
            query = query.where(Render.id == int(text_ref))
        else:
            query = query.where(Render.render_id == text_ref)
        with self.session() as session:
            render = session.scalar(query)
        if render is None:
            raise CatalogError(
                _("no render {render} in the catalog (see `lessonaudio renders list`)").format(
                    render=repr(text_ref)
                )
            )
        return render

    def list_renders(
        self, *, course: str | None = None, status: RenderStatus | None = None, limit: int = 50
    ) -> list[Render]:
        """Newest first."""
        query = select(Render).join(Render.lesson).options(selectinload(Render.lesson))
        if course is not None:
            query = query.where(Lesson.course == course)
        if status is not None:
            query = query.where(Render.status == status.value)
        query = query.order_by(Render.started_at.desc(), Render.id.desc()).limit(limit)
        with self.session() as session:
            return list(session.scalars(query))

    def course_qa(self, course: str) -> CourseQA:
        """Aggregate segment scores of each lesson's current render, in SQL."""
        rank = (
            func.row_number()
            .over(
                partition_by=Render.lesson_pk,
                order_by=(
                    case((Render.status == RenderStatus.PUBLISHED.value, 0), else_=1),
                    Render.started_at.desc(),
                    Render.id.desc(),
                ),
            )
            .label("rank")
        )
        ranked = (
            select(Render.id.label("render_pk"), rank)
            .join(Render.lesson)
            .where(
                Lesson.course == course,
                Render.status.in_([RenderStatus.PUBLISHED.value, RenderStatus.FINISHED.value]),
            )
            .subquery()
        )
        stats = (
            select(
                Lesson.lesson_id,
                Render.id,
                Render.render_id,
                Render.status,
                func.count(Segment.id),
                func.count(Segment.cer),
                func.coalesce(func.sum(case((Segment.flagged, 1), else_=0)), 0),
                func.avg(Segment.cer),
                func.max(Segment.cer),
                func.avg(Segment.per),
            )
            .select_from(ranked)
            .join(Render, Render.id == ranked.c.render_pk)
            .join(Render.lesson)
            .outerjoin(Segment, Segment.render_pk == Render.id)
            .where(ranked.c.rank == 1)
            .group_by(Lesson.lesson_id, Render.id, Render.render_id, Render.status)
            .order_by(Lesson.lesson_id)
        )
        unfinished = (
            select(Render.status, func.count(Render.id))
            .join(Render.lesson)
            .where(
                Lesson.course == course,
                Render.status.in_([RenderStatus.FAILED.value, RenderStatus.ABANDONED.value]),
            )
            .group_by(Render.status)
        )
        with self.session() as session:
            rows = session.execute(stats).all()
            unfinished_counts: dict[str, int] = {str(k): int(n) for k, n in session.execute(unfinished)}
        lessons = tuple(
            LessonQA(
                course=course,
                lesson_id=lesson_id,
                render_pk=pk,
                render_id=render_id,
                status=status,
                segments=int(total),
                checked=int(checked),
                flagged=int(flagged),
                mean_cer=_opt_float(mean_cer),
                max_cer=_opt_float(max_cer),
                mean_per=_opt_float(mean_per),
            )
            for lesson_id, pk, render_id, status, total, checked, flagged, mean_cer, max_cer, mean_per in rows
        )
        return CourseQA(
            course=course,
            lessons=lessons,
            failed_renders=unfinished_counts.get(RenderStatus.FAILED.value, 0),
            abandoned_renders=unfinished_counts.get(RenderStatus.ABANDONED.value, 0),
        )

    def courses(self) -> list[str]:
        with self.session() as session:
            return sorted(session.scalars(select(Lesson.course).distinct()))


def _opt_float(value: Any) -> float | None:
    return None if value is None else float(value)


def open_catalog(url: str, *, upgrade: bool = True, create: bool = True) -> Catalog:
    """Open the catalog at ``url``; a new or older database is migrated first (``upgrade=True``).

    ``create=False`` is for readers: a SQLite file that does not exist raises :class:`CatalogMissing`
    instead of being created (with its folder) as a new, empty catalog. A URL that is refused or a
    database that cannot be opened raises :class:`storage.db.session.CatalogUnavailable`, one line.
    """
    with explained(url):
        path = sqlite_file(url)
        if not create and path is not None and not path.is_file():
            raise CatalogMissing(path)
    return Catalog(open_database(url) if upgrade else make_engine(url))

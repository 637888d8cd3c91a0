"""The inbox scanner: one submission per new or changed script, rejections reported and not retried.

Only settled files are submitted, and what a render is given is a copy of exactly the bytes the scan
hashed; links and special files are never read; reports quote nothing from the script and are no
more readable than it is; a fixed script's old report goes away.
"""

from __future__ import annotations

import concurrent.futures
import hashlib
import os
import stat
import threading
from collections.abc import Callable
from datetime import datetime, timedelta
from pathlib import Path
from typing import TYPE_CHECKING
from uuid import UUID

import pytest
from prefect import flow
from sqlalchemy import select

from config import Settings
from flows.inbox_runs import RunVerdict
from flows.render import render_with_settings
from flows.scan_inbox import Runs, ScanResult, scan
from lesson_specs import MAX_SCRIPT_BYTES, SpecError
from storage.catalog import Catalog, open_catalog
from storage.db import InboxItem
from storage.db.models import utcnow
from storage.inbox import (
    InboxError,
    InboxLedger,
    InboxLocation,
    LexiconSnapshot,
    load_script,
    open_inbox_store,
)
from storage.inbox_files import Fetched, InboxFiles, Seen
from storage.liveness import STALE_AFTER
from tests.read_meter import bytes_read

if TYPE_CHECKING:
    from tests.s3_server import MotoS3

pytest_plugins = ["tests.s3_server"]

GOOD = "id: good\ntitle: 好课\nparagraphs:\n  - 同学们好。\n"
BAD = "id: Bad Id\ntitle: 坏课\nparagraphs:\n  - text: 你好\n    emotion: joy\n"
HEAD = "id: half\ntitle: 半课\nparagraphs:\n  - 第一段。\n  - 第二段。\n"
"""A script cut off after two paragraphs: valid on its own, which is what makes it dangerous."""
TAIL = "  - 第三段。\n  - 第四段。\n"


class Recorder:
    """Stands in for run_deployment: the scan's contract is 'call submit once per script version'."""

    def __init__(self) -> None:
        self.calls: list[tuple[str, str]] = []
        self.lexicons: list[LexiconSnapshot | None] = []

    def __call__(self, uri: str, sha256: str, lexicon: LexiconSnapshot | None = None) -> str:
        self.calls.append((uri, sha256))
        self.lexicons.append(lexicon)
        return f"run-{len(self.calls)}"

    @property
    def uris(self) -> list[str]:
        return [uri for uri, _ in self.calls]


def snapshot_bytes(uri: str, s3: MotoS3 | None = None) -> bytes:
    if not uri.startswith("s3://"):
        return Path(uri).read_bytes()
    assert s3 is not None
    bucket, _, key = uri[len("s3://") :].partition("/")
    return bytes(s3.client().get_object(Bucket=bucket, Key=key)["Body"].read())


def ledger_rows(catalog: Catalog) -> list[tuple[str, str]]:
    with catalog.session() as session:
        return [(r.key, r.status) for r in session.scalars(select(InboxItem).order_by(InboxItem.id))]


def test_location_parsing(tmp_path: Path) -> None:
    assert InboxLocation.parse("s3://bucket/in/box/").uri == "s3://bucket/in/box"
    assert InboxLocation.parse("s3://bucket").root == ""
    assert InboxLocation.parse(str(tmp_path)).bucket is None
    for bad in ("s3://", "http://example/x"):
        with pytest.raises(InboxError):
            InboxLocation.parse(bad)


def test_local_inbox_submits_changed_scripts_once(tmp_path: Path, db_url: str) -> None:
    inbox = tmp_path / "inbox"
    (inbox / "math").mkdir(parents=True)
    (inbox / "math" / "good.yaml").write_text(GOOD, "utf-8")
    (inbox / "bad.yml").write_text(BAD, "utf-8")
    (inbox / "notes.txt").write_text("not a script", "utf-8")
    location = InboxLocation.parse(str(inbox))
    store = open_inbox_store(location, None)
    catalog = open_catalog(db_url)
    ledger = InboxLedger(catalog)
    submit = Recorder()

    first = scan(location, store, ledger, submit, settle_s=0)
    assert first.submitted == ("math/good.yaml",) and first.rejected == ("bad.yml",) and first.unchanged == 0
    ((uri, sha),) = submit.calls
    assert sha == hashlib.sha256(GOOD.encode()).hexdigest()
    assert uri == str(inbox / ".lessonaudio" / "scripts" / f"{sha}.yaml")  # a copy, not the live file
    assert snapshot_bytes(uri) == GOOD.encode()
    report = (inbox / "bad.yml.errors.txt").read_text("utf-8")
    assert f"{inbox / 'bad.yml'}:1:5: id `…` is not a slug" in report
    assert "paragraph 1: unknown emotion `…`" in report

    again = scan(location, store, ledger, submit, settle_s=0)
    assert (again.submitted, again.rejected, again.unchanged) == ((), (), 2)  # the copy is not listed
    assert len(submit.calls) == 1  # neither resubmitted nor re-rejected

    (inbox / "math" / "good.yaml").write_text(GOOD.replace("同学们好", "大家好"), "utf-8")
    (inbox / "bad.yml").write_text(GOOD.replace("good", "fixed"), "utf-8")
    changed = scan(location, store, ledger, submit, settle_s=0)
    assert set(changed.submitted) == {"math/good.yaml", "bad.yml"} and changed.rejected == ()
    assert len(submit.calls) == 3
    assert not (inbox / "bad.yml.errors.txt").exists()  # fixed: its old report is gone

    assert ledger_rows(catalog) == [
        ("bad.yml", "rejected"),
        ("math/good.yaml", "submitted"),
        ("bad.yml", "submitted"),
        ("math/good.yaml", "submitted"),
    ]
    with catalog.session() as session:
        rejected = session.scalars(select(InboxItem).where(InboxItem.status == "rejected")).one()
        assert rejected.detail is not None and "is not a slug" in rejected.detail
        assert "Bad Id" not in rejected.detail
    catalog.close()


def test_report_of_a_script_back_to_good_bytes_is_removed(tmp_path: Path) -> None:
    inbox = tmp_path / "inbox"
    inbox.mkdir()
    script = inbox / "lesson.yaml"
    location = InboxLocation.parse(str(inbox))
    store = open_inbox_store(location, None)
    catalog = open_catalog(f"sqlite:///{tmp_path / 'catalog.db'}")
    ledger, submit = InboxLedger(catalog), Recorder()

    script.write_text(GOOD, "utf-8")
    assert scan(location, store, ledger, submit, settle_s=0).submitted == ("lesson.yaml",)
    script.write_text(BAD, "utf-8")
    assert scan(location, store, ledger, submit, settle_s=0).rejected == ("lesson.yaml",)
    assert (inbox / "lesson.yaml.errors.txt").exists()
    script.write_text(GOOD, "utf-8")  # the teacher undoes the change: bytes already rendered
    assert scan(location, store, ledger, submit, settle_s=0).unchanged == 1
    assert not (inbox / "lesson.yaml.errors.txt").exists()
    assert len(submit.calls) == 1
    catalog.close()


def test_s3_inbox(tmp_path: Path, s3: MotoS3) -> None:
    bucket = s3.new_bucket()
    client = s3.client()
    client.put_object(Bucket=bucket, Key="inbox/a.yaml", Body=GOOD.encode())
    client.put_object(Bucket=bucket, Key="inbox/b.yaml", Body=BAD.encode())
    client.put_object(Bucket=bucket, Key="elsewhere/c.yaml", Body=GOOD.encode())
    location = InboxLocation.parse(f"s3://{bucket}/inbox")
    store = open_inbox_store(location, s3.settings(bucket))
    catalog = open_catalog(f"sqlite:///{tmp_path / 'catalog.db'}")
    submit = Recorder()

    result = scan(location, store, InboxLedger(catalog), submit, settle_s=0)
    assert result.submitted == ("inbox/a.yaml",) and result.rejected == ("inbox/b.yaml",)
    sha = hashlib.sha256(GOOD.encode()).hexdigest()
    assert submit.calls == [(f"s3://{bucket}/inbox/.lessonaudio/scripts/{sha}.yaml", sha)]
    assert snapshot_bytes(submit.uris[0], s3) == GOOD.encode()
    report = client.get_object(Bucket=bucket, Key="inbox/b.yaml.errors.txt")["Body"].read().decode()
    assert "is not a slug" in report and "Bad Id" not in report and "joy" not in report
    assert scan(location, store, InboxLedger(catalog), submit, settle_s=0).unchanged == 2

    client.put_object(Bucket=bucket, Key="inbox/b.yaml", Body=GOOD.replace("good", "fixed").encode())
    assert scan(location, store, InboxLedger(catalog), submit, settle_s=0).submitted == ("inbox/b.yaml",)
    listed = {o["Key"] for o in client.list_objects_v2(Bucket=bucket, Prefix="inbox/")["Contents"]}
    assert "inbox/b.yaml.errors.txt" not in listed
    catalog.close()


# -- only settled files, exactly the bytes hashed -----------------------------------------------------


def writer_keeps_writing(write_rest: Callable[[], None]) -> Callable[[float], None]:
    """The scan's wait, during which the writer of a half-written script goes on writing."""

    def sleep(seconds: float) -> None:
        write_rest()
        threading.Event().wait(seconds)

    return sleep


def scan_while_writing(
    location: InboxLocation,
    store: InboxFiles,
    ledger: InboxLedger,
    submit: Recorder,
    saved_at: float,
    write_rest: Callable[[], None],
) -> ScanResult:
    """A scan that looks the moment the first part was saved (``saved_at``, however long opening
    the catalog took), while the writer goes on writing during its wait."""
    return scan(
        location,
        store,
        ledger,
        submit,
        settle_s=0.5,
        clock=lambda: saved_at,
        sleep=writer_keeps_writing(write_rest),
    )


def test_half_written_script_is_never_submitted(tmp_path: Path, db_url: str) -> None:
    inbox = tmp_path / "inbox"
    inbox.mkdir()
    script = inbox / "lesson.yaml"
    script.write_text(HEAD, "utf-8")
    location = InboxLocation.parse(str(inbox))
    store = open_inbox_store(location, None)
    catalog = open_catalog(db_url)
    ledger, submit = InboxLedger(catalog), Recorder()

    def append_rest() -> None:
        with script.open("a", encoding="utf-8") as handle:
            handle.write(TAIL)

    first = scan_while_writing(location, store, ledger, submit, script.stat().st_ctime, append_rest)
    assert (first.submitted, first.rejected, first.pending) == ((), (), ("lesson.yaml",))
    assert submit.calls == [] and ledger_rows(catalog) == []  # left for the next scan, not recorded

    second = scan(location, store, ledger, submit, settle_s=0.5)  # the file is fresh: the scan waits
    assert second.submitted == ("lesson.yaml",)
    complete = (HEAD + TAIL).encode()
    ((uri, sha),) = submit.calls
    assert sha == hashlib.sha256(complete).hexdigest() and snapshot_bytes(uri) == complete
    assert len(load_script(uri, None, expected_sha256=sha).paragraphs) == 4

    # The teacher saves again before the render starts: the render still has the submitted bytes,
    # and the live file, given with the submitted hash, is refused rather than rendered.
    script.write_text(HEAD, "utf-8")
    assert snapshot_bytes(uri) == complete
    with pytest.raises(SpecError, match="not the version submitted"):
        load_script(str(script), None, expected_sha256=sha)
    catalog.close()


def test_old_unchanged_script_needs_no_wait(tmp_path: Path) -> None:
    inbox = tmp_path / "inbox"
    inbox.mkdir()
    (inbox / "lesson.yaml").write_text(GOOD, "utf-8")
    location = InboxLocation.parse(str(inbox))
    catalog = open_catalog(f"sqlite:///{tmp_path / 'catalog.db'}")
    waits: list[float] = []
    later = os.stat(inbox / "lesson.yaml").st_ctime + 60  # the scan runs a minute after the last save
    result = scan(
        location,
        open_inbox_store(location, None),
        InboxLedger(catalog),
        Recorder(),
        settle_s=30,
        clock=lambda: later,
        sleep=waits.append,
    )
    assert result.submitted == ("lesson.yaml",) and waits == []
    catalog.close()


def rewrite_before_read(
    monkeypatch: pytest.MonkeyPatch, inbox: InboxFiles, rewrite: Callable[[], object]
) -> None:
    """The script is rewritten between the scan's listing and its read of the script."""
    read = inbox.fetch

    def fetch(seen: Seen) -> Fetched | None:
        rewrite()
        return read(seen)

    monkeypatch.setattr(inbox, "fetch", fetch)


def test_script_changed_between_listing_and_read_waits(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    inbox = tmp_path / "inbox"
    inbox.mkdir()
    script = inbox / "lesson.yaml"
    script.write_text(HEAD, "utf-8")
    location = InboxLocation.parse(str(inbox))
    catalog = open_catalog(f"sqlite:///{tmp_path / 'catalog.db'}")
    submit = Recorder()
    store = open_inbox_store(location, None)
    rewrite_before_read(monkeypatch, store, lambda: script.write_text(HEAD + TAIL, "utf-8"))
    result = scan(location, store, InboxLedger(catalog), submit, settle_s=0)
    assert result.pending == ("lesson.yaml",) and submit.calls == []
    catalog.close()


def test_s3_script_still_being_replaced_waits(
    tmp_path: Path, s3: MotoS3, monkeypatch: pytest.MonkeyPatch
) -> None:
    bucket = s3.new_bucket()
    client = s3.client()
    client.put_object(Bucket=bucket, Key="in/lesson.yaml", Body=HEAD.encode())
    location = InboxLocation.parse(f"s3://{bucket}/in")
    store = open_inbox_store(location, s3.settings(bucket))
    catalog = open_catalog(f"sqlite:///{tmp_path / 'catalog.db'}")
    ledger, submit = InboxLedger(catalog), Recorder()
    complete = (HEAD + TAIL).encode()

    def upload_rest() -> None:  # a sync client uploading the teacher's next save
        client.put_object(Bucket=bucket, Key="in/lesson.yaml", Body=complete)

    saved_at = client.head_object(Bucket=bucket, Key="in/lesson.yaml")["LastModified"].timestamp()
    first = scan_while_writing(location, store, ledger, submit, saved_at, upload_rest)
    assert first.pending == ("in/lesson.yaml",) and submit.calls == [] and ledger_rows(catalog) == []

    with monkeypatch.context() as patch:
        rewrite_before_read(
            patch,
            store,
            lambda: client.put_object(Bucket=bucket, Key="in/lesson.yaml", Body=complete + b"\n"),
        )
        raced = scan(location, store, ledger, submit, settle_s=0)
    assert raced.pending == ("in/lesson.yaml",) and submit.calls == []

    settled = scan(location, store, ledger, submit, settle_s=0.5)
    assert settled.submitted == ("in/lesson.yaml",)
    ((uri, sha),) = submit.calls
    assert snapshot_bytes(uri, s3) == complete + b"\n" and sha == hashlib.sha256(complete + b"\n").hexdigest()
    assert len(load_script(uri, s3.settings(bucket), expected_sha256=sha).paragraphs) == 4
    catalog.close()


def test_render_refuses_bytes_other_than_submitted(tmp_path: Path) -> None:
    script = tmp_path / "lesson.yaml"
    script.write_text(HEAD, "utf-8")
    settings = Settings(cache_dir=tmp_path / "cache", database_url=f"sqlite:///{tmp_path / 'c.db'}")
    wanted = hashlib.sha256((HEAD + TAIL).encode()).hexdigest()
    with pytest.raises(SpecError, match="not the version submitted"):
        render_with_settings(str(script), settings, out_dir=str(tmp_path / "out"), spec_sha256=wanted)
    assert not (tmp_path / "out").exists()


# -- links, special files, what reports say and who can read them ------------------------------------


SECRETS = ("aws_secret_access_key", "wJalrXUtnFEMIK7MDENG", "AKIAIOSFODNN7EXAMPLE")
KEYS_FILE = f"aws_access_key_id: {SECRETS[2]}\n{SECRETS[0]}: {SECRETS[1]}\n"


def run_unless_stuck(fn: Callable[[], ScanResult], fifo: Path, seconds: float = 30) -> ScanResult:
    """A scan that blocks opening ``fifo`` fails the test instead of hanging the suite."""
    with concurrent.futures.ThreadPoolExecutor(1) as pool:
        future = pool.submit(fn)
        try:
            return future.result(timeout=seconds)
        except concurrent.futures.TimeoutError:
            os.close(os.open(fifo, os.O_WRONLY | os.O_NONBLOCK))  # a writer frees the blocked open
            raise AssertionError("the scan hung opening a FIFO") from None


def test_links_and_special_files_are_never_read(tmp_path: Path, db_url: str) -> None:
    private = tmp_path / "private"
    private.mkdir()
    keys = private / "credentials.yaml"
    keys.write_text(KEYS_FILE, "utf-8")
    keys.chmod(0o600)
    (private / "lesson.yaml").write_text(GOOD, "utf-8")
    inbox = tmp_path / "inbox"
    inbox.mkdir()
    (inbox / "keys.yaml").symlink_to(keys)
    (inbox / "elsewhere").symlink_to(private, target_is_directory=True)
    os.mkfifo(inbox / "pipe.yaml")
    location = InboxLocation.parse(str(inbox))
    catalog = open_catalog(db_url)
    submit = Recorder()

    result = run_unless_stuck(
        lambda: scan(location, open_inbox_store(location, None), InboxLedger(catalog), submit, settle_s=0),
        inbox / "pipe.yaml",
    )
    assert (result.submitted, result.rejected, result.unchanged) == ((), (), 0)
    assert {s.key for s in result.skipped} == {"keys.yaml", "elsewhere", "pipe.yaml"}
    assert all(s.reason for s in result.skipped)
    assert submit.calls == [] and {status for _key, status in ledger_rows(catalog)} == {"skipped"}
    assert sorted(p.name for p in inbox.iterdir()) == ["elsewhere", "keys.yaml", "pipe.yaml"]
    assert sorted(p.name for p in private.iterdir()) == ["credentials.yaml", "lesson.yaml"]
    catalog.close()


def test_a_skipped_link_is_reported_once_until_it_changes(tmp_path: Path) -> None:
    """Under a cron schedule the same link is found every few minutes; only the first scan that
    finds it (or finds it again after it was gone) should say so."""
    inbox = tmp_path / "inbox"
    inbox.mkdir()
    (inbox / "good.yaml").write_text(GOOD, "utf-8")
    (inbox / "link.yaml").symlink_to(inbox / "good.yaml")
    location = InboxLocation.parse(str(inbox))
    catalog = open_catalog(f"sqlite:///{tmp_path / 'catalog.db'}")

    def scan_once() -> ScanResult:
        return scan(location, open_inbox_store(location, None), InboxLedger(catalog), Recorder(), settle_s=0)

    first, second = scan_once(), scan_once()
    assert [s.key for s in first.newly_skipped] == ["link.yaml"]
    assert [s.key for s in second.skipped] == ["link.yaml"] and second.newly_skipped == ()
    os.mkfifo(inbox / "pipe.yaml")
    third = scan_once()
    assert [s.key for s in third.newly_skipped] == ["pipe.yaml"]
    (inbox / "link.yaml").unlink()
    assert scan_once().newly_skipped == ()
    (inbox / "link.yaml").symlink_to(inbox / "good.yaml")
    assert [s.key for s in scan_once().newly_skipped] == ["link.yaml"]
    assert ("good.yaml", "submitted") in ledger_rows(catalog)
    catalog.close()


def test_report_quotes_nothing_from_the_script(tmp_path: Path) -> None:
    inbox = tmp_path / "inbox"
    inbox.mkdir()
    (inbox / "keys.yaml").write_text(KEYS_FILE, "utf-8")
    lesson_secrets = ("Zyxwv My_Secret", "Qwertysecret", "Hunter2x", "Passphrase", "Xylophone", "Plumbus")
    (inbox / "lesson.yaml").write_text(
        f"id: {lesson_secrets[0]}\n"
        "title: t\n"
        f"titel: {lesson_secrets[1]}\n"
        f"emotion: {lesson_secrets[2]}\n"
        f"voice: {lesson_secrets[3]}!\n"
        "lexicon:\n"
        f"  {lesson_secrets[4]}: hao9\n"
        "paragraphs:\n"
        f"  - text: 你[好]({lesson_secrets[5]}3)[[4321]]\n"
        "    pause_after: 9999s\n"
        "  - text: 银[行](Hao)\n",
        "utf-8",
    )
    (inbox / "alias.yaml").write_text("id: a\ntitle: *Undefinedsecretalias\n", "utf-8")
    location = InboxLocation.parse(str(inbox))
    catalog = open_catalog(f"sqlite:///{tmp_path / 'catalog.db'}")
    result = scan(location, open_inbox_store(location, None), InboxLedger(catalog), Recorder(), settle_s=0)
    assert set(result.rejected) == {"keys.yaml", "lesson.yaml", "alias.yaml"}

    reports = {name: (inbox / f"{name}.errors.txt").read_text("utf-8") for name in result.rejected}
    with catalog.session() as session:
        details = [r.detail or "" for r in session.scalars(select(InboxItem))]
    everything = ("\n".join([*reports.values(), *details])).casefold()
    # "secret": the slug the id error suggests; "hao1": the toned reading a fix suggests for "Hao".
    for secret in (*SECRETS, *lesson_secrets, "Undefinedsecretalias", "9999", "4321", "secret", "hao1"):
        for piece in secret.split():
            assert piece.casefold() not in everything, piece
    # What the teacher needs is still there: where, what kind of problem, how to fix it.
    assert f"{inbox / 'keys.yaml'}:1:1: unknown key `…`" in reports["keys.yaml"]
    assert "`id` is missing (add `id: my-lesson`" in reports["keys.yaml"]  # its own examples stay
    lesson = reports["lesson.yaml"]
    assert f"{inbox / 'lesson.yaml'}:1:5: id `…` is not a slug" in lesson
    assert ":3:1: unknown key `…` (did you mean `title`?)" in lesson
    assert ":4:10: unknown emotion `…`" in lesson and "valid emotions: neutral" in lesson
    assert "pause of … is longer than 10s" in lesson and "'…' is not a duration" in lesson
    assert "voice `…` is not a voice name (use a name like `baker`)" in lesson
    assert ":2:" in reports["alias.yaml"] and "YAML syntax error" in reports["alias.yaml"]
    catalog.close()


@pytest.mark.parametrize("mode", [0o600, 0o640, 0o644])
def test_report_is_no_more_readable_than_the_script(tmp_path: Path, mode: int) -> None:
    inbox = tmp_path / "inbox"
    inbox.mkdir()
    (inbox / "bad.yaml").write_text(BAD, "utf-8")
    (inbox / "bad.yaml").chmod(mode)
    (inbox / "good.yaml").write_text(GOOD, "utf-8")
    (inbox / "good.yaml").chmod(mode)
    location = InboxLocation.parse(str(inbox))
    catalog = open_catalog(f"sqlite:///{tmp_path / 'catalog.db'}")
    submit = Recorder()
    old_umask = os.umask(0o022)
    try:
        scan(location, open_inbox_store(location, None), InboxLedger(catalog), submit, settle_s=0)
    finally:
        os.umask(old_umask)
    assert stat.S_IMODE((inbox / "bad.yaml.errors.txt").stat().st_mode) == mode
    assert stat.S_IMODE(Path(submit.uris[0]).stat().st_mode) == mode  # the copy a render reads, too
    catalog.close()


@pytest.mark.parametrize(("umask", "expected"), [(0o077, 0o600), (0o027, 0o640)])
def test_report_is_no_more_readable_than_the_umask_allows(tmp_path: Path, umask: int, expected: int) -> None:
    """A readable script must not make the scanner's files readable by those the operator's umask
    keeps out of every output, as the render's own files are."""
    inbox = tmp_path / "inbox"
    inbox.mkdir()
    for name, text in (("bad.yaml", BAD), ("good.yaml", GOOD)):
        (inbox / name).write_text(text, "utf-8")
        (inbox / name).chmod(0o644)
    location = InboxLocation.parse(str(inbox))
    catalog = open_catalog(f"sqlite:///{tmp_path / 'catalog.db'}")
    submit = Recorder()
    old_umask = os.umask(umask)
    try:
        scan(location, open_inbox_store(location, None), InboxLedger(catalog), submit, settle_s=0)
    finally:
        os.umask(old_umask)
    assert stat.S_IMODE((inbox / "bad.yaml.errors.txt").stat().st_mode) == expected
    assert stat.S_IMODE(Path(submit.uris[0]).stat().st_mode) == expected
    catalog.close()


def test_oversize_script_is_refused_without_reading_it(tmp_path: Path) -> None:
    inbox = tmp_path / "inbox"
    inbox.mkdir()
    huge = inbox / "huge.yaml"
    with huge.open("wb") as handle:
        handle.write(GOOD.encode())
        handle.truncate(256 * 1024 * 1024)  # sparse: takes no disk
    location = InboxLocation.parse(str(inbox))
    catalog = open_catalog(f"sqlite:///{tmp_path / 'catalog.db'}")
    before = bytes_read()
    result = scan(location, open_inbox_store(location, None), InboxLedger(catalog), Recorder(), settle_s=0)
    assert result.rejected == ("huge.yaml",)
    if before is not None:
        read = bytes_read()
        assert read is not None and read - before < 32 * MAX_SCRIPT_BYTES
    report = (inbox / "huge.yaml.errors.txt").read_text("utf-8")
    assert "script is 262144 KB, over the 200 KB limit" in report
    catalog.close()


# -- course lexicons --------------------------------------------------------------------------------

LESSON = "id: {id}\ntitle: 课\n{extra}paragraphs:\n  - 他在银行工作。\n"
COURSE = "course: 初中数学\nlexicon:\n  银行: yin2 {tone}\n"


def _readings(spec: object) -> list[str]:
    from lesson_specs import LessonSpec

    assert isinstance(spec, LessonSpec)
    entry = spec.lexicon.get("银行")
    return list(entry.syllables or ()) if entry is not None else []


def test_course_lexicon_is_snapshotted_with_its_scripts_and_edits_resubmit_them(
    tmp_path: Path, db_url: str
) -> None:
    inbox = tmp_path / "inbox"
    (inbox / "math" / "ch1").mkdir(parents=True)
    (inbox / "art").mkdir()
    lexicon = inbox / "math" / "初中数学.lexicon.yaml"
    lexicon.write_text(COURSE.format(tone="hang2"), "utf-8")
    named = LESSON.format(id="a", extra="course_lexicon: ../初中数学.lexicon.yaml\n")
    (inbox / "math" / "ch1" / "a.yaml").write_text(named, "utf-8")
    (inbox / "math" / "ch1" / "lexicon.yaml").write_text(COURSE.format(tone="xing2"), "utf-8")
    (inbox / "math" / "ch1" / "b.yaml").write_text(LESSON.format(id="b", extra=""), "utf-8")  # beside
    (inbox / "art" / "c.yaml").write_text(LESSON.format(id="c", extra=""), "utf-8")  # none
    location = InboxLocation.parse(str(inbox))
    store = open_inbox_store(location, None)
    catalog = open_catalog(db_url)
    ledger, submit = InboxLedger(catalog), Recorder()

    first = scan(location, store, ledger, submit, settle_s=0)
    # Lexicon files are neither submitted nor rejected as scripts.
    assert first.submitted == ("art/c.yaml", "math/ch1/a.yaml", "math/ch1/b.yaml") and first.rejected == ()
    by_key = dict(zip(first.submitted, zip(submit.calls, submit.lexicons, strict=True), strict=True))
    assert by_key["art/c.yaml"][1] is None
    (a_uri, a_sha), a_lexicon = by_key["math/ch1/a.yaml"]
    assert a_lexicon is not None
    assert a_lexicon.uri == str(inbox / ".lessonaudio" / "lexicons" / f"{a_lexicon.sha256}.yaml")
    assert snapshot_bytes(a_lexicon.uri) == lexicon.read_bytes()
    (b_uri, b_sha), b_lexicon = by_key["math/ch1/b.yaml"]
    assert b_lexicon is not None and snapshot_bytes(b_lexicon.uri) == COURSE.format(tone="xing2").encode()
    # The render reads the snapshots: the script's own folder is not consulted.
    assert _readings(load_script(a_uri, None, expected_sha256=a_sha, lexicon=a_lexicon)) == ["yin2", "hang2"]
    assert _readings(load_script(b_uri, None, expected_sha256=b_sha, lexicon=b_lexicon)) == ["yin2", "xing2"]

    assert scan(location, store, ledger, submit, settle_s=0).unchanged == 3

    # Editing the course lexicon re-submits exactly the script that uses it.
    lexicon.write_text(COURSE.format(tone="hang4"), "utf-8")
    again = scan(location, store, ledger, submit, settle_s=0)
    assert again.submitted == ("math/ch1/a.yaml",) and again.unchanged == 2
    (uri, sha), new_lexicon = submit.calls[-1], submit.lexicons[-1]
    assert (uri, sha) == (a_uri, a_sha)  # the same script bytes, a new lexicon
    assert new_lexicon is not None and new_lexicon.sha256 != a_lexicon.sha256
    # The old submission still renders with the lexicon it was validated with.
    assert _readings(load_script(a_uri, None, expected_sha256=a_sha, lexicon=a_lexicon)) == ["yin2", "hang2"]
    assert _readings(load_script(a_uri, None, expected_sha256=a_sha, lexicon=new_lexicon)) == [
        "yin2",
        "hang4",
    ]
    # A snapshot that is not the bytes submitted is refused.
    Path(new_lexicon.uri).write_text(COURSE.format(tone="hang3"), "utf-8")
    with pytest.raises(SpecError, match="course lexicon is not the version submitted"):
        load_script(a_uri, None, expected_sha256=a_sha, lexicon=new_lexicon)
    catalog.close()


def test_bad_or_missing_course_lexicons_reject_their_scripts_with_positions(tmp_path: Path) -> None:
    inbox = tmp_path / "inbox"
    (inbox / "math").mkdir(parents=True)
    (inbox / "math" / "lexicon.yaml").write_text("lexicon:\n  银行: yin2 hang9\n  secretword: x\n", "utf-8")
    (inbox / "math" / "a.yaml").write_text(LESSON.format(id="a", extra=""), "utf-8")
    missing = LESSON.format(id="b", extra="course_lexicon: nope.lexicon.yaml\n")
    (inbox / "b.yaml").write_text(missing, "utf-8")
    outside = LESSON.format(id="c", extra="course_lexicon: ../../etc/x.lexicon.yaml\n")
    (inbox / "c.yaml").write_text(outside, "utf-8")
    location = InboxLocation.parse(str(inbox))
    catalog = open_catalog(f"sqlite:///{tmp_path / 'catalog.db'}")
    ledger, submit = InboxLedger(catalog), Recorder()
    store = open_inbox_store(location, None)

    result = scan(location, store, ledger, submit, settle_s=0)
    assert result.rejected == ("b.yaml", "c.yaml", "math/a.yaml") and submit.calls == []
    assert not (inbox / "math" / "lexicon.yaml.errors.txt").exists()
    report = (inbox / "math" / "a.yaml.errors.txt").read_text("utf-8")
    assert f"{inbox / 'math' / 'lexicon.yaml'}:2:12: lexicon `…`: '…' is not" in report
    assert "secretword" not in report
    b_report = (inbox / "b.yaml.errors.txt").read_text("utf-8")
    assert f"{inbox / 'b.yaml'}:3:17: course lexicon `…` is not in the inbox" in b_report
    assert "is outside the inbox" in (inbox / "c.yaml.errors.txt").read_text("utf-8")

    # Fixing the lexicon alone makes the script that uses it go through.
    (inbox / "math" / "lexicon.yaml").write_text(COURSE.format(tone="hang2"), "utf-8")
    fixed = scan(location, store, ledger, submit, settle_s=0)
    assert fixed.submitted == ("math/a.yaml",) and fixed.unchanged == 2
    assert not (inbox / "math" / "a.yaml.errors.txt").exists()
    catalog.close()


def test_a_script_whose_course_lexicon_is_still_changing_waits(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    inbox = tmp_path / "inbox"
    inbox.mkdir()
    lexicon = inbox / "lexicon.yaml"
    lexicon.write_text(COURSE.format(tone="hang2"), "utf-8")
    (inbox / "a.yaml").write_text(LESSON.format(id="a", extra=""), "utf-8")
    location = InboxLocation.parse(str(inbox))
    catalog = open_catalog(f"sqlite:///{tmp_path / 'catalog.db'}")
    ledger, submit = InboxLedger(catalog), Recorder()
    store = open_inbox_store(location, None)
    read = store.fetch

    def fetch(seen: Seen) -> Fetched | None:
        if seen.key == "lexicon.yaml":
            lexicon.write_text(COURSE.format(tone="xing2"), "utf-8")  # saved again after the listing
        return read(seen)

    monkeypatch.setattr(store, "fetch", fetch)
    result = scan(location, store, ledger, submit, settle_s=0)
    assert result.pending == ("a.yaml",) and submit.calls == [] and ledger_rows(catalog) == []
    monkeypatch.undo()
    settled = scan(location, store, ledger, submit, settle_s=0)
    assert settled.submitted == ("a.yaml",)
    (lexicon_snapshot,) = submit.lexicons
    assert lexicon_snapshot is not None and snapshot_bytes(lexicon_snapshot.uri) == lexicon.read_bytes()
    catalog.close()


def test_s3_scripts_find_their_course_lexicon_in_the_bucket(tmp_path: Path, s3: MotoS3) -> None:
    bucket = s3.new_bucket()
    client = s3.client()
    client.put_object(
        Bucket=bucket, Key="in/math/course.lexicon.yaml", Body=COURSE.format(tone="hang2").encode()
    )
    named = LESSON.format(id="a", extra="course_lexicon: ../course.lexicon.yaml\n")
    client.put_object(Bucket=bucket, Key="in/math/ch1/a.yaml", Body=named.encode())
    client.put_object(
        Bucket=bucket, Key="in/math/ch1/lexicon.yaml", Body=COURSE.format(tone="xing2").encode()
    )
    client.put_object(Bucket=bucket, Key="in/math/ch1/b.yaml", Body=LESSON.format(id="b", extra="").encode())
    settings = s3.settings(bucket)
    # Rendered straight from the bucket: relative to the script's key.
    direct = load_script(f"s3://{bucket}/in/math/ch1/a.yaml", settings)
    assert _readings(direct) == ["yin2", "hang2"]
    assert direct.course_lexicon == f"s3://{bucket}/in/math/course.lexicon.yaml"
    assert _readings(load_script(f"s3://{bucket}/in/math/ch1/b.yaml", settings)) == ["yin2", "xing2"]
    client.put_object(Bucket=bucket, Key="in/c.yaml", Body=LESSON.format(id="c", extra="").encode())
    assert load_script(f"s3://{bucket}/in/c.yaml", settings).course_lexicon is None
    far = LESSON.format(id="d", extra="course_lexicon: ../../x.lexicon.yaml\n")
    client.put_object(Bucket=bucket, Key="in/d.yaml", Body=far.encode())
    with pytest.raises(SpecError, match="outside the bucket"):
        load_script(f"s3://{bucket}/in/d.yaml", settings)
    gone = LESSON.format(id="e", extra="course_lexicon: gone.lexicon.yaml\n")
    client.put_object(Bucket=bucket, Key="in/e.yaml", Body=gone.encode())
    with pytest.raises(SpecError) as caught:
        load_script(f"s3://{bucket}/in/e.yaml", settings)
    assert str(caught.value) == (
        f"s3://{bucket}/in/e.yaml:3:17: course lexicon s3://{bucket}/in/gone.lexicon.yaml does not exist"
        " (its key is relative to the script's key)"
    )
    client.put_object(Bucket=bucket, Key="in/gone.lexicon.yaml", Body=b"#" * (MAX_SCRIPT_BYTES + 1))
    with pytest.raises(SpecError, match=r"gone\.lexicon\.yaml is over the 200 KB limit"):
        load_script(f"s3://{bucket}/in/e.yaml", settings)
    client.delete_object(Bucket=bucket, Key="in/e.yaml")

    # Through the inbox: snapshots in the bucket, read back by the render.
    location = InboxLocation.parse(f"s3://{bucket}/in")
    store = open_inbox_store(location, settings)
    catalog = open_catalog(f"sqlite:///{tmp_path / 'catalog.db'}")
    submit = Recorder()
    result = scan(location, store, InboxLedger(catalog), submit, settle_s=0)
    assert "in/math/ch1/a.yaml" in result.submitted and "in/d.yaml" in result.rejected
    index = result.submitted.index("in/math/ch1/a.yaml")
    (uri, sha), lexicon = submit.calls[index], submit.lexicons[index]
    assert lexicon is not None and lexicon.uri.startswith(f"s3://{bucket}/in/.lessonaudio/lexicons/")
    client.put_object(
        Bucket=bucket, Key="in/math/course.lexicon.yaml", Body=COURSE.format(tone="hang4").encode()
    )
    assert _readings(load_script(uri, settings, expected_sha256=sha, lexicon=lexicon)) == ["yin2", "hang2"]
    catalog.close()


@flow(name="render-stand-in")
def render_stand_in() -> None:
    """Only its flow runs are used: their states are set by hand, as a render would end."""


def test_renders_that_ended_without_success_are_submitted_again(
    tmp_path: Path, db_url: str, prefect_server: None
) -> None:
    """A render cut off by stopping serve, or failed, is retried; a completed or live one is not."""
    from prefect import get_client
    from prefect.client.schemas.objects import State
    from prefect.states import Cancelled, Completed, Crashed, Failed, Running

    from flows.inbox_runs import PrefectRuns

    inbox = tmp_path / "inbox"
    inbox.mkdir()
    fates: dict[str, State | None] = {
        "failed": Failed(),
        "crashed": Crashed(),
        "cancelled": Cancelled(),
        "completed": Completed(),
        "running": Running(),
        "gone": None,
    }
    for name in fates:
        (inbox / f"{name}.yaml").write_text(f"id: {name}\ntitle: 课\nparagraphs:\n  - 同学们好。\n", "utf-8")
    location = InboxLocation.parse(str(inbox))
    store = open_inbox_store(location, None)
    catalog = open_catalog(db_url)
    ledger = InboxLedger(catalog)
    with get_client(sync_client=True) as client:
        runs: dict[str, str] = {}

        def submit(uri: str, sha256: str, lexicon: LexiconSnapshot | None = None) -> str:
            run = client.create_flow_run(render_stand_in, parameters={})
            runs[Path(uri).name] = str(run.id)
            return str(run.id)

        first = scan(location, store, ledger, submit, settle_s=0)
        assert len(first.submitted) == len(fates)
        by_key = {item.key: item for item in _items(catalog)}
        for name, state in fates.items():
            run_id = UUID(by_key[f"{name}.yaml"].detail or "")
            if state is None:
                client.delete_flow_run(run_id)
            else:
                client.set_flow_run_state(run_id, state, force=True)
        (inbox / ".lessonaudio" / "scripts" / f"{by_key['failed.yaml'].sha256}.yaml").unlink()

        again = Recorder()
        second = scan(location, store, ledger, again, settle_s=0, runs=PrefectRuns(client, catalog))
        assert sorted(second.resubmitted) == ["cancelled.yaml", "crashed.yaml", "failed.yaml", "gone.yaml"]
        assert second.unchanged == 2 and not second.submitted
        assert all(Path(uri).is_file() for uri in again.uris)  # the deleted snapshot is written again
        after = {item.key: item for item in _items(catalog)}
        assert after["completed.yaml"].status == "rendered"
        assert after["running.yaml"].status == "submitted"
        assert after["running.yaml"].detail == by_key["running.yaml"].detail
        assert after["failed.yaml"].detail == "run-" + str(
            1 + sorted(second.resubmitted).index("failed.yaml")
        )

        # The new runs are Recorder ids, not flow runs: Prefect knows none of them, but the rows
        # now name those runs, so a scan racing this one on the old run ids claims nothing.
        assert not ledger.claim(by_key["failed.yaml"])

        # Ten minutes later a RUNNING run is judged by the catalog: live while its render beats...
        later = PrefectRuns(client, catalog, clock=lambda: utcnow() + STALE_AFTER + timedelta(minutes=1))
        render = catalog.record_render_started(None, "running", spec_sha256=by_key["running.yaml"].sha256)
        alive = scan(location, store, ledger, Recorder(), settle_s=0, runs=_flow_runs_only(later))
        assert alive.resubmitted == () and alive.unchanged == len(fates)
        # ... and dead once the render has ended without its Prefect run recording it.
        catalog.record_render_failed(render, "killed")
        third = scan(location, store, ledger, Recorder(), settle_s=0, runs=_flow_runs_only(later))
        assert third.resubmitted == ("running.yaml",)
        old_run = client.read_flow_run(UUID(by_key["running.yaml"].detail or ""))
        assert old_run.state is not None and old_run.state.is_crashed()
    catalog.close()


def _items(catalog: Catalog) -> list[InboxItem]:
    with catalog.session() as session:
        return list(session.scalars(select(InboxItem)))


def _flow_runs_only(runs: Runs) -> Runs:
    """Ask ``runs`` only about rows naming real flow runs; the Recorder's stand-in ids wait."""

    def check(run_id: str | None, spec_sha256: str, recorded_at: datetime) -> RunVerdict:
        try:
            UUID(run_id or "")
        except ValueError:
            return "waiting"
        return runs(run_id, spec_sha256, recorded_at)

    return check

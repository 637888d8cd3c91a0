"""The ``scan-inbox`` flow: submit one render per new or changed lesson script in the inbox.

Scheduled on a cron by ``lessonaudio serve``. A script is handled once per content hash: valid ones
become ``render-lesson`` flow runs, invalid ones get a report beside them and a ledger row, and
neither is looked at again until the bytes change.

Only a script that has stopped changing is handled. A scan lists the inbox (sizes and version
stamps, no reads); a script whose last change is older than the settle time has been still for that
long, and one that is younger is listed again after waiting out the rest of its settle time, once
for all of them, so a scan waits at most ``settle_s`` and only when something is fresh. A script that
changed between the two listings, or between listing and reading, is left for the next scan and
not recorded. Comparing two listings made by this scan, rather than one against a listing stored by
the previous scan, needs no state in the catalog and handles a script on the scan that first sees it
settled instead of one schedule period later. It relies on the inbox's clock (file ctime, S3's
LastModified) agreeing with the scanner's to within the settle time, which NTP gives; a timestamp in
the future is treated as fresh, so skew that way only costs a wait. A writer that can pause longer
than the settle time halfway through a file should write under a hidden name (``.lesson.yaml``) and
rename it into place: hidden names are never listed.

Course lexicons (``lexicon.yaml``, ``*.lexicon.yaml``) sit in the inbox beside the scripts and are
never scripts themselves. Each script is validated with the lexicon it uses, read like a script (a
settled version, exactly the bytes listed), and the two are snapshotted and recorded as a pair: an
edited lexicon re-submits the scripts that use it, and a script whose lexicon is still changing
waits for the next scan like a changing script.
"""

from __future__ import annotations

import hashlib
import os
import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from typing import Protocol, cast

from prefect import flow, get_client, get_run_logger
from prefect.client.schemas.objects import FlowRun
from prefect.deployments import run_deployment

from config import load_settings
from errors import InputError
from flows.inbox_runs import PrefectRuns, RunVerdict
from i18n import _, language_from_env, use_language
from lesson_specs import MAX_SCRIPT_BYTES, SpecError, load_spec
from lesson_specs.course_lexicon import (
    LexiconFile,
    LexiconUnavailable,
    auto_keys,
    check_reference,
    is_lexicon_name,
    resolve_key,
)
from lesson_specs.loader import oversize_diagnostic
from storage.catalog import open_catalog
from storage.db.inbox_items import REJECTED, RENDERED, SUBMITTED
from storage.inbox import InboxLedger, InboxLocation, InboxScript, LexiconSnapshot, open_inbox_store
from storage.inbox_files import (
    LEXICON_SNAPSHOTS,
    Fetched,
    InboxAccessError,
    InboxFiles,
    Listing,
    Seen,
    Skipped,
)
from storage.inbox_report import rejection_report
from wiring import database_config, s3_settings_for

RENDER_DEPLOYMENT = "render-lesson/render-lesson"


@dataclass(frozen=True, slots=True)
class ScanResult:
    submitted: tuple[str, ...]
    rejected: tuple[str, ...]
    unchanged: int
    pending: tuple[str, ...] = ()
    """Scripts still changing: left for the next scan."""
    skipped: tuple[Skipped, ...] = ()
    """Entries never read: links, FIFOs and other non-regular files, unreadable scripts."""
    resubmitted: tuple[str, ...] = ()
    """Unchanged scripts submitted again: their earlier render run ended without success or died."""
    newly_skipped: tuple[Skipped, ...] = ()
    """Of ``skipped``, those no earlier scan skipped for the same reason: the ones worth a warning."""


class Submit(Protocol):
    def __call__(self, uri: str, sha256: str, lexicon: LexiconSnapshot | None = None) -> str:
        """Start a render of the script at ``uri``, whose bytes must have this sha256, read with
        ``lexicon`` as its course lexicon; returns an id for the ledger (the flow run id)."""
        ...


class Runs(Protocol):
    def __call__(self, run_id: str | None, spec_sha256: str, recorded_at: datetime) -> RunVerdict:
        """The fate of the run ``run_id`` (the ledger's ``detail``), recorded at ``recorded_at``,
        rendering the script whose bytes have this sha256."""
        ...


class _LexiconChanging(Exception):
    """The course lexicon a script uses is still being written: the script waits for the next scan."""


class _InboxLexicons:
    """The course lexicon of one script, looked up in this scan's listing and read at its listed version.

    Reads are shared by every script of the scan (``cache``), so a course's lexicon is read once,
    and every script of the scan is validated with the same bytes.
    """

    def __init__(
        self,
        inbox: InboxFiles,
        script_key: str,
        lexicons: dict[str, Seen],
        moving: set[str],
        cache: dict[str, LexiconFile],
    ) -> None:
        self.inbox, self.script_key, self.lexicons, self.moving, self.cache = (
            inbox,
            script_key,
            lexicons,
            moving,
            cache,
        )
        self.used: LexiconFile | None = None

    def __call__(self, reference: str | None) -> LexiconFile | None:
        if reference is None:
            for key in auto_keys(self.script_key):
                if key in self.moving:
                    raise _LexiconChanging(key)
                if key in self.lexicons:
                    return self._read(key, f"`{self.inbox.script_uri(key)}`")
            return None
        ref = check_reference(reference)
        named = resolve_key(self.script_key, ref)
        if named is None:
            raise LexiconUnavailable(
                _("course lexicon `{ref}` is outside the inbox").format(ref=ref),
                _("keep the course's lexicon in the inbox"),
            )
        if named in self.moving:
            raise _LexiconChanging(named)
        if named not in self.lexicons:
            raise LexiconUnavailable(
                _("course lexicon `{ref}` is not in the inbox").format(ref=ref),
                _("the path is relative to the script's folder"),
            )
        return self._read(named, _("course lexicon `{ref}`").format(ref=ref))

    def _read(self, key: str, what: str) -> LexiconFile:
        if key not in self.cache:
            try:
                fetched = self.inbox.fetch(self.lexicons[key])
            except InboxAccessError as err:
                raise LexiconUnavailable(f"{what}: {err}", _("make it readable by the scanner")) from None
            if fetched is None:
                raise _LexiconChanging(key)
            self.cache[key] = LexiconFile(self.inbox.script_uri(key), fetched.data)
        self.used = self.cache[key]
        return self.used


def settled(
    inbox: InboxFiles,
    settle_s: float,
    *,
    clock: Callable[[], float] = time.time,
    sleep: Callable[[float], None] = time.sleep,
) -> tuple[Listing, tuple[str, ...]]:
    """The listing of scripts unchanged for ``settle_s``, and the keys of those still changing."""
    first = inbox.listing()
    now = clock()
    fresh = [s for s in first.scripts if now - s.changed_at < settle_s]  # a future stamp is fresh too
    if not fresh:
        return first, ()
    sleep(max(settle_s - max(now - s.changed_at, 0.0) for s in fresh))
    second = inbox.listing()
    before: dict[str, Seen] = {s.key: s for s in first.scripts}
    still = tuple(s for s in second.scripts if before.get(s.key) == s)
    moving = tuple(s.key for s in second.scripts if before.get(s.key) != s)
    return Listing(still, second.reports, second.skipped), moving


def scan(
    location: InboxLocation,
    inbox: InboxFiles,
    ledger: InboxLedger,
    submit: Submit,
    *,
    settle_s: float,
    clock: Callable[[], float] = time.time,
    sleep: Callable[[float], None] = time.sleep,
    runs: Runs | None = None,
) -> ScanResult:
    """One pass over the inbox; pure orchestration so tests can give it any inbox and submitter.

    With ``runs``, an unchanged script whose render was submitted is looked at again: a render
    stopped with ``serve`` or failed otherwise would leave that version unpublished for ever, since
    the ledger says it was handled. A completed render marks the row ``rendered``, which is never
    asked about again; one that failed, crashed, was cancelled or is gone is submitted again.
    """
    listing, moving = settled(inbox, settle_s, clock=clock, sleep=sleep)
    submitted: list[str] = []
    resubmitted: list[str] = []
    rejected: list[str] = []
    pending = [key for key in moving if not is_lexicon_name(key)]
    skipped = list(listing.skipped)
    unchanged = 0
    lexicons = {s.key: s for s in listing.scripts if is_lexicon_name(s.key)}
    moving_lexicons = {key for key in moving if is_lexicon_name(key)}
    lexicon_reads: dict[str, LexiconFile] = {}
    for seen in listing.scripts:
        if seen.key in lexicons:
            continue
        try:
            fetched = inbox.fetch(seen)
            if fetched is None:  # changed since it was listed
                pending.append(seen.key)
                continue
            uri = inbox.script_uri(seen.key)
            course = _InboxLexicons(inbox, seen.key, lexicons, moving_lexicons, lexicon_reads)
            # Validated before the ledger is asked: which course lexicon a script uses is only
            # known once it is read, and the ledger records the script and lexicon as a pair.
            problem: SpecError | None = None
            try:
                if seen.size > MAX_SCRIPT_BYTES:
                    raise SpecError([oversize_diagnostic(uri, seen.size)])
                load_spec(fetched.data, source=uri, lexicons=course)
            except SpecError as err:
                problem = err
            except _LexiconChanging:
                pending.append(seen.key)
                continue
            used = course.used
            script = InboxScript(
                seen.key,
                hashlib.sha256(fetched.data).hexdigest(),
                fetched.data,
                used.sha256 if used is not None else None,
            )
            done = ledger.handled(location, script)
            if done is not None and done.status == SUBMITTED and runs is not None and problem is None:
                verdict = runs(done.detail, script.sha256, done.seen_at)
                if verdict == "rendered":
                    ledger.rendered(done)
                elif verdict == "retry" and ledger.claim(done):
                    run_id = None
                    try:  # the snapshots are written again: a deleted one is why some renders fail
                        run_id = _submit(inbox, script, used, fetched, submit)
                    finally:
                        ledger.resubmitted(done, run_id)
                    resubmitted.append(seen.key)
                    continue
            if done is not None:
                unchanged += 1
                if done.status in (SUBMITTED, RENDERED) and seen.key in listing.reports:
                    inbox.remove_report(seen.key)  # back to bytes that were fine: the report is stale
                continue
            if problem is not None:
                # Words of the course lexicon are kept out of the report like the script's own.
                said = fetched.data + (b"\n" + used.data if used is not None else b"")
                report = rejection_report(problem, said)
                inbox.write_report(seen.key, report, fetched.mode)
                ledger.record(location, script, REJECTED, report)
                rejected.append(seen.key)
                continue
            ledger.record(location, script, SUBMITTED, _submit(inbox, script, used, fetched, submit))
            submitted.append(seen.key)
            if seen.key in listing.reports:
                inbox.remove_report(seen.key)
        except InboxAccessError as err:
            skipped.append(Skipped(seen.key, str(err)))
    return ScanResult(
        tuple(submitted),
        tuple(rejected),
        unchanged,
        tuple(pending),
        tuple(skipped),
        tuple(resubmitted),
        ledger.newly_skipped(location, skipped),
    )


def _submit(
    inbox: InboxFiles, script: InboxScript, used: LexiconFile | None, fetched: Fetched, submit: Submit
) -> str:
    """Snapshot the script (and its course lexicon) and submit a render of the snapshot."""
    lexicon = None
    if used is not None:
        copy = inbox.keep_snapshot(used.sha256, used.data, fetched.mode, under=LEXICON_SNAPSHOTS)
        lexicon = LexiconSnapshot(copy, used.sha256)
    snapshot = inbox.keep_snapshot(script.sha256, fetched.data, fetched.mode)
    return submit(snapshot, script.sha256, lexicon)


@flow(name="scan-inbox")
def scan_inbox(
    inbox: str | None = None, publish: bool = True, deployment: str = RENDER_DEPLOYMENT
) -> ScanResult:
    """Scan ``inbox`` (default: the ``LESSONAUDIO_INBOX`` setting) and submit renders to ``deployment``.

    Reports left beside rejected scripts are written in the scanning machine's language
    (``LESSONAUDIO_LANG``, else its locale): a worker runs this flow without the CLI that sets it.
    """
    settings = load_settings()
    where = inbox or settings.inbox
    if not where:
        with use_language(language_from_env(os.environ)):
            raise InputError(
                _("no inbox configured: set LESSONAUDIO_INBOX to a folder or s3://bucket/prefix")
            )
    location = InboxLocation.parse(where)
    store = open_inbox_store(
        location, s3_settings_for(settings, location.bucket) if location.bucket else None
    )
    catalog = open_catalog(database_config(settings).url)
    logger = get_run_logger()

    def submit(uri: str, sha256: str, lexicon: LexiconSnapshot | None = None) -> str:
        parameters: dict[str, object] = {"spec_path": uri, "spec_sha256": sha256, "publish": publish}
        if lexicon is not None:
            parameters |= {"lexicon_path": lexicon.uri, "lexicon_sha256": lexicon.sha256}
        # Called from sync code, Prefect's dual sync/async API returns the FlowRun itself.
        run = cast(FlowRun, run_deployment(deployment, parameters=parameters, timeout=0))
        logger.info("submitted %s as flow run %s", uri, run.id)
        return str(run.id)

    try:
        with get_client(sync_client=True) as client, use_language(language_from_env(os.environ)):
            result = scan(
                location,
                store,
                ledger=InboxLedger(catalog),
                submit=submit,
                settle_s=settings.inbox_settle_s,
                runs=PrefectRuns(client, catalog),
            )
    finally:
        catalog.close()
    for skip in result.newly_skipped:  # the others were warned about by an earlier scan
        logger.warning("inbox %s: skipped %s: %s", location.uri, skip.key, skip.reason)
    for key in result.resubmitted:
        logger.warning(
            "inbox %s: %s submitted again: its last render ended without success", location.uri, key
        )
    logger.info(
        "inbox %s: %d submitted, %d rejected, %d unchanged, %d still changing (next scan), %d skipped",
        location.uri,
        len(result.submitted),
        len(result.rejected),
        result.unchanged,
        len(result.pending),
        len(result.skipped),
    )
    return result

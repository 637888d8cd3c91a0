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
"""

from __future__ import annotations

import hashlib
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import cast

from prefect import flow, get_run_logger
from prefect.client.schemas.objects import FlowRun
from prefect.deployments import run_deployment

from config import load_settings
from lesson_specs import MAX_SCRIPT_BYTES, SpecError, load_spec
from lesson_specs.loader import oversize_diagnostic
from storage.catalog import open_catalog
from storage.inbox import InboxLedger, InboxLocation, InboxScript, open_inbox_store
from storage.inbox_files import InboxAccessError, InboxFiles, Listing, Seen, Skipped
from storage.inbox_report import rejection_report
from tasks.publish import database_config, s3_settings_for

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


Submit = Callable[[str, str], str]
"""Start a render of the script at this URI, whose bytes must have this sha256; returns an id for
the ledger (the flow run id)."""


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
) -> ScanResult:
    """One pass over the inbox; pure orchestration so tests can give it any inbox and submitter."""
    listing, moving = settled(inbox, settle_s, clock=clock, sleep=sleep)
    submitted: list[str] = []
    rejected: list[str] = []
    pending = list(moving)
    skipped = list(listing.skipped)
    unchanged = 0
    for seen in listing.scripts:
        try:
            fetched = inbox.fetch(seen)
            if fetched is None:  # changed since it was listed
                pending.append(seen.key)
                continue
            script = InboxScript(seen.key, hashlib.sha256(fetched.data).hexdigest(), fetched.data)
            done = ledger.handled(location, script)
            if done is not None:
                unchanged += 1
                if done.status == "submitted" and seen.key in listing.reports:
                    inbox.remove_report(seen.key)  # back to bytes that were fine: the report is stale
                continue
            uri = inbox.script_uri(seen.key)
            try:
                if seen.size > MAX_SCRIPT_BYTES:
                    raise SpecError([oversize_diagnostic(uri, seen.size)])
                load_spec(fetched.data, source=uri)
            except SpecError as err:
                report = rejection_report(err, fetched.data)
                inbox.write_report(seen.key, report, fetched.mode)
                ledger.record(location, script, "rejected", report)
                rejected.append(seen.key)
                continue
            snapshot = inbox.keep_snapshot(script.sha256, fetched.data, fetched.mode)
            ledger.record(location, script, "submitted", submit(snapshot, script.sha256))
            submitted.append(seen.key)
            if seen.key in listing.reports:
                inbox.remove_report(seen.key)
        except InboxAccessError as err:
            skipped.append(Skipped(seen.key, str(err)))
    return ScanResult(tuple(submitted), tuple(rejected), unchanged, tuple(pending), tuple(skipped))


@flow(name="scan-inbox")
def scan_inbox(
    inbox: str | None = None, publish: bool = True, deployment: str = RENDER_DEPLOYMENT
) -> ScanResult:
    """Scan ``inbox`` (default: the ``LESSONAUDIO_INBOX`` setting) and submit renders to ``deployment``."""
    settings = load_settings()
    where = inbox or settings.inbox
    if not where:
        raise ValueError("no inbox configured: set LESSONAUDIO_INBOX to a folder or s3://bucket/prefix")
    location = InboxLocation.parse(where)
    store = open_inbox_store(
        location, s3_settings_for(settings, location.bucket) if location.bucket else None
    )
    catalog = open_catalog(database_config(settings).url)
    logger = get_run_logger()

    def submit(uri: str, sha256: str) -> str:
        parameters = {"spec_path": uri, "spec_sha256": sha256, "publish": publish}
        # Called from sync code, Prefect's dual sync/async API returns the FlowRun itself.
        run = cast(FlowRun, run_deployment(deployment, parameters=parameters, timeout=0))
        logger.info("submitted %s as flow run %s", uri, run.id)
        return str(run.id)

    try:
        result = scan(
            location, store, ledger=InboxLedger(catalog), submit=submit, settle_s=settings.inbox_settle_s
        )
    finally:
        catalog.close()
    for skip in result.skipped:
        logger.warning("inbox %s: skipped %s: %s", location.uri, skip.key, skip.reason)
    logger.info(
        "inbox %s: %d submitted, %d rejected, %d unchanged, %d still changing (next scan)",
        location.uri,
        len(result.submitted),
        len(result.rejected),
        result.unchanged,
        len(result.pending),
    )
    return result

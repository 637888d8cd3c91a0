"""The ``scan-inbox`` flow: submit one render per new or changed lesson script in the inbox.

Scheduled on a cron by ``lessonaudio serve``. A script is handled once per content hash: valid ones
become ``render-lesson`` flow runs, invalid ones get a report beside them and a ledger row, and
neither is looked at again until the bytes change.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import cast

from prefect import flow, get_run_logger
from prefect.client.schemas.objects import FlowRun
from prefect.deployments import run_deployment

from config import load_settings
from lesson_specs import SpecError, load_spec
from storage.catalog import open_catalog
from storage.inbox import (
    InboxLedger,
    InboxLocation,
    list_scripts,
    open_inbox_store,
    write_rejection,
)
from storage.objects import ObjectStore
from tasks.publish import database_config, s3_settings_for

RENDER_DEPLOYMENT = "render-lesson/render-lesson"


@dataclass(frozen=True, slots=True)
class ScanResult:
    submitted: tuple[str, ...]
    rejected: tuple[str, ...]
    unchanged: int


Submit = Callable[[str], str]
"""Start a render of the script at this URI; returns an id for the ledger (the flow run id)."""


def scan(location: InboxLocation, store: ObjectStore, ledger: InboxLedger, submit: Submit) -> ScanResult:
    """One pass over the inbox; pure orchestration so tests can give it any store and submitter."""
    submitted: list[str] = []
    rejected: list[str] = []
    unchanged = 0
    for script in list_scripts(store, location):
        if ledger.handled(location, script) is not None:
            unchanged += 1
            continue
        uri = location.script_uri(script.key)
        try:
            load_spec(script.data, source=uri)
        except SpecError as err:
            report = "\n".join(str(d) for d in err.diagnostics) + "\n"
            write_rejection(store, script.key, report)
            ledger.record(location, script, "rejected", report)
            rejected.append(script.key)
            continue
        ledger.record(location, script, "submitted", submit(uri))
        submitted.append(script.key)
    return ScanResult(tuple(submitted), tuple(rejected), unchanged)


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

    def submit(uri: str) -> str:
        # Called from sync code, Prefect's dual sync/async API returns the FlowRun itself.
        run = cast(
            FlowRun, run_deployment(deployment, parameters={"spec_path": uri, "publish": publish}, timeout=0)
        )
        logger.info("submitted %s as flow run %s", uri, run.id)
        return str(run.id)

    try:
        result = scan(location, store, ledger=InboxLedger(catalog), submit=submit)
    finally:
        catalog.close()
    logger.info(
        "inbox %s: %d submitted, %d rejected, %d unchanged",
        location.uri,
        len(result.submitted),
        len(result.rejected),
        result.unchanged,
    )
    return result

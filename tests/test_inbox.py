"""The inbox scanner: one submission per new or changed script, rejections reported and not retried."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

import pytest
from sqlalchemy import select

from flows.scan_inbox import scan
from storage.catalog import open_catalog
from storage.db import InboxItem
from storage.inbox import InboxError, InboxLedger, InboxLocation, open_inbox_store

if TYPE_CHECKING:
    from tests.s3_server import MotoS3

pytest_plugins = ["tests.s3_server"]

GOOD = "id: good\ntitle: 好课\nparagraphs:\n  - 同学们好。\n"
BAD = "id: Bad Id\ntitle: 坏课\nparagraphs:\n  - text: 你好\n    emotion: joy\n"


class Recorder:
    """Stands in for run_deployment: the scan's contract is 'call submit once per script version'."""

    def __init__(self) -> None:
        self.uris: list[str] = []

    def __call__(self, uri: str) -> str:
        self.uris.append(uri)
        return f"run-{len(self.uris)}"


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

    first = scan(location, store, ledger, submit)
    assert first.submitted == ("math/good.yaml",) and first.rejected == ("bad.yml",) and first.unchanged == 0
    assert submit.uris == [str(inbox / "math" / "good.yaml")]
    report = (inbox / "bad.yml.errors.txt").read_text("utf-8")
    assert f"{inbox / 'bad.yml'}:1:5: id `Bad Id` is not a slug" in report
    assert "paragraph 1: unknown emotion `joy`" in report

    again = scan(location, store, ledger, submit)
    assert (again.submitted, again.rejected, again.unchanged) == ((), (), 2)
    assert len(submit.uris) == 1  # neither resubmitted nor re-rejected

    (inbox / "math" / "good.yaml").write_text(GOOD.replace("同学们好", "大家好"), "utf-8")
    (inbox / "bad.yml").write_text(GOOD.replace("good", "fixed"), "utf-8")
    changed = scan(location, store, ledger, submit)
    assert set(changed.submitted) == {"math/good.yaml", "bad.yml"} and changed.rejected == ()
    assert len(submit.uris) == 3

    with catalog.session() as session:
        rows = session.scalars(select(InboxItem).order_by(InboxItem.id)).all()
        assert [(r.key, r.status) for r in rows] == [
            ("bad.yml", "rejected"),
            ("math/good.yaml", "submitted"),
            ("bad.yml", "submitted"),
            ("math/good.yaml", "submitted"),
        ]
        rejected = next(r for r in rows if r.status == "rejected")
        assert rejected.detail is not None and "is not a slug" in rejected.detail
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

    result = scan(location, store, InboxLedger(catalog), submit)
    assert result.submitted == ("inbox/a.yaml",) and result.rejected == ("inbox/b.yaml",)
    assert submit.uris == [f"s3://{bucket}/inbox/a.yaml"]
    report = client.get_object(Bucket=bucket, Key="inbox/b.yaml.errors.txt")["Body"].read().decode()
    assert "is not a slug" in report
    assert scan(location, store, InboxLedger(catalog), submit).unchanged == 2
    catalog.close()

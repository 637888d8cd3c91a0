"""Why a library's call failed, in the reader's language: the machine, S3 and Prefect word theirs in English.

A job's failure reason is read by a teacher on the web page, long after the exception is gone, so it
is made once, as a sentence. The project's own errors already speak the reader's language; an
``OSError`` gets its reason from :mod:`i18n.os_reasons`; an S3 error is told by its code; the rest
keep their words for an English reader and, for anyone else, a sentence of their language with the
library's words after it in parentheses, as a detail to search for or hand to an operator.
Libraries are recognised by the error's module, so none of them is imported here.
"""

from __future__ import annotations

import builtins
import re

from i18n import N_, _, current_language
from i18n.os_reasons import os_reason

__all__ = ["failure_reason", "prefect_reason"]

S3_CODES = {
    "NoSuchBucket": N_("the bucket does not exist"),
    "AccessDenied": N_("the storage service denied access"),
    "InvalidAccessKeyId": N_("the storage service does not know the access key"),
    "SignatureDoesNotMatch": N_("the storage service refused the secret key"),
    "InvalidBucketName": N_("the bucket name is not valid"),
    "NoSuchKey": N_("the file is not in the bucket"),
    "SlowDown": N_("the storage service is busy; try again later"),
    "ServiceUnavailable": N_("the storage service is unavailable; try again later"),
    "InternalError": N_("the storage service failed; try again later"),
}
"""S3's error codes a teacher or operator meets, each one sentence; the code follows in parentheses."""

_BOTOCORE = {
    "EndpointConnectionError": N_("cannot connect to the storage service"),
    "ConnectTimeoutError": N_("cannot connect to the storage service"),
    "ReadTimeoutError": N_("the storage service did not answer in time"),
    "NoCredentialsError": N_("no credentials for the storage service"),
}

_HTTPX_CONNECTION = frozenset({"ConnectError", "ConnectTimeout", "ReadTimeout", "RemoteProtocolError"})
"""The Prefect client's (httpx) ways of not reaching its server."""


def _said_by(error: BaseException, library: str) -> bool:
    return any(kind.__module__.split(".")[0] == library for kind in type(error).__mro__)


def _with_detail(sentence: str, detail: str) -> str:
    return _("{sentence} ({detail})").format(sentence=sentence, detail=detail)


def _s3(error: BaseException) -> str:
    response = getattr(error, "response", None)
    code = str(((response or {}).get("Error") or {}).get("Code", "")) if isinstance(response, dict) else ""
    if code in S3_CODES:
        return _with_detail(_(S3_CODES[code]), f"S3 {code}")
    return _with_detail(_("the storage service refused the request"), f"{type(error).__name__}: {error}")


def failure_reason(error: BaseException) -> str:
    """One line saying why ``error`` happened, in the current language.

    An English reader gets the library's own words, as before: ``Type: message``.
    """
    from errors import LessonaudioError

    if isinstance(error, LessonaudioError):
        return str(error)
    raw = f"{type(error).__name__}: {error}"
    if current_language() == "en":
        return raw
    if isinstance(error, OSError) and not _said_by(error, "botocore"):
        reason = os_reason(error)
        if reason is not None:
            return f"{reason}: {error.filename!r}" if error.filename is not None else reason
    if isinstance(error, ConnectionError | TimeoutError) or (
        _said_by(error, "httpx") and type(error).__name__ in _HTTPX_CONNECTION
    ):
        return _with_detail(_("the connection failed"), raw)
    if _said_by(error, "botocore") or _said_by(error, "boto3"):
        sentence = _BOTOCORE.get(type(error).__name__)
        if sentence is not None:
            return _with_detail(_(sentence), raw)
        if hasattr(error, "response"):
            return _s3(error)
    return _with_detail(_("unexpected error"), raw)


# Prefect's state messages, matched whole. The render's own error (raised in the worker, which
# writes in the job's language) is the message itself; Prefect's own words become one of ours.
_PREFECT: tuple[tuple[re.Pattern[str], str], ...] = (
    (re.compile(r"Execution was cancelled by the runtime environment\."), N_("cancelled by its worker")),
    (
        re.compile(r"Execution was aborted by (?:an interrupt|a termination) signal\."),
        N_("its worker was stopped"),
    ),
    (re.compile(r"Flow run was cancelled.*", re.DOTALL), N_("cancelled")),
    (
        re.compile(
            r"Flow run (?:infrastructure|process) exited with non-zero status code (?P<code>-?\d+).*",
            re.DOTALL,
        ),
        N_("its worker's process ended with status {code}"),
    ),
    (re.compile(r"Flow run failed due to timeout.*", re.DOTALL), N_("it ran out of time")),
)
_RAISED = re.compile(r"Flow run encountered an exception: (?P<kind>[\w.]+): (?P<message>.*)", re.DOTALL)
_HAN = re.compile(r"[\u3400-\u9fff]")


def _project_error(kind: str, message: str) -> bool:
    """``kind`` (a class name from another process) is one of the project's errors: a class this
    process has loaded, or, where the reader reads Chinese, a class Python does not define whose
    message is written in Chinese (the worker writes the job's errors in the job's language)."""
    from errors import LessonaudioError

    name = kind.rpartition(".")[2]
    if isinstance(getattr(builtins, name, None), type):
        return False
    known: set[str] = set()
    pending: list[type] = [LessonaudioError]
    while pending:
        cls = pending.pop()
        known.add(cls.__name__)
        pending.extend(cls.__subclasses__())
    return name in known or (current_language() != "en" and bool(_HAN.search(message)))


def prefect_reason(message: str) -> str | None:
    """A Prefect state's message as a reason in the reader's language; None where it has none there
    (the caller then shows Prefect's words as a detail, in parentheses)."""
    text = message.strip()
    raised = _RAISED.fullmatch(text)
    if raised and _project_error(raised["kind"], raised["message"]):
        return raised["message"].strip()
    for pattern, sentence in _PREFECT:
        found = pattern.fullmatch(text)
        if found:
            return _(sentence).format(**found.groupdict())
    return text if current_language() == "en" else None

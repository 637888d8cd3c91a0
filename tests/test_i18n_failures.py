"""A job's failure reason made from a library's error (the machine, S3, Prefect) reads in the job's
language: a Chinese sentence, with the library's English at most as a detail in parentheses; an
English reader keeps the library's own words."""

from __future__ import annotations

import errno
import os
import re

import pytest
from botocore.exceptions import ClientError, EndpointConnectionError

from errors import WorkFailedError
from i18n import use_language
from i18n.failures import failure_reason, prefect_reason
from web.prefect_runs import ended_message

HAN = re.compile(r"[\u3400-\u9fff]")


def outside_parentheses(text: str) -> str:
    return re.sub(r"（[^）]*）", "", text)


def bucket_error(code: str) -> ClientError:
    return ClientError(
        {"Error": {"Code": code, "Message": "The specified bucket does not exist"}}, "PutObject"
    )


@pytest.mark.parametrize(
    ("error", "chinese", "english"),
    [
        (
            PermissionError(errno.EACCES, os.strerror(errno.EACCES), "/srv/out"),
            "权限不够: '/srv/out'",
            "PermissionError: [Errno 13] Permission denied: '/srv/out'",
        ),
        (
            bucket_error("NoSuchBucket"),
            "存储桶不存在（S3 NoSuchBucket）",
            "ClientError: An error occurred (NoSuchBucket)",
        ),
        (
            bucket_error("Teapot"),
            "存储服务拒绝了请求（ClientError:",
            "ClientError: An error occurred (Teapot)",
        ),
        (
            EndpointConnectionError(endpoint_url="http://127.0.0.1:1"),
            "无法连接存储服务（EndpointConnectionError:",
            'EndpointConnectionError: Could not connect to the endpoint URL: "http://127.0.0.1:1"',
        ),
        (KeyError("voice"), "意外错误（KeyError: 'voice'）", "KeyError: 'voice'"),
        (
            ConnectionRefusedError("refused"),
            "连接失败（ConnectionRefusedError: refused）",
            "ConnectionRefusedError: refused",
        ),
        (WorkFailedError("x"), "x", "x"),
    ],
)
def test_a_librarys_error_is_a_sentence_in_the_readers_language(
    error: BaseException, chinese: str, english: str
) -> None:
    with use_language("zh-CN"):
        zh = failure_reason(error)
    with use_language("en"):
        en = failure_reason(error)
    assert zh.startswith(chinese), zh
    assert not re.search(r"[A-Za-z]{3,}", outside_parentheses(zh).replace("'/srv/out'", "")), zh
    assert en.startswith(english) and not HAN.search(en), en


RAISED = "Flow run encountered an exception: RenderError: 第 2 段：语音合成失败"


@pytest.mark.parametrize(
    ("message", "chinese"),
    [
        (RAISED, "流程运行 r1 失败：第 2 段：语音合成失败"),
        (
            "Flow run infrastructure exited with non-zero status code 137.",
            "流程运行 r1 失败：执行它的工作进程以状态码 137 退出",
        ),
        ("Execution was cancelled by the runtime environment.", "流程运行 r1 失败：被执行它的工作进程取消"),
        (
            "Flow run encountered an exception: ValueError: bad",
            "流程运行 r1 失败（Flow run encountered an exception",
        ),
        ("Something Prefect says tomorrow.", "流程运行 r1 失败（Something Prefect says tomorrow.）"),
    ],
)
def test_a_prefect_state_message_becomes_the_readers_reason(message: str, chinese: str) -> None:
    with use_language("zh-CN"):
        zh = ended_message("FAILED", "r1", message)
    assert zh.startswith(chinese), zh
    assert not re.search(r"[A-Za-z]{3,}", outside_parentheses(zh)), zh
    with use_language("en"):
        en = ended_message("CRASHED", "r1", "Flow run process exited with non-zero status code 1.")
    assert en == "flow run r1 crashed: its worker's process ended with status 1"


def test_only_the_projects_errors_pass_through_as_they_are() -> None:
    with use_language("zh-CN"):
        assert prefect_reason(RAISED) == "第 2 段：语音合成失败"
        assert prefect_reason("Flow run encountered an exception: ValueError: 第 2 段") is None  # Python's
    with use_language("en"):
        english = "Flow run encountered an exception: WorkFailedError: paragraph 2: the voice failed"
        assert prefect_reason(english) == "paragraph 2: the voice failed"
        assert prefect_reason("Flow run encountered an exception: ValueError: bad") == (
            "Flow run encountered an exception: ValueError: bad"
        )

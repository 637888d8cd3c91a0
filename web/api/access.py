"""Who may call a route and what they may see: the teacher dependency, the rate limits, the 404 rule.

A caller is a teacher token (Bearer, or the page's session cookie); the limits count requests per
token. A job or render the caller may not see answers the same 404 as one that does not exist, so
ids cannot be probed; :func:`visible` is the only place that rule is written.
"""

# No `from __future__ import annotations`: FastAPI evaluates the dependencies' annotations, and the
# limited dependencies name the ``teacher`` closure built in ``Access``.
from collections.abc import Callable
from typing import Annotated, TypeVar

from fastapi import Depends, Request
from fastapi.security import HTTPAuthorizationCredentials

from i18n import N_, _
from web.auth import bearer_scheme, caller
from web.errors import ApiError
from web.ratelimit import RateLimiter
from web.services import Services
from web.tokens import TokenInfo

T = TypeVar("T")
Dependency = Callable[..., TokenInfo]


def limit_key(who: TokenInfo) -> str:
    """What the limits count requests under: the token, whichever way it was presented."""
    return f"token:{who.id}"


def limit(limiter: RateLimiter, who: TokenInfo, what: str) -> None:
    """A 429 naming the wait once ``who`` has used up ``limiter``'s requests for this minute."""
    wait = limiter.hit(limit_key(who))
    if wait is not None:
        raise ApiError(
            429,
            "rate_limited",
            _("too many {what} requests: at most {limit} per minute per token").format(
                what=_(what), limit=limiter.limit
            ),
            where=_(what),
            fix=_("wait {seconds} s and try again").format(seconds=wait),
            headers={"Retry-After": str(wait)},
        )


def limited(teacher: Dependency, limiter: RateLimiter, what: str) -> Dependency:
    """The caller, after counting the request against ``limiter``: authentication comes first, so an
    anonymous request gets a 401 and never uses up a teacher's allowance."""

    def dependency(who: Annotated[TokenInfo, Depends(teacher)]) -> TokenInfo:
        limit(limiter, who, what)
        return who

    return dependency


class Access:
    """The caller dependencies every route module uses, built once around one :class:`Services`."""

    def __init__(self, services: Services) -> None:
        def teacher(
            request: Request,
            credentials: Annotated[HTTPAuthorizationCredentials | None, Depends(bearer_scheme)],
        ) -> TokenInfo:
            return caller(services.tokens, services.sessions, request, credentials)

        self.teacher: Dependency = teacher
        self.preview: Dependency = limited(teacher, services.tts_limit, N_("preview"))
        self.render: Dependency = limited(teacher, services.render_limit, N_("render"))
        self.script_check: Dependency = limited(teacher, services.validate_limit, N_("script check"))
        # The editor rewrites the script after each pause in typing: a bucket of its own, so editing
        # never uses up the script checks, and a check never refuses the next edit.
        self.edit: Dependency = limited(teacher, services.edit_limit, N_("script edit"))


def visible(
    item: T | None,
    owner: Callable[[T], int | None],
    who: TokenInfo,
    *,
    code: str,
    message: str,
    where: str,
    fix: str,
) -> T:
    """``item`` if it exists and ``who`` may see what ``owner`` says it belongs to; otherwise a 404
    that reads the same in both cases. ``owner`` is only asked about an item that exists."""
    if item is None or not who.may_see(owner(item)):
        raise ApiError(404, code, message, where=where, fix=fix)
    return item

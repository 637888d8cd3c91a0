"""Who is calling: a teacher token as ``Authorization: Bearer …`` (API), or the page's session cookie.

The cookie holds a server-side session id (``web.sessions``), HttpOnly and SameSite=Strict, so page
scripts and other sites can neither read nor send it. A Bearer token wins over a cookie: an API
client says exactly which token it means.
"""

from __future__ import annotations

from fastapi import Request
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer

from i18n import N_, _
from web.errors import ApiError
from web.sessions import SessionStore
from web.tokens import TokenInfo, TokenStore

SESSION_COOKIE = "lessonaudio_session"
TOKEN_FIX = N_("send `Authorization: Bearer <token>` with a token from `lessonaudio web token create`")

bearer_scheme = HTTPBearer(
    auto_error=False,
    description="A teacher token created with `lessonaudio web token create NAME`.",
)


def unauthorized(message: str, fix: str | None = None) -> ApiError:
    return ApiError(
        401,
        "unauthorized",
        message,
        where="Authorization",
        fix=fix if fix is not None else _(TOKEN_FIX),
        headers={"WWW-Authenticate": 'Bearer realm="lessonaudio"'},
    )


def check_token(tokens: TokenStore, token: str | None) -> TokenInfo:
    """The active token ``token`` is, or a 401 that says why not."""
    if not token:
        raise unauthorized(_("no teacher token given"))
    info = tokens.authenticate(token)
    if info is None:
        raise unauthorized(_("the teacher token is unknown or revoked"))
    return info


def caller(
    tokens: TokenStore,
    sessions: SessionStore,
    request: Request,
    credentials: HTTPAuthorizationCredentials | None,
) -> TokenInfo:
    """The token behind a request: its Bearer token, else its session cookie, else a 401."""
    if credentials is not None:
        return check_token(tokens, credentials.credentials)
    session_id = request.cookies.get(SESSION_COOKIE)
    if not session_id:
        raise unauthorized(_("no teacher token given"))
    info = sessions.authenticate(session_id)
    if info is None:
        raise unauthorized(
            _("the session has ended (signed out, expired, or its token was revoked)"),
            fix=_("sign in again with your teacher token, or {how}").format(how=_(TOKEN_FIX)),
        )
    return info

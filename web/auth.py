"""Who is calling: a teacher token as ``Authorization: Bearer …`` (API) or the page's session cookie.

The cookie holds the token itself (HttpOnly, SameSite=Strict, so page scripts and other sites cannot
read or send it); signing out deletes it and revoking the token ends every session using it, with no
separate session table to keep in step.
"""

from __future__ import annotations

from fastapi import Request
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer

from web.errors import ApiError
from web.tokens import TokenInfo, TokenStore

SESSION_COOKIE = "lessonaudio_session"

bearer_scheme = HTTPBearer(
    auto_error=False,
    description="A teacher token created with `lessonaudio web token create NAME`.",
)


def unauthorized(message: str) -> ApiError:
    return ApiError(
        401,
        "unauthorized",
        message,
        where="Authorization",
        fix="send `Authorization: Bearer <token>` with a token from `lessonaudio web token create`",
        headers={"WWW-Authenticate": 'Bearer realm="lessonaudio"'},
    )


def presented_token(request: Request, credentials: HTTPAuthorizationCredentials | None) -> str | None:
    if credentials is not None:
        return credentials.credentials
    return request.cookies.get(SESSION_COOKIE)


def authenticate(store: TokenStore, token: str | None) -> TokenInfo:
    if not token:
        raise unauthorized("no teacher token given")
    info = store.authenticate(token)
    if info is None:
        raise unauthorized("the teacher token is unknown or revoked")
    return info

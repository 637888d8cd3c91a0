"""The page's sign-in sessions, kept on the server: the cookie holds a random session id, never the
teacher's token.

A cookie that held the token would hand out the long-lived credential itself to anything that can
read the browser's cookie store or a proxy log, and it could not be ended without revoking the
token. A session id is worthless once its session ends: at sign-out, at expiry, or when its token is
revoked (``SqlTokenStore.revoke`` deletes the token's sessions; authentication checks the token
as well). Only the id's sha256 is stored, so a copy of the database signs nobody in; the ids are
256-bit random, so a plain hash is enough, as for tokens.
"""

from __future__ import annotations

import hashlib
import secrets
from datetime import timedelta
from typing import Protocol

from sqlalchemy import Engine, delete, select
from sqlalchemy.orm import sessionmaker

from storage.db.models import utcnow
from web.token_store import mark_used, token_info
from web.token_table import WebSession, WebToken
from web.tokens import TokenInfo

SESSION_PREFIX = "ls_"
SESSION_LIFETIME = timedelta(hours=12)


class SessionStore(Protocol):
    lifetime: timedelta

    def start(self, token: TokenInfo) -> str:
        """A new session for an authenticated token; returns the id to put in the cookie."""
        ...

    def authenticate(self, session_id: str) -> TokenInfo | None:
        """The session's token, or None when the session is unknown, ended, expired or revoked."""
        ...

    def end(self, session_id: str) -> None: ...


def session_hash(session_id: str) -> str:
    return hashlib.sha256(session_id.encode("utf-8")).hexdigest()


class SqlSessionStore:
    """Implements :class:`SessionStore` in the catalog database, beside the tokens."""

    def __init__(self, engine: Engine, lifetime: timedelta = SESSION_LIFETIME) -> None:
        self.lifetime = lifetime
        self._sessions = sessionmaker(engine, expire_on_commit=False)

    def start(self, token: TokenInfo) -> str:
        session_id = SESSION_PREFIX + secrets.token_urlsafe(32)
        now = utcnow()
        with self._sessions.begin() as session:
            session.execute(delete(WebSession).where(WebSession.expires_at <= now))  # keeps the table small
            session.add(
                WebSession(
                    session_sha256=session_hash(session_id),
                    token_id=token.id,
                    created_at=now,
                    expires_at=now + self.lifetime,
                )
            )
        return session_id

    def authenticate(self, session_id: str) -> TokenInfo | None:
        now = utcnow()
        with self._sessions.begin() as session:
            found = session.execute(
                select(WebSession, WebToken)
                .join(WebToken, WebSession.token_id == WebToken.id)
                .where(WebSession.session_sha256 == session_hash(session_id))
            ).first()
            if found is None:
                return None
            row, token = found
            if row.expires_at <= now or token.revoked_at is not None:
                session.delete(row)
                return None
            mark_used(token, now)
            return token_info(token)

    def end(self, session_id: str) -> None:
        with self._sessions.begin() as session:
            session.execute(delete(WebSession).where(WebSession.session_sha256 == session_hash(session_id)))

"""Teacher tokens in the catalog database (SQLite by default, PostgreSQL by URL)."""

from __future__ import annotations

from datetime import datetime, timedelta

from sqlalchemy import Engine, delete, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import sessionmaker

from i18n import _
from storage.db import open_database
from storage.db.models import utcnow
from web.token_table import WebSession, WebToken
from web.tokens import Role, TokenError, TokenInfo, check_name, new_token, token_hash

LAST_USED_RESOLUTION = timedelta(minutes=1)
"""``last_used_at`` is refreshed at most this often, so authenticating is a read, not a write, per request."""


def token_info(row: WebToken) -> TokenInfo:
    return TokenInfo(row.id, row.name, Role(row.role), row.created_at, row.last_used_at, row.revoked_at)


def mark_used(row: WebToken, now: datetime) -> None:
    if row.last_used_at is None or now - row.last_used_at > LAST_USED_RESOLUTION:
        row.last_used_at = now


class SqlTokenStore:
    """Implements :class:`web.tokens.TokenStore` on the catalog's engine (migrated on open)."""

    def __init__(self, engine: Engine) -> None:
        self.engine = engine
        self._sessions = sessionmaker(engine, expire_on_commit=False)

    @classmethod
    def open(cls, url: str) -> SqlTokenStore:
        """Raises :class:`storage.db.CatalogUnavailable` (one line) when the database cannot be used."""
        return cls(open_database(url))

    def close(self) -> None:
        self.engine.dispose()

    def create(self, name: str, role: Role = Role.TEACHER) -> tuple[TokenInfo, str]:
        cleaned = check_name(name)
        token = new_token()
        row = WebToken(name=cleaned, token_sha256=token_hash(token), role=role.value, created_at=utcnow())
        try:
            with self._sessions.begin() as session:
                session.add(row)
                session.flush()
                info = token_info(row)
        except IntegrityError:
            raise TokenError(
                _("a token named {name} already exists (revoke it or choose another name)").format(
                    name=repr(cleaned)
                )
            ) from None
        return info, token

    def list(self) -> list[TokenInfo]:
        with self._sessions.begin() as session:
            return [token_info(row) for row in session.scalars(select(WebToken).order_by(WebToken.name))]

    def revoke(self, name: str) -> TokenInfo:
        with self._sessions.begin() as session:
            row = session.scalar(select(WebToken).where(WebToken.name == name.strip()))
            if row is None:
                raise TokenError(
                    _("no token named {name} (see `lessonaudio web token list`)").format(name=repr(name))
                )
            if row.revoked_at is None:
                row.revoked_at = utcnow()
            session.execute(delete(WebSession).where(WebSession.token_id == row.id))
            return token_info(row)

    def authenticate(self, token: str) -> TokenInfo | None:
        digest = token_hash(token)
        with self._sessions.begin() as session:
            row = session.scalar(select(WebToken).where(WebToken.token_sha256 == digest))
            if row is None or row.revoked_at is not None:
                return None
            mark_used(row, utcnow())
            return token_info(row)

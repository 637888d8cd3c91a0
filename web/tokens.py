"""Teacher tokens: what they look like, how they are stored (sha256 only) and the store contract.

A token is shown once, when an admin creates it; afterwards only its sha256 exists, so a leaked
database does not leak working credentials. Tokens are 256-bit random, so a plain hash (no salt, no
slow KDF) is enough and lets a request be authenticated with one indexed lookup.
"""

from __future__ import annotations

import hashlib
import re
import secrets
from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum
from typing import Protocol

from errors import InputError
from i18n import _
from storage.db.web_tokens import TOKEN_ROLES

TOKEN_PREFIX = "la_"
"""Makes a pasted token recognisable in logs and secret scanners."""

NAME_PATTERN = re.compile(r"[A-Za-z0-9][A-Za-z0-9._@-]{0,63}")


class Role(StrEnum):
    """What a token may see: a teacher their own jobs and renders, an admin everyone's."""

    TEACHER = "teacher"
    ADMIN = "admin"


assert tuple(r.value for r in Role) == TOKEN_ROLES, "keep Role in step with the table's CHECK"


class TokenError(InputError):
    """An admin request about tokens that cannot be done (duplicate or unknown name, bad name)."""


@dataclass(frozen=True, slots=True)
class TokenInfo:
    """What may be shown about a token: never the token itself."""

    id: int
    name: str
    role: Role
    created_at: datetime
    last_used_at: datetime | None
    revoked_at: datetime | None

    @property
    def active(self) -> bool:
        return self.revoked_at is None

    @property
    def is_admin(self) -> bool:
        return self.role is Role.ADMIN

    def may_see(self, owner_token_id: int | None) -> bool:
        """Whether this token may see a job or render submitted by ``owner_token_id`` (None: not
        submitted through the web, e.g. rendered with the CLI: admins only)."""
        return self.is_admin or (owner_token_id is not None and owner_token_id == self.id)


class TokenStore(Protocol):
    """Where token hashes live; the SQL catalog today, anything with these four methods tomorrow."""

    def create(self, name: str, role: Role = Role.TEACHER) -> tuple[TokenInfo, str]:
        """A new token for ``name``; returns its info and the plain token (to show once)."""
        ...

    def list(self) -> list[TokenInfo]: ...

    def revoke(self, name: str) -> TokenInfo:
        """Refuse the token from now on, and end every page session signed in with it."""
        ...

    def authenticate(self, token: str) -> TokenInfo | None:
        """The active token's info, or None for unknown or revoked tokens."""
        ...


def new_token() -> str:
    return TOKEN_PREFIX + secrets.token_urlsafe(32)


def token_hash(token: str) -> str:
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


def check_name(name: str) -> str:
    """Token names appear in logs and rate-limit keys, so keep them short and printable."""
    cleaned = name.strip()
    if not NAME_PATTERN.fullmatch(cleaned):
        raise TokenError(
            _(
                "invalid token name {name}: use 1-64 letters, digits, '.', '_', '@' or '-', "
                "starting with a letter or digit"
            ).format(name=repr(name))
        )
    return cleaned

"""The catalog's database as entry points pass it down.

Outside ``storage.db`` so that choosing the database costs no SQLAlchemy: the wiring builds this for
commands that may never open the catalog.
"""

from __future__ import annotations

from dataclasses import dataclass

DEFAULT_DB_NAME = "lessonaudio.db"
"""The embedded catalog's file name under the cache folder, used when no database URL is set."""


@dataclass(frozen=True, slots=True)
class DatabaseConfig:
    """What the flow and CLI pass down: the URL only (engines are made where they are used)."""

    url: str

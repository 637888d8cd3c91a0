"""The token table lives with the other catalog tables in ``storage.db``; re-exported for the web code."""

from storage.db.web_tokens import WebToken

__all__ = ["WebToken"]

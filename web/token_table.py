"""The token and session tables live with the other catalog tables in ``storage.db``; re-exported for
the web code."""

from storage.db.web_tokens import WebSession, WebToken

__all__ = ["WebSession", "WebToken"]

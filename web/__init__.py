"""The teachers' web page and HTTP API (``lessonaudio web``): check, preview, render, listen, download.

Build the application with :func:`web.app.create_app`; this package itself imports nothing heavy so
that the token table can be registered with the catalog's migrations without loading FastAPI.
"""

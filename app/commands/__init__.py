"""CLI subcommands, one module each.

``app.cli`` imports every module here to build the command line, so whatever a module imports at its
top is paid by every command, ``--help`` included. Libraries a command needs (the catalog, the front
end, voices, Prefect) are imported inside the functions that use them, and annotations name them under
``TYPE_CHECKING``; ``tests/test_import_budget.py`` holds each command to its budget.
"""

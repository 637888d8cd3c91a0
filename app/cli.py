"""The ``lessonaudio`` command: the one entry point teachers and operators type.

Each subcommand reads settings once and calls into the library. What it raises is not caught there:
the root group (:class:`app.exit_codes.ExitCodeGroup`) turns every error into one line on stderr and
the exit code of its kind, documented in ``app.exit_codes``.
"""

from __future__ import annotations

import os

import typer

from app.commands import cache as cache_command
from app.commands import db as db_command
from app.commands import g2p as g2p_command
from app.commands import models as models_command
from app.commands import qa as qa_command
from app.commands import qa_summary as qa_summary_command
from app.commands import render as render_command
from app.commands import renders as renders_command
from app.commands import say as say_command
from app.commands import serve as serve_command
from app.commands import server as server_command
from app.commands import validate as validate_command
from app.commands import web as web_command
from app.exit_codes import ExitCodeGroup
from i18n import N_, language_from_env, use_language

app = typer.Typer(
    name="lessonaudio",
    cls=ExitCodeGroup,
    help=N_("Turn Chinese lesson scripts (YAML) into finished lesson audio."),
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)
app.command("validate")(validate_command.validate)
app.command("g2p")(g2p_command.g2p)
app.command("render")(render_command.render)
app.command("say")(say_command.say)
app.command("serve")(serve_command.serve)
app.command("deploy")(serve_command.deploy)
app.command("worker")(serve_command.worker)
app.add_typer(models_command.app, name="models")
app.add_typer(renders_command.app, name="renders")
app.add_typer(db_command.app, name="db")
app.add_typer(cache_command.app, name="cache")
qa_command.app.command("summary")(qa_summary_command.qa_summary)
app.add_typer(qa_command.app, name="qa")
app.add_typer(web_command.app, name="web")
app.add_typer(server_command.app, name="server")


def main() -> None:
    """Run the command in the reader's language: ``LESSONAUDIO_LANG``, else the locale.

    The process then ends without the interpreter's teardown (``app.fast_exit``).
    """
    from app.fast_exit import leave

    try:
        with use_language(language_from_env(os.environ)):
            app()
    except SystemExit as done:
        leave(done.code)
    leave(0)


if __name__ == "__main__":
    main()

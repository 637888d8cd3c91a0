"""The ``lessonaudio`` command: the one entry point teachers and operators type.

Each subcommand reads settings once, calls into the library, and turns the project's own exceptions
into a clear message and exit code 1; a traceback here would mean a bug, not bad input.
"""

from __future__ import annotations

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

app = typer.Typer(
    name="lessonaudio",
    help="Turn Chinese lesson scripts (YAML) into finished lesson audio.",
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
    try:
        app()
    except Exception as err:
        # Settings are read inside each command; a bad variable is the operator's input, not a bug.
        # Imported only now: config costs pydantic, which --help and most commands never need.
        from config import SettingsError

        if not isinstance(err, SettingsError):
            raise
        typer.echo(f"lessonaudio: bad setting: {err}", err=True)
        raise SystemExit(2) from None


if __name__ == "__main__":
    main()

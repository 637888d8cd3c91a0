"""The ``lessonaudio`` command's exit codes, and the one place an error becomes one of them.

Commands do not catch the project's exceptions: they let them reach :class:`ExitCodeGroup`, the root
command's group, which prints what went wrong on stderr and exits with the code of its kind, so a
script or CI job can tell "fix your input" from "try again later" without reading the text.

====  =====================================================================================
code  meaning
====  =====================================================================================
0     done
1     the work failed (``WorkFailedError``, or a project error of no kind), or a check said
      no: ``qa --fail-over`` over its limit, ``server status`` when the server is not running
2     input: a script, a setting, an option or the command line is wrong; fixing it is the
      fix (``InputError``; click's own usage errors are 2 as well)
3     not found: a render id, a catalog, a course, a work pool (``NotFoundError``)
4     unavailable: a database, a bucket, a model, the Prefect server or the disk cannot be
      used now; start it, free it, retry (``UnavailableError``, and the machine's own
      ``OSError`` and ``SQLAlchemyError``)
70    a bug (any other exception): one line; ``LESSONAUDIO_DEBUG=1`` adds the traceback
130   interrupted (Ctrl-C)
====  =====================================================================================

The message is one line, ``error: <message>``, bounded in length and never a traceback. A lesson
script's errors are the exception: each diagnostic gets its own ``file:line:col:`` line, which
editors jump to, and a last ``error:`` line counts them.
"""

from __future__ import annotations

import errno
import os
import sys
import traceback
from collections.abc import Sequence
from typing import Any

import typer
from typer._click.exceptions import ClickException
from typer.core import TyperGroup

from errors import InputError, LessonaudioError, NotFoundError, UnavailableError, WorkFailedError
from i18n import N_, _
from i18n.os_reasons import os_reason
from text_frontend.excerpt import one_line

OK = 0
FAILED = 1
INPUT = 2
NOT_FOUND = 3
UNAVAILABLE = 4
BUG = 70
INTERRUPTED = 130

DEBUG_VARIABLE = "LESSONAUDIO_DEBUG"
"""Set (to anything but empty or 0), every error also prints its traceback, with the same exit code."""

KINDS: tuple[tuple[type[LessonaudioError], int], ...] = (
    # Order matters where a class has two kinds: a bad database URL is also "the catalog is
    # unavailable", but fixing the URL is the fix; a voice that cannot load is also an engine error.
    (InputError, INPUT),
    (NotFoundError, NOT_FOUND),
    (UnavailableError, UNAVAILABLE),
    (WorkFailedError, FAILED),
)
MACHINE_HINT = N_("check the path, its permissions and the free disk space")


def exit_code(error: BaseException) -> int:
    """The exit code for ``error`` (see the module's table)."""
    if isinstance(error, LessonaudioError):
        return next((code for kind, code in KINDS if isinstance(error, kind)), FAILED)
    if isinstance(error, OSError) or _is_sqlalchemy(error):
        return UNAVAILABLE
    return BUG


def error_lines(error: BaseException) -> list[str]:
    """What the command prints on stderr for ``error``: one line, or a script's diagnostics and one."""
    if _is(error, "lesson_specs.diagnostics", "SpecError"):
        from lesson_specs import SpecError  # already loaded: ``_is`` found it

        assert isinstance(error, SpecError)
        found = len(error.errors)
        where = error.diagnostics[0].file if error.diagnostics else _("the script")
        last = _("{where} has {found} error(s), listed above").format(where=where, found=found)
        return [*(str(d) for d in error.diagnostics), _error_line(last)]
    return [_error_line(one_line(_message(error)))]


def _error_line(message: str) -> str:
    """``error: <message>``, the prefix in the reader's language (scripts read the exit code)."""
    return _("error: {message}").format(message=message)


def _is(error: BaseException, module: str, name: str) -> bool:
    """``error`` is ``module.name``, asked without importing ``module``: an error of a module that
    was never loaded cannot be raised, and a command's imports stay what it needs on success."""
    loaded = sys.modules.get(module)
    kind = getattr(loaded, name, None)
    return isinstance(kind, type) and isinstance(error, kind)


def _message(error: BaseException) -> str:
    if _is(error, "app.prefect_server", "PrefectServerError"):  # the message ends with the server's
        first = (str(error).splitlines() or [""])[0].rstrip(":：")  # log: name the file instead
        return _("{message} (its log: {log})").format(message=first, log=getattr(error, "log", "?"))
    if _is(error, "config.settings", "SettingsError"):
        return _("bad setting: {problem}").format(problem=error)
    if isinstance(error, LessonaudioError):
        return str(error)
    if isinstance(error, OSError):  # a full disk, a folder that cannot be created or written
        shown = _os_error(error)
        return _("{error} ({hint})").format(error=shown, hint=_(MACHINE_HINT)) if error.filename else shown
    if _is_sqlalchemy(error):  # a write after the catalog opened: a disk that filled up, say
        return _database_message(error)
    return _(
        "unexpected {kind}: {error} (a bug: rerun with {variable}=1 for the traceback, and please report it)"
    ).format(kind=type(error).__name__, error=error, variable=DEBUG_VARIABLE)


def _os_error(error: OSError) -> str:
    """``str(error)`` with the reason in the reader's language where :mod:`i18n.os_reasons` has it."""
    reason = os_reason(error)
    if reason is None:
        return str(error)
    shown = f"[Errno {error.errno}] {reason}"
    if error.filename is not None:
        shown += f": {error.filename!r}"
    if error.filename2 is not None:
        shown += f" -> {error.filename2!r}"
    return shown


def _is_sqlalchemy(error: BaseException) -> bool:
    return _is(error, "sqlalchemy.exc", "SQLAlchemyError")


def _database_message(error: BaseException) -> str:
    """The catalog database's name and the driver's reason; the catalog is the only SQL database."""
    from config import load_settings
    from storage.db.session import database_error
    from wiring import database_config

    try:
        url = database_config(load_settings()).url
    except LessonaudioError:
        origin = getattr(error, "orig", None) or error
        reason = (str(origin).strip().splitlines() or [""])[0]
        return _("the catalog database: {reason}").format(reason=reason)
    return str(database_error(url, error))


def debugging() -> bool:
    return os.environ.get(DEBUG_VARIABLE, "").strip() not in ("", "0")


def report(error: Exception) -> int:
    """Print ``error`` the way every command does, and return its exit code."""
    if debugging():
        traceback.print_exception(error)
    for line in error_lines(error):
        typer.echo(line, err=True)
    return exit_code(error)


class ExitCodeGroup(TyperGroup):
    """The root command: whatever a subcommand raises ends here, as one message and one exit code.

    Click's own exceptions (usage errors, ``typer.Exit``, Abort) and a closed pipe keep click's
    handling, their words in the reader's language (:mod:`app.usage_text`); everything else goes
    through :func:`report`.
    """

    def main(
        self,
        args: Sequence[str] | None = None,
        prog_name: str | None = None,
        complete_var: str | None = None,
        standalone_mode: bool = True,
        windows_expand_args: bool = True,
        **extra: Any,
    ) -> Any:
        from app.usage_text import speak_help

        args = sys.argv[1:] if args is None else list(args)
        speak_help(self, args)
        return super().main(args, prog_name, complete_var, standalone_mode, windows_expand_args, **extra)

    def make_context(self, info_name: str | None, args: list[str], parent: Any = None, **extra: Any) -> Any:
        try:
            return super().make_context(info_name, args, parent, **extra)
        except ClickException as error:  # the root's own options, or the bare command's help page
            raise _in_readers_words(error) from None

    def invoke(self, ctx: Any) -> Any:  # typer vendors its own click: its Context is not public
        try:
            return super().invoke(ctx)
        except ClickException as error:  # a subcommand's usage error
            raise _in_readers_words(error) from None
        except typer.Abort:
            from app.usage_text import use_readers_words

            use_readers_words(help_page=True)
            raise
        except (typer.Exit, typer.TyperException):
            raise
        except Exception as error:
            if isinstance(error, OSError) and error.errno == errno.EPIPE:  # click quiets a closed pipe
                raise
            raise typer.Exit(report(error)) from None


def _in_readers_words(error: ClickException) -> ClickException:
    from app.usage_text import in_readers_words

    return in_readers_words(error)

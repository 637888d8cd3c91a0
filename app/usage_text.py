"""The command line's own words (usage errors, the help page's headings) in the reader's language.

Typer ships its own copy of click with gettext taken out: a usage error is an English f-string made
where the parser gives up, and the help page's headings ("Usage:", "Options", "[required]") are
English constants, read once when ``typer.rich_utils`` is first imported. A teacher who types a
wrong option would read English. So each usage error is said again here from its class and fields
(or, where click keeps only its sentence, from that sentence's known shape), and the headings are
set from the catalog before a help page or an error is drawn. The command is one process in one
language, so setting Typer's module-level text once, at start-up, is enough; ``typer.rich_utils``
(which loads Rich) is only imported when a help page or an error is about to be shown.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from typing import Any

from typer._click import decorators as _decorators
from typer._click.core import Command
from typer._click.exceptions import (
    BadParameter,
    ClickException,
    MissingParameter,
    NoArgsIsHelpError,
    NoSuchOption,
    UsageError,
)
from typer._click.formatting import HelpFormatter
from typer.core import TyperGroup

from i18n import N_, _, current_language
from i18n.problems import problem_message

__all__ = ["help_text", "in_readers_words", "speak_help", "usage_message", "use_readers_words"]

_MISSING = {
    "argument": N_("Missing argument {name}."),
    "option": N_("Missing option {name}."),
    "parameter": N_("Missing parameter {name}."),
}


def _shape(pattern: str, message: str) -> tuple[re.Pattern[str], str]:
    return re.compile(pattern, re.DOTALL), message


# Click's sentences that keep no fields of their own, matched whole (after Typer's "Did you mean").
_SENTENCES = (
    _shape(r"Option (?P<name>'.+') requires an argument\.", N_("Option {name} requires an argument.")),
    _shape(
        r"Option (?P<name>'.+') requires (?P<count>\d+) arguments\.",
        N_("Option {name} requires {count} arguments."),
    ),
    _shape(r"Option (?P<name>'.+') does not take a value\.", N_("Option {name} does not take a value.")),
    _shape(
        r"Argument (?P<name>'.+') takes (?P<count>\d+) values\.", N_("Argument {name} takes {count} values.")
    ),
    _shape(
        r"Got unexpected extra argument\(s\) \((?P<arguments>.*)\)",
        N_("Got unexpected extra argument(s) ({arguments})"),
    ),
    _shape(r"No such command (?P<name>'.*')\.", N_("No such command {name}.")),
    _shape(
        r"No such command (?P<name>'.*')\. Did you mean (?P<suggestions>.+)\?",
        N_("No such command {name}. Did you mean {suggestions}?"),
    ),
    _shape(r"Missing command\.", N_("Missing command.")),
)

# What Typer says of a value it cannot take, when no pydantic error stands behind it.
_PATH = r"(?:file|dir|path) (?P<path>.+)"
_PROBLEMS = (
    _shape(r"(?P<value>'.*') is not one of (?P<choices>.+)\.", N_("{value} is not one of {choices}.")),
    _shape(_PATH + r" does not exist\.", N_("{path} does not exist.")),
    _shape(_PATH + r" is a file\.", N_("{path} is a file.")),
    _shape(_PATH + r" is a directory\.", N_("{path} is a directory.")),
    _shape(_PATH + r" is not readable\.", N_("{path} is not readable.")),
    _shape(_PATH + r" is not writable\.", N_("{path} is not writable.")),
)

# Typer's help-page text, by the name it has in ``typer.rich_utils``.
_HEADINGS = {
    "DEPRECATED_STRING": N_("(deprecated) "),
    "DEFAULT_STRING": N_("[default: {}]"),
    "ENVVAR_STRING": N_("[env var: {}]"),
    "REQUIRED_LONG_STRING": N_("[required]"),
    "ARGUMENTS_PANEL_TITLE": N_("Arguments"),
    "OPTIONS_PANEL_TITLE": N_("Options"),
    "COMMANDS_PANEL_TITLE": N_("Commands"),
    "ERRORS_PANEL_TITLE": N_("Error"),
    "ABORTED_TEXT": N_("Aborted."),
    "RICH_HELP": N_("Try [blue]'{command_path} {help_option}'[/] for help."),
}
HELP_OPTION_TEXT = N_("Show this message and exit.")
USAGE_PREFIX = N_("Usage: ")


def _said(patterns: Sequence[tuple[re.Pattern[str], str]], text: str) -> str | None:
    for pattern, template in patterns:
        found = pattern.fullmatch(text)
        if found:
            return _(template).format(**found.groupdict())
    return None


def _hint(error: BadParameter) -> str | None:
    hint: Sequence[str] | str | None = error.param_hint
    if hint is None and error.param is not None:
        hint = error.param.get_error_hint()
    if hint is None or isinstance(hint, str):
        return hint
    return " / ".join(repr(x) for x in hint)


def _problem(error: BadParameter) -> str:
    """Why the value was refused: pydantic's reason where one stands behind it, else Typer's sentence."""
    cause = error.__cause__
    errors = getattr(cause, "errors", None)
    if callable(errors) and type(cause).__name__ == "ValidationError":
        found = errors()
        if found:
            return problem_message(found[0])
    said = _said(_PROBLEMS, error.message)
    if said is not None or current_language() == "en":
        return said or error.message
    return _("invalid value ({detail})").format(detail=error.message)


def usage_message(error: ClickException) -> str:
    """What ``error`` says, in the reader's language; click's own sentence only for English."""
    if isinstance(error, MissingParameter):
        kind = error.param_type or (error.param.param_type_name if error.param is not None else "parameter")
        hint = _hint(error)
        message = _(_MISSING.get(kind, _MISSING["parameter"])).format(name=hint or "").replace(" .", ".")
        extra = error.param.get_missing_message(ctx=error.ctx) if error.param is not None else ""
        if extra:  # Typer's "Choose from:\n\t<a>,\n\t<b>"
            choices = extra.partition(":")[2].strip()
            message += " " + _("Choose from: {choices}").format(choices=" ".join(choices.split()))
        return message
    if isinstance(error, BadParameter):
        hint = _hint(error)
        problem = _problem(error)
        if hint is None:
            return _("Invalid value: {problem}").format(problem=problem)
        return _("Invalid value for {name}: {problem}").format(name=hint, problem=problem)
    if isinstance(error, NoSuchOption) and error.message.startswith("No such option: "):
        message = _("No such option: {name}").format(name=error.option_name)
        if error.possibilities:
            options = ", ".join(sorted(error.possibilities))
            message += " " + _("(Possible options: {options})").format(options=options)
        return message
    text = error.format_message()
    said = _said(_SENTENCES, text)
    if said is not None or current_language() == "en":
        return said or text
    return _("the command line is wrong ({detail})").format(detail=text)


def in_readers_words(error: ClickException) -> ClickException:
    """``error`` again, in the reader's language: what the caller raises in its place.

    A group called bare has printed its help page already (see :func:`speak_help`): kept as is.
    """
    if isinstance(error, NoArgsIsHelpError):
        return error
    use_readers_words(help_page=True)
    message = usage_message(error)
    again = UsageError(message, error.ctx) if isinstance(error, UsageError) else ClickException(message)
    again.exit_code = error.exit_code
    return again


def use_readers_words(*, help_page: bool = False) -> None:
    """Set Typer's words in the current language: the help option's text and "Usage:" always (cheap),
    the help page's headings when ``help_page`` (that imports Rich, which most commands do not need).
    """
    global _original_help_option
    if _original_help_option is None:
        _original_help_option = _decorators.help_option
        _decorators.help_option = _help_option
        HelpFormatter.write_usage = _write_usage  # type: ignore[method-assign]
    if help_page:
        from typer import rich_utils

        for name, text in _HEADINGS.items():
            setattr(rich_utils, name, _(text))
        if current_language() != "en" and not hasattr(rich_utils._get_parameter_help, "folds"):
            rich_utils._get_parameter_help = _folding(rich_utils._get_parameter_help)


def speak_help(root: TyperGroup, args: Sequence[str]) -> None:
    """Before the command line is parsed: Typer draws a help page while parsing, for ``--help`` or
    for a group named with nothing after it, so its headings must be in place by then."""
    wanted = list(args)
    if "--" in wanted:
        wanted = wanted[: wanted.index("--")]
    command: Command | None = root
    for token in wanted:
        command = command.commands.get(token) if isinstance(command, TyperGroup) else None
    bare_group = isinstance(command, TyperGroup) and command.no_args_is_help
    help_page = "--help" in wanted or bare_group
    use_readers_words(help_page=help_page)
    if help_page and current_language() != "en":
        _speak_commands(root)


_FILLED: dict[str, tuple[str, dict[str, str]]] = {}


def help_text(template: str, **values: str) -> str:
    """``template`` filled with ``values``, remembered so the help page can say it in the reader's words.

    Typer keeps a help text as the string it was given; one with values in it (the statuses a render
    can have) is no catalog msgid, so its template and values are kept here by the filled text.
    """
    text = template.format(**values)
    _FILLED[text] = (template, values)
    return text


def _reworded(text: str | None) -> str | None:
    if not text:
        return text
    filled = _FILLED.get(text)
    if filled is not None:
        return _(filled[0]).format(**filled[1])
    return _(text)


def _speak_commands(command: Command) -> None:
    """Every command's and parameter's help text in the reader's language, before a help page is drawn.

    Typer builds the whole command tree from English docstrings and ``help=`` texts (marked for the
    catalog with ``N_``, docstrings by ``i18n.command_help``); a dictionary lookup per text costs far
    less than drawing the page.
    """
    command.help = _reworded(command.help)
    command.short_help = _reworded(command.short_help)
    for param in command.params:
        if getattr(param, "help", None):
            param.help = _reworded(param.help)  # type: ignore[attr-defined]
    if isinstance(command, TyperGroup):
        for sub in command.commands.values():
            _speak_commands(sub)


_original_help_option: Callable[[list[str]], Callable[[Any], Any]] | None = None
_original_write_usage = HelpFormatter.write_usage


def _help_option(param_decls: list[str]) -> Callable[[Any], Any]:
    """Click's ``--help`` option, its text in the reader's language (Typer pops it off the command)."""
    assert _original_help_option is not None
    decorate = _original_help_option(param_decls)

    def apply(command: Any) -> Any:
        command = decorate(command)
        command.params[-1].help = _(HELP_OPTION_TEXT)
        return command

    return apply


def _folding(parameter_help: Callable[..., Any]) -> Callable[..., Any]:
    """Typer's parameter help, folded where a line is too long rather than cut with an ellipsis.

    Rich breaks lines at spaces and cuts a longer run short inside the options table; Chinese has
    no spaces, so a sentence of help would lose its end. Only a reader of such a language needs it.
    """

    def folded(*args: Any, **kwargs: Any) -> Any:
        from rich.text import Text

        columns = parameter_help(*args, **kwargs)
        for item in getattr(columns, "renderables", ()):
            if isinstance(item, Text):
                item.overflow = "fold"
        return columns

    folded.folds = True  # type: ignore[attr-defined]
    return folded


def _write_usage(self: HelpFormatter, prog: str, args: str = "", prefix: str | None = None) -> None:
    _original_write_usage(self, prog, args, _(USAGE_PREFIX) if prefix is None else prefix)

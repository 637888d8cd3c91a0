"""Babel extraction of the command line's help pages: Typer takes a command's help from its docstring.

A docstring cannot be wrapped in ``N_``, yet it is what ``lessonaudio render --help`` shows, so the
catalog needs it. This extractor is Babel's own Python extraction plus the docstrings of functions
that are commands: decorated with ``.command(...)`` or ``.callback(...)``, or taking a parameter
declared with ``typer.Argument`` or ``typer.Option``. The docstring is cleaned as Typer cleans it
(``inspect.cleandoc``), so the text the help page holds is the catalog's msgid. Only Babel imports
this module, when ``make messages`` or the catalog test extracts.
"""

from __future__ import annotations

import ast
import io
from collections.abc import Collection, Iterator, Mapping
from typing import IO, Any

from babel.messages.extract import extract_python

__all__ = ["extract"]

_COMMAND_DECORATORS = ("command", "callback")


def _declares_typer_parameter(node: ast.FunctionDef) -> bool:
    for argument in (*node.args.args, *node.args.kwonlyargs):
        if argument.annotation is None:
            continue
        for part in ast.walk(argument.annotation):
            called = part.func if isinstance(part, ast.Call) else None
            if isinstance(called, ast.Attribute) and called.attr in ("Argument", "Option"):
                return True
    return False


def _is_command(node: ast.FunctionDef) -> bool:
    for decorator in node.decorator_list:
        called = decorator.func if isinstance(decorator, ast.Call) else decorator
        if isinstance(called, ast.Attribute) and called.attr in _COMMAND_DECORATORS:
            return True
    return _declares_typer_parameter(node)


def extract(
    fileobj: IO[bytes], keywords: Mapping[str, Any], comment_tags: Collection[str], options: Mapping[str, Any]
) -> Iterator[tuple[Any, ...]]:
    """Babel's extraction of ``_()`` and ``N_()`` calls, then each command's docstring."""
    source = fileobj.read()
    yield from extract_python(io.BytesIO(source), keywords, comment_tags, options)  # type: ignore[arg-type]
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.FunctionDef) and _is_command(node):
            doc = ast.get_docstring(node, clean=True)
            if doc:
                yield node.body[0].lineno, None, doc, []

"""YAML read as a tree of positioned nodes, so every message can name a line and column.

We compose (never construct) with the safe loader: no Python objects are built from tags, scalars stay
the text the teacher typed (``text: 2024`` is the string "2024", not an int), and every value keeps
the marks we need to map a character of a paragraph back to its place in the file.
"""

from __future__ import annotations

import bisect
import re
from dataclasses import dataclass

import yaml

from i18n import N_, _, current_language

MAX_NODES = 50_000
"""Anchors and aliases can make a small file expand enormously; we stop walking long before that."""


@dataclass(frozen=True, slots=True)
class YamlProblem:
    line: int
    col: int
    message: str


def compose(text: str) -> yaml.Node | YamlProblem | None:
    """Parse ``text`` to a node tree, or describe the syntax error at its position."""
    try:
        return yaml.compose(text, Loader=yaml.SafeLoader)
    except yaml.MarkedYAMLError as err:
        mark = err.problem_mark or err.context_mark
        line, col = (mark.line + 1, mark.column + 1) if mark else (1, 1)
        return YamlProblem(
            line, col, syntax_message(err.problem or err.context or _("invalid YAML"), err.context)
        )
    except (yaml.YAMLError, RecursionError, ValueError) as err:
        return YamlProblem(1, 1, syntax_message(str(err)))


def _shape(pattern: str, message: str) -> tuple[re.Pattern[str], str]:
    return re.compile(pattern), message


# The parser's problems a teacher meets most, by the words PyYAML and ruamel.yaml both use.
_SHAPES = (
    _shape(
        r"found character '\\t' that cannot start any token",
        N_("a tab is used for indentation: indent with spaces only"),
    ),
    _shape(
        r"found character '(?P<char>.)' that cannot start any token",
        N_("a value cannot begin with “{char}”: put the value in quotes"),
    ),
    _shape(
        r"mapping values are not allowed here",
        N_("a colon followed by a space inside unquoted text: put the text in quotes"),
    ),
    _shape(
        r"expected <block end>",
        N_("this line is not indented like the lines it belongs with: check the spaces at its start"),
    ),
    _shape(
        r"could not find expected ':'",
        N_("a line has no colon after its key: write it as `key: value`, or indent it under the line above"),
    ),
    _shape(r"found unexpected end of stream", N_("a quote is opened but never closed")),
    _shape(
        r"sequence entries are not allowed here",
        N_(
            "a list item (“- ”) cannot follow a key on the same line: start the list on the next line,"
            " indented under the key, or put the value in quotes"
        ),
    ),
    _shape(
        r"expected the node content, but found '<stream end>'",
        N_(
            "a “[” or “{{” is opened but the script ends before it is closed:"
            " close it, or put the value in quotes"
        ),
    ),
    _shape(
        r"expected the node content, but found '(?P<found>[^']+)'",
        N_("a value is missing before “{found}”: write the value, or put the whole value in quotes"),
    ),
    _shape(
        r"found unknown escape character '(?P<char>.+)'",
        N_(
            "inside double quotes a backslash starts an escape, and “\\{char}” is none:"
            " write \\\\ for a backslash, or use single quotes"
        ),
    ),
    _shape(
        r"expected ',' or '(?P<bracket>[\]}])', but got",
        N_("a “[” or “{{” is not closed with “{bracket}”, or its items are not separated by commas"),
    ),
    _shape(
        r"unacceptable character (?P<code>#x[0-9a-fA-F]+)",
        N_("the text holds an invisible control character ({code}): delete it or type that part again"),
    ),
    _shape(
        r"but found another document",
        N_("a script is one YAML document: remove the extra `---` line (or what follows it)"),
    ),
    _shape(
        r"found undefined alias '(?P<name>.*)'",
        N_("a value starting with “*” is read as a YAML alias: put the value in quotes"),
    ),
    _shape(
        r"while scanning an alias",
        N_("a value starting with “*” is read as a YAML alias: put the value in quotes"),
    ),
    _shape(
        r"while scanning an anchor",
        N_("a value starting with “&” is read as a YAML anchor: put the value in quotes"),
    ),
    _shape(
        r'found duplicate key "(?P<key>[^"]*)"',
        N_("the key “{key}” appears twice in the same block: keep one of them"),
    ),
)


def syntax_message(problem: str, context: str | None = None) -> str:
    """The parser's ``problem`` as the teacher should read it.

    The parsers speak English only. For an English reader their words stay as they are; anyone else
    reads what usually causes it and what to do, with the parser's own words (its first line)
    after it in parentheses, for whoever helps them. A problem with no known shape keeps its words.
    ``context`` is what the parser was reading (``while scanning an alias``), when the problem
    alone does not say enough.
    """
    if current_language() != "en":
        for pattern, message in _SHAPES:
            found = pattern.search(problem) or pattern.search(context or "")
            if found:
                plain = _(message).format(**found.groupdict())
                detail = problem.strip().splitlines()[0]
                return _("YAML syntax error: {plain} ({problem})").format(plain=plain, problem=detail)
    return _("YAML syntax error: {problem}").format(problem=problem)


def first_alias(text: str) -> tuple[int, int] | None:
    """Where the first alias (``*name``) is, 1-based line and column, or None.

    For readers that build plain values from the script (the paragraph editor's round trip): an
    alias is expanded into every place it stands, so a few hundred bytes of nested aliases become
    gigabytes. Reading events only, this costs no more than the text's size.
    """
    try:
        for event in yaml.parse(text, Loader=yaml.SafeLoader):
            if isinstance(event, yaml.AliasEvent):
                mark = event.start_mark
                return (mark.line + 1, mark.column + 1) if mark else (1, 1)
    except (yaml.YAMLError, RecursionError, ValueError):  # a syntax error: :func:`compose` reports it
        return None
    return None


def start(node: yaml.Node) -> tuple[int, int]:
    """1-based line and column where ``node`` begins."""
    return node.start_mark.line + 1, node.start_mark.column + 1


class SourceText:
    """The script's text with its line starts, so positions of many scalars cost one scan."""

    def __init__(self, text: str) -> None:
        self.text = text
        self._line_starts = [0] + [i + 1 for i, ch in enumerate(text) if ch == "\n"]

    def line_col(self, index: int) -> tuple[int, int]:
        line = bisect.bisect_right(self._line_starts, index) - 1
        return line + 1, index - self._line_starts[line] + 1

    def scalar_positions(self, node: yaml.ScalarNode) -> tuple[tuple[int, int], ...]:
        """1-based (line, column) of every character of a scalar's *value*.

        Quoting, escapes, block indentation and folding mean value offsets are not source offsets; we
        walk value and source together, matching characters and letting any run of source whitespace
        stand for value whitespace. Where the walk gets lost (an escape sequence), the remaining
        characters fall back to the node's start, which still names the right line in the common case.
        """
        value: str = node.value
        src_from, src_to = node.start_mark.index, node.end_mark.index
        src = self.text[src_from:src_to]
        j = 1 if node.style in ("'", '"') else 0
        if node.style in ("|", ">"):
            j = src.find("\n") + 1 if "\n" in src else len(src)
        out: list[tuple[int, int]] = []
        for ch in value:
            while j < len(src) and not (src[j] == ch or (ch.isspace() and src[j].isspace())):
                j += 1
            if j >= len(src):
                break
            out.append(self.line_col(src_from + j))
            j += 1
        out.extend([start(node)] * (len(value) - len(out)))
        return tuple(out)

"""YAML read as a tree of positioned nodes, so every message can name a line and column.

We compose (never construct) with the safe loader: no Python objects are built from tags, scalars stay
the text the teacher typed (``text: 2024`` is the string "2024", not an int), and every value keeps
the marks we need to map a character of a paragraph back to its place in the file.
"""

from __future__ import annotations

import bisect
from dataclasses import dataclass

import yaml

from i18n import _

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
        what = err.problem or err.context or _("invalid YAML")
        return YamlProblem(line, col, _("YAML syntax error: {problem}").format(problem=what))
    except (yaml.YAMLError, RecursionError, ValueError) as err:
        return YamlProblem(1, 1, _("YAML syntax error: {problem}").format(problem=err))


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

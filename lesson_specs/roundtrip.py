"""A lesson script edited paragraph by paragraph and written back as the teacher wrote it.

The page's paragraph editor and its YAML view edit the same script, so the YAML the editor writes
must keep what the teacher put there: comments, key order, quoting and indentation. ruamel.yaml's
round-trip mode keeps those; this module only decides where the comments between paragraphs go when
paragraphs are moved: a comment written above a paragraph moves with it (ruamel attaches it to the
paragraph before), and comments after the last paragraph stay at the end of the list.

Nothing here validates a lesson (``load_spec`` does); a script only has to be YAML with a
``paragraphs:`` list to be edited.
"""

from __future__ import annotations

import io
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from itertools import pairwise
from typing import Any

import yaml as pyyaml
from ruamel.yaml import YAML
from ruamel.yaml.comments import CommentedMap, CommentedSeq
from ruamel.yaml.error import CommentMark, MarkedYAMLError, YAMLError
from ruamel.yaml.scalarstring import LiteralScalarString, ScalarString, SingleQuotedScalarString
from ruamel.yaml.tokens import CommentToken

from errors import InputError
from i18n import _
from lesson_specs.yaml_source import YamlProblem, compose, first_alias

PARAGRAPH_KEYS = ("text", "emotion", "pause_after")
_POST = 2  # ruamel's slot, in a key's comment list, for the comment lines after its value


class RoundTripError(InputError):
    """The script cannot be edited as paragraphs: where (1-based line, column) and what to change."""

    def __init__(self, line: int, col: int, message: str, fix: str) -> None:
        self.line = line
        self.col = col
        self.message = message
        self.fix = fix
        super().__init__(f"line {line}, column {col}: {message} ({fix})")


@dataclass(frozen=True, slots=True)
class ScriptParagraph:
    """One paragraph as written: ``emotion``/``pause_after`` are None where the script leaves them out."""

    index: int
    """0-based place in the script's ``paragraphs:`` list; edits name it to keep the paragraph's comments."""
    text: str
    emotion: str | None
    pause_after: str | None
    line: int
    """1-based line where the paragraph starts, as validation messages count."""


@dataclass(frozen=True, slots=True)
class ScriptOutline:
    """What the paragraph editor shows of a script."""

    paragraphs: tuple[ScriptParagraph, ...]
    emotion: str | None
    """The script's default emotion (top-level ``emotion:``), if it sets one."""
    lexicon: dict[str, str]
    """The lesson's own ``lexicon:`` entries, word to reading."""


@dataclass(frozen=True, slots=True)
class ParagraphEdit:
    """A paragraph of the edited list: ``source`` is the index it had in the script, None when new."""

    source: int | None
    text: str
    emotion: str | None = None
    pause_after: str | None = None


def outline(script: str) -> ScriptOutline:
    """The script's paragraphs with their line numbers, its default emotion and its lexicon."""
    root = _load(script)
    items = _paragraph_list(root)
    paragraphs = tuple(_read_paragraph(i, item, items) for i, item in enumerate(items))
    emotion = root.get("emotion")
    lexicon = root.get("lexicon")
    entries = (
        {str(k): str(v) for k, v in lexicon.items() if v is not None} if isinstance(lexicon, Mapping) else {}
    )
    return ScriptOutline(paragraphs, str(emotion) if emotion is not None else None, entries)


def apply_edits(
    script: str, edits: Sequence[ParagraphEdit], lexicon_add: Mapping[str, str] | None = None
) -> str:
    """``script`` with its paragraph list replaced by ``edits`` and ``lexicon_add`` set in its lexicon.

    Everything outside the paragraphs (comments, key order, other keys) is written back unchanged;
    an unchanged list gives back the script byte for byte, as far as ruamel.yaml can.
    """
    yaml = _yaml(script)
    root = _load(script, yaml)
    items = _paragraph_list(root)
    for edit in edits:
        if edit.source is not None and not 0 <= edit.source < len(items):
            raise RoundTripError(
                items.lc.line + 1,
                items.lc.col + 1,
                _("paragraph {number} is not in the script").format(number=edit.source + 1),
                _("reload the script into the editor and make the change again"),
            )
    comments = _detach_comments(root, items)
    rebuilt: list[Any] = [_edited(items[e.source] if e.source is not None else None, e) for e in edits]
    old_seq_comments = dict(items.ca.items)
    items.ca.items.clear()
    del items[:]
    items.extend(rebuilt)
    for k, edit in enumerate(edits):
        if edit.source is not None and edit.source in old_seq_comments:
            items.ca.items[k] = old_seq_comments[edit.source]
    _reattach_comments(root, items, edits, comments)
    if lexicon_add:
        _add_lexicon(root, lexicon_add)
    out = io.StringIO()
    yaml.dump(root, out)
    return out.getvalue()


# -- loading --------------------------------------------------------------------------------------


def _yaml(script: str) -> YAML:
    yaml = YAML(typ="rt")
    yaml.preserve_quotes = True
    yaml.width = 4096  # never fold a long paragraph the teacher wrote on one line
    mapping, sequence, offset = _indents(script)
    yaml.indent(mapping=mapping, sequence=sequence, offset=offset)
    return yaml


_KEY_LINE = re.compile(r"^( *)[^\s#-][^:#]*:(\s|$)")
_DASH_LINE = re.compile(r"^( *)- +(\S)")


def _indents(script: str) -> tuple[int, int, int]:
    """How the teacher indents nested mappings and list items, so a rewrite keeps it.

    ruamel.yaml writes one indentation everywhere; scripts usually nest mappings by 2 and write list
    items as ``  - text:`` (dash at 2, content at 4), which this finds from the first of each.
    """
    mapping, sequence, offset = 2, 4, 2
    lines = script.splitlines()
    for before, line in pairwise(lines):
        outer, inner = _KEY_LINE.match(before), _KEY_LINE.match(line)
        if outer and inner and before.rstrip().endswith(":"):
            step = len(inner.group(1)) - len(outer.group(1))
            if step > 0:
                mapping = step
                break
    for before, line in pairwise(lines):
        outer, dash = _KEY_LINE.match(before), _DASH_LINE.match(line)
        if outer and dash and before.rstrip().endswith(":"):
            offset = len(dash.group(1)) - len(outer.group(1))
            sequence = dash.start(2) - len(outer.group(1))
            break
    return mapping, max(sequence, offset + 2), max(offset, 0)


def _load(script: str, yaml: YAML | None = None) -> CommentedMap:
    problem = compose(script)  # the same syntax messages as validation gives
    if isinstance(problem, YamlProblem):
        raise RoundTripError(
            problem.line, problem.col, problem.message, _("correct the YAML in the YAML view")
        )
    alias = first_alias(script)
    if alias is not None:
        raise RoundTripError(
            *alias,
            _("the paragraph editor cannot edit a script that uses YAML aliases (`*name`)"),
            _("write the values out in the YAML view"),
        )
    try:
        root = (yaml or _yaml(script)).load(script)
    except MarkedYAMLError as err:
        mark = err.problem_mark or err.context_mark
        line, col = (mark.line + 1, mark.column + 1) if mark else (1, 1)
        raise RoundTripError(
            line,
            col,
            _("YAML syntax error: {problem}").format(problem=err.problem or err.context),
            _("correct the YAML in the YAML view"),
        ) from None
    except (YAMLError, RecursionError, ValueError) as err:
        raise RoundTripError(
            1,
            1,
            _("YAML syntax error: {problem}").format(problem=err),
            _("correct the YAML in the YAML view"),
        ) from None
    if not isinstance(root, CommentedMap):
        raise RoundTripError(
            1,
            1,
            _("the script must be a mapping with `id:`, `title:` and `paragraphs:`"),
            _("start from an example"),
        )
    return root


def _paragraph_list(root: CommentedMap) -> CommentedSeq:
    items = root.get("paragraphs")
    if not isinstance(items, CommentedSeq):
        line, col = _key_position(root, "paragraphs")
        raise RoundTripError(
            line,
            col,
            _("`paragraphs` must be a list"),
            _("add `paragraphs:` with a list of `- text: ...` items"),
        )
    for number, item in enumerate(items, start=1):
        if not isinstance(item, (CommentedMap, str)):
            line, col = _item_position(items, number - 1)
            raise RoundTripError(
                line,
                col,
                _("paragraph {number} must be `- text: ...`").format(number=number),
                _("write `- text: 同学们好。`"),
            )
    return items


def _key_position(root: CommentedMap, key: str) -> tuple[int, int]:
    if key in root:
        line, col = root.lc.key(key)
        return line + 1, col + 1
    return 1, 1


def _item_position(items: CommentedSeq, index: int) -> tuple[int, int]:
    line, col = items.lc.item(index)
    return line + 1, col + 1


def _read_paragraph(index: int, item: Any, items: CommentedSeq) -> ScriptParagraph:
    line = _item_position(items, index)[0]
    if isinstance(item, str):
        return ScriptParagraph(index, item, None, None, line)
    text, emotion, pause = item.get("text"), item.get("emotion"), item.get("pause_after")
    return ScriptParagraph(
        index,
        "" if text is None else str(text),
        None if emotion is None else str(emotion),
        None if pause is None else str(pause),
        line,
    )


# -- editing --------------------------------------------------------------------------------------


def _edited(original: Any, edit: ParagraphEdit) -> CommentedMap | str:
    """The paragraph ``original`` (or a new one) with ``edit``'s values, its keys in their order."""
    if isinstance(original, str) and not edit.emotion and not edit.pause_after:
        return _like(original, edit.text)
    item = original if isinstance(original, CommentedMap) else CommentedMap()
    if isinstance(original, str):
        item["text"] = _like(original, edit.text)
    values = {"text": edit.text, "emotion": edit.emotion, "pause_after": edit.pause_after}
    for key in PARAGRAPH_KEYS:
        value = values[key]
        if value is None or (key != "text" and not value.strip()):
            if key in item:
                del item[key]
            continue
        item[key] = _like(item.get(key), value.strip() if key != "text" else value)
    return item


def _like(old: Any, new: str) -> str:
    """``new`` in ``old``'s quoting or block style, so an edit does not restyle the line."""
    if isinstance(old, ScalarString):
        styled: str = old if str(old) == new else type(old)(new)
        return styled
    if "\n" in new.strip("\n"):
        block: str = LiteralScalarString(new)
        return block
    return new


def _add_lexicon(root: CommentedMap, entries: Mapping[str, str]) -> None:
    """Set ``entries`` in the lesson's ``lexicon:``; a new one goes just above ``paragraphs:``."""
    lexicon = root.get("lexicon")
    if not isinstance(lexicon, CommentedMap):
        lexicon = CommentedMap()
        if "lexicon" in root:  # written but empty: filled where it is
            root["lexicon"] = lexicon
        else:
            root.insert(list(root.keys()).index("paragraphs"), "lexicon", lexicon)
    for word, reading in entries.items():
        lexicon[_as_text(word)] = _as_text(reading)


_YAML11 = pyyaml.resolver.Resolver()
_STR_TAG = "tag:yaml.org,2002:str"


def _as_text(value: str) -> str:
    """``value``, quoted if a YAML 1.1 reader would take it plain as something else than text.

    ruamel.yaml (YAML 1.2) already quotes ``null`` or ``1``, but writes ``yes``, ``no``, ``on`` and
    ``12:30`` plain, which YAML 1.1 readers (PyYAML, most editors' highlighting) read as a bool or a
    number: a lexicon word must read back as the word the teacher typed, whatever reads the file.
    """
    tag: str = _YAML11.resolve(pyyaml.ScalarNode, value, (True, False))  # type: ignore[no-untyped-call]
    if tag == _STR_TAG:
        return value
    quoted: str = SingleQuotedScalarString(value)
    return quoted


# -- comments between paragraphs ------------------------------------------------------------------

Lines = tuple[tuple[int, str], ...]
"""Whole comment lines, each as (column, text without the newline)."""


@dataclass(frozen=True, slots=True)
class _Comments:
    eol: dict[int, Any]
    """Per paragraph, the comment at the end of its last line (a ruamel token)."""
    lead: dict[int, Lines]
    """Per paragraph, the comment lines written above it."""
    tail: Lines
    """Comment lines after the last paragraph."""


def _detach_comments(root: CommentedMap, items: CommentedSeq) -> _Comments:
    """Take the comments around paragraphs off them, to put back where the paragraphs go.

    ruamel.yaml keeps the lines above the first paragraph on the list (and its key), and the lines
    above any other paragraph on the last key of the paragraph before; the part of those on the
    paragraph's own last line stays that paragraph's.
    """
    eol: dict[int, Any] = {}
    lead: dict[int, Lines] = {}
    tail: Lines = ()
    first = items.ca.comment[1] if items.ca.comment and len(items.ca.comment) > 1 else None
    if first:
        lead[0] = tuple(_lines("".join(" " * t.column + t.value for t in first)))
        items.ca.comment[1] = None
        key_slots = root.ca.items.get("paragraphs")
        if key_slots and len(key_slots) > 3:
            key_slots[3] = None
    for index, item in enumerate(items):
        if not isinstance(item, CommentedMap) or not item:
            continue
        last = list(item.keys())[-1]
        slots = item.ca.items.get(last)
        token = slots[_POST] if slots and len(slots) > _POST else None
        if token is None:
            continue
        slots[_POST] = None
        if not any(slots):
            del item.ca.items[last]
        own, _newline, rest = token.value.partition("\n")
        if own.strip():
            eol[index] = _token(own + "\n", token.column)
        following = tuple(_lines(rest))
        if index + 1 < len(items):
            if following:
                lead[index + 1] = following
        else:
            tail = following
    return _Comments(eol, lead, tail)


def _lines(text: str) -> list[tuple[int, str]]:
    """Whole lines of ``text`` (blank ones too: the teacher's spacing between paragraphs)."""
    lines = text.split("\n")
    if lines and not lines[-1].strip():
        lines.pop()  # what follows the last newline is not a line
    return [(len(line) - len(line.lstrip(" ")), line.strip()) if line.strip() else (0, "") for line in lines]


def _token(value: str, column: int | None = 0) -> Any:
    return CommentToken(value, CommentMark(column or 0), None)


def _reattach_comments(
    root: CommentedMap, items: CommentedSeq, edits: Sequence[ParagraphEdit], comments: _Comments
) -> None:
    def lead(k: int) -> Lines:
        source = edits[k].source
        return comments.lead.get(source, ()) if source is not None else ()

    if edits and lead(0):
        tokens = [_token(text + "\n", column) for column, text in lead(0)]
        items.ca.comment = [None, tokens]
        key_slots = root.ca.items.setdefault("paragraphs", [None, None, None, None])
        key_slots[3] = tokens
    for k, edit in enumerate(edits):
        own = comments.eol.get(edit.source) if edit.source is not None else None
        after = comments.tail if k + 1 == len(edits) else lead(k + 1)
        _attach_after(items[k], own, after)


def _attach_after(item: Any, own: Any, after: Lines) -> None:
    """Put the paragraph's own end-of-line comment and the comment lines that follow it back on its
    last key, where ruamel.yaml writes them."""
    if not isinstance(item, CommentedMap) or not item or (own is None and not after):
        return
    lines = "".join((" " * column + text if text else "") + "\n" for column, text in after)
    value = (own.value if own is not None else "\n") + lines
    token = _token(value, own.column if own is not None else 0)
    last = list(item.keys())[-1]
    slots = item.ca.items.setdefault(last, [None, None, None, None])
    while len(slots) <= _POST:
        slots.append(None)
    slots[_POST] = token

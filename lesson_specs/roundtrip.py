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
from ruamel.yaml.scalarstring import (
    DoubleQuotedScalarString,
    FoldedScalarString,
    LiteralScalarString,
    ScalarString,
    SingleQuotedScalarString,
)
from ruamel.yaml.tokens import CommentToken

from errors import InputError
from i18n import _
from lesson_specs.yaml_source import YamlProblem, compose, first_alias, syntax_message

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


class EditError(InputError):
    """An edit the script cannot take: which edit (0-based place in the edited list) and why."""

    def __init__(self, edit: int, message: str, fix: str) -> None:
        self.edit = edit
        self.message = message
        self.fix = fix
        super().__init__(f"paragraphs[{edit}].source: {message} ({fix})")


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
    written = _written_scalars(script, items)
    paragraphs = tuple(_read_paragraph(i, item, items, written.get(i)) for i, item in enumerate(items))
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
    an unchanged list gives back the script byte for byte, as far as ruamel.yaml can. Each paragraph
    of the script may be named once (:class:`EditError` otherwise): a copy is a new paragraph.
    """
    yaml = _yaml(script)
    root = _load(script, yaml)
    items = _paragraph_list(root)
    _check_sources(edits, len(items))
    written = _written_scalars(script, items)
    comments = _detach_comments(root, items)
    rebuilt: list[Any] = [
        _edited(items[e.source], e, written.get(e.source)) if e.source is not None else _edited(None, e, None)
        for e in edits
    ]
    del items[:]
    items.extend(rebuilt)
    _reattach_comments(root, items, edits, comments)
    if lexicon_add:
        _add_lexicon(root, lexicon_add)
    out = io.StringIO()
    yaml.dump(root, out)
    return out.getvalue()


def _check_sources(edits: Sequence[ParagraphEdit], count: int) -> None:
    """Each edit names a paragraph of the script, at most once: two edits of one paragraph would
    share its YAML node (written as an anchor and an alias, both with the last edit's text)."""
    used: dict[int, int] = {}
    for k, edit in enumerate(edits):
        if edit.source is None:
            continue
        if not 0 <= edit.source < count:
            raise EditError(
                k,
                _("paragraph {number} is not in the script").format(number=edit.source + 1),
                _("reload the script into the editor and make the change again"),
            )
        if edit.source in used:
            raise EditError(
                k,
                _("paragraph {number} is in the edited list twice (places {first} and {second})").format(
                    number=edit.source + 1, first=used[edit.source] + 1, second=k + 1
                ),
                _("send each paragraph once; a copy is a new paragraph (`source: null`)"),
            )
        used[edit.source] = k


# -- loading --------------------------------------------------------------------------------------


def _yaml(script: str) -> YAML:
    yaml = YAML(typ="rt")
    yaml.preserve_quotes = True
    yaml.width = 4096  # never fold a long paragraph the teacher wrote on one line
    mapping, sequence, offset = _indents(script)
    yaml.indent(mapping=mapping, sequence=sequence, offset=offset)
    yaml.representer.ignore_aliases = lambda data: True  # a script the editor writes has no `&id001`
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
            syntax_message(err.problem or err.context or _("invalid YAML"), err.context),
            _("correct the YAML in the YAML view"),
        ) from None
    except (YAMLError, RecursionError, ValueError) as err:
        raise RoundTripError(
            1,
            1,
            syntax_message(str(err)),
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
        if isinstance(item, (list, set)) or (isinstance(item, dict) and not isinstance(item, CommentedMap)):
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


def _written_scalars(script: str, items: CommentedSeq) -> dict[int, str]:
    """Per paragraph whose text YAML reads as a number, a date or a bool (``- 3.10``), the text as
    written, which is what validation reads; the script is only composed again if there is one."""
    texts = [item.get("text") if isinstance(item, CommentedMap) else item for item in items]
    if not any(text is not None and not isinstance(text, str) for text in texts):
        return {}
    root = compose(script)
    if not isinstance(root, pyyaml.MappingNode):
        return {}
    listed = next((v for k, v in root.value if k.value == "paragraphs"), None)
    if not isinstance(listed, pyyaml.SequenceNode):
        return {}
    written: dict[int, str] = {}
    for index, node in enumerate(listed.value):
        if isinstance(node, pyyaml.MappingNode):
            node = next((v for k, v in node.value if k.value == "text"), None)
        if isinstance(node, pyyaml.ScalarNode) and index < len(texts) and not isinstance(texts[index], str):
            written[index] = str(node.value)
    return written


def _read_paragraph(index: int, item: Any, items: CommentedSeq, written: str | None) -> ScriptParagraph:
    line = _item_position(items, index)[0]
    if not isinstance(item, CommentedMap):
        return ScriptParagraph(index, _text(item, written), None, None, line)
    emotion, pause = item.get("emotion"), item.get("pause_after")
    return ScriptParagraph(
        index,
        _text(item.get("text"), written),
        None if emotion is None else str(emotion),
        None if pause is None else str(pause),
        line,
    )


def _text(value: Any, written: str | None) -> str:
    if isinstance(value, str):
        return value
    if value is None:
        return ""
    return written if written is not None else str(value)


# -- editing --------------------------------------------------------------------------------------


def _edited(original: Any, edit: ParagraphEdit, written: str | None) -> Any:
    """The paragraph ``original`` (or a new one) with ``edit``'s values, its keys in their order."""
    if edit.source is not None and not isinstance(original, CommentedMap):
        if not edit.emotion and not edit.pause_after:
            return _text_like(original, edit.text, written)
        item = CommentedMap()
        item["text"] = original
    else:
        item = original if isinstance(original, CommentedMap) else CommentedMap()
    values = {"text": edit.text, "emotion": edit.emotion, "pause_after": edit.pause_after}
    for key in PARAGRAPH_KEYS:
        value = values[key]
        if value is None or (key != "text" and not value.strip()):
            if key in item:
                del item[key]
            continue
        if key == "text":
            item[key] = _text_like(item.get(key), value, written)
        else:
            item[key] = _like(item.get(key), value.strip())
    return item


def _text_like(old: Any, new: str, written: str | None) -> Any:
    """A paragraph's text the script wrote as a number or a date (``- 3.10``) stays as written while
    the edit leaves it as it was: validation reads it as text, and so does the editor."""
    if not isinstance(old, str) and new == _text(old, written):
        return old
    return _like(old, new)


_LINE_BREAKS = ("\x85", "\u2028", "\u2029")
"""Characters a YAML reader takes as a line break: only a double-quoted scalar keeps them as text."""


def _like(old: Any, new: str) -> str:
    """``new`` in ``old``'s quoting or block style, so an edit does not restyle the line."""
    if any(ch in new for ch in _LINE_BREAKS):
        quoted: str = DoubleQuotedScalarString(new)
        return quoted
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
_BLOCK = (LiteralScalarString, FoldedScalarString)


@dataclass(frozen=True, slots=True)
class _Comments:
    eol: dict[int, tuple[str, int]]
    """Per plain paragraph (``- 第一段  # eol``), the comment at the end of its line and its column."""
    lead: dict[int, Lines]
    """Per paragraph, the comment lines written above it."""
    head: Lines
    """The list's own comment lines: above the first paragraph, parted from it by a blank line."""
    tail: Lines
    """Comment lines after the last paragraph."""


def _detach_comments(root: CommentedMap, items: CommentedSeq) -> _Comments:
    """Take the comments around paragraphs off them, to put back where the paragraphs go.

    ruamel.yaml keeps the lines above the first paragraph on the list (and its key), and the lines
    above any other paragraph with the paragraph before: on its last key for a ``- text:`` paragraph,
    on the list's slot for it for a plain one. The part on the paragraph's own last line stays with
    that paragraph.
    """
    eol: dict[int, tuple[str, int]] = {}
    lead: dict[int, Lines] = {}
    head: Lines = ()
    tail: Lines = ()
    first = items.ca.comment[1] if items.ca.comment and len(items.ca.comment) > 1 else None
    if first:
        lines = tuple(_lines("".join(" " * t.column + t.value for t in first)))
        blanks = [k for k, (_column, text) in enumerate(lines) if not text]
        cut = blanks[-1] + 1 if blanks else 0
        head, lead[0] = lines[:cut], lines[cut:]
        items.ca.comment[1] = None
        key_slots = root.ca.items.get("paragraphs")
        if key_slots and len(key_slots) > 3:
            key_slots[3] = None
    for index, item in enumerate(items):
        following: Lines = ()
        slots = items.ca.items.get(index)
        if slots:
            own, following = _split(slots[0], isinstance(item, _BLOCK))
            if own is not None:
                eol[index] = own
            header = slots[1] if len(slots) > 1 and isinstance(slots[1], list) else None
            if header and all(isinstance(line, str) for line in header):
                # `- |-  # note`: ruamel.yaml reads the note but, given it back, writes none of the
                # list's comments; it goes on the line above its paragraph instead
                lead[index] = lead.get(index, ()) + tuple(_lines("".join(line + "\n" for line in header)))
        if isinstance(item, CommentedMap) and item:
            last = list(item.keys())[-1]
            key_slots = item.ca.items.get(last)
            token = key_slots[_POST] if key_slots and len(key_slots) > _POST else None
            if token is not None:
                own, more = _split(token, isinstance(item[last], _BLOCK))
                key_slots[_POST] = _token(own[0] + "\n", own[1]) if own is not None else None
                if not any(key_slots):
                    del item.ca.items[last]
                following = following + more
        if index + 1 < len(items):
            if following:
                lead[index + 1] = following + lead.get(index + 1, ())
        else:
            tail = following
    items.ca.items.clear()
    return _Comments(eol, lead, head, tail)


def _split(token: Any, block: bool) -> tuple[tuple[str, int] | None, Lines]:
    """A ruamel comment token after a value: the comment on the value's own line (text, column), if
    any, and the whole lines after it. After a block scalar (``|``) every line is a whole line."""
    if token is None:
        return None, ()
    if block:
        return None, tuple(_lines(" " * (token.column or 0) + token.value))
    own, _newline, rest = token.value.partition("\n")
    return ((own.strip(), token.column or 0) if own.strip() else None), tuple(_lines(rest))


def _lines(text: str) -> list[tuple[int, str]]:
    """Whole lines of ``text`` (blank ones too: the teacher's spacing between paragraphs)."""
    lines = text.split("\n")
    if lines and not lines[-1].strip():
        lines.pop()  # what follows the last newline is not a line
    return [(len(line) - len(line.lstrip(" ")), line.strip()) if line.strip() else (0, "") for line in lines]


def _token(value: str, column: int | None = 0) -> Any:
    return CommentToken(value, CommentMark(column or 0), None)


def _joined(own: tuple[str, int] | None, after: Lines, block: bool, indent: int) -> Any:
    """The comment token ruamel writes after a value: ``own`` on the value's line, then ``after``.

    A block scalar ends with its last line, so its own comment becomes a whole line at ``indent``."""
    if block and own is not None:
        after, own = ((indent, own[0]), *after), None
    if own is None and not after:
        return None
    lines = "".join((" " * column + text if text else "") + "\n" for column, text in after)
    if block:
        return _token(lines.lstrip(" "), after[0][0])
    return _token((own[0] if own is not None else "") + "\n" + lines, own[1] if own is not None else 0)


def _reattach_comments(
    root: CommentedMap, items: CommentedSeq, edits: Sequence[ParagraphEdit], comments: _Comments
) -> None:
    def lead(k: int) -> Lines:
        source = edits[k].source
        return comments.lead.get(source, ()) if source is not None else ()

    above = comments.head + (lead(0) if edits else ())
    if above:
        tokens = [_token(text + "\n", column) for column, text in above]
        items.ca.comment = [None, tokens]
        key_slots = root.ca.items.setdefault("paragraphs", [None, None, None, None])
        key_slots[3] = tokens
    indent = items.lc.col or 0
    for k, edit in enumerate(edits):
        own = comments.eol.get(edit.source) if edit.source is not None else None
        after = comments.tail if k + 1 == len(edits) else lead(k + 1)
        item = items[k]
        if isinstance(item, CommentedMap) and item:
            _attach_to_map(item, own, after, indent + 2)
            own = None
            slot = None
        else:
            slot = _joined(own, after, isinstance(item, _BLOCK), indent)
        if slot is not None:
            items.ca.items[k] = [slot, None, None, None]


def _attach_to_map(item: CommentedMap, own: tuple[str, int] | None, after: Lines, indent: int) -> None:
    """Put the comment lines that follow a ``- text:`` paragraph back on its last key, where ruamel.yaml
    writes them, after the comment already on that key's line; ``own`` is the end-of-line comment of a
    plain paragraph that became a mapping, kept on its ``text:`` line."""
    keys = list(item.keys())
    if own is not None and "text" in item and keys[-1] != "text":
        _set_post(item, "text", _joined(own, (), isinstance(item["text"], _BLOCK), indent))
        own = None
    last = keys[-1]
    slots = item.ca.items.get(last)
    kept, between = _split(
        slots[_POST] if slots and len(slots) > _POST else None, isinstance(item[last], _BLOCK)
    )
    _set_post(item, last, _joined(own or kept, between + after, isinstance(item[last], _BLOCK), indent))


def _set_post(item: CommentedMap, key: str, token: Any) -> None:
    slots = item.ca.items.setdefault(key, [None, None, None, None])
    while len(slots) <= _POST:
        slots.append(None)
    slots[_POST] = token

"""Read a lesson script, validate all of it, and return a :class:`LessonSpec` or one :class:`SpecError`.

Teachers fix scripts in a loop, so we report *every* error in one pass, each with file, line, column,
paragraph and the fix. Nothing but :class:`SpecError` escapes: malformed YAML, odd types, huge inputs
and bad markup all become diagnostics (the hypothesis fuzz test holds us to that).
"""

from __future__ import annotations

import difflib
import errno
import hashlib
import os
import re
import stat
from collections.abc import Collection
from dataclasses import dataclass
from pathlib import Path
from typing import Literal

import yaml

from i18n import _
from i18n.os_reasons import os_reason
from lesson_specs.course_lexicon import (
    AUTO_NAMES,
    MAX_LEXICON_BYTES,
    LexiconFile,
    LexiconSource,
    LexiconUnavailable,
    check_reference,
)
from lesson_specs.diagnostics import Diagnostic, SpecError
from lesson_specs.model import PARAGRAPH_PAUSE_MS, Emotion, LessonSpec, Paragraph, TextOrigin
from lesson_specs.yaml_source import MAX_NODES, SourceText, YamlProblem, compose, start
from text_frontend.lexicon import COURSE, LESSON, Lexicon, LexiconStack, build_lexicon, spoken_length
from text_frontend.markup import DurationError, parse_duration, parse_markup, pause_total_ms

MAX_SCRIPT_BYTES = 200 * 1024
MAX_PARAGRAPH_CHARS = 2_000
"""One paragraph as written (markup included), and again as said once the lexicon's aliases are in."""
MAX_LESSON_CHARS = 20_000
"""Paragraph text in one lesson (markup included), about an hour and a half of speech.

Counted as written and again as said (:func:`~text_frontend.lexicon.spoken_length`): a lexicon alias
is said wherever its word occurs, so a short script can otherwise ask for far more speech than it shows.

The script's byte limit alone lets a 200 KB script of short paragraphs ask for hours of audio, and
a render holds a lesson's audio in memory to master it; this and ``MAX_LESSON_PAUSE_MS`` bound it.
"""
MAX_LESSON_PAUSE_MS = 10 * 60 * 1000
"""Silence in one lesson: every ``[[…]]``, and after each paragraph its ``pause_after`` or the
default gap (``PARAGRAPH_PAUSE_MS``), so a script of thousands of one-word paragraphs is not hours long."""
MAX_PARAGRAPHS = 1_000
"""Paragraphs in one lesson: a real lesson has tens; each is a caption block and a front-end pass."""
MAX_ID_CHARS = 64
TOP_KEYS = ("id", "title", "course", "voice", "emotion", "lexicon", "course_lexicon", "paragraphs")
COURSE_LEXICON_KEYS = ("course", "lexicon")
PARAGRAPH_KEYS = ("text", "emotion", "pause_after")
_ID = re.compile(r"[a-z0-9]+(?:-[a-z0-9]+)*")
_VOICE = re.compile(r"[a-z0-9][a-z0-9_-]*")
_EMOTIONS = ", ".join(e.value for e in Emotion)


def load_spec_file(
    path: Path, *, known_voices: Collection[str] | None = None, lexicons: LexiconSource | None = None
) -> LessonSpec:
    """Load ``path``; unreadable files are reported like any other spec error.

    Its course lexicon is looked for beside it (:func:`folder_lexicons`) unless ``lexicons`` says
    where else to find it.
    """
    return load_spec(
        read_script_file(path),
        source=str(path),
        known_voices=known_voices,
        lexicons=lexicons or folder_lexicons(path),
    )


@dataclass
class _Unreadable(Exception):
    """Why a file was not read; ``kind`` picks the fix, ``size`` (None if unknown) goes with too_big."""

    message: str
    kind: Literal["missing", "special", "too_big", "other"] = "other"
    size: int | None = None


def read_at_most(fd: int, limit: int) -> bytes:
    """Up to ``limit`` bytes from ``fd``: a read never costs more memory than the caller allows."""
    chunks: list[bytes] = []
    while limit > 0 and (chunk := os.read(fd, limit)):
        chunks.append(chunk)
        limit -= len(chunk)
    return b"".join(chunks)


def _read_regular_file(path: Path, limit: int) -> bytes:
    """The bytes of the regular file at ``path``, at most ``limit`` of them, or :class:`_Unreadable`.

    Only a regular file is read: a FIFO, a device (``/dev/zero``) or a folder is refused, and no
    file is read past the limit, so a wrong path costs a one-line error, never a hang or all the
    memory. ``O_NONBLOCK`` lets the open of a FIFO return at once instead of waiting for a writer,
    and the checks ``fstat`` the open descriptor, so the file judged is the file read even if the
    path is swapped meanwhile.
    """
    try:
        fd = os.open(path, os.O_RDONLY | os.O_NONBLOCK | os.O_CLOEXEC)
    except OSError as err:
        kind: Literal["missing", "other"] = "missing" if err.errno == errno.ENOENT else "other"
        raise _Unreadable(
            _("cannot read file: {reason}").format(reason=os_reason(err) or err.strerror or err), kind
        ) from None
    try:
        info = os.fstat(fd)
        if not stat.S_ISREG(info.st_mode):
            kind_of = _file_kind(info.st_mode)
            raise _Unreadable(
                _("cannot read file: it is {kind}, not a regular file").format(kind=kind_of), "special"
            )
        if info.st_size > limit:
            raise _Unreadable("too big", "too_big", info.st_size)
        data = read_at_most(fd, limit + 1)  # one byte more than allowed tells "too big" from "just fits"
    except OSError as err:
        raise _Unreadable(
            _("cannot read file: {reason}").format(reason=os_reason(err) or err.strerror or err)
        ) from None
    finally:
        os.close(fd)
    if len(data) > limit:  # grew after the fstat, or a file whose size stat cannot tell
        raise _Unreadable("too big", "too_big")
    return data


def read_script_file(path: Path) -> bytes:
    """The bytes of the script at ``path``, at most ``MAX_SCRIPT_BYTES + 1`` of them (see above)."""
    source = str(path)
    try:
        return _read_regular_file(path, MAX_SCRIPT_BYTES)
    except _Unreadable as err:
        if err.kind == "too_big":
            raise SpecError([oversize_diagnostic(source, err.size)]) from None
        fix = _("give the path of a .yaml lesson script") if err.kind == "special" else _("check the path")
        raise SpecError([Diagnostic(source, 1, 1, err.message, fix)]) from None


def folder_lexicons(script: Path) -> LexiconSource:
    """The course lexicon of a script read from a folder: the one it names, or ``lexicon.yaml`` beside it.

    A named file that cannot be read is :class:`LexiconUnavailable`, reported at the script's
    ``course_lexicon:`` line; a missing ``lexicon.yaml`` just means the course has none.
    """

    def source(reference: str | None) -> LexiconFile | None:
        if reference is None:
            for name in AUTO_NAMES:
                candidate = script.parent / name
                if os.path.lexists(candidate):
                    return _read_lexicon(candidate, f"`{candidate}`")
            return None
        ref = check_reference(reference)
        return _read_lexicon(script.parent / ref, _("course lexicon `{name}`").format(name=ref))

    return source


def _read_lexicon(path: Path, what: str) -> LexiconFile:
    try:
        return LexiconFile(str(path), _read_regular_file(path, MAX_LEXICON_BYTES))
    except _Unreadable as err:
        if err.kind == "too_big":
            raise LexiconUnavailable(
                _("{what} is over the {limit} KB limit").format(what=what, limit=MAX_LEXICON_BYTES // 1024),
                _("split the course's words into a smaller file"),
            ) from None
        fix = (
            _("the path is relative to the script's folder") if err.kind == "missing" else _("check the file")
        )
        raise LexiconUnavailable(f"{what}: {err.message}", fix) from None


def _file_kind(mode: int) -> str:
    if stat.S_ISDIR(mode):
        return _("a folder")
    if stat.S_ISFIFO(mode):
        return _("a named pipe (FIFO)")
    if stat.S_ISCHR(mode) or stat.S_ISBLK(mode):
        return _("a device")
    return _("a special file")


def oversize_diagnostic(source: str, size: int | None) -> Diagnostic:
    """The error for a script over ``MAX_SCRIPT_BYTES`` (``size`` None: how far over is unknown)."""
    limit = MAX_SCRIPT_BYTES // 1024
    message = (
        _("script is {size} KB, over the {limit} KB limit").format(size=size // 1024, limit=limit)
        if size is not None
        else _("script is over the {limit} KB limit").format(limit=limit)
    )
    return Diagnostic(source, 1, 1, message, _("split the lesson into several scripts"))


def load_spec(
    data: bytes | str,
    *,
    source: str = "<string>",
    known_voices: Collection[str] | None = None,
    lexicons: LexiconSource | None = None,
) -> LessonSpec:
    """Validate a script given as bytes or text; ``known_voices`` (if given) restricts ``voice:``.

    ``lexicons`` finds the course lexicon; without it a script given as text has no folder to find
    one in, so a ``course_lexicon:`` is an error rather than a file read from wherever we run.
    Exceptions other than ``LexiconUnavailable`` that ``lexicons`` raises pass through unchanged.
    """
    raw = data.encode("utf-8", "surrogatepass") if isinstance(data, str) else data
    if len(raw) > MAX_SCRIPT_BYTES:
        raise SpecError([oversize_diagnostic(source, len(raw))])
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as err:
        prefix = raw[: err.start]
        line = prefix.count(b"\n") + 1
        raise SpecError(
            [Diagnostic(source, line, 1, _("file is not UTF-8 text"), _("save the script as UTF-8"))]
        ) from None
    return _Validator(source, text, raw, known_voices, lexicons).run()


class _Validator:
    """One validation pass; collects diagnostics instead of stopping at the first."""

    def __init__(
        self,
        source: str,
        text: str,
        raw: bytes,
        known_voices: Collection[str] | None,
        lexicons: LexiconSource | None = None,
    ) -> None:
        self.source = source
        self.lexicons = lexicons
        self.src = SourceText(text)
        self.raw = raw
        self.known_voices = known_voices
        self.diagnostics: list[Diagnostic] = []
        self.nodes_seen = 0

    # -- reporting -------------------------------------------------------------------------------

    def error(
        self, where: yaml.Node | tuple[int, int], message: str, fix: str, paragraph: int | None = None
    ) -> None:
        line, col = start(where) if isinstance(where, yaml.Node) else where
        self.diagnostics.append(Diagnostic(self.source, line, col, message, fix, paragraph))

    # -- the pass ----------------------------------------------------------------------------------

    def run(self) -> LessonSpec:
        root = compose(self.src.text)
        if isinstance(root, YamlProblem):
            raise SpecError(
                [Diagnostic(self.source, root.line, root.col, root.message, _("fix the YAML syntax"))]
            )
        if root is None:
            raise SpecError(
                [
                    Diagnostic(
                        self.source,
                        1,
                        1,
                        _("the script is empty"),
                        _("start with id:, title: and paragraphs:"),
                    )
                ]
            )
        if not isinstance(root, yaml.MappingNode):
            self.error(
                root, _("the script must be a mapping of keys"), _("start with id:, title: and paragraphs:")
            )
            raise SpecError(self.diagnostics)  # nothing below can be read without keys
        fields = self.mapping(root, TOP_KEYS, paragraph=None)

        lesson_id = self.required_text(root, fields, "id", _("add `id: my-lesson` (a-z, 0-9 and -)"))
        if lesson_id is not None and fields.get("id") is not None:
            self.check_id(fields["id"], lesson_id)
        title = self.required_text(root, fields, "title", _("add `title: 课文标题`"))
        course = self.optional_text(fields.get("course"), "course")
        voice = self.optional_text(fields.get("voice"), "voice")
        if voice is not None and fields.get("voice") is not None:
            self.check_voice(fields["voice"], voice)
        default_emotion = self.emotion(fields.get("emotion"), None) or Emotion.NEUTRAL
        lexicon = self.lexicon(fields.get("lexicon"))
        course_file = self.course_lexicon_file(root, fields)
        course_lexicon = self.course_lexicon(course_file) if course_file is not None else Lexicon()
        paragraphs = self.paragraphs(root, fields.get("paragraphs"), default_emotion)
        stack = LexiconStack((lexicon, course_lexicon))
        self.spoken_totals(paragraphs, stack)

        if self.diagnostics or lesson_id is None or title is None:
            # The script's own problems first, then the course lexicon's, each in file order.
            raise SpecError(sorted(self.diagnostics, key=lambda d: (d.file != self.source, d.line, d.col)))
        return LessonSpec(
            id=lesson_id,
            title=title,
            course=course,
            voice=voice,
            emotion=default_emotion,
            lexicon=stack,
            paragraphs=tuple(paragraphs),
            source=self.source,
            sha256=hashlib.sha256(self.raw).hexdigest(),
            course_lexicon=course_file.source if course_file is not None else None,
            course_lexicon_sha256=course_file.sha256 if course_file is not None else None,
        )

    # -- structure ---------------------------------------------------------------------------------

    def mapping(
        self, node: yaml.MappingNode, allowed: tuple[str, ...], paragraph: int | None
    ) -> dict[str, yaml.Node]:
        """Keys of a mapping node; unknown and duplicate keys are reported with the closest valid key."""
        found: dict[str, yaml.Node] = {}
        for key_node, value_node in node.value:
            self.count(value_node)
            if not isinstance(key_node, yaml.ScalarNode):
                self.error(key_node, _("keys must be plain words"), _one_of(allowed), paragraph)
                continue
            key = str(key_node.value)
            if key not in allowed:
                close = difflib.get_close_matches(key, allowed, n=1, cutoff=0.5)
                fix = _did_you_mean(close[0]) if close else _one_of(allowed)
                self.error(key_node, _("unknown key `{key}`").format(key=key), fix, paragraph)
                continue
            if key in found:
                self.error(
                    key_node, _("`{key}` is given twice").format(key=key), _("keep one of them"), paragraph
                )
                continue
            found[key] = value_node
        return found

    def count(self, node: yaml.Node) -> None:
        self.nodes_seen += 1
        if self.nodes_seen > MAX_NODES:
            self.error(
                node,
                _("the script has too many values (anchors/aliases?)"),
                _("write the script out plainly"),
            )
            raise SpecError(self.diagnostics)

    def scalar(self, node: yaml.Node | None, what: str, paragraph: int | None = None) -> str | None:
        if node is None:
            return None
        if not isinstance(node, yaml.ScalarNode):
            message = (
                _("`{key}` must be text, not a list")
                if isinstance(node, yaml.SequenceNode)
                else _("`{key}` must be text, not a mapping")
            )
            fix = _("write `{key}: ...` on one line")
            self.error(node, message.format(key=what), fix.format(key=what), paragraph)
            return None
        if node.tag == "tag:yaml.org,2002:null" and node.value in ("", "~", "null", "Null", "NULL"):
            return None
        return str(node.value)

    def required_text(self, root: yaml.Node, fields: dict[str, yaml.Node], key: str, fix: str) -> str | None:
        value = self.scalar(fields.get(key), key)
        if value is None or not value.strip():
            where = fields.get(key, root)
            message = _("`{key}` is missing") if key not in fields else _("`{key}` is empty")
            self.error(where, message.format(key=key), fix)
            return None
        return value.strip()

    def optional_text(self, node: yaml.Node | None, key: str) -> str | None:
        value = self.scalar(node, key)
        return value.strip() if value is not None and value.strip() else None

    def check_id(self, node: yaml.Node, lesson_id: str) -> None:
        if not _ID.fullmatch(lesson_id) or len(lesson_id) > MAX_ID_CHARS:
            suggestion = (
                re.sub(r"[^a-z0-9]+", "-", lesson_id.lower()).strip("-")[:MAX_ID_CHARS] or "my-lesson"
            )
            self.error(
                node,
                _("id `{id}` is not a slug").format(id=lesson_id),
                _(
                    "use lowercase a-z, 0-9 and single dashes, at most {limit} characters, e.g. `{example}`"
                ).format(limit=MAX_ID_CHARS, example=suggestion),
            )

    def check_voice(self, node: yaml.Node, voice: str) -> None:
        if self.known_voices is not None and voice not in self.known_voices:
            close = difflib.get_close_matches(voice, list(self.known_voices), n=1)
            fix = _did_you_mean(close[0]) if close else _one_of(sorted(self.known_voices))
            self.error(node, _("unknown voice `{voice}`").format(voice=voice), fix)
        elif not _VOICE.fullmatch(voice):
            self.error(
                node,
                _("voice `{voice}` is not a voice name").format(voice=voice),
                _("use a name like `baker`"),
            )

    def emotion(self, node: yaml.Node | None, paragraph: int | None) -> Emotion | None:
        value = self.scalar(node, "emotion", paragraph)
        if value is None or node is None:
            return None
        try:
            return Emotion(value.strip().lower())
        except ValueError:
            close = difflib.get_close_matches(value.strip().lower(), [e.value for e in Emotion], n=1)
            fix = _("valid emotions: {emotions}").format(emotions=_EMOTIONS)
            if close:
                fix = _("did you mean `{word}`? valid emotions: {emotions}").format(
                    word=close[0], emotions=_EMOTIONS
                )
            self.error(node, _("unknown emotion `{emotion}`").format(emotion=value), fix, paragraph)
            return None

    def course_lexicon_file(self, root: yaml.Node, fields: dict[str, yaml.Node]) -> LexiconFile | None:
        """The course lexicon's bytes, or None; a file that cannot be had is reported where it is named."""
        node = fields.get("course_lexicon")
        reference = self.scalar(node, "course_lexicon") if node is not None else None
        if node is not None and reference is None:
            if isinstance(node, yaml.ScalarNode):
                self.error(
                    node, _("`course_lexicon` is empty"), _("write the path of the course's lexicon file")
                )
            return None
        if self.lexicons is None:
            if node is not None:
                self.error(
                    node,
                    _("a course lexicon can only be read for a script in a folder or an inbox"),
                    _("copy the entries you need into the script's own `lexicon:`"),
                )
            return None
        try:
            return self.lexicons(reference)
        except LexiconUnavailable as err:
            self.error(node if node is not None else root, str(err), err.fix)
            return None

    def course_lexicon(self, file: LexiconFile) -> Lexicon:
        lexicon, diagnostics = parse_course_lexicon(file)
        self.diagnostics.extend(diagnostics)
        return lexicon

    def lexicon(self, node: yaml.Node | None, layer: str = LESSON) -> Lexicon:
        lexicon, _issues = build_lexicon({}, layer)
        if node is None or (isinstance(node, yaml.ScalarNode) and self.scalar(node, "lexicon") is None):
            return lexicon
        if not isinstance(node, yaml.MappingNode):
            self.error(
                node,
                _("`lexicon` must map words to readings"),
                _("write `词: ci2` or `Python: 派森` per line"),
            )
            return lexicon
        raw: dict[str, str] = {}
        value_nodes: dict[str, yaml.Node] = {}
        for key_node, value_node in node.value:
            self.count(value_node)
            word = self.scalar(key_node, "lexicon word")
            reading = self.scalar(value_node, f"lexicon entry for {word}")
            if word is None:
                continue
            if reading is None:
                self.error(
                    value_node,
                    _("lexicon entry `{word}` has no reading").format(word=word),
                    _("write pinyin like gou1 gu3 or words to say"),
                )
                continue
            if word in raw:
                self.error(
                    key_node,
                    _("lexicon word `{word}` is given twice").format(word=word),
                    _("keep one of them"),
                )
                continue
            raw[word] = reading
            value_nodes[word] = value_node
        lexicon, issues = build_lexicon(raw, layer)
        for word, issue in issues.items():
            node_at = value_nodes[word]
            where = (
                self.src.scalar_positions(node_at)[issue.start]
                if isinstance(node_at, yaml.ScalarNode) and issue.start < len(node_at.value)
                else start(node_at)
            )
            self.error(
                where, _("lexicon `{word}`: {problem}").format(word=word, problem=issue.message), issue.fix
            )
        return lexicon

    def paragraphs(self, root: yaml.Node, node: yaml.Node | None, default: Emotion) -> list[Paragraph]:
        fix = _("add `paragraphs:` with a list of `- text: ...` items")
        if node is None:
            self.error(root, _("`paragraphs` is missing"), fix)
            return []
        if not isinstance(node, yaml.SequenceNode) or not node.value:
            self.error(node, _("`paragraphs` must be a non-empty list"), fix)
            return []
        result: list[Paragraph] = []
        for number, item in enumerate(node.value, start=1):
            self.count(item)
            paragraph = self.paragraph(item, number, default)
            if paragraph is not None:
                result.append(paragraph)
        self.lesson_totals(result)
        return result

    def lesson_totals(self, paragraphs: list[Paragraph]) -> None:
        """Report a lesson over ``MAX_LESSON_CHARS`` or ``MAX_LESSON_PAUSE_MS``.

        The error is at the paragraph that crosses the limit and gives the lesson's whole total, so
        the writer sees where to cut and how much has to go to another script.
        """
        if len(paragraphs) > MAX_PARAGRAPHS:
            self.lesson_error(
                paragraphs[MAX_PARAGRAPHS],
                _("the lesson has {count:,} paragraphs, over the {limit:,} limit for one lesson").format(
                    count=len(paragraphs), limit=MAX_PARAGRAPHS
                ),
            )
        chars = [len(p.text) for p in paragraphs]
        pauses = [pause_total_ms(parse_markup(p.text).pieces) + _gap_after(p) for p in paragraphs]
        crossing = _first_over(chars, MAX_LESSON_CHARS)
        if crossing is not None:
            self.lesson_error(
                paragraphs[crossing],
                _(
                    "the lesson's paragraphs have {count:,} characters,"
                    " over the {limit:,} limit for one lesson"
                ).format(count=sum(chars), limit=MAX_LESSON_CHARS),
            )
        crossing = _first_over(pauses, MAX_LESSON_PAUSE_MS)
        if crossing is not None:
            self.lesson_error(
                paragraphs[crossing],
                _(
                    "the lesson's pauses, with {gap:g}s after each paragraph that sets no `pause_after`,"
                    " add up to {seconds:g}s, over the {minutes} minute limit for one lesson"
                ).format(
                    gap=PARAGRAPH_PAUSE_MS / 1000,
                    seconds=sum(pauses) / 1000,
                    minutes=MAX_LESSON_PAUSE_MS // 60_000,
                ),
            )

    def lesson_error(self, paragraph: Paragraph, message: str, fix: str | None = None) -> None:
        self.error(
            paragraph.origin.at(0),
            message,
            fix or _("split the lesson into several scripts"),
            paragraph.number,
        )

    def spoken_totals(self, paragraphs: list[Paragraph], lexicon: LexiconStack) -> None:
        """Hold what is said, lexicon aliases put in, to the limits the text as written is held to.

        Checked before any front end runs: its work grows with what is said, and a 300-character
        alias for 哈 made a 20,000-character lesson ask for six million characters of reading.
        Only what the lexicon adds is reported here; a text over the limits as written already is.
        """
        if not paragraphs:
            return
        spoken = [spoken_length(p.text, lexicon) for p in paragraphs]
        fix = _("shorten the lexicon's aliases for words the paragraph repeats, or split the paragraph")
        for paragraph, count in zip(paragraphs, spoken, strict=True):
            if count > MAX_PARAGRAPH_CHARS:
                self.lesson_error(
                    paragraph,
                    _(
                        "paragraph is {count:,} characters once the lexicon's aliases are put in"
                        " ({written:,} as written), over the {limit:,} limit"
                    ).format(count=count, written=len(paragraph.text), limit=MAX_PARAGRAPH_CHARS),
                    fix,
                )
        crossing = _first_over(spoken, MAX_LESSON_CHARS)
        if crossing is not None and _first_over([len(p.text) for p in paragraphs], MAX_LESSON_CHARS) is None:
            self.lesson_error(
                paragraphs[crossing],
                _(
                    "the lesson's paragraphs have {count:,} characters once the lexicon's aliases are"
                    " put in, over the {limit:,} limit for one lesson"
                ).format(count=sum(spoken), limit=MAX_LESSON_CHARS),
                _("shorten the lexicon's aliases, or split the lesson into several scripts"),
            )

    def paragraph(self, item: yaml.Node, number: int, default: Emotion) -> Paragraph | None:
        if isinstance(item, yaml.ScalarNode):
            text_node: yaml.Node | None = item
            fields: dict[str, yaml.Node] = {}
        elif isinstance(item, yaml.MappingNode):
            fields = self.mapping(item, PARAGRAPH_KEYS, number)
            text_node = fields.get("text")
        else:
            self.error(item, _("a paragraph must be `- text: ...`"), _("write `- text: 同学们好。`"), number)
            return None
        emotion = self.emotion(fields.get("emotion"), number) or default
        pause_after = self.pause_after(fields.get("pause_after"), number)
        text = self.scalar(text_node, "text", number)
        if text_node is None or text is None or not text.strip():
            where = text_node if text_node is not None else item
            self.error(where, _("paragraph has no text"), _("add `text: ...` with the words to say"), number)
            return None
        assert isinstance(text_node, yaml.ScalarNode)
        positions = self.src.scalar_positions(text_node)
        origin = TextOrigin(self.source, positions, start(text_node))
        if len(text) > MAX_PARAGRAPH_CHARS:
            self.error(
                text_node,
                _("paragraph is {count} characters, over the {limit} limit").format(
                    count=len(text), limit=MAX_PARAGRAPH_CHARS
                ),
                _("split it into several paragraphs"),
                number,
            )
            return None
        for issue in parse_markup(text).issues:
            self.error(origin.at(issue.start), issue.message, issue.fix, number)
        return Paragraph(number, text, emotion, pause_after, origin)

    def pause_after(self, node: yaml.Node | None, number: int) -> int | None:
        value = self.scalar(node, "pause_after", number)
        if value is None or node is None:
            return None
        try:
            return parse_duration(value)
        except DurationError as err:
            self.error(node, _("pause_after: {problem}").format(problem=err), err.fix, number)
            return None


def _did_you_mean(word: str) -> str:
    return _("did you mean `{word}`?").format(word=word)


def _one_of(choices: Collection[str]) -> str:
    return _("use one of: {choices}").format(choices=", ".join(choices))


def _gap_after(paragraph: Paragraph) -> int:
    """The silence the render puts after a paragraph (``tasks.plan`` uses the same default)."""
    return PARAGRAPH_PAUSE_MS if paragraph.pause_after_ms is None else paragraph.pause_after_ms


def _first_over(sizes: list[int], limit: int) -> int | None:
    """The index at which the running sum of ``sizes`` first exceeds ``limit``, if it does."""
    running = 0
    for index, size in enumerate(sizes):
        running += size
        if running > limit:
            return index
    return None


def parse_course_lexicon(file: LexiconFile) -> tuple[Lexicon, list[Diagnostic]]:
    """A course lexicon file's entries and every problem in it, each at its own line and column.

    The file is checked by the same rules as a script's ``lexicon:`` (one syllable per character,
    tones 1-5, no word twice), so moving entries between the two never changes what is accepted.
    """
    if len(file.data) > MAX_LEXICON_BYTES:
        limit = MAX_LEXICON_BYTES // 1024
        return Lexicon(), [
            Diagnostic(
                file.source,
                1,
                1,
                _("course lexicon is over the {limit} KB limit").format(limit=limit),
                _("split it"),
            )
        ]
    try:
        text = file.data.decode("utf-8-sig")
    except UnicodeDecodeError as err:
        line = file.data[: err.start].count(b"\n") + 1
        return Lexicon(), [
            Diagnostic(file.source, line, 1, _("file is not UTF-8 text"), _("save it as UTF-8"))
        ]
    checker = _Validator(file.source, text, file.data, None)
    fix = _("write `lexicon:` and under it one `词: ci2` or `Python: 派森` per line")
    root = compose(text)
    if isinstance(root, YamlProblem):
        return Lexicon(), [
            Diagnostic(file.source, root.line, root.col, root.message, _("fix the YAML syntax"))
        ]
    if root is None:
        return Lexicon(), [Diagnostic(file.source, 1, 1, _("the course lexicon is empty"), fix)]
    if not isinstance(root, yaml.MappingNode):
        return Lexicon(), [
            Diagnostic(file.source, *start(root), _("the course lexicon must be a mapping"), fix)
        ]
    try:
        fields = checker.mapping(root, COURSE_LEXICON_KEYS, paragraph=None)
        checker.optional_text(fields.get("course"), "course")
        if "lexicon" not in fields:
            checker.error(root, _("`lexicon` is missing"), fix)
        lexicon = checker.lexicon(fields.get("lexicon"), COURSE)
    except SpecError as err:  # too many nodes: what was found so far is all we report
        return Lexicon(), list(err.diagnostics)
    return lexicon, checker.diagnostics

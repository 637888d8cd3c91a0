"""The words the teachers' page shows, in the reader's language.

The template translates its own text; what the page's scripts show (statuses, buttons they add,
download names) is written here once, marked for the catalog, and handed to the scripts as JSON in
the page, so the JavaScript carries keys, never English, and one catalog serves the whole page.
"""

from __future__ import annotations

from collections.abc import Mapping

from i18n import N_, _

__all__ = ["EMOTION_LABELS", "JOB_STATE_LABELS", "SCRIPT_TEXT", "page_text", "translated"]

EMOTION_LABELS: Mapping[str, str] = {
    "neutral": N_("neutral"),
    "happy": N_("happy"),
    "sad": N_("sad"),
    "angry": N_("angry"),
    "gentle": N_("gentle"),
    "serious": N_("serious"),
    "excited": N_("excited"),
    "surprised": N_("surprised"),
}
"""The script's emotion keys stay English in YAML; the page names them in the reader's language."""

JOB_STATE_LABELS: Mapping[str, str] = {
    "queued": N_("queued"),
    "running": N_("running"),
    "finished": N_("finished"),
    "failed": N_("failed"),
}

SCRIPT_TEXT: Mapping[str, str] = {
    # app.js: errors, script checks
    "httpError": N_("HTTP error {status}"),
    "withFix": N_("{message} ({fix})"),
    "scriptValid": N_("✓ The script is valid."),
    "scriptValidWarnings": N_("The script is valid, with {count} warning(s):"),
    "scriptErrors": N_("{count} error(s) — fix them before rendering:"),
    "diagWhere": N_("Line {line}, column {column}"),
    "diagParagraph": N_(", paragraph {paragraph}"),
    "diagError": N_("{paragraph}: {message}"),
    "diagWarning": N_("{paragraph}: warning: {message}"),
    # app.js: render jobs and their files
    "file.lesson.mp3": N_("Download MP3"),
    "file.lesson.wav": N_("Download WAV"),
    "file.captions.srt": N_("Download captions (SRT)"),
    "file.captions.vtt": N_("Download captions (WebVTT)"),
    "file.manifest.json": N_("Download manifest"),
    "file.marks.json": N_("Download speech marks"),
    "file.qa.html": N_("Open QA report"),
    "stage.front end": N_("front end"),
    "stage.synthesis": N_("synthesis"),
    "stage.assemble": N_("assemble"),
    "stage.back-check": N_("back-check"),
    "stage.publish": N_("publish"),
    "noJobs": N_("No render jobs yet."),
    "state.queued": N_("queued"),
    "state.running": N_("running"),
    "state.finished": N_("finished"),
    "state.failed": N_("failed"),
    "jobSubmitted": N_("Submitted…"),
    "jobQueued": N_("Waiting for the renderer…"),
    "jobRunning": N_("Rendering {title}…"),
    "jobFinished": N_("Finished: {title} (render {render_id})."),
    "jobFailed": N_("Render failed: {error}"),
    "resynthesised": N_("{fresh} of {total} paragraphs re-synthesised."),
    "seconds": N_("{seconds} s"),
    # app.js: the preview
    "synthesising": N_("Synthesising…"),
    "previewPlaying": N_("Playing: {segments} segment(s), {cached} from the cache."),
    "pressPlay": N_("Press play to listen."),
    # editor.js: the paragraph editor
    "views": N_("Editing view"),
    "viewParagraphs": N_("Paragraphs"),
    "viewYaml": N_("YAML source"),
    "loading": N_("Reading the script…"),
    "empty": N_(
        "The script is empty: write or upload one in the YAML source, then switch to the paragraphs."
    ),
    "paragraphs": N_("Paragraphs of the script"),
    "paragraph": N_("Paragraph {n}"),
    "line": N_("YAML line {n}"),
    "unknownEmotion": N_("{emotion} (unknown)"),
    "text": N_("Paragraph text"),
    "emotion": N_("Emotion"),
    "emotionDefault": N_("Default ({emotion})"),
    "pause": N_("Pause after"),
    "pausePlaceholder": N_("e.g. 500ms, 1s"),
    "preview": N_("Preview"),
    "previewLabel": N_("Preview paragraph {n}"),
    "previewing": N_("Synthesising…"),
    "previewDone": N_("The preview is ready."),
    "previewAudio": N_("Preview audio of paragraph {n}"),
    "reading": N_("Show reading"),
    "readingLabel": N_("Show reading (paragraph {n})"),
    "hideReading": N_("Hide reading"),
    "hideReadingLabel": N_("Hide reading (paragraph {n})"),
    "moveUp": N_("Move up"),
    "moveUpLabel": N_("Move paragraph {n} up"),
    "moveDown": N_("Move down"),
    "moveDownLabel": N_("Move paragraph {n} down"),
    "remove": N_("Delete"),
    "removeLabel": N_("Delete paragraph {n}"),
    "removed": N_("Paragraph {n} deleted."),
    "moved": N_("Moved to paragraph {n}."),
    "add": N_("Add a paragraph"),
    "added": N_("Paragraph {n} added."),
    "saving": N_("Saving…"),
    "saved": N_("Saved to the YAML."),
    "problems": N_("Problems in paragraph {n}"),
    "readingOf": N_("Reading of paragraph {n}"),
    "readingHint": N_(
        "The pinyin is above each character. Underlined are polyphones and English words that will be "
        "spelled letter by letter: click one (or press Enter) to fix its reading."
    ),
    "readingLoading": N_("Analysing the reading…"),
    "cellPolyphone": N_(", polyphone, {source}"),
    "cellSpelled": N_(", {spelled}, {source}"),
    "spelledWord": N_("“{word}” will be spelled letter by letter: {reading}"),
    "choose": N_("Reading of “{char}”"),
    "chooseHelp": N_("Choose a reading to write into this paragraph (an inline override):"),
    "asOverride": N_("{char} ({pinyin})"),
    "asOverrideLabel": N_("{char} ({pinyin}): mark “{char}” as {pinyin} in this paragraph"),
    "orLexicon": N_("Or add it to the lesson lexicon (every “{word}” in this lesson is read so):"),
    "asLexicon": N_("{word}: {pinyin}"),
    "asLexiconLabel": N_("{word}: {pinyin}, add to the lesson lexicon"),
    "spelledHelp": N_("Write how this word should be read (Chinese characters, or pinyin with tone digits):"),
    "spokenAs": N_("Read as"),
    "writeHere": N_("Write into this paragraph"),
    "addToLexicon": N_("Add to the lesson lexicon"),
    "close": N_("Close"),
    "fixedOverride": N_("“{char}” marked as {pinyin}."),
    "fixedLexicon": N_("“{word}: {pinyin}” added to the lesson lexicon."),
    "needReading": N_("Write the reading first."),
    "textChanged": N_(
        "The paragraph text changed, so its reading was analysed again: please choose once more."
    ),
    "source": N_("Source: {source}"),
    "sourceDetail": N_("Source: {source} ({detail})"),
    "source.inline": N_("inline override"),
    "source.lesson_lexicon": N_("lesson lexicon"),
    "source.course_lexicon": N_("course lexicon (shared)"),
    "source.rule": N_("rule"),
    "source.word": N_("classroom word list"),
    "source.dictionary": N_("dictionary word"),
    "source.model": N_("model's choice"),
    "source.single": N_("only reading"),
    "source.sandhi": N_("tone sandhi"),
    "source.pinned": N_("pinned reading"),
    "source.spelled": N_("letter by letter"),
    "source.builtin_lexicon": N_("built-in English word"),
    "sourceShort.inline": N_("override"),
    "sourceShort.lesson_lexicon": N_("lexicon"),
    "sourceShort.course_lexicon": N_("lexicon"),
    "sourceShort.rule": N_("rule"),
    "sourceShort.word": N_("word list"),
    "sourceShort.dictionary": N_("word"),
    "sourceShort.model": N_("model"),
    "sourceShort.sandhi": N_("sandhi"),
    "sourceShort.pinned": N_("pinned"),
    "sourceShort.spelled": N_("spelled"),
    "sourceShort.builtin_lexicon": N_("built-in"),
    "qaParagraph": N_("Paragraph {n} from the QA report."),
}
"""Text the page's scripts show, by key: English msgids with ``{name}`` placeholders, which the
scripts fill after translation (``text(key, values)`` in app.js). A key the scripts build at run
time (``file.*``, ``stage.*``, ``source.*``, ``sourceShort.*``) may be missing: the scripts then
show the raw name, or nothing for a short source label."""


def translated(labels: Mapping[str, str]) -> dict[str, str]:
    """``labels`` with every value in the current language."""
    return {key: _(label) for key, label in labels.items()}


def page_text() -> dict[str, str]:
    """Everything the page's scripts may show, in the current language."""
    return translated(SCRIPT_TEXT)

"""``lessonaudio say "同学们好" --emotion happy [--voice baker] [-o out.wav]``: hear one line quickly.

The text goes through the real front end (markup, normalisation, lexicon-free G2P, segmentation),
so what you hear is what a lesson render would say. Without ``-o`` the file is named after the text
hash, emotion and voice and written to the current directory: repeated calls overwrite, not pile up.
"""

from __future__ import annotations

import hashlib
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from errors import InputError
from i18n import N_, _
from text_frontend.excerpt import excerpt

if TYPE_CHECKING:
    from engines.protocol import Audio, TTSEngine
    from text_frontend.types import Segment


class SayInputError(InputError, ValueError):
    """Text that cannot be spoken as given (markup errors, nothing pronounceable)."""


def analyze(text: str, max_chars: int) -> tuple[Segment, ...]:
    """Front-end segments for ``text``; markup problems become one ``SayInputError`` with the fix.

    ``text`` is held to a lesson paragraph's limits (``MAX_PARAGRAPH_CHARS``, and the parser's cap on
    its explicit pauses), so a line is never longer to say than a paragraph would be to render.
    """
    from lesson_specs import MAX_PARAGRAPH_CHARS

    if len(text) > MAX_PARAGRAPH_CHARS:
        raise SayInputError(
            _(
                "the text is {length} characters, over the {limit} limit for one line: "
                "say it in several parts, or render it as a lesson"
            ).format(length=f"{len(text):,}", limit=f"{MAX_PARAGRAPH_CHARS:,}")
        )
    from text_frontend.frontend import FrontEnd  # loads WeTN and the polyphone model

    analysis = FrontEnd().analyze(text, max_chars=max_chars)
    if analysis.issues:
        issue = analysis.issues[0]
        where = excerpt(text[issue.start : issue.end] or text[issue.start : issue.start + 1])
        raise SayInputError(
            _("{message} at column {column} ({where}): {fix}").format(
                message=issue.message, column=issue.start + 1, where=repr(where), fix=issue.fix
            )
        )
    if not any(seg.syllables for seg in analysis.segments):
        raise SayInputError(_("nothing to say: the text has no Chinese to read"))
    for span in analysis.unspoken:
        warning = _("warning: {text} will not be spoken ({reason})")
        typer.echo(warning.format(text=repr(excerpt(span.text)), reason=span.reason), err=True)
    for reading in analysis.long_readings:
        written = excerpt(text[reading.start : reading.end].strip())
        warning = _(
            "warning: {text} is read as {syllables} syllables; "
            "it is spoken in pieces (write it in words or shorten it)"
        )
        typer.echo(warning.format(text=repr(written), syllables=reading.syllables), err=True)
    return analysis.segments


def render(engine: TTSEngine, segments: tuple[Segment, ...], emotion: str) -> Audio:
    """Synthesise each segment and join them with the front end's pauses (none after the last)."""
    import numpy as np

    from engines import EngineError, preset
    from engines.protocol import Audio

    prosody = preset(emotion)
    parts: list[np.ndarray] = []
    rate = 0
    for i, seg in enumerate(segments):
        audio = engine.synthesize(seg.tokens, prosody)
        if rate and audio.sample_rate != rate:
            raise EngineError(
                _("voice changed sample rate mid-line ({before} -> {after} Hz)").format(
                    before=rate, after=audio.sample_rate
                )
            )
        rate = audio.sample_rate
        parts.append(audio.samples)
        if i + 1 < len(segments):
            parts.append(np.zeros(round(seg.pause_after_ms * rate / 1000), dtype=np.float32))
    return Audio(np.concatenate(parts).astype(np.float32, copy=False), rate)


def default_output_name(text: str, emotion: str, voice: str) -> str:
    digest = hashlib.sha256(text.encode("utf-8")).hexdigest()[:12]
    return f"say-{digest}-{emotion}-{voice}.wav"


def write_wav(path: Path, audio: Audio) -> None:
    """16-bit PCM through the lesson's own WAV writer: Python's file I/O, so a full disk is a
    ``WriteError`` naming the file (libsndfile reports it as "System error"), renamed into place
    when complete, and following the umask like every other output."""
    from audio.export import write_wav as lesson_wav
    from audio.mp3 import to_pcm16

    lesson_wav(path, [to_pcm16(audio.samples)], audio.sample_rate)


def say(
    text: Annotated[str, typer.Argument(help=N_("Chinese text to speak (lesson markup allowed)."))],
    emotion: Annotated[str, typer.Option(help=N_("Emotion preset, e.g. neutral, happy, sad."))] = "neutral",
    voice: Annotated[str | None, typer.Option(help=N_("Voice name; default from settings."))] = None,
    output: Annotated[Path | None, typer.Option("--output", "-o", help=N_("WAV file to write."))] = None,
) -> None:
    """Speak one line of Chinese to a WAV file and print its path.

    Every failure is one line on stderr, with the exit code of its kind (``app.exit_codes``): 2 for
    the text, the options or the settings, 4 for missing models or an unwritable output path.
    """
    typer.echo(str(_say(text, emotion, voice, output)))


def _say(text: str, emotion: str, voice: str | None, output: Path | None) -> Path:
    from config import load_settings
    from engines import UnknownEmotionError, create_engine, preset, voice_names
    from wiring import voice_config

    settings = load_settings()
    voice_name = (voice or settings.default_voice).strip().lower()
    # The options are the user's input: checked before anything heavy loads, and refused as input.
    try:
        emotion_name = preset(emotion).emotion
    except UnknownEmotionError as err:
        raise SayInputError(str(err)) from None
    if voice_name not in voice_names():
        raise SayInputError(
            _("unknown voice {voice!r}; choose one of: {voices}").format(
                voice=voice_name, voices=", ".join(voice_names())
            )
        )
    engine = create_engine(voice_name, voice_config(settings))
    audio = render(engine, analyze(text, settings.max_segment_chars), emotion_name)
    target = output or Path.cwd() / default_output_name(text, emotion_name, voice_name)
    write_wav(target, audio)  # a WriteError already names the file and the reason
    return target

"""Per-segment MP3 snippets cut from the finished lesson, for the players embedded in qa.html.

One ffmpeg process decodes the lesson once and encodes every snippet (32 kb/s mono: plenty to judge a
voice, about 4 kB per second, so an hour of lesson stays near 15 MB of HTML). Cut from the lesson and
not from the segment store, so the reviewer hears what ships: loudness-normalised, with its fades.
"""

from __future__ import annotations

import subprocess
import tempfile
from collections.abc import Sequence
from pathlib import Path

import imageio_ffmpeg

from errors import WorkFailedError
from i18n import _

SNIPPET_BITRATE = "32k"
SNIPPET_PAD_S = 0.1


class SnippetError(WorkFailedError):
    pass


def snippet_start_s(start_s: float) -> float:
    """Where the snippet of a segment starting at ``start_s`` begins on the lesson's timeline: the
    players' speech marks are shifted by it."""
    return max(0.0, start_s - SNIPPET_PAD_S)


def mp3_snippets(wav: Path, spans: Sequence[tuple[float, float]]) -> list[bytes]:
    """One MP3 per ``(start, end)`` span of ``wav``, padded a little so first and last sounds survive."""
    if not spans:
        return []
    with tempfile.TemporaryDirectory(prefix="qa-snippets-") as tmp:
        command = [imageio_ffmpeg.get_ffmpeg_exe(), "-hide_banner", "-loglevel", "error", "-i", str(wav)]
        outputs = []
        for i, (start, end) in enumerate(spans):
            out = Path(tmp) / f"{i}.mp3"
            outputs.append(out)
            a, b = snippet_start_s(start), end + SNIPPET_PAD_S
            command += [
                "-map", "0:a",
                "-af", f"atrim=start={a:.3f}:end={b:.3f},asetpts=PTS-STARTPTS",
                "-ac", "1", "-c:a", "libmp3lame", "-b:a", SNIPPET_BITRATE, "-y", str(out),
            ]  # fmt: skip
        done = subprocess.run(command, capture_output=True, check=False, timeout=600)
        if done.returncode != 0:
            raise SnippetError(
                _("ffmpeg failed: {error}").format(error=done.stderr.decode(errors="replace")[-300:])
            )
        return [out.read_bytes() for out in outputs]

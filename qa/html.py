"""``qa.html``: one self-contained page per render (inline CSS, inline SVG, audio as data URIs).

Self-contained because it is mailed around and opened from buckets and CI artifacts where relative
links break and external assets may be blocked. Every piece of text from the script or the recogniser
goes through ``html.escape``: a lesson may legitimately contain ``<`` (a < b) and a transcript is
untrusted machine output.

Each player follows its segment's text as the web page's lesson player does: the sentence and the
character being spoken are highlighted from the render's speech marks, and a sentence seeks the
player to it. The page embeds the web page's own ``karaoke.js`` (one copy of that logic) and the
marks as a JSON data block holding numbers only; the text is the escaped script text already shown.

The report's own words are in the language current when it is written (a page render: the
submitting teacher's). A flagged segment links to its paragraph; opened from the teachers' page, the
link asks that page to open the paragraph in its editor.
"""

from __future__ import annotations

import base64
import json
import re
from collections.abc import Mapping, Sequence
from functools import cache
from html import escape
from importlib import resources
from typing import Any

from i18n import _
from qa.snippets import snippet_start_s

# The spoken sentence and character are blue, not yellow as on the web page: here yellow marks a
# homophone in the lines under the text.
_CSS = """
body{font:15px/1.5 system-ui,"Noto Sans CJK SC","PingFang SC",sans-serif;margin:2em auto;max-width:70em;
color:#222;padding:0 1em}
h1{font-size:1.5em;margin-bottom:.2em}.meta{color:#666;font-size:.9em}
.cards{display:flex;gap:1em;flex-wrap:wrap;margin:1em 0}
.card{border:1px solid #ddd;border-radius:6px;padding:.5em 1em;min-width:7em}
.card b{display:block;font-size:1.4em}.bad b{color:#b00020}
table{border-collapse:collapse;width:100%;margin:.3em 0 1.2em}
td,th{border-bottom:1px solid #eee;padding:.35em .5em;text-align:left;vertical-align:top}
th{font-weight:600;color:#555;font-size:.85em}
tr.flag{background:#fff3f3}.num{text-align:right;font-variant-numeric:tabular-nums;white-space:nowrap}
.line{font-size:1.1em;letter-spacing:.05em}
.s,.i,.d{background:#ffc9c9;color:#8a0015}.d{text-decoration:line-through}.h{background:#fff0b3}
.reason{color:#b00020;font-size:.85em}.att{font-size:.85em;color:#444}
audio{height:2em;width:14em}svg{background:#fafafa;border:1px solid #eee}
.legend span{padding:0 .4em;margin-right:.6em}
.karaoke p{margin:0}
.karaoke-sentence{font:inherit;color:inherit;background:none;border:0;border-radius:3px;padding:0;margin:0;
cursor:pointer;text-align:start;display:inline}
.karaoke-sentence:hover{background:#eef3fb}.karaoke-sentence:focus-visible{outline:2px solid #2458a6}
.karaoke-sentence[aria-current]{background:#dde8fb}.karaoke-char.karaoke-now{background:#8fb5f0;border-radius:2px}
"""

MARK_TYPES = ("sentence", "character")
"""The marks a player follows (``karaoke.js`` uses no word marks)."""

_FOLLOW = """
// Each segment's text follows its own player; one player plays at a time.
(() => {
  const marks = JSON.parse(document.getElementById("qa-marks").textContent);
  const players = [];
  for (const box of document.querySelectorAll(".karaoke[data-segment]")) {
    const audio = box.closest("tr").querySelector("audio");
    const segment = { index: Number(box.dataset.segment), paragraph: 0, text: box.textContent };
    showLessonText(audio, box, { segments: [segment], marks: marks[box.dataset.segment] });
    players.push(audio);
  }
  for (const audio of players) {
    audio.addEventListener("play", () => {
      for (const other of players) if (other !== audio) other.pause();
    });
  }
})();
"""

_TO_EDITOR = """
// A flagged segment's link names its paragraph. Opened from the teachers' page, the report asks that
// page (its opener) to open the paragraph in its editor; opened on its own, the link just goes to the
// paragraph's table here. Only a paragraph number is sent.
(() => {
  for (const link of document.querySelectorAll("a.to-editor")) {
    link.addEventListener("click", (event) => {
      if (!window.opener) return;
      event.preventDefault();
      window.opener.postMessage({ lessonaudio: "paragraph", paragraph: Number(link.dataset.paragraph) }, "*");
    });
  }
})();
"""

_PLOT_W, _PLOT_H, _PAD = 900, 180, 30


def _pct(x: float) -> str:
    return f"{x:.1%}"


def _line(diff: Sequence[Sequence[str]], side: int) -> str:
    """Script (side 1) or transcript (side 2) with differing characters marked."""
    out = []
    for op, ref, hyp in diff:
        char = ref if side == 1 else hyp
        if not char:
            continue
        if op == "=":
            out.append(escape(char))
        else:
            cls = "h" if op == "~" else op
            out.append(f'<span class="{cls}">{escape(char)}</span>')
    return "".join(out) or "<i>" + escape(_("(nothing)")) + "</i>"


def per_plot(segments: Sequence[dict[str, Any]], threshold: float) -> str:
    """Bar chart of per-segment PER (capped at 1) with the flag threshold; flagged bars in red."""
    n = max(len(segments), 1)
    inner_w, inner_h = _PLOT_W - 2 * _PAD, _PLOT_H - 2 * _PAD
    step = inner_w / n
    bar = max(step * 0.8, 1.0)
    title = escape(_("PER per segment"))
    parts = [
        f'<svg width="{_PLOT_W}" height="{_PLOT_H}" '
        f'viewBox="0 0 {_PLOT_W} {_PLOT_H}" role="img" aria-label="{title}">'
    ]
    for tick in (0.0, 0.5, 1.0):
        y = _PAD + inner_h * (1 - tick)
        parts.append(f'<line x1="{_PAD}" x2="{_PLOT_W - _PAD}" y1="{y:.1f}" y2="{y:.1f}" stroke="#ddd"/>')
        parts.append(f'<text x="2" y="{y + 4:.1f}" font-size="10" fill="#666">{tick:.1f}</text>')
    for k, seg in enumerate(segments):
        per = float(seg["per"])
        h = inner_h * min(per, 1.0)
        x = _PAD + k * step + (step - bar) / 2
        colour = "#d93025" if seg["flagged"] else "#3b7dd8"
        label = escape(
            _("segment {n} (paragraph {paragraph}): PER {per}").format(
                n=seg["index"] + 1, paragraph=seg["paragraph"], per=f"{per:.2f}"
            )
        )
        parts.append(
            f'<rect x="{x:.1f}" y="{_PAD + inner_h - h:.1f}" width="{bar:.1f}" height="{max(h, 0.5):.1f}" '
            f'fill="{colour}"><title>{label}</title></rect>'
        )
    y = _PAD + inner_h * (1 - min(threshold, 1.0))
    parts.append(
        f'<line x1="{_PAD}" x2="{_PLOT_W - _PAD}" y1="{y:.1f}" y2="{y:.1f}" stroke="#d93025" '
        'stroke-dasharray="4 3"/>'
    )
    flag = escape(_("flag threshold {threshold}").format(threshold=f"{threshold:.2f}"))
    parts.append(
        f'<text x="{_PLOT_W - _PAD}" y="{y - 3:.1f}" font-size="10" fill="#d93025" text-anchor="end">'
        f"{flag}</text>"
    )
    axis = escape(_("segment"))
    parts.append(
        f'<text x="{_PLOT_W / 2:.0f}" y="{_PLOT_H - 6}" font-size="11" fill="#666" text-anchor="middle">'
        f"{axis}</text></svg>"
    )
    return "".join(parts)


_SILENT = re.compile(r"silent \((-?\d+) dBFS\)")
_OVER = re.compile(r"PER (\d+\.\d+) > (\d+\.\d+)")


def _reason(reason: str) -> str:
    """A flag's reason as qa.json keeps it (its stable English form, made at check time, which CI
    and the manifest read), in the reader's language."""
    silent = _SILENT.fullmatch(reason)
    if silent:
        return _("silent ({level} dBFS)").format(level=silent.group(1))
    over = _OVER.fullmatch(reason)
    if over:
        return _("PER {per} is over the limit {limit}").format(per=over.group(1), limit=over.group(2))
    return reason


def _attempts(seg: dict[str, Any]) -> str:
    if not seg["attempts"]:
        return ""
    first = seg.get("first_hearing") or seg
    rows = [_("original: PER {per}, CER {cer}").format(per=f"{first['per']:.2f}", cer=f"{first['cer']:.2f}")]
    for a in seg["attempts"]:
        if "error" in a:
            said = _("attempt {n} (rate ×{rate}): failed: {error}")
            rows.append(said.format(n=a["attempt"], rate=a["rate"], error=a["error"]))
        else:
            said = _("attempt {n} (rate ×{rate}): PER {per}, CER {cer}")
            rows.append(
                said.format(n=a["attempt"], rate=a["rate"], per=f"{a['per']:.2f}", cer=f"{a['cer']:.2f}")
            )
    kept = _("original") if not seg["kept"] else _("attempt {n}").format(n=seg["kept"])
    return (
        '<div class="att">'
        + escape(_("{attempts} → kept {kept}").format(attempts="; ".join(rows), kept=kept))
        + "</div>"
    )


@cache
def karaoke_js() -> str:
    """The web page's karaoke script, embedded so the report needs no server to follow its text."""
    source = resources.files("web").joinpath("static/karaoke.js").read_text(encoding="utf-8")
    if "</script" in source.lower() or "<!--" in source:
        raise ValueError(
            "web/static/karaoke.js contains </script or <!--, which would end its inline <script>"
        )
    return source


def snippet_marks(seg: Mapping[str, Any], marks: Sequence[Mapping[str, Any]]) -> list[dict[str, Any]]:
    """The segment's sentence and character marks, in milliseconds from the start of its snippet."""
    shift = round(snippet_start_s(float(seg["start"])) * 1000)
    return [
        {
            "type": m["type"],
            "segment": seg["index"],
            "start": m["start"],
            "end": m["end"],
            "time": m["time"] - shift,
            "end_time": m["end_time"] - shift,
        }
        for m in marks
        if m["type"] in MARK_TYPES and m["segment"] == seg["index"]
    ]


def _json_block(data: object) -> str:
    """JSON for a ``<script type="application/json">``: nothing in it can end the element."""
    text = json.dumps(data, separators=(",", ":"))
    return text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")


def _segment_row(seg: dict[str, Any], audio: bytes | None, follows: bool) -> str:
    listen = escape(_("Segment {n} audio").format(n=seg["index"] + 1))
    player = (
        f'<audio controls preload="none" src="data:audio/mpeg;base64,{base64.b64encode(audio).decode()}" '
        f'aria-label="{listen}"></audio>'
        if audio
        else ""
    )
    reasons = "".join(f'<div class="reason">{escape(_reason(r))}</div>' for r in seg["reasons"])
    paragraph = int(seg["paragraph"])
    span = _("{start}–{end} s").format(start=f"{seg['start']:.2f}", end=f"{seg['end']:.2f}")
    if seg["flagged"]:
        edit = escape(_("Edit paragraph {n}").format(n=paragraph))
        reasons += (
            f'<div><a class="to-editor" href="#paragraph-{paragraph}" data-paragraph="{paragraph}">'
            f"{edit}</a></div>"
        )
    text = (
        f'<div class="karaoke" data-segment="{seg["index"]}">' if follows and audio else "<div>"
    ) + escape(seg["text"])
    return (
        f'<tr class="{"flag" if seg["flagged"] else ""}" data-paragraph="{paragraph}">'
        f'<td class="num">{seg["index"] + 1}</td>'
        f"<td>{text}</div>"
        f'<div class="line">{_line(seg["diff"], 1)}</div>'
        f'<div class="line">{_line(seg["diff"], 2)}</div>{reasons}{_attempts(seg)}</td>'
        f'<td class="num">{_pct(seg["cer"])}</td><td class="num">{_pct(seg["per"])}</td>'
        f'<td class="num">{escape(span)}</td><td>{player}</td></tr>'
    )


def render_html(
    report: dict[str, Any],
    audio: Sequence[bytes | None] | None = None,
    marks: Sequence[Sequence[Mapping[str, Any]]] | None = None,
) -> str:
    """The page for ``report`` (a qa.json dict); ``audio[i]`` is segment i's MP3 snippet, if any, and
    ``marks[i]`` its speech marks as ``marks.json`` has them (times on the lesson's timeline)."""
    segments: list[dict[str, Any]] = report["segments"]
    clips = list(audio) if audio is not None else [None] * len(segments)
    followed = {
        str(seg["index"]): snippet_marks(seg, marks[k])
        for k, seg in enumerate(segments)
        if marks is not None and clips[k]
    }
    followed = {k: v for k, v in followed.items() if v}
    summary = report["summary"]
    threshold = float(report["thresholds"]["max_per"])
    cards = [
        (_("duration"), _("{seconds} s").format(seconds=f"{report['duration']:.1f}"), False),
        (_("segments"), str(summary["segments"]), False),
        ("CER", _pct(summary["cer"]), False),
        ("PER", _pct(summary["per"]), summary["per"] > threshold),
        (_("flags"), str(summary["flags"]), summary["flags"] > 0),
        (
            _("re-synthesised"),
            _("{count} ({replaced} replaced)").format(
                count=summary["resynthesised"], replaced=summary["replaced"]
            ),
            False,
        ),
    ]
    html = [
        '<!DOCTYPE html><html lang="zh-CN"><head><meta charset="utf-8">',
        "<title>" + escape(_("QA")) + f" · {escape(report['title'])} · {escape(report['render_id'])}</title>",
        f"<style>{_CSS}</style></head><body>",
        f"<h1>{escape(report['title'])}</h1>",
        f'<div class="meta">{escape(report["lesson_id"])} · '
        + escape(
            _("render {render} · ASR {engine} ({seconds} s)").format(
                render=report["render_id"], engine=report["engine"], seconds=f"{report['asr_seconds']:.1f}"
            )
        )
        + "</div>",
        '<div class="cards">',
        *(
            f'<div class="card{" bad" if bad else ""}">{escape(name)}<b>{escape(value)}</b></div>'
            for name, value, bad in cards
        ),
        "</div>",
        "<h2>" + escape(_("PER per segment")) + "</h2>",
        per_plot(segments, threshold),
        '<p class="legend">'
        + escape(_("Script (first line) against transcript (second line), both normalised:"))
        + ' <span class="s">'
        + escape(_("different"))
        + '</span><span class="h">'
        + escape(_("homophone"))
        + '</span><span class="d">'
        + escape(_("missing"))
        + "</span></p>",
    ]
    paragraphs: dict[int, list[int]] = {}
    for k, seg in enumerate(segments):
        paragraphs.setdefault(int(seg["paragraph"]), []).append(k)
    for number, members in paragraphs.items():
        heading = escape(_("Paragraph {n}").format(n=number))
        html.append(f'<h3 id="paragraph-{number}">{heading}</h3>')
        html.append(
            '<table><tr><th class="num">#</th><th>'
            + escape(_("script / transcript"))
            + '</th><th class="num">CER</th><th class="num">PER</th><th class="num">'
            + escape(_("time"))
            + "</th><th>"
            + escape(_("listen"))
            + "</th></tr>"
        )
        html.extend(
            _segment_row(segments[k], clips[k], str(segments[k]["index"]) in followed) for k in members
        )
        html.append("</table>")
    if followed:
        html.append(f'<script type="application/json" id="qa-marks">{_json_block(followed)}</script>')
        # A report without speech marks runs no script at all: its paragraph links stay plain anchors.
        html.append(f"<script>{karaoke_js()}{_FOLLOW}{_TO_EDITOR}</script>")
    html.append("</body></html>\n")
    return "".join(html)

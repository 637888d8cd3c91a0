// The lesson text beside its audio, karaoke style: the sentence and the character being spoken are
// highlighted from the render's speech marks (marks.json), and a sentence is a button that plays the
// lesson from that sentence. Times are read from audio.currentTime on every animation frame while the
// audio plays (timeupdate alone comes only about four times a second, slower than a syllable), and on
// timeupdate and seeked for the paused player.
// The QA report (qa/html.py) embeds this file in qa.html and calls showLessonText once per segment
// player, so it must stay self-contained: no other script's names, no fetches.
"use strict";

// Offsets in marks.json count code points; a JavaScript string counts UTF-16 units, so text is split
// with Array.from before it is cut.
function karaokeSegmentNodes(text, sentences, chars, doc) {
  const points = Array.from(text);
  const nodes = [];
  const charAt = new Map(chars.map((c) => [c.mark.start, c]));
  let at = 0;
  const fill = (parent, from, to) => {
    for (let k = from; k < to; k++) {
      const c = charAt.get(k);
      if (c && c.mark.end <= to) {
        const span = doc.createElement("span");
        span.className = "karaoke-char";
        span.dataset.segment = String(c.mark.segment);
        span.dataset.start = String(c.mark.start);
        span.textContent = points.slice(c.mark.start, c.mark.end).join("");
        c.node = span;
        parent.append(span);
        k = c.mark.end - 1;
      } else {
        parent.append(points[k]);
      }
    }
  };
  for (const s of sentences) {
    if (s.mark.start < at) continue; // overlapping sentence marks: keep the first
    const loose = doc.createDocumentFragment();
    fill(loose, at, s.mark.start);
    nodes.push(loose);
    const button = doc.createElement("button");
    button.type = "button";
    button.className = "karaoke-sentence";
    button.dataset.time = String(s.mark.time);
    fill(button, s.mark.start, s.mark.end);
    s.node = button;
    nodes.push(button);
    at = s.mark.end;
  }
  const rest = doc.createDocumentFragment();
  fill(rest, at, points.length);
  nodes.push(rest);
  return nodes;
}

// The last item whose mark starts at or before ``ms`` (items sorted by time), or -1.
function karaokeLastStarted(items, ms) {
  let lo = 0;
  let hi = items.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (items[mid].mark.time <= ms) lo = mid + 1;
    else hi = mid;
  }
  return lo - 1;
}

// Builds the text into ``box`` and follows ``audio``; returns a function that detaches it (for the
// next render shown in the same player).
function showLessonText(audio, box, marks) {
  const doc = box.ownerDocument;
  const byTime = (a, b) => a.mark.time - b.mark.time;
  const sentences = marks.marks.filter((m) => m.type === "sentence").map((mark) => ({ mark, node: null }));
  const chars = marks.marks.filter((m) => m.type === "character").map((mark) => ({ mark, node: null }));
  box.replaceChildren();
  let paragraph = null;
  let paragraphNumber = null;
  for (const segment of marks.segments) {
    if (paragraph === null || segment.paragraph !== paragraphNumber) {
      paragraph = doc.createElement("p");
      paragraphNumber = segment.paragraph;
      box.append(paragraph);
    }
    const mine = (list) => list.filter((x) => x.mark.segment === segment.index).sort((a, b) => a.mark.start - b.mark.start);
    paragraph.append(...karaokeSegmentNodes(segment.text, mine(sentences), mine(chars), doc));
  }
  const shownSentences = sentences.filter((s) => s.node).sort(byTime);
  const shownChars = chars.filter((c) => c.node).sort(byTime);

  let sentenceNow = null;
  let charNow = null;
  const update = () => {
    const ms = audio.currentTime * 1000;
    // A sentence stays lit through the pause after it, until the next one starts.
    const s = karaokeLastStarted(shownSentences, ms);
    const sentence = s >= 0 && ms > 0 && !audio.ended ? shownSentences[s] : null;
    const c = karaokeLastStarted(shownChars, ms);
    const char = c >= 0 && ms < shownChars[c].mark.end_time ? shownChars[c] : null;
    if (sentence !== sentenceNow) {
      if (sentenceNow) {
        sentenceNow.node.removeAttribute("aria-current");
        sentenceNow.node.classList.remove("karaoke-now");
      }
      if (sentence) {
        sentence.node.setAttribute("aria-current", "true");
        sentence.node.classList.add("karaoke-now");
      }
      sentenceNow = sentence;
    }
    if (char !== charNow) {
      if (charNow) charNow.node.classList.remove("karaoke-now");
      if (char) char.node.classList.add("karaoke-now");
      charNow = char;
    }
  };
  let frame = 0;
  const tick = () => {
    update();
    frame = audio.paused ? 0 : requestAnimationFrame(tick);
  };
  const start = () => {
    if (!frame) frame = requestAnimationFrame(tick);
  };
  const events = { play: start, playing: start, timeupdate: update, seeked: update, pause: update, ended: update };
  for (const [name, handler] of Object.entries(events)) audio.addEventListener(name, handler);
  for (const s of shownSentences) {
    // A button: Enter and Space work as well as a click.
    s.node.addEventListener("click", () => {
      audio.currentTime = s.mark.time / 1000;
      update();
      audio.play().catch(() => {});
    });
  }
  box.hidden = false;
  update();
  return () => {
    for (const [name, handler] of Object.entries(events)) audio.removeEventListener(name, handler);
    if (frame) cancelAnimationFrame(frame);
    box.replaceChildren();
    box.hidden = true;
  };
}

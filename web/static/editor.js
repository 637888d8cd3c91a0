// The lesson script as paragraphs (text, emotion, pause after, preview; add, delete, reorder) and a
// reading view per paragraph: each character over its pinyin, polyphones marked with who chose their
// reading, and a click (or Enter) on one to fix it with an inline override or a lexicon entry.
// The YAML view (the #script textarea) and this editor edit the same script: the server does the
// round trip (POST /api/scripts/paragraphs, /api/scripts/apply) so the teacher's comments are kept.
// Uses $, api, errorText and el from app.js (loaded before this file).
"use strict";

// Every word this file shows is the page text's (text() and hasText() from app.js), by key.

// Where a reading came from, as the reading view says it: the long name, and with it its detail.
function source(why, detail) {
  const name = hasText(`source.${why}`) ? text(`source.${why}`) : why;
  return detail ? text("sourceDetail", { source: name, detail }) : text("source", { source: name });
}

function sourceShort(why) {
  return hasText(`sourceShort.${why}`) ? text(`sourceShort.${why}`) : "";
}

// --- pinyin with tone marks ------------------------------------------------------------------------

const MARKS = { a: "āáǎà", e: "ēéěè", i: "īíǐì", o: "ōóǒò", u: "ūúǔù", ü: "ǖǘǚǜ" };

function toneMarked(numbered) {
  const match = /^([a-zü]+?)([1-5])$/.exec(numbered.replace(/v/g, "ü"));
  if (!match) return numbered;
  const [, base, tone] = match;
  if (tone === "5") return base;
  const at = base.includes("a") ? base.indexOf("a")
    : base.includes("e") ? base.indexOf("e")
    : base.includes("ou") ? base.indexOf("o")
    : Math.max(...[..."iouü"].map((v) => base.lastIndexOf(v)));
  if (at < 0) return numbered;
  return base.slice(0, at) + MARKS[base[at]][Number(tone) - 1] + base.slice(at + 1);
}

// --- the editor ------------------------------------------------------------------------------------

const editor = {
  active: false,
  base: "", // the script the paragraph list was read from or last written to
  emotion: null, // the script's default emotion
  lexicon: {},
  paragraphs: [], // {source, text, emotion, pause_after, line, key}
  nextKey: 1,
  pending: Promise.resolve(),
  dirty: false,
  timer: null,
};

// The emotions the page offers, as the preview's <select> names them (in the reader's language).
function emotionLabels() {
  const select = $("emotion");
  return new Map(select ? Array.from(select.options, (o) => [o.value, o.textContent]) : [["neutral", "neutral"]]);
}

function emotions() {
  return Array.from(emotionLabels().keys());
}

function setupViews() {
  const form = $("script-form");
  if (!form) return;
  const bar = $("script-views");
  const toParagraphs = el("button", { type: "button", id: "view-paragraphs", "aria-pressed": "false", "aria-controls": "paragraph-editor" }, text("viewParagraphs"));
  const toYaml = el("button", { type: "button", id: "view-yaml", "aria-pressed": "true", "aria-controls": "yaml-view" }, text("viewYaml"));
  bar.append(el("div", { class: "view-switch", role: "group", "aria-label": text("views") }, toParagraphs, toYaml));
  bar.hidden = false;
  toParagraphs.addEventListener("click", () => showParagraphs());
  toYaml.addEventListener("click", () => showYaml());
  const box = $("paragraph-editor");
  box.append(
    el("p", { id: "editor-status", class: "hint", role: "status" }),
    el("ol", { id: "paragraph-list", class: "paragraphs", "aria-label": text("paragraphs") }),
  );
  const add = el("button", { type: "button", id: "add-paragraph" }, text("add"));
  add.addEventListener("click", addParagraph);
  box.append(add);
}

function status(said) {
  $("editor-status").textContent = said;
}

async function showParagraphs() {
  await editor.pending;
  const script = $("script").value;
  if (!script.trim()) {
    status(text("empty"));
    switchTo(true);
    $("paragraph-list").replaceChildren();
    $("add-paragraph").hidden = true;
    return;
  }
  status(text("loading"));
  const response = await api("POST", "/api/scripts/paragraphs", { script });
  if (!response.ok) {
    const said = await errorText(response);
    switchTo(false);
    $("diagnostics").replaceChildren(el("p", { class: "diag-error", role: "alert" }, said));
    return;
  }
  const outline = await response.json();
  editor.base = script;
  load(outline);
  switchTo(true);
  $("add-paragraph").hidden = false;
  status("");
  renderList();
  $("view-paragraphs").focus();
}

async function showYaml() {
  await flushEditor();
  switchTo(false);
}

function switchTo(paragraphs) {
  editor.active = paragraphs;
  $("paragraph-editor").hidden = !paragraphs;
  $("yaml-view").hidden = paragraphs;
  $("view-paragraphs").setAttribute("aria-pressed", String(paragraphs));
  $("view-yaml").setAttribute("aria-pressed", String(!paragraphs));
}

function load(outline) {
  editor.emotion = outline.emotion;
  editor.lexicon = outline.lexicon;
  editor.paragraphs = outline.paragraphs.map((p) => ({
    source: p.index, text: p.text, emotion: p.emotion, pause_after: p.pause_after, line: p.line, key: editor.nextKey++,
  }));
}

// Every change goes to the server in order; the YAML view always shows the latest result. The body
// is built when its turn comes, so each paragraph's `source` names its place in the script sent.
function sync(lexiconAdd) {
  clearTimeout(editor.timer);
  editor.dirty = false;
  const turn = editor.pending.then(async () => {
    const sent = editor.paragraphs.slice();
    const body = {
      script: editor.base,
      paragraphs: sent.map((p) => ({ source: p.source, text: p.text, emotion: p.emotion || null, pause_after: p.pause_after || null })),
      lexicon_add: lexiconAdd || {},
    };
    status(text("saving"));
    const response = await api("POST", "/api/scripts/apply", body);
    if (!response.ok) {
      status(await errorText(response));
      return false;
    }
    const result = await response.json();
    editor.base = result.script;
    $("script").value = result.script;
    editor.lexicon = result.lexicon;
    sent.forEach((p, k) => {
      p.source = k;
      p.line = result.paragraphs[k].line;
    });
    refreshLines();
    status(text("saved"));
    return true;
  });
  editor.pending = turn.catch((error) => {
    status(String(error));
    return false;
  });
  return editor.pending;
}

function later() {
  editor.dirty = true;
  clearTimeout(editor.timer);
  editor.timer = setTimeout(() => sync(), 500);
}

async function flushEditor() {
  if (editor.active && editor.dirty) await sync();
  await editor.pending;
}

// --- the list --------------------------------------------------------------------------------------

function renderList(focus) {
  const list = $("paragraph-list");
  list.replaceChildren(...editor.paragraphs.map((p, k) => card(p, k)));
  if (focus) {
    const target = document.getElementById(focus);
    if (target) target.focus();
  }
}

function refreshLines() {
  editor.paragraphs.forEach((p) => {
    const line = document.getElementById(`p${p.key}-line`);
    if (line && p.line) line.textContent = text("line", { n: p.line });
  });
}

function card(p, k) {
  const n = k + 1;
  const id = `p${p.key}`;
  const area = el("textarea", { id: `${id}-text`, rows: "3", maxlength: "2000", "aria-describedby": `${id}-problems` });
  area.value = p.text;
  area.addEventListener("input", () => {
    p.text = area.value;
    later();
  });
  const emotion = el("select", { id: `${id}-emotion` });
  const labels = emotionLabels();
  const fallback = editor.emotion || "neutral";
  emotion.append(el("option", { value: "" }, text("emotionDefault", { emotion: labels.get(fallback) || fallback })));
  for (const [name, label] of labels) emotion.append(el("option", { value: name }, label));
  if (p.emotion && !emotions().includes(p.emotion)) {
    // Kept as written until the teacher chooses another; the script check says what is wrong with it.
    emotion.append(el("option", { value: p.emotion }, text("unknownEmotion", { emotion: p.emotion })));
  }
  emotion.value = p.emotion || "";
  emotion.addEventListener("change", () => {
    p.emotion = emotion.value || null;
    sync();
  });
  const pause = el("input", { id: `${id}-pause`, type: "text", inputmode: "text", placeholder: text("pausePlaceholder"), size: "10" });
  pause.value = p.pause_after || "";
  pause.addEventListener("input", () => {
    p.pause_after = pause.value.trim() || null;
    later();
  });

  const button = (label, aria, action, extra) => {
    const b = el("button", { type: "button", "aria-label": aria, ...(extra || {}) }, label);
    b.addEventListener("click", action);
    return b;
  };
  const up = button(text("moveUp"), text("moveUpLabel", { n }), () => move(k, -1), { id: `${id}-up` });
  const down = button(text("moveDown"), text("moveDownLabel", { n }), () => move(k, 1), { id: `${id}-down` });
  up.disabled = k === 0;
  down.disabled = k === editor.paragraphs.length - 1;
  const readingBox = el("div", { id: `${id}-reading`, class: "reading", role: "group", "aria-label": text("readingOf", { n }), hidden: "" });
  const readingButton = button(text("reading"), text("readingLabel", { n }), () => toggleReading(p, k), {
    id: `${id}-show-reading`, "aria-expanded": "false", "aria-controls": `${id}-reading`,
  });
  const audio = el("audio", { id: `${id}-audio`, controls: "", hidden: "", "aria-label": text("previewAudio", { n }) });
  const said = el("p", { id: `${id}-status`, class: "hint", role: "status" });
  const previewButton = button(text("preview"), text("previewLabel", { n }), () => previewParagraph(p, previewButton, audio, said), { id: `${id}-preview` });

  return el(
    "li",
    { class: "paragraph", id, "data-key": String(p.key) },
    el("h3", {}, text("paragraph", { n }), " ", el("span", { class: "muted", id: `${id}-line` }, p.line ? text("line", { n: p.line }) : "")),
    el("label", { for: `${id}-text` }, text("text")),
    area,
    el(
      "div",
      { class: "row" },
      el("label", { for: `${id}-emotion` }, text("emotion")),
      emotion,
      el("label", { for: `${id}-pause` }, text("pause")),
      pause,
    ),
    el("ul", { id: `${id}-problems`, class: "problems", "aria-label": text("problems", { n }) }),
    el("div", { class: "buttons wrap" }, previewButton, readingButton, up, down, button(text("remove"), text("removeLabel", { n }), () => remove(k), { id: `${id}-remove`, class: "danger" })),
    said,
    audio,
    readingBox,
  );
}

async function move(k, step) {
  const to = k + step;
  if (to < 0 || to >= editor.paragraphs.length) return;
  const [p] = editor.paragraphs.splice(k, 1);
  editor.paragraphs.splice(to, 0, p);
  const direction = step < 0 ? "up" : "down";
  const stay = (step < 0 && to === 0) || (step > 0 && to === editor.paragraphs.length - 1);
  renderList(`p${p.key}-${stay ? (direction === "up" ? "down" : "up") : direction}`);
  status(text("moved", { n: to + 1 }));
  await sync();
  status(text("moved", { n: to + 1 }));
}

async function remove(k) {
  editor.paragraphs.splice(k, 1);
  const next = editor.paragraphs[Math.min(k, editor.paragraphs.length - 1)];
  renderList(next ? `p${next.key}-text` : "add-paragraph");
  await sync();
  status(text("removed", { n: k + 1 }));
}

async function addParagraph() {
  const p = { source: null, text: "", emotion: null, pause_after: null, line: null, key: editor.nextKey++ };
  editor.paragraphs.push(p);
  renderList(`p${p.key}-text`);
  status(text("added", { n: editor.paragraphs.length }));
}

async function previewParagraph(p, button, audio, said) {
  // Busy, not disabled: a disabled button would drop the keyboard focus.
  if (button.getAttribute("aria-busy") === "true") return;
  button.setAttribute("aria-busy", "true");
  said.textContent = text("previewing");
  try {
    const emotion = p.emotion || editor.emotion || "neutral";
    const response = await api("POST", "/tts", { text: p.text, emotion });
    if (!response.ok) {
      said.textContent = await errorText(response);
      return;
    }
    if (audio.src) URL.revokeObjectURL(audio.src);
    audio.src = URL.createObjectURL(await response.blob());
    audio.hidden = false;
    said.textContent = text("previewDone");
    await audio.play().catch(() => {
      said.textContent += ` ${text("pressPlay")}`;
    });
  } finally {
    button.removeAttribute("aria-busy");
  }
}

// --- problems on their paragraph --------------------------------------------------------------------

function showParagraphProblems(report) {
  if (!editor.active) return;
  const byNumber = new Map();
  for (const d of [...report.errors, ...report.warnings]) {
    if (!d.paragraph) continue;
    if (!byNumber.has(d.paragraph)) byNumber.set(d.paragraph, []);
    byNumber.get(d.paragraph).push(d);
  }
  editor.paragraphs.forEach((p, k) => {
    const list = document.getElementById(`p${p.key}-problems`);
    if (!list) return;
    const found = byNumber.get(k + 1) || [];
    list.replaceChildren(
      ...found.map((d) => el("li", { class: `diag-${d.severity}` }, d.fix ? text("withFix", { message: d.message, fix: d.fix }) : d.message)),
    );
    document.getElementById(`p${p.key}`).classList.toggle("has-errors", found.some((d) => d.severity === "error"));
  });
}

// --- the reading view --------------------------------------------------------------------------------

async function toggleReading(p, k) {
  const box = document.getElementById(`p${p.key}-reading`);
  const button = document.getElementById(`p${p.key}-show-reading`);
  if (!box.hidden) {
    box.hidden = true;
    button.setAttribute("aria-expanded", "false");
    button.textContent = text("reading");
    button.setAttribute("aria-label", text("readingLabel", { n: k + 1 }));
    return;
  }
  box.hidden = false;
  button.setAttribute("aria-expanded", "true");
  button.textContent = text("hideReading");
  button.setAttribute("aria-label", text("hideReadingLabel", { n: k + 1 }));
  await showReading(p, k);
}

async function showReading(p, k, focusStart) {
  const box = document.getElementById(`p${p.key}-reading`);
  box.replaceChildren(el("p", { class: "hint" }, text("readingLoading")));
  const response = await api("POST", "/api/scripts/readings", { text: p.text || " ", lexicon: editor.lexicon });
  if (!response.ok) {
    box.replaceChildren(el("p", { class: "diag-error" }, await errorText(response)));
    return;
  }
  const reading = await response.json();
  const line = el("div", { class: "reading-line", lang: "zh-Hans" });
  for (const piece of reading.pieces) line.append(cell(p, k, { ...piece, written: reading.text }));
  const issues = reading.issues.map((i) => el("p", { class: "diag-error" }, text("withFix", { message: i.message, fix: i.fix })));
  const choices = el("div", { class: "choices", id: `p${p.key}-choices`, hidden: "" });
  box.replaceChildren(el("p", { class: "hint" }, text("readingHint")), line, ...issues, choices);
  if (focusStart !== undefined) {
    const target = box.querySelector(`[data-start="${focusStart}"]`);
    if (target) target.focus();
  }
}

function cell(p, k, piece) {
  const fixable = (piece.kind === "han" && piece.polyphone) || (piece.kind === "latin" && piece.spelled);
  const shown = piece.kind === "han" && piece.pinyin ? toneMarked(piece.pinyin) : piece.pinyin || "";
  const short = piece.why ? sourceShort(piece.why) : "";
  const title = piece.why ? source(piece.why, piece.detail) : "";
  const parts = [
    el("span", { class: "py" }, piece.kind === "pause" ? "" : shown || "\u00a0"),
    el("span", { class: "ch" }, piece.text),
  ];
  if (fixable && short) parts.push(el("span", { class: "src" }, short));
  if (!fixable) return el("span", { class: `cell ${piece.kind}`, title: title || null }, ...parts);
  // The button's name is its visible text plus what the eye gets from its colour and tooltip.
  const said = piece.kind === "latin"
    ? text("cellSpelled", { spelled: text("spelledWord", { word: piece.text, reading: piece.pinyin }), source: source(piece.why, "") })
    : text("cellPolyphone", { source: source(piece.why, piece.detail) });
  parts.push(el("span", { class: "visually-hidden" }, said));
  const button = el(
    "button",
    { type: "button", class: `cell fix ${piece.kind}${piece.why === "inline" ? " inline" : ""}`, title, "aria-controls": `p${p.key}-choices`, "aria-expanded": "false", "data-start": String(piece.start) },
    ...parts,
  );
  button.addEventListener("click", () => openChoices(p, k, piece, button));
  return button;
}

function openChoices(p, k, piece, opener) {
  const box = document.getElementById(`p${p.key}-reading`);
  const panel = box.querySelector(".choices");
  for (const other of box.querySelectorAll(".cell.fix[aria-expanded='true']")) other.setAttribute("aria-expanded", "false");
  opener.setAttribute("aria-expanded", "true");
  const headingId = `p${p.key}-choices-heading`;
  const close = el("button", { type: "button", class: "close" }, text("close"));
  const closePanel = () => {
    panel.hidden = true;
    opener.setAttribute("aria-expanded", "false");
    opener.focus();
  };
  close.addEventListener("click", closePanel);
  const children = [];
  if (piece.kind === "latin") {
    const inputId = `p${p.key}-spoken`;
    const input = el("input", { id: inputId, type: "text", lang: "zh-Hans" });
    const here = el("button", { type: "button" }, text("writeHere"));
    const lexicon = el("button", { type: "button" }, text("addToLexicon"));
    const said = el("p", { class: "error", role: "alert" });
    const spoken = () => {
      const value = input.value.trim();
      if (!value) said.textContent = text("needReading");
      return value;
    };
    here.addEventListener("click", () => {
      const value = spoken();
      if (value) fixText(p, k, piece, piece.start, piece.end, `[${piece.text}](${value})`, text("fixedOverride", { char: piece.text, pinyin: value }));
    });
    lexicon.addEventListener("click", () => {
      const value = spoken();
      if (value) fixLexicon(p, k, piece.start, piece.text, value);
    });
    children.push(
      el("p", {}, text("spelledHelp")),
      el("div", { class: "row" }, el("label", { for: inputId }, text("spokenAs")), input, here, lexicon),
      said,
    );
  } else {
    const readings = el("div", { class: "buttons wrap", role: "group", "aria-labelledby": headingId });
    for (const candidate of piece.candidates) {
      const marked = toneMarked(candidate);
      const b = el("button", { type: "button", "aria-label": text("asOverrideLabel", { char: piece.text, pinyin: marked }), "aria-current": candidate === piece.pinyin ? "true" : null }, text("asOverride", { char: piece.text, pinyin: marked }));
      b.addEventListener("click", () => writeOverride(p, k, piece, candidate));
      readings.append(b);
    }
    children.push(el("p", {}, text("chooseHelp")), readings);
    if (piece.word) {
      const offset = piece.start - piece.word.start;
      const words = el("div", { class: "buttons wrap", role: "group", "aria-label": text("orLexicon", { word: piece.word.text }) });
      for (const candidate of piece.candidates) {
        const syllables = piece.word.pinyin.slice();
        syllables[offset] = candidate;
        const shown = syllables.map(toneMarked).join(" ");
        const b = el("button", { type: "button", class: "secondary", "aria-label": text("asLexiconLabel", { word: piece.word.text, pinyin: shown }) }, text("asLexicon", { word: piece.word.text, pinyin: shown }));
        b.addEventListener("click", () => fixLexicon(p, k, piece.start, piece.word.text, syllables.join(" ")));
        words.append(b);
      }
      children.push(el("p", {}, text("orLexicon", { word: piece.word.text })), words);
    }
  }
  const title = piece.kind === "latin" ? text("spelledWord", { word: piece.text, reading: piece.pinyin }) : text("choose", { char: piece.text });
  panel.replaceChildren(el("h4", { id: headingId }, title), ...children, close);
  panel.hidden = false;
  panel.onkeydown = (event) => {
    if (event.key === "Escape") {
      event.preventDefault();
      closePanel();
    }
  };
  const first = panel.querySelector("button, input");
  if (first) first.focus();
}

function writeOverride(p, k, piece, candidate) {
  if (piece.override) {
    const o = piece.override;
    const syllables = o.syllables.slice();
    syllables[o.index] = candidate;
    fixText(p, k, piece, o.start, o.end, `[${o.text}](${syllables.join(" ")})`, text("fixedOverride", { char: piece.text, pinyin: toneMarked(candidate) }));
  } else {
    fixText(p, k, piece, piece.start, piece.end, `[${piece.text}](${candidate})`, text("fixedOverride", { char: piece.text, pinyin: toneMarked(candidate) }));
  }
}

async function fixText(p, k, piece, start, end, replacement, done) {
  if (p.text !== piece.written) {
    await showReading(p, k); // the text changed since it was read: positions are stale, read it again
    status(text("textChanged"));
    return;
  }
  p.text = p.text.slice(0, start) + replacement + p.text.slice(end);
  const area = document.getElementById(`p${p.key}-text`);
  if (area) area.value = p.text;
  if (await sync()) {
    await showReading(p, k, start);
    status(done);
  }
}

async function fixLexicon(p, k, start, word, reading) {
  if (await sync({ [word]: reading })) {
    await showReading(p, k, start);
    status(text("fixedLexicon", { word: word, pinyin: reading }));
  }
}

// --- wiring ------------------------------------------------------------------------------------------

window.scriptEditor = {
  flush: flushEditor,
  showProblems: showParagraphProblems,
  reload: async () => {
    if (editor.active) await showParagraphs();
  },
  // The QA report's link: the paragraph view, scrolled to paragraph ``number`` with its text focused.
  openParagraph: async (number) => {
    if (!editor.active) await showParagraphs();
    const p = editor.active ? editor.paragraphs[number - 1] : null;
    const area = p ? document.getElementById(`p${p.key}-text`) : null;
    if (!area) return false;
    document.getElementById(`p${p.key}`).scrollIntoView({ block: "start" });
    area.focus({ preventScroll: true });
    status(text("qaParagraph", { n: number }));
    return true;
  },
  focusParagraph: (number) => {
    const p = editor.active ? editor.paragraphs[number - 1] : null;
    const area = p ? document.getElementById(`p${p.key}-text`) : null;
    if (area) area.focus();
    return Boolean(area);
  },
};

setupViews();

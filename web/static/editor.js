// The lesson script as paragraphs (text, emotion, pause after, preview; add, delete, reorder) and a
// reading view per paragraph: each character over its pinyin, polyphones marked with who chose their
// reading, and a click (or Enter) on one to fix it with an inline override or a lexicon entry.
// The YAML view (the #script textarea) and this editor edit the same script: the server does the
// round trip (POST /api/scripts/paragraphs, /api/scripts/apply) so the teacher's comments are kept.
// Uses $, api, errorText and el from app.js (loaded before this file).
"use strict";

// Every string this file shows, in one place (a later step extracts them into gettext catalogs).
const T = {
  views: "编辑方式",
  viewParagraphs: "段落编辑",
  viewYaml: "YAML 源文件",
  loading: "正在读取脚本…",
  empty: "脚本还是空的：在 YAML 源文件里写好或上传一个脚本，再切换到段落编辑。",
  paragraphs: "段落",
  paragraph: (n) => `第 ${n} 段`,
  line: (n) => `YAML 第 ${n} 行`,
  unknownEmotion: (e) => `${e}（未知）`,
  text: "段落文字",
  emotion: "情感",
  emotionDefault: (e) => `默认（${e}）`,
  pause: "段后停顿",
  pausePlaceholder: "如 500ms、1s",
  preview: "试听",
  previewLabel: (n) => `试听第 ${n} 段`,
  previewing: "正在合成…",
  previewDone: "试听已就绪。",
  previewAudio: (n) => `第 ${n} 段试听音频`,
  pressPlay: "请按播放键收听。",
  reading: "查看读音",
  readingLabel: (n) => `查看读音（第 ${n} 段）`,
  hideReading: "收起读音",
  hideReadingLabel: (n) => `收起读音（第 ${n} 段）`,
  moveUp: "上移",
  moveUpLabel: (n) => `上移第 ${n} 段`,
  moveDown: "下移",
  moveDownLabel: (n) => `下移第 ${n} 段`,
  remove: "删除",
  removeLabel: (n) => `删除第 ${n} 段`,
  removed: (n) => `已删除第 ${n} 段。`,
  moved: (n) => `已移到第 ${n} 段。`,
  add: "添加段落",
  added: (n) => `已添加第 ${n} 段。`,
  saving: "正在保存…",
  saved: "已保存到 YAML。",
  problems: (n) => `第 ${n} 段的问题`,
  readingOf: (n) => `第 ${n} 段的读音`,
  readingHint: "字上方是拼音。带下划线的是多音字或将被逐个字母读出的英文词：点击（或按回车）可以改正读音。",
  readingLoading: "正在分析读音…",
  polyphone: "多音字",
  spelledWord: (w, r) => `「${w}」将逐个字母读出：${r}`,
  choose: (ch) => `「${ch}」的读音`,
  chooseHelp: "选择一个读音，写入本段（行内标注）：",
  asOverride: (ch, py) => `${ch}（${py}）`,
  asOverrideLabel: (ch, py) => `${ch}（${py}）：在本段标注「${ch}」读 ${py}`,
  orLexicon: (w) => `或者加入课程词典（本课所有的「${w}」都这样读）：`,
  asLexicon: (w, py) => `${w}：${py}`,
  asLexiconLabel: (w, py) => `${w}：${py}，加入课程词典`,
  spelledHelp: "写下这个词应该怎么读（汉字或带声调数字的拼音）：",
  spokenAs: "读作",
  writeHere: "写入本段",
  addToLexicon: "加入课程词典",
  close: "关闭",
  fixedOverride: (ch, py) => `已把「${ch}」标注为 ${py}。`,
  fixedLexicon: (w, py) => `已把「${w}：${py}」加入课程词典。`,
  needReading: "请先写下读法。",
  textChanged: "段落文字已改动，读音已重新分析，请再选一次。",
  sources: {
    inline: "行内标注",
    lesson_lexicon: "课程词典",
    course_lexicon: "课程词典（共用）",
    rule: "规则",
    word: "课堂词表",
    dictionary: "词典词语",
    model: "模型判断",
    single: "唯一读音",
    sandhi: "变调",
    pinned: "固定读音",
    spelled: "逐个字母",
    builtin_lexicon: "内置英文词",
  },
  sourceShort: {
    inline: "标注",
    lesson_lexicon: "词典",
    course_lexicon: "词典",
    rule: "规则",
    word: "词表",
    dictionary: "词语",
    model: "模型",
    single: "",
    sandhi: "变调",
    pinned: "固定",
    spelled: "拼读",
    builtin_lexicon: "内置",
  },
  source: (why, detail) => `来源：${T.sources[why] || why}${detail ? `（${detail}）` : ""}`,
};

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
  const toParagraphs = el("button", { type: "button", id: "view-paragraphs", "aria-pressed": "false", "aria-controls": "paragraph-editor" }, T.viewParagraphs);
  const toYaml = el("button", { type: "button", id: "view-yaml", "aria-pressed": "true", "aria-controls": "yaml-view" }, T.viewYaml);
  bar.append(el("div", { class: "view-switch", role: "group", "aria-label": T.views }, toParagraphs, toYaml));
  bar.hidden = false;
  toParagraphs.addEventListener("click", () => showParagraphs());
  toYaml.addEventListener("click", () => showYaml());
  const box = $("paragraph-editor");
  box.append(
    el("p", { id: "editor-status", class: "hint", role: "status" }),
    el("ol", { id: "paragraph-list", class: "paragraphs", "aria-label": T.paragraphs }),
  );
  const add = el("button", { type: "button", id: "add-paragraph" }, T.add);
  add.addEventListener("click", addParagraph);
  box.append(add);
}

function status(text) {
  $("editor-status").textContent = text;
}

async function showParagraphs() {
  await editor.pending;
  const script = $("script").value;
  if (!script.trim()) {
    status(T.empty);
    switchTo(true);
    $("paragraph-list").replaceChildren();
    $("add-paragraph").hidden = true;
    return;
  }
  status(T.loading);
  const response = await api("POST", "/api/scripts/paragraphs", { script });
  if (!response.ok) {
    const text = await errorText(response);
    switchTo(false);
    $("diagnostics").replaceChildren(el("p", { class: "diag-error", role: "alert" }, text));
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
    status(T.saving);
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
    status(T.saved);
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
    if (line && p.line) line.textContent = T.line(p.line);
  });
}

function card(p, k) {
  const n = k + 1;
  const id = `p${p.key}`;
  const text = el("textarea", { id: `${id}-text`, rows: "3", maxlength: "2000", "aria-describedby": `${id}-problems` });
  text.value = p.text;
  text.addEventListener("input", () => {
    p.text = text.value;
    later();
  });
  const emotion = el("select", { id: `${id}-emotion` });
  const labels = emotionLabels();
  const fallback = editor.emotion || "neutral";
  emotion.append(el("option", { value: "" }, T.emotionDefault(labels.get(fallback) || fallback)));
  for (const [name, label] of labels) emotion.append(el("option", { value: name }, label));
  if (p.emotion && !emotions().includes(p.emotion)) {
    // Kept as written until the teacher chooses another; the script check says what is wrong with it.
    emotion.append(el("option", { value: p.emotion }, T.unknownEmotion(p.emotion)));
  }
  emotion.value = p.emotion || "";
  emotion.addEventListener("change", () => {
    p.emotion = emotion.value || null;
    sync();
  });
  const pause = el("input", { id: `${id}-pause`, type: "text", inputmode: "text", placeholder: T.pausePlaceholder, size: "10" });
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
  const up = button(T.moveUp, T.moveUpLabel(n), () => move(k, -1), { id: `${id}-up` });
  const down = button(T.moveDown, T.moveDownLabel(n), () => move(k, 1), { id: `${id}-down` });
  up.disabled = k === 0;
  down.disabled = k === editor.paragraphs.length - 1;
  const readingBox = el("div", { id: `${id}-reading`, class: "reading", role: "group", "aria-label": T.readingOf(n), hidden: "" });
  const readingButton = button(T.reading, T.readingLabel(n), () => toggleReading(p, k), {
    id: `${id}-show-reading`, "aria-expanded": "false", "aria-controls": `${id}-reading`,
  });
  const audio = el("audio", { id: `${id}-audio`, controls: "", hidden: "", "aria-label": T.previewAudio(n) });
  const said = el("p", { id: `${id}-status`, class: "hint", role: "status" });
  const previewButton = button(T.preview, T.previewLabel(n), () => previewParagraph(p, previewButton, audio, said), { id: `${id}-preview` });

  return el(
    "li",
    { class: "paragraph", id, "data-key": String(p.key) },
    el("h3", {}, T.paragraph(n), " ", el("span", { class: "muted", id: `${id}-line` }, p.line ? T.line(p.line) : "")),
    el("label", { for: `${id}-text` }, T.text),
    text,
    el(
      "div",
      { class: "row" },
      el("label", { for: `${id}-emotion` }, T.emotion),
      emotion,
      el("label", { for: `${id}-pause` }, T.pause),
      pause,
    ),
    el("ul", { id: `${id}-problems`, class: "problems", "aria-label": T.problems(n) }),
    el("div", { class: "buttons wrap" }, previewButton, readingButton, up, down, button(T.remove, T.removeLabel(n), () => remove(k), { id: `${id}-remove`, class: "danger" })),
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
  status(T.moved(to + 1));
  await sync();
  status(T.moved(to + 1));
}

async function remove(k) {
  editor.paragraphs.splice(k, 1);
  const next = editor.paragraphs[Math.min(k, editor.paragraphs.length - 1)];
  renderList(next ? `p${next.key}-text` : "add-paragraph");
  await sync();
  status(T.removed(k + 1));
}

async function addParagraph() {
  const p = { source: null, text: "", emotion: null, pause_after: null, line: null, key: editor.nextKey++ };
  editor.paragraphs.push(p);
  renderList(`p${p.key}-text`);
  status(T.added(editor.paragraphs.length));
}

async function previewParagraph(p, button, audio, said) {
  // Busy, not disabled: a disabled button would drop the keyboard focus.
  if (button.getAttribute("aria-busy") === "true") return;
  button.setAttribute("aria-busy", "true");
  said.textContent = T.previewing;
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
    said.textContent = T.previewDone;
    await audio.play().catch(() => {
      said.textContent += ` ${T.pressPlay}`;
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
      ...found.map((d) => el("li", { class: `diag-${d.severity}` }, `${d.message}${d.fix ? `（${d.fix}）` : ""}`)),
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
    button.textContent = T.reading;
    button.setAttribute("aria-label", T.readingLabel(k + 1));
    return;
  }
  box.hidden = false;
  button.setAttribute("aria-expanded", "true");
  button.textContent = T.hideReading;
  button.setAttribute("aria-label", T.hideReadingLabel(k + 1));
  await showReading(p, k);
}

async function showReading(p, k, focusStart) {
  const box = document.getElementById(`p${p.key}-reading`);
  box.replaceChildren(el("p", { class: "hint" }, T.readingLoading));
  const response = await api("POST", "/api/scripts/readings", { text: p.text || " ", lexicon: editor.lexicon });
  if (!response.ok) {
    box.replaceChildren(el("p", { class: "diag-error" }, await errorText(response)));
    return;
  }
  const reading = await response.json();
  const line = el("div", { class: "reading-line", lang: "zh-Hans" });
  for (const piece of reading.pieces) line.append(cell(p, k, { ...piece, written: reading.text }));
  const issues = reading.issues.map((i) => el("p", { class: "diag-error" }, `${i.message}（${i.fix}）`));
  const choices = el("div", { class: "choices", id: `p${p.key}-choices`, hidden: "" });
  box.replaceChildren(el("p", { class: "hint" }, T.readingHint), line, ...issues, choices);
  if (focusStart !== undefined) {
    const target = box.querySelector(`[data-start="${focusStart}"]`);
    if (target) target.focus();
  }
}

function cell(p, k, piece) {
  const fixable = (piece.kind === "han" && piece.polyphone) || (piece.kind === "latin" && piece.spelled);
  const shown = piece.kind === "han" && piece.pinyin ? toneMarked(piece.pinyin) : piece.pinyin || "";
  const short = piece.why ? T.sourceShort[piece.why] ?? "" : "";
  const title = piece.why ? T.source(piece.why, piece.detail) : "";
  const parts = [
    el("span", { class: "py" }, piece.kind === "pause" ? "" : shown || "\u00a0"),
    el("span", { class: "ch" }, piece.text),
  ];
  if (fixable && short) parts.push(el("span", { class: "src" }, short));
  if (!fixable) return el("span", { class: `cell ${piece.kind}`, title: title || null }, ...parts);
  // The button's name is its visible text plus what the eye gets from its colour and tooltip.
  const said = piece.kind === "latin"
    ? `，${T.spelledWord(piece.text, piece.pinyin)}，${T.source(piece.why, "")}`
    : `，${T.polyphone}，${T.source(piece.why, piece.detail)}`;
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
  const close = el("button", { type: "button", class: "close" }, T.close);
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
    const here = el("button", { type: "button" }, T.writeHere);
    const lexicon = el("button", { type: "button" }, T.addToLexicon);
    const said = el("p", { class: "error", role: "alert" });
    const spoken = () => {
      const value = input.value.trim();
      if (!value) said.textContent = T.needReading;
      return value;
    };
    here.addEventListener("click", () => {
      const value = spoken();
      if (value) fixText(p, k, piece, piece.start, piece.end, `[${piece.text}](${value})`, T.fixedOverride(piece.text, value));
    });
    lexicon.addEventListener("click", () => {
      const value = spoken();
      if (value) fixLexicon(p, k, piece.start, piece.text, value);
    });
    children.push(
      el("p", {}, T.spelledHelp),
      el("div", { class: "row" }, el("label", { for: inputId }, T.spokenAs), input, here, lexicon),
      said,
    );
  } else {
    const readings = el("div", { class: "buttons wrap", role: "group", "aria-labelledby": headingId });
    for (const candidate of piece.candidates) {
      const marked = toneMarked(candidate);
      const b = el("button", { type: "button", "aria-label": T.asOverrideLabel(piece.text, marked), "aria-current": candidate === piece.pinyin ? "true" : null }, T.asOverride(piece.text, marked));
      b.addEventListener("click", () => writeOverride(p, k, piece, candidate));
      readings.append(b);
    }
    children.push(el("p", {}, T.chooseHelp), readings);
    if (piece.word) {
      const offset = piece.start - piece.word.start;
      const words = el("div", { class: "buttons wrap", role: "group", "aria-label": T.orLexicon(piece.word.text) });
      for (const candidate of piece.candidates) {
        const syllables = piece.word.pinyin.slice();
        syllables[offset] = candidate;
        const shown = syllables.map(toneMarked).join(" ");
        const b = el("button", { type: "button", class: "secondary", "aria-label": T.asLexiconLabel(piece.word.text, shown) }, T.asLexicon(piece.word.text, shown));
        b.addEventListener("click", () => fixLexicon(p, k, piece.start, piece.word.text, syllables.join(" ")));
        words.append(b);
      }
      children.push(el("p", {}, T.orLexicon(piece.word.text)), words);
    }
  }
  const title = piece.kind === "latin" ? T.spelledWord(piece.text, piece.pinyin) : T.choose(piece.text);
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
    fixText(p, k, piece, o.start, o.end, `[${o.text}](${syllables.join(" ")})`, T.fixedOverride(piece.text, toneMarked(candidate)));
  } else {
    fixText(p, k, piece, piece.start, piece.end, `[${piece.text}](${candidate})`, T.fixedOverride(piece.text, toneMarked(candidate)));
  }
}

async function fixText(p, k, piece, start, end, replacement, done) {
  if (p.text !== piece.written) {
    await showReading(p, k); // the text changed since it was read: positions are stale, read it again
    status(T.textChanged);
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
    status(T.fixedLexicon(word, reading));
  }
}

// --- wiring ------------------------------------------------------------------------------------------

window.scriptEditor = {
  flush: flushEditor,
  showProblems: showParagraphProblems,
  reload: async () => {
    if (editor.active) await showParagraphs();
  },
  focusParagraph: (number) => {
    const p = editor.active ? editor.paragraphs[number - 1] : null;
    const area = p ? document.getElementById(`p${p.key}-text`) : null;
    if (area) area.focus();
    return Boolean(area);
  },
};

setupViews();

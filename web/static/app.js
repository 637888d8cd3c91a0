// The teachers' page: sign-in, script checks with line numbers, preview, render progress, the lesson
// player with its text (karaoke.js), downloads. The paragraph editor and reading view are editor.js.
// Plain browser JavaScript, no build step; every request goes to the same JSON API the docs describe.
"use strict";

const $ = (id) => document.getElementById(id);

// Every word the scripts show comes from the page (web/page_text.py), already in the reader's
// language: the scripts name a key and fill its {placeholders}.
const PAGE_TEXT = JSON.parse(document.getElementById("page-text").textContent);

function hasText(key) {
  return Object.prototype.hasOwnProperty.call(PAGE_TEXT, key);
}

function text(key, values) {
  if (!hasText(key)) {
    console.error(`no page text for ${key}`);
    return key;
  }
  return PAGE_TEXT[key].replace(/\{(\w+)\}/g, (whole, name) =>
    values && Object.prototype.hasOwnProperty.call(values, name) ? String(values[name]) : whole);
}

async function api(method, path, body) {
  const init = { method, headers: {}, credentials: "same-origin" };
  if (body !== undefined) {
    init.headers["Content-Type"] = "application/json";
    init.body = JSON.stringify(body);
  }
  const response = await fetch(path, init);
  if (response.status === 401 && path !== "/session") {
    window.location.reload(); // the token was revoked or the session expired: back to sign-in
  }
  return response;
}

async function errorText(response) {
  try {
    const data = await response.json();
    const e = data.error || {};
    const where = e.where ? `${e.message} (${e.where})` : e.message;
    return e.fix ? text("withFix", { message: where, fix: e.fix }) : where || text("httpError", { status: response.status });
  } catch {
    return text("httpError", { status: response.status });
  }
}

function el(tag, attrs, ...children) {
  const node = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs || {})) {
    if (v !== undefined && v !== null) node.setAttribute(k, v);
  }
  for (const child of children) node.append(child);
  return node;
}

// --- sign in / out -------------------------------------------------------------------------------

function setupSignIn() {
  const form = $("sign-in-form");
  if (!form) return;
  form.addEventListener("submit", async (event) => {
    event.preventDefault();
    const response = await api("POST", "/session", { token: $("token").value });
    if (response.ok) window.location.reload();
    else $("sign-in-error").textContent = await errorText(response);
  });
}

function setupSignOut() {
  const button = $("sign-out");
  if (!button) return;
  button.addEventListener("click", async () => {
    await api("DELETE", "/session");
    window.location.reload();
  });
}

// --- script checks ---------------------------------------------------------------------------------

function jumpToLine(line, column, paragraph) {
  if (paragraph && window.scriptEditor && window.scriptEditor.focusParagraph(paragraph)) return;
  const area = $("script");
  const lines = area.value.split("\n");
  let offset = 0;
  for (let i = 0; i < line - 1 && i < lines.length; i++) offset += lines[i].length + 1;
  offset += Math.max(0, column - 1);
  area.focus();
  area.setSelectionRange(offset, offset);
}

function showDiagnostics(report) {
  const box = $("diagnostics");
  box.replaceChildren();
  const all = [...report.errors, ...report.warnings];
  if (report.ok && all.length === 0) {
    box.append(el("p", { class: "ok" }, text("scriptValid")));
    return;
  }
  const heading = report.ok
    ? text("scriptValidWarnings", { count: report.warnings.length })
    : text("scriptErrors", { count: report.errors.length });
  box.append(el("p", { class: report.ok ? "diag-warning" : "diag-error" }, heading));
  const list = el("ol");
  for (const d of all) {
    const where = text("diagWhere", { line: d.line, column: d.column });
    const para = d.paragraph ? text("diagParagraph", { paragraph: d.paragraph }) : "";
    const link = el("a", { href: "#script" }, where);
    link.addEventListener("click", (event) => {
      event.preventDefault();
      jumpToLine(d.line, d.column, d.paragraph);
    });
    const message = d.fix ? text("withFix", { message: d.message, fix: d.fix }) : d.message;
    const said = text(d.severity === "warning" ? "diagWarning" : "diagError", { paragraph: para, message });
    list.append(el("li", { class: `diag-${d.severity}` }, link, said));
  }
  box.append(list);
}

async function checkScript() {
  if (window.scriptEditor) await window.scriptEditor.flush();
  const response = await api("POST", "/api/scripts/validate", { script: $("script").value });
  if (!response.ok) {
    $("diagnostics").replaceChildren(el("p", { class: "diag-error", role: "alert" }, await errorText(response)));
    return null;
  }
  const report = await response.json();
  showDiagnostics(report);
  if (window.scriptEditor) window.scriptEditor.showProblems(report);
  return report;
}

// --- render jobs -----------------------------------------------------------------------------------

// The files a render offers, in the order the page lists them (labels: the page text's file.*).
const FILES = ["lesson.mp3", "lesson.wav", "captions.srt", "captions.vtt", "manifest.json", "marks.json", "qa.html"];

function showStages(stages) {
  const box = $("stages");
  box.replaceChildren();
  for (const s of stages) {
    const id = `stage-${s.name.replace(/\W+/g, "-")}`;
    box.append(
      el(
        "div",
        { class: "stage" },
        el("label", { for: id }, hasText(`stage.${s.name}`) ? text(`stage.${s.name}`) : s.name),
        el("progress", { id, max: String(s.total), value: String(s.done) }),
        el("span", {}, `${s.done}/${s.total}`),
      ),
    );
  }
}

let hideLessonText = null;

async function showLessonMarks(file) {
  if (hideLessonText) hideLessonText();
  hideLessonText = null;
  $("lesson-text-hint").hidden = true;
  if (!file) return;
  // Without readable marks the player still plays; only the text beside it is missing.
  const response = await api("GET", file.url);
  if (!response.ok) return;
  try {
    hideLessonText = showLessonText($("lesson-audio"), $("lesson-text"), await response.json());
    $("lesson-text-hint").hidden = false;
  } catch (error) {
    console.warn("lesson text not shown:", error);
    $("lesson-text").replaceChildren();
    $("lesson-text").hidden = true;
  }
}

async function showResult(renderId) {
  const response = await api("GET", `/api/renders/${renderId}`);
  if (!response.ok) {
    $("job-status").textContent = await errorText(response);
    return;
  }
  const render = await response.json();
  const files = Object.fromEntries(render.files.map((f) => [f.name, f]));
  if (files["lesson.mp3"]) $("lesson-audio").src = files["lesson.mp3"].url;
  await showLessonMarks(files["lesson.mp3"] && files["marks.json"]);
  const list = $("downloads");
  list.replaceChildren();
  for (const name of FILES) {
    const file = files[name];
    const label = text(`file.${name}`);
    if (!file) continue;
    const attrs = name === "qa.html"
      ? { href: file.url, target: "_blank", rel: "noopener" }
      : { href: file.download_url, download: "" };
    const link = el("a", attrs, label);
    if (name === "qa.html") link.addEventListener("click", openReport);
    list.append(el("li", {}, link));
  }
  $("resynthesised").textContent = render.paragraphs
    ? text("resynthesised", { fresh: render.paragraphs_resynthesised, total: render.paragraphs })
    : "";
  $("result").hidden = false;
  refreshRenders();
}

async function pollJob(statusUrl) {
  let lastState = null;
  for (;;) {
    const response = await api("GET", statusUrl);
    if (!response.ok) {
      $("job-status").textContent = await errorText(response);
      return;
    }
    const job = await response.json();
    showStages(job.stages);
    if (job.state !== lastState) {
      lastState = job.state;
      refreshJobs();
    }
    if (job.state === "finished") {
      $("job-status").textContent = text("jobFinished", { title: job.title, render_id: job.render_id });
      await showResult(job.render_id);
      return;
    }
    if (job.state === "failed") {
      $("job-status").textContent = text("jobFailed", { error: job.error });
      return;
    }
    $("job-status").textContent = job.state === "queued" ? text("jobQueued") : text("jobRunning", { title: job.title });
    await new Promise((resolve) => setTimeout(resolve, 1000));
  }
}

async function submitRender(event) {
  event.preventDefault();
  const button = $("render");
  button.disabled = true;
  try {
    const report = await checkScript();
    if (!report || !report.ok) return;
    const body = { script: $("script").value };
    const callback = $("callback-url").value.trim();
    if (callback) body.callback_url = callback;
    const response = await api("POST", "/api/renders", body);
    if (!response.ok) {
      const said = await errorText(response);
      $("diagnostics").replaceChildren(el("p", { class: "diag-error", role: "alert" }, said));
      return;
    }
    const job = await response.json();
    $("job").hidden = false;
    $("result").hidden = true;
    $("job-status").textContent = text("jobSubmitted");
    await pollJob(job.status_url);
  } finally {
    button.disabled = false;
  }
}

// The jobs table is drawn with the page; from then on it is redrawn from the API when a job is
// submitted or changes state, and every few seconds while one of them is still queued or running.
const JOBS_EVERY_MS = 5000;
let jobsTimer = null;

async function refreshJobs() {
  const table = $("jobs");
  if (!table) return;
  clearTimeout(jobsTimer);
  jobsTimer = null;
  const response = await api("GET", "/api/jobs?limit=20");
  if (!response.ok) return;
  const jobs = await response.json();
  const body = table.tBodies[0];
  body.replaceChildren();
  if (!jobs.length) body.append(el("tr", {}, el("td", { colspan: "4" }, text("noJobs"))));
  for (const j of jobs) {
    const label = hasText(`state.${j.state}`) ? text(`state.${j.state}`) : j.state;
    const state = el(
      "td",
      {},
      j.render_id ? el("a", { href: `/api/renders/${j.render_id}/files/lesson.mp3?download=true` }, label) : label,
    );
    if (j.error) state.append(": ", el("span", { class: "error" }, j.error));
    const when = j.submitted_at.replace("T", " ").slice(0, 16);
    body.append(
      el("tr", {}, el("td", {}, `${j.title} `, el("span", { class: "muted" }, `(${j.lesson_id})`)), el("td", {}, j.submitted_by), el("td", {}, when), state),
    );
  }
  if (jobs.some((j) => j.state === "queued" || j.state === "running")) {
    jobsTimer = setTimeout(refreshJobs, JOBS_EVERY_MS);
  }
}

async function refreshRenders() {
  const response = await api("GET", "/api/renders?limit=20");
  if (!response.ok) return;
  const renders = await response.json();
  const body = $("renders").tBodies[0];
  body.replaceChildren();
  for (const r of renders) {
    const links = el("td");
    for (const f of r.files) {
      const qa = f.name === "qa.html";
      links.append(el("a", qa ? { href: f.url, target: "_blank", rel: "noopener" } : { href: f.download_url }, f.name), " ");
    }
    const when = r.created_at ? r.created_at.replace("T", " ").slice(0, 16) : r.render_id;
    const length = r.duration_s == null ? "-" : text("seconds", { seconds: r.duration_s.toFixed(1) });
    body.append(
      el("tr", {}, el("td", {}, `${r.title} `, el("span", { class: "muted" }, `(${r.lesson_id})`)), el("td", {}, when), el("td", {}, length), links),
    );
  }
}

// --- the QA report's way back to a paragraph ---------------------------------------------------------

// The report this page opened, kept so that only it may send the page to a paragraph. It is opened
// with an opener (window.open, not a noopener link) because it is served sandboxed in an opaque
// origin: postMessage to this window is the one thing it can do here.
let reportWindow = null;

function openReport(event) {
  const opened = window.open(event.currentTarget.href, "_blank");
  if (!opened) return; // a blocked pop-up: the link opens the report as a plain link would
  event.preventDefault();
  reportWindow = opened;
}

async function fromReport(event) {
  const data = event.data;
  if (!reportWindow || event.source !== reportWindow) return;
  if (!data || data.lessonaudio !== "paragraph" || !Number.isInteger(data.paragraph)) return;
  window.focus();
  if (window.scriptEditor) await window.scriptEditor.openParagraph(data.paragraph);
}

// --- preview -----------------------------------------------------------------------------------------

async function preview(event) {
  event.preventDefault();
  const status = $("preview-status");
  const button = $("preview");
  button.disabled = true;
  status.textContent = text("synthesising");
  try {
    const response = await api("POST", "/tts", { text: $("preview-text").value, emotion: $("emotion").value });
    if (!response.ok) {
      status.textContent = await errorText(response);
      return;
    }
    const segments = response.headers.get("X-Lessonaudio-Segments");
    const cached = response.headers.get("X-Lessonaudio-Cached-Segments");
    const audio = $("preview-audio");
    if (audio.src) URL.revokeObjectURL(audio.src);
    audio.src = URL.createObjectURL(await response.blob());
    status.textContent = text("previewPlaying", { segments, cached });
    await audio.play().catch(() => {
      status.textContent += ` ${text("pressPlay")}`;
    });
  } finally {
    button.disabled = false;
  }
}

// --- wiring ------------------------------------------------------------------------------------------

function setupScript() {
  const form = $("script-form");
  if (!form) return;
  form.addEventListener("submit", submitRender);
  $("check").addEventListener("click", checkScript);
  $("script-file").addEventListener("change", async (event) => {
    const file = event.target.files[0];
    if (!file) return;
    $("script").value = await file.text();
    if (window.scriptEditor) await window.scriptEditor.reload();
    await checkScript();
  });
  $("preview-form").addEventListener("submit", preview);
  window.addEventListener("message", fromReport);
  if ([...$("jobs").tBodies[0].rows].some((row) => row.dataset.state === "queued" || row.dataset.state === "running")) {
    jobsTimer = setTimeout(refreshJobs, JOBS_EVERY_MS); // a job still under way when the page was loaded
  }
}

setupSignIn();
setupSignOut();
setupScript();

// The scenarios view: choose or upload scenarios, run them, follow progress, show the charts.

import { request, el, fmt, showError, clearError } from "./api.js";
import { renderReport } from "./charts.js";
import { language, percent, t, tn } from "./i18n.js";
import { basisName, stageName, statusName } from "./words.js";

const POLL_MS = 700;
const $ = (id) => document.getElementById(id);
const uploads = new Map(); // file name -> YAML text

function choice(value, label, description, checked) {
  const id = `choice-${value.replace(/[^A-Za-z0-9_-]/g, "-")}`;
  return el(
    "div",
    { class: "choice" },
    el("input", { type: "checkbox", id, name: "scenario", value, checked }),
    el("label", { for: id }, label, description ? el("small", { text: description }) : null),
  );
}

async function loadScenarios() {
  const box = $("scenario-choices");
  try {
    const scenarios = await request("GET", "/v1/planning/scenarios");
    $("choices-loading").remove();
    scenarios.forEach((s) => box.append(choice(s.name, s.name, s.description, false)));
  } catch (err) {
    showError($("run-error"), err);
  }
}

async function addUpload(event) {
  const file = event.target.files[0];
  if (!file) return;
  uploads.set(file.name, await file.text());
  const value = `upload:${file.name}`;
  if (!document.querySelector(`input[value="${CSS.escape(value)}"]`)) {
    $("scenario-choices").append(choice(value, t("{file} (your file)", { file: file.name }), t("uploaded scenario file"), true));
  }
  $("run-step").textContent = t("Added {file}; it is checked when you run.", { file: file.name });
}

function runBody() {
  const checked = [...document.querySelectorAll('input[name="scenario"]:checked')].map((i) => i.value);
  const body = {
    scenarios: checked.filter((v) => !v.startsWith("upload:")),
    uploads: checked
      .filter((v) => v.startsWith("upload:"))
      .map((v) => ({ filename: v.slice(7), yaml: uploads.get(v.slice(7)) })),
  };
  const year = $("year").value.trim();
  if (year) body.year = Number(year);
  body.lang = language();
  body.plan = $("plan").checked;
  const sweep = $("sweep").value.trim();
  if (sweep) body.sweep = sweep;
  return body;
}

function showProgress(run) {
  const bar = $("run-progress");
  bar.hidden = false;
  bar.value = run.progress;
  $("run-step").textContent = `${percent(run.progress)} · ${run.step}`;
}

async function follow(runId) {
  for (;;) {
    const run = await request("GET", `/v1/planning/runs/${runId}`);
    showProgress(run);
    if (run.status === "done" || run.status === "failed") return run;
    await new Promise((resolve) => setTimeout(resolve, POLL_MS));
  }
}

async function run(event) {
  event.preventDefault();
  const button = $("run-button");
  const error = $("run-error");
  clearError(error);
  button.disabled = true;
  try {
    const started = await request("POST", "/v1/planning/runs", { body: runBody() });
    showProgress(started);
    const done = await follow(started.run_id);
    if (done.status === "failed") throw new Error(t("The run failed: {error}", { error: done.error }));
    const results = $("results");
    results.dataset.state = "drawing";
    await renderReport(results, done.report);
    results.dataset.state = "ready";
    results.dataset.run = done.run_id;
    $("run-step").textContent = t("Done: {scenarios}. Results below.", { scenarios: done.scenarios.join(", ") });
    $("results-title").focus();
  } catch (err) {
    $("run-progress").hidden = true;
    $("run-step").textContent = "";
    showError(error, err);
  } finally {
    button.disabled = false;
  }
}

let facilities = [];

function facilityRow(f) {
  const source = f.source_url
    ? el("a", { href: f.source_url, title: f.source_title, rel: "noreferrer", text: f.source })
    : el("span", { title: f.source_title, text: f.source });
  return el(
    "tr",
    {},
    el("td", { text: `${f.name} (${f.id})` }),
    el("td", { text: f.country }),
    el("td", { text: stageName(f.stage) }),
    el("td", { text: statusName(f.status) }),
    el("td", { class: "num", text: fmt(f.capacity_t) }),
    el("td", { text: basisName(f.capacity_basis) }),
    el("td", { class: "num", text: f.start_year ?? "–" }),
    el("td", {}, source),
  );
}

function filterFacilities() {
  const words = $("facility-search").value.toLowerCase().split(/\s+/).filter(Boolean);
  const shown = facilities.filter((f) => {
    const hay = [f.id, f.name, f.country, f.stage, f.status, stageName(f.stage), statusName(f.status), f.source, f.source_title].join(" ").toLowerCase();
    return words.every((w) => hay.includes(w));
  });
  $("facility-table").tBodies[0].replaceChildren(...shown.map(facilityRow));
  $("facility-count").textContent = tn("{shown} of {n} facility", "{shown} of {n} facilities", facilities.length, { shown: fmt(shown.length) });
}

async function loadFacilities() {
  try {
    facilities = await request("GET", "/v1/planning/facilities");
    filterFacilities();
  } catch (err) {
    showError($("run-error"), err);
  }
}

export function initPlanning() {
  document.addEventListener("kazree:language", () => {
    if (facilities.length) filterFacilities();
  });
  $("run-form").addEventListener("submit", run);
  $("upload").addEventListener("change", addUpload);
  $("facility-search").addEventListener("input", filterFacilities);
  loadScenarios();
  loadFacilities();
}

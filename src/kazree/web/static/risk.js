// The Risk panel: start a Monte Carlo of a scenario, follow its samples, draw its odds.

import { request, el, fmt, showError, clearError } from "./api.js";
import { renderSection } from "./charts.js";
import { t } from "./i18n.js";

const POLL_MS = 500;
const $ = (id) => document.getElementById(id);

async function loadRiskScenarios() {
  const select = $("risk-scenario");
  try {
    const scenarios = await request("GET", "/v1/planning/risk-scenarios");
    select.replaceChildren(...scenarios.map((s) => el("option", { value: s.name, title: s.description, text: s.name })));
    if (!scenarios.length) {
      select.append(el("option", { value: "", text: t("No shipped scenario declares uncertain inputs") }));
      $("risk-button").disabled = true;
    }
  } catch (err) {
    showError($("risk-error"), err);
  }
}

function showProgress(run) {
  const bar = $("risk-progress");
  bar.hidden = false;
  bar.value = run.progress;
  $("risk-step").textContent = `${Math.round(run.progress * 100)} % · ${run.step}`;
}

async function follow(runId) {
  for (;;) {
    const run = await request("GET", `/v1/planning/risk-runs/${runId}`);
    showProgress(run);
    if (run.status === "done" || run.status === "failed") return run;
    await new Promise((resolve) => setTimeout(resolve, POLL_MS));
  }
}

async function start(event) {
  event.preventDefault();
  const button = $("risk-button");
  const error = $("risk-error");
  const results = $("risk-results");
  clearError(error);
  button.disabled = true;
  results.dataset.state = "running";
  try {
    const body = {
      scenario: $("risk-scenario").value,
      samples: Number($("risk-samples").value),
      seed: Number($("risk-seed").value),
      lang: $("lang").value,
    };
    const started = await request("POST", "/v1/planning/risk-runs", { body });
    showProgress(started);
    const done = await follow(started.run_id);
    if (done.status === "failed") throw new Error(t("The risk run failed: {error}", { error: done.error }));
    const part = renderSection(done.section, body.lang);
    results.replaceChildren(part.node);
    results.dataset.state = "drawing";
    for (const draw of part.draws) await draw();
    results.dataset.state = "ready";
    results.dataset.run = done.run_id;
    $("risk-step").textContent = t("Done: {scenario}, {samples} samples, seed {seed}.", { scenario: done.scenario, samples: fmt(done.samples), seed: done.seed });
  } catch (err) {
    results.dataset.state = "failed";
    $("risk-progress").hidden = true;
    $("risk-step").textContent = "";
    showError(error, err);
  } finally {
    button.disabled = false;
  }
}

export function initRisk() {
  $("risk-form").addEventListener("submit", start);
  loadRiskScenarios();
}

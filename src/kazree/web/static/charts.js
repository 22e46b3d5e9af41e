// Draw a run's report (sections of figures, tables and texts) with plotly.js, offline.

import { el } from "./api.js";
import { language, plotlyLocale, t } from "./i18n.js";

export const PLOT_CONFIG = {
  responsive: true,
  displaylogo: false,
  showLink: false,
  showSendToCloud: false,
  displayModeBar: false, // keeps the charts out of the Tab order; hover still shows values
  topojsonURL: "/web/vendor/", // the shipped world map: no fetch from a CDN
};

// The plot options for charts written in `code`: plotly.js told the language's month and day
// names and number signs.
export function plotConfig(code = language()) {
  if (code === "en") return PLOT_CONFIG;
  window.Plotly.register(plotlyLocale(code));
  return { ...PLOT_CONFIG, locale: code };
}

function figure(block, lang) {
  const plot = el("div", { id: `fig-${block.id}`, class: "chart" });
  const node = el(
    "figure",
    { "aria-labelledby": `cap-${block.id}` },
    el("h3", { text: block.title }),
    el("p", { class: "visually-hidden", text: block.alt }),
    plot,
    el(
      "figcaption",
      { id: `cap-${block.id}` },
      block.caption,
      el("span", { class: "source", text: block.source }),
    ),
  );
  return { node, draw: () => window.Plotly.newPlot(plot, block.spec.data, block.spec.layout, plotConfig(lang)) };
}

function table(block) {
  const head = el("tr", {}, ...block.columns.map((c) => el("th", { scope: "col", text: c })));
  const rows = block.rows.map((r) => el("tr", {}, ...r.map((cell) => el("td", { text: cell }))));
  const node = el(
    "div",
    { class: "scroll", tabindex: "0", role: "region", "aria-label": block.caption },
    el("table", { id: `table-${block.id}` }, el("caption", { text: block.caption }), el("thead", {}, head), el("tbody", {}, ...rows)),
  );
  return { node, draw: () => {} };
}

function text(block) {
  const pre = el("pre", { tabindex: "0", "aria-label": block.title, text: block.text });
  if (block.collapsed) {
    return { node: el("details", { id: block.id }, el("summary", { text: block.title }), pre), draw: () => {} };
  }
  return { node: el("div", { id: block.id }, el("h3", { text: block.title }), pre), draw: () => {} };
}

// Summary sentences: text pieces, and numbers linking to the chart that shows them.
function summary(block) {
  const sentence = (parts) =>
    el(
      "p",
      { class: "sentence" },
      ...parts.map((p) =>
        typeof p === "string"
          ? p
          : el("a", {
              class: "num",
              href: `#fig-${p.target}`,
              "data-value": p.value ?? "",
              "data-minus": p.minus,
              text: p.text,
            }),
      ),
    );
  const node = el("div", { class: "summary", id: block.id }, el("h3", { text: block.title }), ...block.sentences.map(sentence));
  return { node, draw: () => {} };
}

const RENDER = { summary, figure, table, text };

// One report section as a node, and the functions that draw its figures once it is attached.
export function renderSection(section, lang) {
  const node = el(
    "section",
    { id: `section-${section.id}`, class: section.id.startsWith("plan-") ? "report-section panel roadmap" : "report-section", "aria-labelledby": `title-${section.id}` },
    el("h2", { id: `title-${section.id}`, text: section.title }),
    el("p", { class: "hint", text: section.intro }),
  );
  const draws = [];
  for (const block of section.blocks) {
    const part = RENDER[block.kind](block, lang);
    node.append(part.node);
    draws.push(part.draw);
  }
  return { node, draws };
}

// Replace the content of `container` with the report; returns the number of figures drawn.
export async function renderReport(container, report) {
  container.replaceChildren();
  const heading = el("h2", { id: "results-title", tabindex: "-1", text: t("Results: {subtitle}", { subtitle: report.subtitle }) });
  const toc = el(
    "ul",
    { class: "toc", "aria-label": t("Result sections") },
    ...report.sections.map((s) => el("li", {}, el("a", { href: `#section-${s.id}`, text: s.title }))),
  );
  container.append(heading, toc);
  const draws = [];
  for (const section of report.sections) {
    const part = renderSection(section, report.lang);
    container.append(part.node);
    draws.push(...part.draws);
  }
  container.append(el("p", {}, el("a", { href: "#top", id: "back-to-top", text: t("Back to the top (views and scenarios)") })));
  for (const draw of draws) await draw();
  return draws.length;
}

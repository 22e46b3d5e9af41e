// Entry point: the language, the two views and their tabs.

import { initLanguage } from "./i18n.js";
import { initPlanning } from "./planning.js";
import { initRisk } from "./risk.js";
import { initExchange } from "./exchange.js";

function show(view) {
  for (const tab of document.querySelectorAll(".tab")) {
    const active = tab.getAttribute("aria-controls") === view;
    tab.setAttribute("aria-pressed", String(active));
    document.getElementById(tab.getAttribute("aria-controls")).hidden = !active;
  }
  document.getElementById(`${view}-title`).focus({ preventScroll: false });
}

for (const tab of document.querySelectorAll(".tab")) {
  tab.addEventListener("click", () => show(tab.getAttribute("aria-controls")));
}
for (const heading of document.querySelectorAll("main > section > h1")) heading.tabIndex = -1;
await initLanguage(document.getElementById("lang"));
initPlanning();
initRisk();
initExchange();

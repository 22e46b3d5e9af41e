// The dashboard's language: messages from the project's gettext catalogs (served by
// /web/i18n/<lang>.json), the page's marked labels, and numbers and times written the
// language's way. English is the source language: its messages are the ids themselves.

export const LANGUAGES = ["en", "ru", "kk"];
const LANG_KEY = "kazree.lang"; // the choice, remembered in this browser
// CLDR plural categories in the order Babel writes a catalog's plural forms (for whole numbers
// the categories a language uses map onto its gettext forms: ru one/few/many, kk one/other)
const PLURAL_ORDER = ["zero", "one", "two", "few", "many", "other"];
const originals = new WeakMap(); // element -> its English text and attributes

let lang = "en";
let messages = {};

export function language() {
  return lang;
}

// `template` with each {name} replaced by params[name].
function fill(template, params) {
  return template.replace(/\{(\w+)\}/g, (whole, name) => (name in params ? String(params[name]) : whole));
}

// `message` in the dashboard's language, its {placeholders} filled from `params`.
export function t(message, params = {}) {
  const found = messages[message];
  return fill(typeof found === "string" ? found : message, params);
}

// The form of `singular`/`plural` for the count `n`, filled from `params` (and {n}).
export function tn(singular, plural, n, params = {}) {
  const forms = Array.isArray(messages[singular]) ? messages[singular] : [singular, plural];
  const rules = new Intl.PluralRules(lang);
  const used = PLURAL_ORDER.filter((c) => rules.resolvedOptions().pluralCategories.includes(c));
  const index = Math.min(Math.max(used.indexOf(rules.select(n)), 0), forms.length - 1);
  return fill(forms[index], { n: fmt(n), ...params });
}

// A number with the language's grouping and decimal sign, `digits` decimals; "–" when absent.
export function fmt(value, digits = 0) {
  if (value === null || value === undefined || Number.isNaN(Number(value))) return "–";
  return Number(value).toLocaleString(lang, { maximumFractionDigits: digits, minimumFractionDigits: digits });
}

function signs(code) {
  const parts = new Intl.NumberFormat(code).formatToParts(12345.6);
  const part = (type) => (parts.find((p) => p.type === type) || {}).value;
  return { group: part("group") || ",", decimal: part("decimal") || "." };
}

// A share (0-1) as a percentage with `digits` decimals, the language's way: "99.50%", "99,50 %".
export function percent(share, digits = 0) {
  return new Intl.NumberFormat(lang, { style: "percent", minimumFractionDigits: digits, maximumFractionDigits: digits }).format(share);
}

// The language's group and decimal signs: {group: ",", decimal: "."} in English.
export function separators() {
  return signs(lang);
}

// A decimal typed the language's way ("1 234,5" in Russian) as the API reads it ("1234.5").
export function parseDecimal(text) {
  const { group, decimal } = separators();
  let plain = text.trim().replace(/[\s\u00a0\u202f]/g, "");
  if (group.trim()) plain = plain.replaceAll(group, "");
  return decimal === "." ? plain.replaceAll(",", "") : plain.replaceAll(decimal, ".");
}

// A timestamp in microseconds as a UTC date and time: ISO 8601 in English (as the API and CSV
// files write it), the language's short form otherwise.
export function time(ts) {
  const date = new Date(ts / 1000);
  if (lang === "en") return date.toISOString().replace("T", " ").slice(0, 19);
  return date.toLocaleString(lang, { timeZone: "UTC", dateStyle: "short", timeStyle: "medium" });
}

// A day written "YYYY-MM-DD" by the API, as the language writes dates: ISO 8601 in English,
// "1 мар. 2025 г." in Russian.
export function day(iso) {
  if (lang === "en" || !/^\d{4}-\d{2}-\d{2}$/.test(iso)) return iso;
  return new Date(`${iso}T00:00:00Z`).toLocaleDateString(lang, { timeZone: "UTC", dateStyle: "medium" });
}

// A plotly.js locale for `code` (month and day names, number signs) from the browser's CLDR data,
// for date axes written in the language.
export function plotlyLocale(code) {
  const name = (date, options) => date.toLocaleString(code, { timeZone: "UTC", ...options });
  const months = (month) => [...Array(12).keys()].map((m) => name(new Date(Date.UTC(2000, m, 1)), { month }));
  // 2 January 2000 was a Sunday, the first day of plotly's week
  const days = (weekday) => [...Array(7).keys()].map((d) => name(new Date(Date.UTC(2000, 0, 2 + d)), { weekday }));
  const { decimal, group } = signs(code);
  return {
    moduleType: "locale",
    name: code,
    dictionary: {},
    format: { months: months("long"), shortMonths: months("short"), days: days("long"), shortDays: days("short"), decimal, thousands: group },
  };
}

// The language asked for: ?lang=, else the one remembered, else the browser's, else English.
function wanted() {
  const known = (code) => {
    const base = (code || "").toLowerCase().split(/[-_]/)[0];
    return LANGUAGES.includes(base) ? base : null;
  };
  const asked = known(new URLSearchParams(window.location.search).get("lang"));
  if (asked) return asked;
  const saved = known(window.localStorage.getItem(LANG_KEY));
  if (saved) return saved;
  for (const code of navigator.languages || [navigator.language]) {
    if (known(code)) return known(code);
  }
  return "en";
}

// Label the marked elements of `root` in the current language: an element's text (or its
// data-i18n message, whose {slots} are its children with a data-slot name) and the attributes
// its data-i18n-attrs names.
export function translatePage(root = document) {
  for (const node of root.querySelectorAll("[data-i18n], [data-i18n-attrs]")) {
    if (!originals.has(node)) {
      const attrs = {};
      for (const name of (node.dataset.i18nAttrs || "").split(/\s+/).filter(Boolean)) {
        attrs[name] = node.getAttribute(name);
      }
      const slots = {};
      for (const slot of node.querySelectorAll("[data-slot]")) slots[slot.dataset.slot] = slot;
      const text = node.dataset.i18n || node.textContent.replace(/\s+/g, " ").trim();
      originals.set(node, { text: node.hasAttribute("data-i18n") ? text : null, attrs, slots });
    }
    const { text, attrs, slots } = originals.get(node);
    for (const [name, message] of Object.entries(attrs)) node.setAttribute(name, t(message));
    if (text === null) continue;
    const pieces = t(text).split(/\{(\w+)\}/);
    node.replaceChildren(...pieces.map((piece, i) => (i % 2 ? slots[piece] || `{${piece}}` : piece)));
  }
}

// Switch the dashboard to `code`: remember the choice, fetch its messages, relabel the page and
// tell the views (a "kazree:language" event) to draw their content again.
export async function setLanguage(code) {
  window.localStorage.setItem(LANG_KEY, code);
  let loaded = {};
  if (code !== "en") {
    const response = await fetch(`/web/i18n/${code}.json`, { headers: { Accept: "application/json" } });
    if (!response.ok) throw new Error(`/web/i18n/${code}.json: HTTP ${response.status}`);
    loaded = (await response.json()).messages;
  }
  lang = code;
  messages = loaded;
  document.documentElement.lang = code;
  translatePage();
  document.dispatchEvent(new CustomEvent("kazree:language", { detail: code }));
}

// Start in the language asked for, and follow the language switch `select`.
export async function initLanguage(select) {
  const code = wanted();
  select.value = code;
  try {
    await setLanguage(code);
  } catch {
    await setLanguage("en"); // the page stays usable in English if the catalog cannot be read
    select.value = "en";
  }
  select.addEventListener("change", () => setLanguage(select.value));
}

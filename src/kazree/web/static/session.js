// The exchange view's shared state: the key, the instruments, the chosen one, my orders.

import { request, showError } from "./api.js";

export { time } from "./i18n.js";

export const $ = (id) => document.getElementById(id);

export const state = {
  key: null,
  account: null,
  instruments: [],
  current: null,
  socket: null,
  book: null,
  trades: null,
  references: [],
  resting: [], // my resting orders (everyone's for admins and observers)
};

export const call = (method, path, body) => request(method, path, { key: state.key, body });

export function failed(err) {
  showError($("exchange-error"), err);
}

export function spec(instrument) {
  return state.instruments.find((i) => i.instrument === instrument);
}

// Minor-unit digits of a currency, from the instruments listed in it (2 when none is).
export function exponentOf(currency) {
  const listed = state.instruments.find((i) => i.currency === currency);
  return listed ? listed.minor_unit_exponent : 2;
}

export function overseer() {
  return Boolean(state.account && state.account.roles.some((r) => r === "admin" || r === "observer"));
}

export function emptyRow(el, columns, text) {
  return el("tr", {}, el("td", { colspan: String(columns), class: "hint", text }));
}

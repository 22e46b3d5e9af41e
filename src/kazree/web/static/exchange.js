// The exchange view: instruments, the live depth ladder and trades over /v1/ws, prices, trading,
// my orders, fills, positions and receipts, a receipt's provenance, and the regulator's lists.

import { el, fmt, clearError } from "./api.js";
import { emptyStream, apply } from "./book.js";
import { plotConfig } from "./charts.js";
import { day, separators, t, tn } from "./i18n.js";
import { drawBook } from "./ladder.js";
import { refreshMine } from "./mine.js";
import { perKg, unit } from "./money.js";
import { refreshOversight } from "./oversight.js";
import { $, state, call, failed, spec, overseer, time, emptyRow } from "./session.js";
import { cancelOrder, initTrading, pick, startReplace, updateHints } from "./trading.js";
import { purity, roleName, sideName, stageName } from "./words.js";

state.book = emptyStream();
state.trades = emptyStream();

// --- live market data -------------------------------------------------------------------

function send(op, channel) {
  if (state.socket && state.socket.readyState === WebSocket.OPEN && state.current) {
    state.socket.send(JSON.stringify({ op, channel, instrument: state.current }));
  }
}

function resync(channel) {
  send("unsubscribe", channel);
  send("subscribe", channel);
}

let pending = null;

// Someone's trade may have filled one of my orders: read my side again (once per burst).
function refreshSoon() {
  if (pending) return;
  pending = setTimeout(async () => {
    pending = null;
    try {
      await refresh();
    } catch (err) {
      failed(err);
    }
  }, 300);
}

function onMessage(event) {
  const message = JSON.parse(event.data);
  if (message.type === "error") {
    failed(new Error(t("Market data: {detail}", { detail: message.detail })));
    return;
  }
  if (message.instrument !== state.current) return;
  const key = message.channel === "book" ? "book" : "trades";
  const { stream, gap } = apply(state[key], message);
  state[key] = stream;
  if (gap) {
    resync(message.channel);
    return;
  }
  if (key === "book") drawBook(pick);
  else {
    drawTrades();
    drawPrices();
    if (message.type === "delta") refreshSoon();
  }
}

function connect() {
  if (state.socket) state.socket.close();
  const scheme = location.protocol === "https:" ? "wss" : "ws";
  const socket = new WebSocket(`${scheme}://${location.host}/v1/ws?key=${encodeURIComponent(state.key)}`);
  state.socket = socket;
  socket.addEventListener("open", () => {
    send("subscribe", "book");
    send("subscribe", "trades");
  });
  socket.addEventListener("message", onMessage);
  socket.addEventListener("close", () => {
    if (state.socket === socket) $("book-seq").textContent = t("Market data disconnected; press Connect to reconnect.");
  });
}

function drawTrades() {
  const s = spec(state.current);
  const rows = [...state.trades.trades].reverse().map((trade) =>
    el(
      "tr",
      { "data-price": trade.price_ticks },
      el("td", { text: time(trade.ts) }),
      el("td", { class: "num", text: perKg(trade.price_ticks, s), title: t("{ticks} ticks", { ticks: fmt(trade.price_ticks) }) }),
      el("td", { class: "num", text: fmt(trade.quantity_lots) }),
      el("td", { text: sideName(trade.aggressor) }),
    ),
  );
  $("trades").tBodies[0].replaceChildren(...(rows.length ? rows : [emptyRow(el, 4, t("No trades yet."))]));
}

const DAY_MS = 86_400_000;

function drawPrices() {
  const trades = state.trades.trades;
  const s = spec(state.current);
  const money = (ticks) => Number(perKg(ticks, s, { group: false }));
  const times = [
    ...state.references.map((r) => Date.parse(r.day)),
    ...trades.map((trade) => trade.ts / 1000),
  ];
  const end = Math.max(Date.now(), ...times) + DAY_MS / 4; // room for the latest point
  const start = Math.min(end - 7 * DAY_MS, ...times);
  const span = [new Date(start).toISOString(), new Date(end).toISOString()];
  const level = (name, y, dash, color) => ({ name, x: span, y: [y, y], mode: "lines", line: { dash, color, width: 1.5 } });
  const data = [
    {
      name: t("daily reference price"),
      x: state.references.map((r) => r.day),
      y: state.references.map((r) => money(r.price_ticks)),
      mode: "lines+markers",
      line: { color: "#0b5cad" },
    },
    {
      name: t("trades"),
      x: trades.map((trade) => new Date(trade.ts / 1000).toISOString()),
      y: trades.map((trade) => money(trade.price_ticks)),
      mode: "markers",
      marker: { color: "#a1281d", size: 8 },
    },
  ];
  if (s) {
    data.push(level(t("current reference"), money(s.reference_ticks), "solid", "#13293d"));
    data.push(level(t("price band"), money(s.band_low_ticks), "dot", "#6b7785"));
    data.push({ ...level(t("price band"), money(s.band_high_ticks), "dot", "#6b7785"), showlegend: false });
  }
  const layout = {
    height: 320,
    margin: { t: 20, r: 20, b: 40, l: 70 },
    yaxis: { title: { text: s ? t("price ({unit})", { unit: unit(s) }) : t("price") } },
    xaxis: { type: "date", range: span },
    legend: { orientation: "h" },
    separators: `${separators().decimal}${separators().group}`,
  };
  window.Plotly.react($("price-chart"), data, layout, plotConfig());
  $("price-note").textContent = t(
    "Daily reference prices: {references}; trades on the tape: {trades}. The band is where orders are accepted.",
    { references: fmt(state.references.length), trades: fmt(trades.length) },
  );
}

// --- instruments ---------------------------------------------------------------------------

function markChosen() {
  for (const button of document.querySelectorAll("#instrument-table button")) {
    button.setAttribute("aria-pressed", String(button.dataset.instrument === state.current));
  }
}

async function choose(instrument) {
  send("unsubscribe", "book");
  send("unsubscribe", "trades");
  state.current = instrument;
  state.book = emptyStream();
  state.trades = emptyStream();
  $("book-instrument").textContent = instrument;
  $("order-instrument").value = instrument;
  for (const node of document.querySelectorAll("#market .ccy")) node.textContent = spec(instrument).currency;
  updateHints();
  markChosen();
  send("subscribe", "book");
  send("subscribe", "trades");
  try {
    state.references = await call("GET", `/v1/instruments/${encodeURIComponent(instrument)}/reference-prices`);
  } catch (err) {
    state.references = [];
    failed(err);
  }
  drawPrices();
}

function drawInstruments() {
  const rows = state.instruments.map((i) =>
    el(
      "tr",
      {},
      el("th", { scope: "row", text: i.instrument }),
      el("td", { text: i.product }),
      el("td", { class: "num", text: fmt(i.lot_kg) }),
      el("td", { class: "num", text: `${perKg(1, i)} ${unit(i)}` }),
      el("td", { class: "num", text: `${perKg(i.reference_ticks, i)} ${unit(i)}`, title: t("{ticks} ticks", { ticks: fmt(i.reference_ticks) }) }),
      el("td", { text: `${perKg(i.band_low_ticks, i)}–${perKg(i.band_high_ticks, i)}` }),
      el("td", { text: i.eligible_countries ? i.eligible_countries.join(", ") : t("all") }),
      el(
        "td",
        {},
        el("button", {
          type: "button",
          class: "small",
          "data-instrument": i.instrument,
          "aria-pressed": "false",
          text: t("Show {instrument}", { instrument: i.instrument }),
          onclick: () => choose(i.instrument),
        }),
      ),
    ),
  );
  $("instrument-table").tBodies[0].replaceChildren(...rows);
  $("order-instrument").replaceChildren(...state.instruments.map((i) => el("option", { value: i.instrument, text: i.instrument })));
}

// --- my side, and the regulator's -----------------------------------------------------------

function orderActions(o) {
  return [
    el("button", { type: "button", class: "small", text: t("Change order {order}", { order: o.order_id }), onclick: () => startReplace(o) }),
    " ",
    el("button", { type: "button", class: "small", text: t("Cancel order {order}", { order: o.order_id }), onclick: () => cancelOrder(o.order_id, refresh) }),
  ];
}

async function refresh(instrument) {
  if (instrument && instrument !== state.current) await choose(instrument);
  const account = await refreshMine(orderActions);
  drawReceipts(account);
  updateHints(); // the receipts a sell may name
  drawBook(pick); // my orders are highlighted in the ladder
  if (overseer()) await refreshOversight();
  return account;
}

function drawReceipts(account) {
  const rows = account.receipts.map((r) =>
    el(
      "tr",
      {},
      el("th", { scope: "row", text: r.receipt_id }),
      el("td", { text: r.product }),
      el("td", { class: "num", text: `${fmt(r.quantity_kg)} (${fmt(r.locked_kg)})` }),
      el("td", { class: "num", text: purity(r.assay.purity_bp) }),
      el(
        "td",
        {},
        el("button", { type: "button", class: "small", text: t("Provenance of {receipt}", { receipt: r.receipt_id }), onclick: () => provenance(r.receipt_id) }),
      ),
    ),
  );
  $("receipts").tBodies[0].replaceChildren(...(rows.length ? rows : [emptyRow(el, 5, t("No receipts."))]));
}

// --- provenance ----------------------------------------------------------------------------

function origins(chain) {
  return chain.origins.length ? chain.origins.join(", ") : t("none stated");
}

async function provenance(receiptId) {
  $("provenance-receipt").value = receiptId;
  const box = $("provenance");
  try {
    const chain = await call("GET", `/v1/receipts/${encodeURIComponent(receiptId)}/provenance`);
    const verdict = chain.valid
      ? el("p", { class: "ok", text: tn("Chain of {n} step verified: every hash links to the one before.", "Chain of {n} steps verified: every hash links to the one before.", chain.steps.length) })
      : el("p", { class: "bad", text: t("Chain broken: {problem}", { problem: chain.problem }) });
    const steps = chain.steps.map((s) =>
      el(
        "li",
        {},
        el("strong", { text: `${stageName(s.stage)} · ${s.country}` }),
        t(" — {facility}, {date}, certified by {certifier}", { facility: s.facility, date: day(s.date), certifier: s.certifier }),
        el("div", { class: "hash", text: t("hash {hash}", { hash: s.hash }) }),
      ),
    );
    box.replaceChildren(
      el("h3", { id: "provenance-heading", tabindex: "-1", text: t("Receipt {receipt}", { receipt: chain.receipt_id }) }),
      verdict,
      el("p", { text: t("Origins: {origins}", { origins: origins(chain) }) }),
      el("ol", { class: "chain" }, ...steps),
    );
    $("provenance-heading").focus();
  } catch (err) {
    box.replaceChildren();
    failed(err);
  }
}

// --- connecting ------------------------------------------------------------------------

function showWho(account) {
  $("who").textContent = t("Connected as {participant} ({country}; {roles}).", {
    participant: account.participant,
    country: account.country,
    roles: account.roles.map(roleName).join(", "),
  });
}

// Write again, in the language just chosen, everything the view has drawn.
async function relabel() {
  if (!state.account || $("market").hidden) return;
  showWho(state.account);
  drawInstruments();
  markChosen();
  if (state.current) {
    $("order-instrument").value = state.current;
    drawTrades();
    drawPrices();
  }
  try {
    await refresh();
  } catch (err) {
    failed(err);
  }
}

async function connectKey(event) {
  event.preventDefault();
  clearError($("exchange-error"));
  state.key = $("api-key").value.trim();
  try {
    state.account = await call("GET", "/v1/accounts/me");
    state.instruments = await call("GET", "/v1/instruments");
    drawInstruments();
    const account = state.account;
    showWho(account);
    $("oversight").hidden = !overseer();
    const trader = account.roles.includes("trader");
    for (const id of ["trading", "positions-panel", "fills-panel", "ladder-hint"]) $(id).hidden = !trader;
    $("market").hidden = false;
    connect();
    if (state.instruments.length) await choose(state.current || state.instruments[0].instrument);
    await refresh();
  } catch (err) {
    $("market").hidden = true;
    $("who").textContent = "";
    failed(err);
  }
}

export function initExchange() {
  document.addEventListener("kazree:language", relabel);
  $("key-form").addEventListener("submit", connectKey);
  initTrading(refresh);
  $("provenance-form").addEventListener("submit", (event) => {
    event.preventDefault();
    provenance($("provenance-receipt").value.trim());
  });
}

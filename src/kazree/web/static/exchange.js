// The exchange view: instruments, live book and trades over /v1/ws, prices, my orders and
// receipts, placing orders, and a receipt's provenance chain.

import { request, el, fmt, showError, clearError } from "./api.js";
import { emptyStream, apply, sortedLevels } from "./book.js";
import { PLOT_CONFIG } from "./charts.js";

const $ = (id) => document.getElementById(id);
const state = { key: null, instruments: [], current: null, socket: null, book: emptyStream(), trades: emptyStream(), references: [] };

const call = (method, path, body) => request(method, path, { key: state.key, body });

function failed(err) {
  showError($("exchange-error"), err);
}

function usd(ticks, instrument) {
  const spec = state.instruments.find((i) => i.instrument === instrument);
  if (!spec) return "";
  return `${spec.currency} ${fmt((ticks * spec.tick_minor_per_kg) / 100, 2)}/kg`;
}

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

function onMessage(event) {
  const message = JSON.parse(event.data);
  if (message.type === "error") {
    failed(new Error(`Market data: ${message.detail}`));
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
  if (key === "book") drawBook();
  else {
    drawTrades();
    drawPrices();
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
    if (state.socket === socket) $("book-seq").textContent = "Market data disconnected; press Connect to reconnect.";
  });
}

function levelRows(levels, descending) {
  return sortedLevels(levels, descending).map(([price, lots]) =>
    el(
      "tr",
      { "data-price": price },
      el("td", { class: "num", text: fmt(price), title: usd(price, state.current) }),
      el("td", { class: "num", text: fmt(lots) }),
    ),
  );
}

function drawBook() {
  $("bids").tBodies[0].replaceChildren(...levelRows(state.book.bids, true));
  $("asks").tBodies[0].replaceChildren(...levelRows(state.book.asks, false));
  $("book-seq").textContent = `Live over WebSocket · sequence ${state.book.seq}`;
  $("book-seq").dataset.seq = state.book.seq;
}

function emptyRow(columns, text) {
  return el("tr", {}, el("td", { colspan: String(columns), class: "hint", text }));
}

function time(ts) {
  return new Date(ts / 1000).toISOString().replace("T", " ").slice(0, 19);
}

function drawTrades() {
  const rows = [...state.trades.trades].reverse().map((t) =>
    el(
      "tr",
      {},
      el("td", { text: time(t.ts) }),
      el("td", { class: "num", text: fmt(t.price_ticks) }),
      el("td", { class: "num", text: fmt(t.quantity_lots) }),
      el("td", { text: t.aggressor ?? "auction" }),
    ),
  );
  $("trades").tBodies[0].replaceChildren(...(rows.length ? rows : [emptyRow(4, "No trades yet.")]));
}

const DAY_MS = 86_400_000;

function drawPrices() {
  const trades = state.trades.trades;
  const spec = state.instruments.find((i) => i.instrument === state.current);
  const times = [
    ...state.references.map((r) => Date.parse(r.day)),
    ...trades.map((t) => t.ts / 1000),
  ];
  const end = Math.max(Date.now(), ...times) + DAY_MS / 4; // room for the latest point
  const start = Math.min(end - 7 * DAY_MS, ...times);
  const span = [new Date(start).toISOString(), new Date(end).toISOString()];
  const level = (name, y, dash, color) => ({ name, x: span, y: [y, y], mode: "lines", line: { dash, color, width: 1.5 } });
  const data = [
    {
      name: "daily reference price",
      x: state.references.map((r) => r.day),
      y: state.references.map((r) => r.price_ticks),
      mode: "lines+markers",
      line: { color: "#0b5cad" },
    },
    {
      name: "trades",
      x: trades.map((t) => new Date(t.ts / 1000).toISOString()),
      y: trades.map((t) => t.price_ticks),
      mode: "markers",
      marker: { color: "#a1281d", size: 8 },
    },
  ];
  if (spec) {
    data.push(level("current reference", spec.reference_ticks, "solid", "#13293d"));
    data.push(level("price band", spec.band_low_ticks, "dot", "#6b7785"));
    data.push({ ...level("price band", spec.band_high_ticks, "dot", "#6b7785"), showlegend: false });
  }
  const layout = {
    height: 320,
    margin: { t: 20, r: 20, b: 40, l: 70 },
    yaxis: { title: { text: "price (ticks)" } },
    xaxis: { type: "date", range: span },
    legend: { orientation: "h" },
  };
  window.Plotly.react($("price-chart"), data, layout, PLOT_CONFIG);
  $("price-note").textContent =
    `${state.references.length} daily reference prices and ${trades.length} trades on the tape; ` +
    "the band is where orders are accepted.";
}

// --- instruments ---------------------------------------------------------------------------

async function choose(instrument) {
  send("unsubscribe", "book");
  send("unsubscribe", "trades");
  state.current = instrument;
  state.book = emptyStream();
  state.trades = emptyStream();
  $("book-instrument").textContent = instrument;
  $("order-instrument").value = instrument;
  for (const button of document.querySelectorAll("#instrument-table button")) {
    button.setAttribute("aria-pressed", String(button.dataset.instrument === instrument));
  }
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
      el("td", { class: "num", text: `${fmt(i.reference_ticks)} (${usd(i.reference_ticks, i.instrument)})` }),
      el("td", { text: `${fmt(i.band_low_ticks)}–${fmt(i.band_high_ticks)}` }),
      el("td", { text: i.eligible_countries ? i.eligible_countries.join(", ") : "all" }),
      el(
        "td",
        {},
        el("button", {
          type: "button",
          class: "small",
          "data-instrument": i.instrument,
          "aria-pressed": "false",
          text: `Show ${i.instrument}`,
          onclick: () => choose(i.instrument),
        }),
      ),
    ),
  );
  $("instrument-table").tBodies[0].replaceChildren(...rows);
  $("order-instrument").replaceChildren(...state.instruments.map((i) => el("option", { value: i.instrument, text: i.instrument })));
}

// --- my orders, account, receipts --------------------------------------------------------

async function cancel(orderId) {
  try {
    await call("DELETE", `/v1/orders/${orderId}`);
    $("order-result").textContent = `Order ${orderId} cancelled.`;
    await refreshMine();
  } catch (err) {
    failed(err);
  }
}

async function refreshMine() {
  const [orders, account] = await Promise.all([call("GET", "/v1/orders"), call("GET", "/v1/accounts/me")]);
  const orderRows = orders.map((o) =>
      el(
        "tr",
        { "data-order": o.order_id },
        el("td", { text: String(o.order_id) }),
        el("td", { text: o.instrument }),
        el("td", { text: o.side }),
        el("td", { class: "num", text: fmt(o.price_ticks) }),
        el("td", { class: "num", text: fmt(o.remaining_lots) }),
        el(
          "td",
          {},
          o.participant === account.participant
            ? el("button", { type: "button", class: "small", text: `Cancel order ${o.order_id}`, onclick: () => cancel(o.order_id) })
            : null,
        ),
      ),
  );
  const overseer = account.roles.some((r) => r === "admin" || r === "observer");
  $("orders-title").textContent = overseer ? "Open orders (all participants)" : "My open orders";
  $("orders").tBodies[0].replaceChildren(...(orderRows.length ? orderRows : [emptyRow(6, "No open orders.")]));
  $("balances").replaceChildren(
    ...account.balances.map((b) =>
      el("li", { text: `${b.currency}: ${fmt(b.available / 100, 2)} available, ${fmt(b.locked / 100, 2)} locked` }),
    ),
  );
  const receiptRows = account.receipts.map((r) =>
      el(
        "tr",
        {},
        el("th", { scope: "row", text: r.receipt_id }),
        el("td", { text: r.product }),
        el("td", { class: "num", text: `${fmt(r.quantity_kg)} (${fmt(r.locked_kg)})` }),
        el("td", { class: "num", text: `${fmt(r.assay.purity_bp / 100, 2)} %` }),
        el(
          "td",
          {},
          el("button", { type: "button", class: "small", text: `Provenance of ${r.receipt_id}`, onclick: () => provenance(r.receipt_id) }),
        ),
      ),
  );
  $("receipts").tBodies[0].replaceChildren(...(receiptRows.length ? receiptRows : [emptyRow(5, "No receipts.")]));
  return account;
}

async function placeOrder(event) {
  event.preventDefault();
  clearError($("exchange-error"));
  const body = {
    client_order_id: `web-${Date.now()}`,
    instrument: $("order-instrument").value,
    side: $("order-side").value,
    quantity_lots: Number($("order-lots").value),
    price_ticks: Number($("order-price").value),
  };
  try {
    const ack = await call("POST", "/v1/orders", body);
    $("order-result").textContent = `Order ${ack.order_id} accepted: ${body.side} ${body.quantity_lots} lots of ${body.instrument} at ${fmt(body.price_ticks)} ticks.`;
    if (body.instrument !== state.current) await choose(body.instrument);
    await refreshMine();
  } catch (err) {
    $("order-result").textContent = "";
    failed(err);
  }
}

// --- provenance ----------------------------------------------------------------------------

async function provenance(receiptId) {
  $("provenance-receipt").value = receiptId;
  const box = $("provenance");
  try {
    const chain = await call("GET", `/v1/receipts/${encodeURIComponent(receiptId)}/provenance`);
    const verdict = chain.valid
      ? el("p", { class: "ok", text: `Chain of ${chain.steps.length} steps verified: every hash links to the one before.` })
      : el("p", { class: "bad", text: `Chain broken: ${chain.problem}` });
    const steps = chain.steps.map((s) =>
      el(
        "li",
        {},
        el("strong", { text: `${s.stage.replace("_", " ")} · ${s.country}` }),
        ` — ${s.facility}, ${s.date}, certified by ${s.certifier}`,
        el("div", { class: "hash", text: `hash ${s.hash}` }),
      ),
    );
    box.replaceChildren(
      el("h3", { id: "provenance-heading", tabindex: "-1", text: `Receipt ${chain.receipt_id}` }),
      verdict,
      el("p", { text: `Origins: ${chain.origins.join(", ") || "none stated"}` }),
      el("ol", { class: "chain" }, ...steps),
    );
    $("provenance-heading").focus();
  } catch (err) {
    box.replaceChildren();
    failed(err);
  }
}

// --- connecting ------------------------------------------------------------------------

async function connectKey(event) {
  event.preventDefault();
  clearError($("exchange-error"));
  state.key = $("api-key").value.trim();
  try {
    const account = await refreshMine();
    $("who").textContent = `Connected as ${account.participant} (${account.country}; ${account.roles.join(", ")}).`;
    state.instruments = await call("GET", "/v1/instruments");
    drawInstruments();
    $("market").hidden = false;
    connect();
    if (state.instruments.length) await choose(state.current || state.instruments[0].instrument);
  } catch (err) {
    $("market").hidden = true;
    $("who").textContent = "";
    failed(err);
  }
}

export function initExchange() {
  $("key-form").addEventListener("submit", connectKey);
  $("order-form").addEventListener("submit", placeOrder);
  $("provenance-form").addEventListener("submit", (event) => {
    event.preventDefault();
    provenance($("provenance-receipt").value.trim());
  });
}

// Placing and changing orders: every order type and time in force, prices per kg, receipts to
// deliver on a sell, and a confirmation that says what happened (filled, partly, resting).

import { el, fmt, clearError } from "./api.js";
import { perKg, trimmed, unit } from "./money.js";
import { $, state, call, failed, spec } from "./session.js";

const CLOSED = {
  requested: "cancelled",
  ioc: "cancelled (immediate or cancel)",
  fok: "cancelled (fill or kill: it could not fill completely)",
  market: "cancelled (a market order's unfilled rest)",
  stp: "cancelled (it met your own order)",
  suspended: "cancelled (participant suspended)",
  policy: "cancelled (the trading policy no longer allows it)",
  expired: "expired at the end of the day",
};

// What became of an order, from its record: filled, partly filled, resting, cancelled.
export function outcome(o) {
  const s = spec(o.instrument);
  const kg = (lots) => (s ? ` (${fmt(lots * s.lot_kg)} kg)` : "");
  const verb = o.side === "buy" ? "bought" : "sold";
  const limit = o.price_ticks === null ? "at market" : `at ${perKg(o.price_ticks, s)} ${unit(s)}`;
  const average = o.filled_lots
    ? `average price ${trimmed(o.average_fill_price_per_kg, s.minor_unit_exponent)} ${unit(s)}`
    : "";
  const head = `Order ${o.order_id}`;
  if (o.status === "filled") {
    return `${head} filled: ${verb} ${fmt(o.filled_lots)} lots${kg(o.filled_lots)} of ${o.instrument}, ${average}.`;
  }
  const rest = o.status === "resting"
    ? `${fmt(o.remaining_lots)} lots rest in the book ${limit}`
    : `the rest was ${CLOSED[o.closed_reason] || o.status}`;
  if (o.filled_lots) {
    return `${head} partly filled: ${verb} ${fmt(o.filled_lots)} of ${fmt(o.quantity_lots)} lots, ${average}; ${rest}.`;
  }
  if (o.status === "resting") {
    return `${head} resting: ${o.side} ${fmt(o.remaining_lots)} lots${kg(o.remaining_lots)} of ${o.instrument} ${limit}; nothing filled yet.`;
  }
  return `${head} not filled: ${CLOSED[o.closed_reason] || o.status}.`;
}

function updateHints() {
  const s = spec($("order-instrument").value);
  if (!s) return;
  const lots = Number($("order-lots").value) || 0;
  $("order-kg").textContent = `${fmt(lots)} lots = ${fmt(lots * s.lot_kg)} kg (a lot is ${fmt(s.lot_kg)} kg).`;
  $("order-tick").textContent = `Prices in steps of ${s.tick_per_kg} ${unit(s)}; band ${perKg(s.band_low_ticks, s)}–${perKg(s.band_high_ticks, s)}.`;
  for (const node of document.querySelectorAll("#trading .ccy")) node.textContent = s.currency;
  const market = $("order-kind").value === "market";
  $("order-price").disabled = market;
  $("order-post-only").disabled = market;
  drawReceiptChoices(s);
}

function drawReceiptChoices(s) {
  const box = $("order-receipts");
  const selling = $("order-side").value === "sell";
  const own = state.account ? state.account.receipts.filter((r) => r.product === s.product) : [];
  box.hidden = !selling;
  const choices = own.map((r, n) =>
    el(
      "div",
      { class: "choice" },
      el("input", { type: "checkbox", id: `receipt-choice-${n}`, value: r.receipt_id }),
      el("label", { for: `receipt-choice-${n}`, text: `${r.receipt_id}: ${fmt(r.quantity_kg - r.locked_kg)} kg free of ${fmt(r.quantity_kg)}, purity ${fmt(r.assay.purity_bp / 100, 2)} %` }),
    ),
  );
  $("order-receipt-choices").replaceChildren(
    ...(choices.length ? choices : [el("p", { class: "hint", text: `You hold no ${s.product} receipts.` })]),
  );
}

// Copy a price of the book into the form: the side that would trade with that level.
export function pick(side, ticks) {
  const s = spec(state.current);
  $("order-instrument").value = state.current;
  $("order-side").value = side;
  $("order-kind").value = "limit";
  $("order-price").value = perKg(ticks, s, { group: false });
  updateHints();
  $("order-price").focus();
}

async function confirm(orderId) {
  const record = await call("GET", `/v1/orders/${orderId}`);
  $("order-result").textContent = outcome(record);
  $("order-result").dataset.status = record.status;
}

async function placeOrder(event, after) {
  event.preventDefault();
  clearError($("exchange-error"));
  const market = $("order-kind").value === "market";
  const body = {
    client_order_id: `web-${Date.now()}`,
    instrument: $("order-instrument").value,
    side: $("order-side").value,
    kind: $("order-kind").value,
    tif: $("order-tif").value,
    stp: $("order-stp").value,
    post_only: !market && $("order-post-only").checked,
    quantity_lots: Number($("order-lots").value),
  };
  if (!market) body.price_per_kg = $("order-price").value.trim().replaceAll(",", "");
  if (body.side === "sell") {
    body.receipt_ids = [...document.querySelectorAll("#order-receipt-choices input:checked")].map((c) => c.value);
  }
  try {
    const ack = await call("POST", "/v1/orders", body);
    await confirm(ack.order_id);
    await after(body.instrument);
  } catch (err) {
    $("order-result").textContent = "";
    failed(err);
  }
}

export function startReplace(o) {
  $("replace-form").hidden = false;
  $("replace-form").dataset.order = o.order_id;
  $("replace-id").textContent = `${o.order_id} (${o.side} ${o.instrument})`;
  $("replace-price").value = perKg(o.price_ticks, spec(o.instrument), { group: false });
  $("replace-lots").value = o.remaining_lots;
  $("replace-title").focus();
}

async function replaceOrder(event, after) {
  event.preventDefault();
  clearError($("exchange-error"));
  const orderId = $("replace-form").dataset.order;
  try {
    await call("PATCH", `/v1/orders/${orderId}`, {
      price_per_kg: $("replace-price").value.trim().replaceAll(",", ""),
      quantity_lots: Number($("replace-lots").value),
    });
    $("replace-form").hidden = true;
    await confirm(orderId);
    await after();
  } catch (err) {
    failed(err);
  }
}

export async function cancelOrder(orderId, after) {
  try {
    await call("DELETE", `/v1/orders/${orderId}`);
    await confirm(orderId);
    await after();
  } catch (err) {
    failed(err);
  }
}

export function initTrading(after) {
  $("order-form").addEventListener("submit", (event) => placeOrder(event, after));
  $("replace-form").addEventListener("submit", (event) => replaceOrder(event, after));
  $("replace-cancel").addEventListener("click", () => {
    $("replace-form").hidden = true;
  });
  for (const id of ["order-instrument", "order-side", "order-kind", "order-lots"]) {
    $(id).addEventListener("change", updateHints);
    $(id).addEventListener("input", updateHints);
  }
}

export { updateHints };

// Placing and changing orders: every order type and time in force, prices per kg, receipts to
// deliver on a sell, and a confirmation that says what happened (filled, partly, resting).

import { el, fmt, clearError } from "./api.js";
import { parseDecimal, t, tn } from "./i18n.js";
import { perKg, trimmed, unit } from "./money.js";
import { $, state, call, failed, spec } from "./session.js";
import { orderStatusName, purity, sideName } from "./words.js";

// What closed an order (or its rest), by the record's closed_reason: "cancelled (fill or kill:
// ...)"; the status itself when no reason is known.
export function closed(reason, status) {
  const why = {
    requested: t("cancelled"),
    ioc: t("cancelled (immediate or cancel)"),
    fok: t("cancelled (fill or kill: it could not fill completely)"),
    market: t("cancelled (a market order's unfilled rest)"),
    stp: t("cancelled (it met your own order)"),
    suspended: t("cancelled (participant suspended)"),
    policy: t("cancelled (the trading policy no longer allows it)"),
    expired: t("expired at the end of the day"),
  };
  return why[reason] || orderStatusName(status);
}

// What became of an order, from its record: filled, partly filled, resting, cancelled. Each
// outcome is one sentence template per side, so that a translation can order it freely.
export function outcome(o) {
  const s = spec(o.instrument);
  const buy = o.side === "buy";
  const values = {
    order: o.order_id,
    instrument: o.instrument,
    filled: fmt(o.filled_lots),
    lots: fmt(o.quantity_lots),
    remaining: fmt(o.remaining_lots),
    filled_kg: s ? fmt(o.filled_lots * s.lot_kg) : "–",
    remaining_kg: s ? fmt(o.remaining_lots * s.lot_kg) : "–",
    average: o.filled_lots ? `${trimmed(o.average_fill_price_per_kg, s.minor_unit_exponent)} ${unit(s)}` : "",
    limit: o.price_ticks === null ? t("at market") : t("at {price} {unit}", { price: perKg(o.price_ticks, s), unit: unit(s) }),
    closed: closed(o.closed_reason, o.status),
  };
  if (o.status === "filled") {
    return buy
      ? t("Order {order} filled: bought {filled} lots ({filled_kg} kg) of {instrument}, average price {average}.", values)
      : t("Order {order} filled: sold {filled} lots ({filled_kg} kg) of {instrument}, average price {average}.", values);
  }
  if (o.filled_lots) {
    const rest = o.status === "resting"
      ? t("{remaining} lots rest in the book {limit}", values)
      : t("the rest was {closed}", values);
    return buy
      ? t("Order {order} partly filled: bought {filled} of {lots} lots, average price {average}; {rest}.", { ...values, rest })
      : t("Order {order} partly filled: sold {filled} of {lots} lots, average price {average}; {rest}.", { ...values, rest });
  }
  if (o.status === "resting") {
    return buy
      ? t("Order {order} resting: buy {remaining} lots ({remaining_kg} kg) of {instrument} {limit}; nothing filled yet.", values)
      : t("Order {order} resting: sell {remaining} lots ({remaining_kg} kg) of {instrument} {limit}; nothing filled yet.", values);
  }
  return t("Order {order} not filled: {closed}.", values);
}

function updateHints() {
  const s = spec($("order-instrument").value);
  if (!s) return;
  const lots = Number($("order-lots").value) || 0;
  $("order-kg").textContent = tn("{n} lot = {kg} kg (a lot is {lot} kg).", "{n} lots = {kg} kg (a lot is {lot} kg).", lots, {
    kg: fmt(lots * s.lot_kg),
    lot: fmt(s.lot_kg),
  });
  $("order-tick").textContent = t("Prices in steps of {tick} {unit}; band {low}–{high}.", {
    tick: perKg(1, s),
    unit: unit(s),
    low: perKg(s.band_low_ticks, s),
    high: perKg(s.band_high_ticks, s),
  });
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
  const ticked = new Set([...document.querySelectorAll("#order-receipt-choices input:checked")].map((c) => c.value));
  const choices = own.map((r, n) =>
    el(
      "div",
      { class: "choice" },
      el("input", { type: "checkbox", id: `receipt-choice-${n}`, value: r.receipt_id, checked: ticked.has(r.receipt_id) }),
      el("label", {
        for: `receipt-choice-${n}`,
        text: t("{receipt}: {free} kg free of {kg}, purity {purity}", {
          receipt: r.receipt_id,
          free: fmt(r.quantity_kg - r.locked_kg),
          kg: fmt(r.quantity_kg),
          purity: purity(r.assay.purity_bp),
        }),
      }),
    ),
  );
  $("order-receipt-choices").replaceChildren(
    ...(choices.length ? choices : [el("p", { class: "hint", text: t("You hold no {product} receipts.", { product: s.product }) })]),
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
  if (!market) body.price_per_kg = parseDecimal($("order-price").value);
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
  $("replace-id").textContent = `${o.order_id} (${sideName(o.side)} ${o.instrument})`;
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
      price_per_kg: parseDecimal($("replace-price").value),
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

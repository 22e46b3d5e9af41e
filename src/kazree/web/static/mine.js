// My side of the exchange: open orders (with Change and Cancel), cash, receipts, positions and
// P&L, fills and order history. Admins and observers see every participant's orders.

import { el, fmt } from "./api.js";
import { money, perKg, trimmed } from "./money.js";
import { t } from "./i18n.js";
import { closed } from "./trading.js";
import { $, state, call, spec, exponentOf, overseer, time, emptyRow } from "./session.js";
import { kindName, liquidityName, orderStatusName, sideName, tifName } from "./words.js";

function signed(minor, currency) {
  const text = `${currency} ${money(minor, exponentOf(currency))}`;
  return el("td", { class: `num ${minor > 0 ? "gain" : minor < 0 ? "loss" : ""}`, text });
}

function priceCell(ticks, instrument) {
  const s = spec(instrument);
  return el("td", {
    class: "num",
    text: ticks === null ? kindName("market") : s ? perKg(ticks, s) : fmt(ticks),
    title: ticks === null ? null : t("{ticks} ticks", { ticks: fmt(ticks) }),
  });
}

function orderRows(orders, actions) {
  return orders.map((o) =>
    el(
      "tr",
      { "data-order": o.order_id },
      el("td", { text: String(o.order_id) }),
      el("td", { text: o.participant }),
      el("td", { text: o.instrument }),
      el("td", { text: sideName(o.side) }),
      priceCell(o.price_ticks, o.instrument),
      el("td", { class: "num", text: fmt(o.remaining_lots) }),
      el("td", {}, ...(o.participant === state.account.participant ? actions(o) : [])),
    ),
  );
}

function drawAccount(account) {
  $("balances").replaceChildren(
    ...account.balances.map((b) =>
      el("li", {
        text: t("{currency}: {available} available, {locked} locked", {
          currency: b.currency,
          available: money(b.available, exponentOf(b.currency)),
          locked: money(b.locked, exponentOf(b.currency)),
        }),
      }),
    ),
  );
}

function drawPositions(book) {
  const rows = book.positions.map((p) =>
    el(
      "tr",
      { "data-instrument": p.instrument },
      el("th", { scope: "row", text: p.instrument }),
      el("td", { class: "num", text: fmt(p.net_lots) }),
      el("td", { class: "num", text: fmt(p.net_kg) }),
      el("td", { class: "num", text: p.average_price_per_kg === null ? "–" : `${p.currency} ${trimmed(p.average_price_per_kg, exponentOf(p.currency))}` }),
      signed(p.realised_pnl_minor, p.currency),
      signed(p.unrealised_pnl_minor, p.currency),
      el("td", { class: "num", text: `${p.currency} ${money(p.fees_minor, exponentOf(p.currency))}` }),
    ),
  );
  $("positions").tBodies[0].replaceChildren(...(rows.length ? rows : [emptyRow(el, 7, t("No positions: nothing traded yet."))]));
}

function drawFills(page) {
  const rows = page.items.map((f) =>
    el(
      "tr",
      { "data-trade": f.trade_id },
      el("td", { text: time(f.ts) }),
      el("td", { text: String(f.order_id) }),
      el("td", { text: f.instrument }),
      el("td", { text: sideName(f.side) }),
      el("td", { class: "num", text: `${f.currency} ${trimmed(f.price_per_kg, exponentOf(f.currency))}`, title: t("{ticks} ticks", { ticks: fmt(f.price_ticks) }) }),
      el("td", { class: "num", text: fmt(f.quantity_lots) }),
      el("td", { class: "num", text: money(f.fee_minor, exponentOf(f.currency)) }),
      el("td", { text: liquidityName(f.liquidity) }),
    ),
  );
  $("fills").tBodies[0].replaceChildren(...(rows.length ? rows : [emptyRow(el, 8, t("No fills yet."))]));
}

function drawHistory(page) {
  const rows = page.items.map((o) =>
    el(
      "tr",
      { "data-order": o.order_id, "data-status": o.status },
      el("td", { text: String(o.order_id) }),
      el("td", { text: o.participant }),
      el("td", { text: o.instrument }),
      el("td", { text: `${sideName(o.side)} ${kindName(o.kind)} ${tifName(o.tif)}` }),
      priceCell(o.price_ticks, o.instrument),
      el("td", { class: "num", text: `${fmt(o.filled_lots)} / ${fmt(o.quantity_lots)}` }),
      el("td", { text: o.status === "cancelled" ? closed(o.closed_reason, o.status) : orderStatusName(o.status) }),
    ),
  );
  $("history").tBodies[0].replaceChildren(...(rows.length ? rows : [emptyRow(el, 7, t("No orders yet."))]));
}

export async function refreshMine(actions) {
  const [orders, account] = await Promise.all([call("GET", "/v1/orders"), call("GET", "/v1/accounts/me")]);
  state.account = account;
  state.resting = orders;
  const all = overseer();
  $("orders-title").textContent = all ? t("Open orders (all participants)") : t("My open orders");
  $("history-title").textContent = all ? t("Order history (all participants)") : t("My order history");
  $("orders").tBodies[0].replaceChildren(...(orders.length ? orderRows(orders, actions) : [emptyRow(el, 7, t("No open orders."))]));
  drawAccount(account);
  const [positions, fills, history] = await Promise.all([
    call("GET", "/v1/positions"),
    call("GET", "/v1/fills?limit=50"),
    call("GET", "/v1/order-history?limit=50"),
  ]);
  drawPositions(positions);
  drawFills(fills);
  drawHistory(history);
  return account;
}

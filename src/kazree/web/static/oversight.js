// The regulator's view (admins and observers): trades with their owners, refusals, audit log.

import { el, fmt } from "./api.js";
import { t } from "./i18n.js";
import { trimmed } from "./money.js";
import { $, call, exponentOf, spec, time, emptyRow } from "./session.js";

function trades(page) {
  return page.items.map((trade) =>
    el(
      "tr",
      { "data-trade": trade.trade_id },
      el("td", { text: time(trade.ts) }),
      el("td", { text: String(trade.trade_id) }),
      el("td", { text: trade.instrument }),
      el("td", { class: "num", text: trimmed(trade.price_per_kg, exponentOf((spec(trade.instrument) || {}).currency)), title: t("{ticks} ticks", { ticks: fmt(trade.price_ticks) }) }),
      el("td", { class: "num", text: fmt(trade.quantity_lots) }),
      el("td", { text: trade.buyer }),
      el("td", { text: trade.seller }),
      el("td", { text: `${trade.buy_order_id} / ${trade.sell_order_id}` }),
    ),
  );
}

function refusals(page) {
  return page.items.map((r) =>
    el(
      "tr",
      { "data-seq": r.seq, "data-code": r.code },
      el("td", { text: time(r.ts) }),
      el("td", { text: r.participant || "–" }),
      el("td", { text: r.instrument ? `${r.command} ${r.instrument}` : r.command }),
      el("td", { text: r.code }),
      el("td", { text: r.message }),
    ),
  );
}

function audit(page) {
  return page.items.map((a) =>
    el(
      "tr",
      { "data-audit": a.id },
      el("td", { text: time(a.ts) }),
      el("td", { text: a.actor }),
      el("td", { text: a.action }),
      el("td", { text: JSON.stringify(a.args) }),
    ),
  );
}

export async function refreshOversight() {
  const [tradePage, r, a] = await Promise.all([
    call("GET", "/v1/oversight/trades?limit=100"),
    call("GET", "/v1/oversight/refusals?limit=100"),
    call("GET", "/v1/oversight/audit?limit=100"),
  ]);
  const fill = (id, rows, columns, empty) =>
    $(id).tBodies[0].replaceChildren(...(rows.length ? rows : [emptyRow(el, columns, empty)]));
  fill("oversight-trades", trades(tradePage), 8, t("No trades yet."));
  fill("oversight-refusals", refusals(r), 5, t("No refusals."));
  fill("oversight-audit", audit(a), 4, t("No administrative actions."));
}

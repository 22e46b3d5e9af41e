// The regulator's view (admins and observers): trades with their owners, refusals, audit log.

import { el, fmt } from "./api.js";
import { $, call, time, emptyRow } from "./session.js";

function trades(page) {
  return page.items.map((t) =>
    el(
      "tr",
      { "data-trade": t.trade_id },
      el("td", { text: time(t.ts) }),
      el("td", { text: String(t.trade_id) }),
      el("td", { text: t.instrument }),
      el("td", { class: "num", text: t.price_per_kg, title: `${fmt(t.price_ticks)} ticks` }),
      el("td", { class: "num", text: fmt(t.quantity_lots) }),
      el("td", { text: t.buyer }),
      el("td", { text: t.seller }),
      el("td", { text: `${t.buy_order_id} / ${t.sell_order_id}` }),
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
  const [t, r, a] = await Promise.all([
    call("GET", "/v1/oversight/trades?limit=100"),
    call("GET", "/v1/oversight/refusals?limit=100"),
    call("GET", "/v1/oversight/audit?limit=100"),
  ]);
  const fill = (id, rows, columns, empty) =>
    $(id).tBodies[0].replaceChildren(...(rows.length ? rows : [emptyRow(el, columns, empty)]));
  fill("oversight-trades", trades(t), 8, "No trades yet.");
  fill("oversight-refusals", refusals(r), 5, "No refusals.");
  fill("oversight-audit", audit(a), 4, "No administrative actions.");
}

// The depth ladder: price per kg, lots, cumulative lots and my lots per level; spread and mid.
// Pressing a price copies it into the order form, on the side that would trade with it.

import { el, fmt } from "./api.js";
import { sortedLevels } from "./book.js";
import { separators, t } from "./i18n.js";
import { money, perKg, unit } from "./money.js";
import { $, state, spec } from "./session.js";

function mine(side) {
  const lots = new Map();
  for (const o of state.resting) {
    if (o.instrument === state.current && o.side === side && o.participant === state.account.participant) {
      lots.set(o.price_ticks, (lots.get(o.price_ticks) || 0) + o.remaining_lots);
    }
  }
  return lots;
}

function rows(levels, descending, side, onPick) {
  const s = spec(state.current);
  const own = mine(side);
  let cumulative = 0;
  return sortedLevels(levels, descending).map(([price, lots]) => {
    cumulative += lots;
    const label = s ? perKg(price, s) : fmt(price);
    const counter = side === "buy" ? "sell" : "buy";
    return el(
      "tr",
      { "data-price": price, class: own.has(price) ? "own" : null },
      el(
        "td",
        { class: "num" },
        el("button", {
          type: "button",
          class: "price",
          title: t("{ticks} ticks", { ticks: fmt(price) }),
          "aria-label": counter === "buy"
            ? t("{price} {unit}: buy at this price", { price: label, unit: s ? unit(s) : "" })
            : t("{price} {unit}: sell at this price", { price: label, unit: s ? unit(s) : "" }),
          text: label,
          disabled: !state.account.roles.includes("trader"),
          onclick: () => onPick(counter, price),
        }),
      ),
      el("td", { class: "num", text: fmt(lots) }),
      el("td", { class: "num", text: fmt(cumulative) }),
      el("td", { class: "num", text: own.has(price) ? fmt(own.get(price)) : "" }),
    );
  });
}

export function drawBook(onPick) {
  $("bids").tBodies[0].replaceChildren(...rows(state.book.bids, true, "buy", onPick));
  $("asks").tBodies[0].replaceChildren(...rows(state.book.asks, false, "sell", onPick));
  $("book-seq").textContent = t("Live over WebSocket · sequence {seq}", { seq: state.book.seq });
  $("book-seq").dataset.seq = state.book.seq;
  const s = spec(state.current);
  const bid = Math.max(...state.book.bids.keys());
  const ask = Math.min(...state.book.asks.keys());
  const box = $("book-spread");
  if (!s || !Number.isFinite(bid) || !Number.isFinite(ask)) {
    box.textContent = t("Spread and mid: need a bid and an ask.");
    delete box.dataset.spread;
    return;
  }
  const spread = ask - bid;
  // the mid, exactly: in half minor units, one more digit (a 5) when it falls between two
  const halves = (bid + ask) * s.tick_minor_per_kg;
  const e = s.minor_unit_exponent;
  const mid =
    halves % 2 === 0 ? money(halves / 2, e) : `${money((halves - 1) / 2, e)}${e ? "" : separators().decimal}5`;
  box.textContent = t("Spread {spread} {unit} ({ticks} ticks) · mid {mid} {unit}", {
    spread: perKg(spread, s),
    unit: unit(s),
    ticks: fmt(spread),
    mid,
  });
  box.dataset.spread = spread;
}

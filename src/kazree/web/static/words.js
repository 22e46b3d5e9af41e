// The API's enumerated values (stages, statuses, sides, roles) in words of the dashboard's
// language; a value without a translation is shown as the API writes it.

import { percent, t } from "./i18n.js";

function named(names, value) {
  return names[value] || String(value).replaceAll("_", " ");
}

// A facility's or a custody step's stage.
export function stageName(stage) {
  return named(
    {
      mining: t("mining"),
      cracking: t("cracking"),
      separation: t("separation"),
      metal: t("metal"),
      magnet: t("magnet"),
      mine: t("mine"),
      separator: t("separator"),
      metal_maker: t("metal maker"),
      magnet_maker: t("magnet maker"),
    },
    stage,
  );
}

export function statusName(status) {
  return named(
    {
      announced: t("announced"),
      construction: t("construction"),
      exploration: t("exploration"),
      feasibility: t("feasibility"),
      historic: t("historic"),
      operating: t("operating"),
      suspended: t("suspended"),
    },
    status,
  );
}

// The unit a facility's capacity is given in.
export function basisName(basis) {
  return named(
    {
      t_ore: t("t ore"),
      t_reo: t("t REO"),
      t_hree_feed: t("t HREE feed (as REO)"),
      t_ndpr_oxide: t("t NdPr oxide"),
      t_metal: t("t metal"),
      t_magnet: t("t magnet"),
    },
    basis,
  );
}

// A side of an order or trade; no side is an auction's trade.
export function sideName(side) {
  return side ? named({ buy: t("buy"), sell: t("sell") }, side) : t("auction");
}

export function kindName(kind) {
  return named({ limit: t("limit"), market: t("market") }, kind);
}

export function tifName(tif) {
  return named({ gtc: t("good till cancelled"), day: t("day"), ioc: t("immediate or cancel"), fok: t("fill or kill") }, tif);
}

export function orderStatusName(status) {
  return named({ resting: t("resting"), filled: t("filled"), cancelled: t("cancelled"), expired: t("expired") }, status);
}

export function liquidityName(liquidity) {
  return named({ maker: t("maker"), taker: t("taker"), auction: t("auction") }, liquidity);
}

export function roleName(role) {
  return named(
    { trader: t("trader"), warehouse_operator: t("warehouse operator"), admin: t("admin"), observer: t("observer") },
    role,
  );
}

// A purity in basis points as a percentage with two decimals: "99.50%", "99,50 %".
export function purity(basisPoints) {
  return percent(basisPoints / 10000, 2);
}

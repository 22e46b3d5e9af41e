// Prices in ticks shown in the instrument's currency per kg, exactly (integer arithmetic only):
// a tick is `tick_minor_per_kg` minor units per kg and the currency has `minor_unit_exponent`
// decimals. Entered prices are sent as `price_per_kg` and the service converts them. Shown
// amounts use the language's group and decimal signs; `{ group: false }` gives the plain form
// ("1234.50") that inputs and the API take.

import { separators, t } from "./i18n.js";

function grouped(digits) {
  return digits.replace(/\B(?=(\d{3})+(?!\d))/g, separators().group);
}

// Minor units as a decimal string with `exponent` places: money(25300, 2) === "253.00" (in
// English; "253,00" in Russian).
export function money(minor, exponent, { group = true } = {}) {
  const negative = minor < 0;
  const text = String(Math.abs(minor)).padStart(exponent + 1, "0");
  const whole = text.slice(0, text.length - exponent) || "0";
  const point = group ? separators().decimal : ".";
  const fraction = exponent ? `${point}${text.slice(text.length - exponent)}` : "";
  return `${negative ? "-" : ""}${group ? grouped(whole) : whole}${fraction}`;
}

// A price in ticks per kg of `spec`'s currency: perKg(25300, dyOx) === "253.00".
export function perKg(ticks, spec, options) {
  return money(ticks * spec.tick_minor_per_kg, spec.minor_unit_exponent, options);
}

export function unit(spec) {
  return t("{currency}/kg", { currency: spec.currency });
}

// A decimal string without trailing zeros beyond `places` decimals: trimmed("253.5000", 2) === "253.50".
export function trimmed(text, places) {
  const [whole, fraction = ""] = text.split(".");
  const kept = fraction.replace(/0+$/, "").padEnd(places, "0");
  return kept ? `${grouped(whole)}${separators().decimal}${kept}` : grouped(whole);
}

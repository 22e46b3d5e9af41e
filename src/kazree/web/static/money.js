// Prices in ticks shown in the instrument's currency per kg, exactly (integer arithmetic only):
// a tick is `tick_minor_per_kg` minor units per kg and the currency has `minor_unit_exponent`
// decimals. Entered prices are sent as `price_per_kg` and the service converts them.

function grouped(digits) {
  return digits.replace(/\B(?=(\d{3})+(?!\d))/g, ",");
}

// Minor units as a decimal string with `exponent` places: money(25300, 2) === "253.00".
export function money(minor, exponent, { group = true } = {}) {
  const negative = minor < 0;
  const text = String(Math.abs(minor)).padStart(exponent + 1, "0");
  const whole = text.slice(0, text.length - exponent) || "0";
  const fraction = exponent ? `.${text.slice(text.length - exponent)}` : "";
  return `${negative ? "-" : ""}${group ? grouped(whole) : whole}${fraction}`;
}

// A price in ticks per kg of `spec`'s currency: perKg(25300, dyOx) === "253.00".
export function perKg(ticks, spec, options) {
  return money(ticks * spec.tick_minor_per_kg, spec.minor_unit_exponent, options);
}

// Minor units of `spec`'s currency with its code: cash(506000, spec) === "USD 5,060.00".
export function cash(minor, spec) {
  return `${spec.currency} ${money(minor, spec.minor_unit_exponent)}`;
}

export function unit(spec) {
  return `${spec.currency}/kg`;
}

// A decimal string without trailing zeros beyond `places` decimals: trimmed("253.5000", 2) === "253.50".
export function trimmed(text, places) {
  const [whole, fraction = ""] = text.split(".");
  const kept = fraction.replace(/0+$/, "").padEnd(places, "0");
  return kept ? `${grouped(whole)}.${kept}` : grouped(whole);
}

// Numbers and times as the operations centre reads them: vi-VN, in Asia/Ho_Chi_Minh (ICT), whatever the browser.

const ZONE = "Asia/Ho_Chi_Minh";
// Made at first use: the four Intl constructors load locale and time-zone data (30-45 ms), which would otherwise
// run while the page's modules load, before the map can start.
const once = (make) => { let made = null; return () => (made ??= make()); };
const numberFormats = new Map(); // maximum fraction digits -> its formatter, made once
function numberFormat(digits) {
  if (!numberFormats.has(digits)) { numberFormats.set(digits, new Intl.NumberFormat("vi-VN", { maximumFractionDigits: digits })); }
  return numberFormats.get(digits);
}
const dateTime = once(() => new Intl.DateTimeFormat("vi-VN", { timeZone: ZONE, dateStyle: "short", timeStyle: "short" }));
const dateOnly = once(() => new Intl.DateTimeFormat("vi-VN", { timeZone: ZONE, dateStyle: "short" }));

/** A number with vi-VN grouping ("12.345,6"); integers without decimals. */
export function number(value, digits) {
  const n = typeof value === "number" ? value : Number(value);
  if (value === null || value === undefined || value === "" || !Number.isFinite(n)) { return value === null || value === undefined ? "" : String(value); }
  return numberFormat(digits ?? (Number.isInteger(n) ? 0 : 2)).format(n);
}

/** An ISO date-time as day/month/year hour:minute in ICT; the raw text when it does not parse. */
export function datetime(value) {
  if (!value) { return ""; }
  const date = new Date(typeof value === "number" ? value : String(value));
  return Number.isNaN(date.getTime()) ? String(value) : dateTime().format(date);
}

/** An ISO date (YYYY-MM-DD) as day/month/year; the raw text when it does not parse. */
export function date(value) {
  if (!value) { return ""; }
  const text = String(value);
  const d = /^\d{4}-\d{2}-\d{2}$/.test(text) ? new Date(text + "T12:00:00+07:00") : new Date(text);
  return Number.isNaN(d.getTime()) ? text : dateOnly().format(d);
}

/** Square metres as km² with vi-VN digits. */
export function km2(areaM2) { return number(areaM2 / 1e6, 2); }

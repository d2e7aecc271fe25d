// Numbers and times for people. Money arrives as JSON numbers kept exact to 6 places by the host;
// it is only displayed here, never added up.

let currency = 'USD';
let moneyFormat = makeMoney('USD');

function makeMoney(code) {
  try {
    return new Intl.NumberFormat(undefined, { style: 'currency', currency: code, minimumFractionDigits: 2, maximumFractionDigits: 6 });
  } catch {
    return new Intl.NumberFormat(undefined, { minimumFractionDigits: 2, maximumFractionDigits: 6 });
  }
}

export function setCurrency(code) {
  currency = code || 'USD';
  moneyFormat = makeMoney(currency);
}

export function currencyCode() {
  return currency;
}

const countFormat = new Intl.NumberFormat(undefined, { maximumFractionDigits: 0 });
const percentFormat = new Intl.NumberFormat(undefined, { style: 'percent', maximumFractionDigits: 1 });
const timeFormat = new Intl.DateTimeFormat(undefined, { year: 'numeric', month: 'short', day: 'numeric', hour: 'numeric', minute: '2-digit', timeZoneName: 'short' });
const dayFormat = new Intl.DateTimeFormat(undefined, { month: 'short', day: 'numeric', timeZone: 'UTC' });

export const money = value => (value === null || value === undefined ? '—' : moneyFormat.format(value));

export const count = value => (value === null || value === undefined ? '—' : countFormat.format(value));

export const percent = value => (value === null || value === undefined ? '—' : percentFormat.format(value));

/** A metric's amount in its own unit: money for cost, plain counts for tokens and operations. */
export const amount = (metric, value) => (metric === 'cost' ? money(value) : count(value));

export function time(value) {
  if (!value) {
    return '—';
  }
  const date = new Date(value);
  return Number.isNaN(date.getTime()) ? String(value) : timeFormat.format(date);
}

/** A YYYY-MM-DD calendar day (no time zone of its own) as a short label. */
export function day(value) {
  const date = new Date(`${value}T00:00:00Z`);
  return Number.isNaN(date.getTime()) ? String(value) : dayFormat.format(date);
}

export function scopeText(scope) {
  const entries = Object.entries(scope ?? {});
  return entries.length === 0 ? 'whole tenant' : entries.map(([name, value]) => `${name}: ${value}`).join(', ');
}

export const STATES = ['ok', 'warning', 'throttled', 'blocked'];

export function stateLabel(state) {
  return STATES.includes(state) ? state : 'unknown';
}

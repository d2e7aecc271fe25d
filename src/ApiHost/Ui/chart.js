// The 30-day trend as inline SVG: a bar per day of cost, and after today the forecast band — the
// daily spend that would take the budget from what it has spent to the forecast's p10 / p50 / p90
// at the period's end — with the daily share of the limit as a guide line.

import { s, h } from './dom.js';
import { money, day } from './format.js';

const WIDTH = 720;
const HEIGHT = 240;
const PAD = { left: 64, right: 12, top: 14, bottom: 30 };
const MS_PER_DAY = 86_400_000;

function addDays(date, n) {
  const d = new Date(`${date}T00:00:00Z`);
  d.setUTCDate(d.getUTCDate() + n);
  return d.toISOString().slice(0, 10);
}

/** Daily rates the forecast implies between now and the period's end (at most 30 days shown). */
export function forecastBand(forecast, lastDay, now = new Date()) {
  if (!forecast || forecast.insufficientHistory || !forecast.predicted || !forecast.periodEnd) {
    return null;
  }
  const end = new Date(forecast.periodEnd);
  const daysLeft = Math.max((end - now) / MS_PER_DAY, 0);
  if (daysLeft <= 0) {
    return null;
  }
  const rate = total => Math.max((total - forecast.spent) / daysLeft, 0);
  const shown = Math.min(Math.ceil(daysLeft), 30);
  return {
    days: Array.from({ length: shown }, (_, i) => addDays(lastDay, i + 1)),
    low: rate(forecast.predicted.p10),
    mid: rate(forecast.predicted.p50),
    high: rate(forecast.predicted.p90),
  };
}

export function trendChart({ days, forecast, titleId }) {
  const history = days ?? [];
  const lastDay = history.length > 0 ? history[history.length - 1].date : new Date().toISOString().slice(0, 10);
  const band = forecastBand(forecast, lastDay);
  const all = [...history.map(d => d.date), ...(band?.days ?? [])];
  const top = niceMax(Math.max(0, ...history.map(d => d.cost), band?.high ?? 0));
  const plotW = WIDTH - PAD.left - PAD.right;
  const plotH = HEIGHT - PAD.top - PAD.bottom;
  const slot = plotW / Math.max(all.length, 1);
  const y = value => PAD.top + plotH - (top > 0 ? (value / top) * plotH : 0);
  const x = index => PAD.left + index * slot;

  const svg = s('svg', { viewBox: `0 0 ${WIDTH} ${HEIGHT}`, role: 'img', 'aria-labelledby': titleId, class: 'chart', preserveAspectRatio: 'xMidYMid meet' });
  for (const fraction of [0, 0.5, 1]) {
    const value = top * fraction;
    svg.append(
      s('line', { x1: PAD.left, x2: WIDTH - PAD.right, y1: y(value), y2: y(value), class: 'grid' }),
      s('text', { x: PAD.left - 6, y: y(value) + 4, 'text-anchor': 'end', class: 'axis' }, money(value)));
  }
  history.forEach((d, i) => {
    const height = Math.max(y(0) - y(d.cost), d.cost > 0 ? 1 : 0);
    svg.append(s('rect', { x: x(i) + slot * 0.15, y: y(0) - height, width: slot * 0.7, height, class: 'day' },
      s('title', {}, `${d.date}: ${money(d.cost)}, ${d.count} records`)));
  });
  if (band) {
    const start = history.length;
    const x0 = x(start);
    const x1 = x(start + band.days.length);
    svg.append(
      s('rect', { x: x0, y: y(band.high), width: x1 - x0, height: Math.max(y(band.low) - y(band.high), 1), class: 'band' },
        s('title', {}, `Forecast: ${money(band.low)} to ${money(band.high)} a day (p10–p90), ${money(band.mid)} a day most likely`)),
      s('line', { x1: x0, x2: x1, y1: y(band.mid), y2: y(band.mid), class: 'mid' }),
      s('line', { x1: x0, x2: x0, y1: PAD.top, y2: y(0), class: 'today' }));
  }
  const step = Math.max(1, Math.ceil(all.length / 6));
  all.forEach((date, i) => {
    if (i % step === 0) {
      svg.append(s('text', { x: x(i) + slot / 2, y: HEIGHT - 8, 'text-anchor': 'middle', class: 'axis' }, day(date)));
    }
  });
  return svg;
}

/** The same numbers as a table, for screen readers and for copying. */
export function trendTable(days) {
  return h('table', { class: 'data' },
    h('caption', {}, 'Spend per day'),
    h('thead', {}, h('tr', {}, h('th', { scope: 'col' }, 'Day'), h('th', { scope: 'col' }, 'Cost'), h('th', { scope: 'col' }, 'Tokens'), h('th', { scope: 'col' }, 'Operations'), h('th', { scope: 'col' }, 'Records'))),
    h('tbody', {}, (days ?? []).map(d => h('tr', {}, h('th', { scope: 'row' }, d.date), h('td', {}, money(d.cost)), h('td', {}, d.tokens), h('td', {}, d.operations), h('td', {}, d.count)))));
}

function niceMax(value) {
  if (value <= 0) {
    return 1;
  }
  const magnitude = 10 ** Math.floor(Math.log10(value));
  for (const m of [1, 2, 2.5, 5, 10]) {
    if (m * magnitude >= value) {
      return m * magnitude;
    }
  }
  return 10 * magnitude;
}

// The dashboard's views. Each takes the container and the app context and returns a dispose
// function that stops its polling.

import { h, fill, announce, problem } from './dom.js';
import { money, count, percent, time, scopeText, amount } from './format.js';
import { renderTree, shapeOf, updateCard, budgetCard } from './tree.js';
import { trendChart, trendTable } from './chart.js';
import { query } from './api.js';

/** Runs `tick` now and then `interval` ms after each run ends (never two at once), until stopped. */
function poll(tick, interval) {
  let stopped = false;
  let timer = null;
  const run = async () => {
    if (stopped) {
      return;
    }
    if (!document.hidden) {
      try {
        await tick();
      } catch {
        // the tick shows its own error; the next one tries again
      }
    }
    if (!stopped) {
      timer = setTimeout(run, interval);
    }
  };
  run();
  return () => {
    stopped = true;
    clearTimeout(timer);
  };
}

function heading(text, ...rest) {
  return h('div', { class: 'view-head' }, h('h2', { id: 'view-title', tabindex: '-1' }, text), ...rest);
}

function updatedAt(node) {
  node.textContent = `Updated ${new Date().toLocaleTimeString()}`;
}

// ---- Budgets: the tree, live -------------------------------------------------------------------

export function budgetsView(container, ctx) {
  const stamp = h('p', { class: 'muted stamp', 'aria-hidden': 'true' });
  const body = h('div', { id: 'tree' });
  const error = h('div');
  fill(container, heading('Budgets', stamp), error, body);
  let shape = null;
  return poll(async () => {
    try {
      const { items } = await ctx.api('/budgets');
      fill(error);
      const next = shapeOf(items);
      if (next !== shape) {
        shape = next;
        fill(body, items.length === 0 ? h('p', {}, 'This tenant has no budgets yet.') : renderTree(items, ctx.tenant.name ?? ctx.tenant.id));
      } else {
        for (const budget of items) {
          const card = body.querySelector(`article[data-budget="${CSS.escape(budget.id)}"]`);
          if (card) {
            updateCard(card, budget);
          }
        }
      }
      updatedAt(stamp);
    } catch (e) {
      fill(error, problem(e, 'Budgets'));
      throw e;
    }
  }, 1000);
}

// ---- One budget: status, trend and forecast, records, overrides -----------------------------------

export function budgetView(container, ctx, budgetId) {
  const stamp = h('p', { class: 'muted stamp', 'aria-hidden': 'true' });
  const status = h('div', { class: 'status' });
  const definition = h('p', { class: 'muted' });
  const trend = h('section', { class: 'panel', 'aria-labelledby': 'trend-title' }, h('h3', { id: 'trend-title' }, 'Last 30 days and forecast'), h('p', { class: 'muted' }, 'Loading…'));
  const records = h('section', { class: 'panel', 'aria-labelledby': 'records-title' }, h('h3', { id: 'records-title' }, 'Recent spend records'), h('p', { class: 'muted' }, 'Loading…'));
  const overrides = h('section', { class: 'panel', 'aria-labelledby': 'ov-title' }, h('h3', { id: 'ov-title' }, 'Overrides'));
  const overrideList = h('div');
  overrides.append(overrideList);
  fill(container,
    h('p', {}, h('a', { href: '#/budgets' }, '← All budgets')),
    heading(`Budget ${budgetId}`, stamp),
    definition, status, trend, records, overrides);

  let card = null;
  const stop = poll(async () => {
    try {
      const budget = await ctx.api(`/budgets/${encodeURIComponent(budgetId)}`);
      definition.textContent = `Scope: ${scopeText(budget.scope)} · period ${budget.period?.type} (${budget.period?.timezone ?? 'tenant time zone'}) · ${budget.enforcement?.mode ?? 'hard'} enforcement`;
      if (!card) {
        card = budgetCard(budget);
        fill(status, card);
      } else {
        updateCard(card, budget);
      }
      updatedAt(stamp);
    } catch (e) {
      fill(status, problem(e, 'Budget'));
      throw e;
    }
  }, 1000);

  loadTrend(ctx, budgetId, trend);
  loadRecords(ctx, budgetId, records);
  overridesOf(ctx, [budgetId], 'pending', overrideList, true);
  return stop;
}

async function loadTrend(ctx, budgetId, section) {
  const id = encodeURIComponent(budgetId);
  const [trend, forecast] = await Promise.allSettled([ctx.api(`/budgets/${id}/trend?days=30`), ctx.api(`/budgets/${id}/forecast`)]);
  const parts = [h('h3', { id: 'trend-title' }, 'Last 30 days and forecast')];
  if (trend.status === 'fulfilled') {
    parts.push(h('p', { id: 'chart-title', class: 'visually-hidden' }, `Daily cost of ${budgetId} over the last 30 days, with the forecast band to the period's end`));
    parts.push(h('figure', { class: 'chart-box' }, trendChart({ days: trend.value.days, forecast: forecast.status === 'fulfilled' ? forecast.value : null, titleId: 'chart-title' }),
      h('figcaption', { class: 'legend' },
        h('span', { class: 'key day' }, 'daily cost'), ' ', h('span', { class: 'key band' }, 'forecast p10–p90 a day'), ' ', h('span', { class: 'key mid' }, 'forecast p50'))));
    parts.push(h('details', {}, h('summary', {}, 'Show the numbers'), trendTable(trend.value.days)));
  } else {
    parts.push(problem(trend.reason, 'Trend', { optional: true }));
  }
  parts.push(forecast.status === 'fulfilled' ? forecastSummary(forecast.value) : problem(forecast.reason, 'Forecast', { optional: true }));
  fill(section, parts);
}

function forecastSummary(f) {
  if (f.insufficientHistory) {
    return h('p', { class: 'forecast' }, `Not enough history for a forecast yet (${f.historyDays} days); spending ${money(f.runRate)} a day so far.`);
  }
  return h('dl', { class: 'forecast figures' },
    h('div', {}, h('dt', {}, 'spent'), h('dd', {}, money(f.spent))),
    h('div', {}, h('dt', {}, 'at period end (p50)'), h('dd', {}, money(f.predicted?.p50))),
    h('div', {}, h('dt', {}, 'range (p10–p90)'), h('dd', {}, `${money(f.predicted?.p10)} – ${money(f.predicted?.p90)}`)),
    h('div', {}, h('dt', {}, 'utilization at end'), h('dd', {}, percent(f.utilizationAtEnd))),
    h('div', {}, h('dt', {}, 'trend'), h('dd', {}, f.trend ?? '—')),
    h('div', {}, h('dt', {}, 'overrun'), h('dd', {}, f.overrunAt ? `${time(f.overrunAt)} (in ${f.daysUntilOverrun} days)` : 'none expected')),
    h('div', {}, h('dt', {}, 'method'), h('dd', {}, `${f.method ?? '—'}, ${f.historyDays ?? '?'} days of history`)),
    f.recommendation ? h('div', { class: 'wide' }, h('dt', {}, 'recommendation'), h('dd', {}, f.recommendation)) : null);
}

async function loadRecords(ctx, budgetId, section) {
  const title = h('h3', { id: 'records-title' }, 'Recent spend records');
  try {
    const page = await ctx.api(`/records${query({ budget: budgetId, limit: 20 })}`);
    fill(section, title, page.items.length === 0 ? h('p', {}, 'No spend recorded yet.') : recordsTable(page.items));
  } catch (e) {
    fill(section, title, problem(e, 'Spend records', { optional: true }));
  }
}

function recordsTable(items) {
  return h('div', { class: 'scroll' }, h('table', { class: 'data' },
    h('thead', {}, h('tr', {}, ['When', 'Kind', 'Attributes', 'Cost', 'Tokens', 'Operations'].map(c => h('th', { scope: 'col' }, c)))),
    h('tbody', {}, items.map(r => h('tr', {},
      h('td', {}, time(r.at)), h('td', {}, r.kind), h('td', {}, scopeText(r.attributes)),
      h('td', { class: 'num' }, money(r.charged?.cost)), h('td', { class: 'num' }, count(r.charged?.tokens)), h('td', { class: 'num' }, count(r.charged?.operations)))))));
}

// ---- Alerts ------------------------------------------------------------------------------------

export function alertsView(container, ctx) {
  const list = h('div', { id: 'alert-list' });
  const stateSelect = h('select', { id: 'alert-state' },
    h('option', { value: 'open' }, 'open'), h('option', { value: 'acknowledged' }, 'acknowledged'), h('option', { value: '' }, 'all'));
  const form = h('form', { class: 'filters', onsubmit: e => { e.preventDefault(); load(); } },
    h('label', { for: 'alert-state' }, 'State'), stateSelect,
    h('button', { type: 'submit' }, 'Show'));
  fill(container, heading('Alerts'), form, list);

  let next = null;
  async function load(append = false) {
    try {
      const page = await ctx.api(`/alerts${query({ state: stateSelect.value, cursor: append ? next : null, limit: 50 })}`);
      next = page.next;
      const items = page.items.map(alertItem);
      if (append) {
        list.querySelector('ul')?.append(...items);
      } else {
        fill(list, page.items.length === 0 ? h('p', {}, 'No alerts.') : h('ul', { class: 'cards' }, items));
      }
      list.querySelector('.more')?.remove();
      if (next) {
        list.append(h('button', { type: 'button', class: 'more secondary', onclick: () => load(true) }, 'Load more'));
      }
    } catch (e) {
      fill(list, problem(e, 'Alerts'));
    }
  }

  function alertItem(alert) {
    const acknowledged = Boolean(alert.acknowledgedAt);
    return h('li', { class: 'card alert', 'data-alert': alert.id, 'data-type': alert.type },
      h('p', { class: 'message' }, alert.message),
      h('p', { class: 'muted' },
        `${alert.type} · `, alert.budgetId ? h('a', { href: `#/budget/${encodeURIComponent(alert.budgetId)}` }, alert.budgetId) : 'tenant',
        ` · ${time(alert.createdAt)}`,
        alert.utilization !== undefined && alert.utilization !== null ? ` · ${percent(alert.utilization)} used` : '',
        alert.escalatedAt ? ` · escalated ${time(alert.escalatedAt)}` : ''),
      alert.deliveries?.length ? h('p', { class: 'muted' }, 'Deliveries: ', alert.deliveries.map(d => `${d.channel} ${d.status}${d.attempts ? ` (${d.attempts} tries)` : ''}`).join(', ')) : null,
      acknowledged
        ? h('p', { class: 'ack' }, `Acknowledged ${time(alert.acknowledgedAt)} by ${alert.acknowledgedBy ?? 'someone'}`)
        : h('button', { type: 'button', 'aria-label': `Acknowledge: ${alert.message}`, onclick: e => acknowledge(alert, e.currentTarget) }, 'Acknowledge'));
  }

  async function acknowledge(alert, button) {
    button.disabled = true;
    try {
      await ctx.api(`/alerts/${encodeURIComponent(alert.id)}/ack`, { method: 'POST' });
      announce('Alert acknowledged.');
      ctx.refreshAlertCount();
      await load();
      container.querySelector('#view-title')?.focus();
    } catch (e) {
      button.disabled = false;
      button.after(problem(e, 'Acknowledge'));
    }
  }

  load();
  return () => {};
}

// ---- Overrides ---------------------------------------------------------------------------------

export function overridesView(container, ctx) {
  const list = h('div', { id: 'override-list' });
  const stateSelect = h('select', { id: 'override-state' },
    ['pending', 'approved', 'rejected', 'expired'].map(s => h('option', { value: s }, s)), h('option', { value: '' }, 'all'));
  const form = h('form', { class: 'filters', onsubmit: e => { e.preventDefault(); load(); } },
    h('label', { for: 'override-state' }, 'State'), stateSelect, h('button', { type: 'submit' }, 'Show'));
  fill(container, heading('Overrides'), h('p', { class: 'muted' }, 'Deciding needs a tenant-admin key other than the one that asked.'), form, list);

  async function load() {
    try {
      const { items } = await ctx.api('/budgets');
      await overridesOf(ctx, items.map(b => b.id), stateSelect.value, list, false);
    } catch (e) {
      fill(list, problem(e, 'Overrides'));
    }
  }

  load();
  return () => {};
}

async function overridesOf(ctx, budgetIds, state, target, single) {
  const pages = await Promise.allSettled(budgetIds.map(id => ctx.api(`/budgets/${encodeURIComponent(id)}/overrides${query({ state })}`)));
  const failed = pages.find(p => p.status === 'rejected');
  const items = pages.filter(p => p.status === 'fulfilled').flatMap(p => p.value.items)
    .sort((a, b) => String(b.requestedAt).localeCompare(String(a.requestedAt)));
  const reload = () => overridesOf(ctx, budgetIds, state, target, single);
  fill(target,
    failed ? problem(failed.reason, 'Overrides') : null,
    items.length === 0 ? h('p', {}, state ? `No ${state} overrides.` : 'No overrides.') : h('ul', { class: 'cards' }, items.map(o => overrideItem(ctx, o, reload, single))));
}

function overrideItem(ctx, o, reload, single) {
  const raise = Object.entries(o.raise ?? {}).filter(([, v]) => v).map(([metric, v]) => `+${amount(metric, v)} ${metric}`).join(', ');
  const decide = async (verb, button) => {
    for (const b of button.parentElement.querySelectorAll('button')) {
      b.disabled = true;
    }
    try {
      await ctx.api(`/budgets/${encodeURIComponent(o.budgetId)}/overrides/${encodeURIComponent(o.id)}/${verb}`, { method: 'POST' });
      announce(`Override ${verb === 'approve' ? 'approved' : 'rejected'}.`);
      await reload();
    } catch (e) {
      for (const b of button.parentElement.querySelectorAll('button')) {
        b.disabled = false;
      }
      button.parentElement.after(problem(e, verb === 'approve' ? 'Approve' : 'Reject'));
    }
  };
  return h('li', { class: 'card override', 'data-override': o.id, 'data-state': o.state },
    h('p', { class: 'message' }, single ? '' : h('a', { href: `#/budget/${encodeURIComponent(o.budgetId)}` }, o.budgetId), single ? '' : ': ', raise || 'no raise', ` — “${o.reason}”`),
    h('p', { class: 'muted' },
      `${o.state} · asked by ${o.requestedBy} ${time(o.requestedAt)}`,
      o.durationMinutes ? ` · for ${o.durationMinutes} minutes` : '',
      o.decidedBy ? ` · decided by ${o.decidedBy} ${time(o.decidedAt)}` : '',
      o.expiresAt ? ` · until ${time(o.expiresAt)}` : ''),
    o.state === 'pending'
      ? h('div', { class: 'actions' },
        h('button', { type: 'button', 'aria-label': `Approve override ${o.id} of ${o.budgetId}`, onclick: e => decide('approve', e.currentTarget) }, 'Approve'),
        h('button', { type: 'button', class: 'secondary', 'aria-label': `Reject override ${o.id} of ${o.budgetId}`, onclick: e => decide('reject', e.currentTarget) }, 'Reject'))
      : null);
}

// ---- Events (the audit trail) ----------------------------------------------------------------------

const EVENT_TYPES = ['tenant.updated', 'key.created', 'key.revoked', 'budget.created', 'budget.updated', 'budget.deleted', 'budget.reset',
  'tier.updated', 'budget.instantiated', 'threshold.crossed', 'state.changed', 'alert.raised', 'alert.delivered', 'alert.failed',
  'alert.acknowledged', 'alert.escalated', 'override.requested', 'override.approved', 'override.rejected', 'override.expired',
  'emergency.used', 'period.closed', 'usage.late'];

export function eventsView(container, ctx) {
  const budget = h('select', { id: 'ev-budget' }, h('option', { value: '' }, 'any'));
  const type = h('select', { id: 'ev-type' }, h('option', { value: '' }, 'any'), EVENT_TYPES.map(t => h('option', { value: t }, t)));
  const since = h('input', { id: 'ev-since', type: 'datetime-local' });
  const until = h('input', { id: 'ev-until', type: 'datetime-local' });
  const list = h('div', { id: 'event-list' });
  const form = h('form', { class: 'filters', onsubmit: e => { e.preventDefault(); load(); } },
    h('span', { class: 'field' }, h('label', { for: 'ev-budget' }, 'Budget'), budget),
    h('span', { class: 'field' }, h('label', { for: 'ev-type' }, 'Type'), type),
    h('span', { class: 'field' }, h('label', { for: 'ev-since' }, 'Since'), since),
    h('span', { class: 'field' }, h('label', { for: 'ev-until' }, 'Until'), until),
    h('button', { type: 'submit' }, 'Filter'));
  fill(container, heading('Events'), h('p', { class: 'muted' }, 'The audit trail, oldest first (needs a tenant-admin key).'), form, list);

  ctx.api('/budgets').then(({ items }) => budget.append(...items.map(b => h('option', { value: b.id }, b.id)))).catch(() => {});

  const iso = input => (input.value ? new Date(input.value).toISOString() : null);
  let next = null;
  async function load(append = false) {
    try {
      const page = await ctx.api(`/events${query({ budget: budget.value, type: type.value, since: iso(since), until: iso(until), cursor: append ? next : null, limit: 100 })}`);
      next = page.next;
      const rows = page.items.map(e => h('tr', { 'data-event': e.id },
        h('td', {}, time(e.at)), h('td', {}, e.type), h('td', {}, e.actor), h('td', {}, e.budgetId ?? ''),
        h('td', {}, h('code', {}, JSON.stringify(e.data ?? {})))));
      if (append) {
        list.querySelector('tbody')?.append(...rows);
      } else {
        fill(list, page.items.length === 0 ? h('p', {}, 'No events match.') : h('div', { class: 'scroll' }, h('table', { class: 'data events' },
          h('thead', {}, h('tr', {}, ['When', 'Type', 'Actor', 'Budget', 'Data'].map(c => h('th', { scope: 'col' }, c)))),
          h('tbody', {}, rows))));
      }
      list.querySelector('.more')?.remove();
      if (next) {
        list.append(h('button', { type: 'button', class: 'more secondary', onclick: () => load(true) }, 'Load more'));
      }
    } catch (e) {
      fill(list, problem(e, 'Events'));
    }
  }

  load();
  return () => {};
}

// ---- Report ------------------------------------------------------------------------------------

export function reportView(container, ctx) {
  const today = new Date();
  const ago = new Date(today.getTime() - 29 * 86_400_000);
  const dateText = d => `${d.getFullYear()}-${String(d.getMonth() + 1).padStart(2, '0')}-${String(d.getDate()).padStart(2, '0')}`;
  const from = h('input', { id: 'rep-from', type: 'date', value: dateText(ago), required: true });
  const to = h('input', { id: 'rep-to', type: 'date', value: dateText(today), required: true });
  const groupBy = h('select', { id: 'rep-group' }, ['budget', 'user', 'model', 'queue', 'project'].map(g => h('option', { value: g }, g)));
  const out = h('div', { id: 'report' });
  const form = h('form', { class: 'filters', onsubmit: e => { e.preventDefault(); load(); } },
    h('span', { class: 'field' }, h('label', { for: 'rep-from' }, 'From'), from),
    h('span', { class: 'field' }, h('label', { for: 'rep-to' }, 'To'), to),
    h('span', { class: 'field' }, h('label', { for: 'rep-group' }, 'Group by'), groupBy),
    h('button', { type: 'submit' }, 'Show'));
  fill(container, heading('Report'), form, out);

  async function load() {
    try {
      const r = await ctx.api(`/report${query({ from: from.value, to: to.value, groupBy: groupBy.value })}`);
      fill(out,
        h('dl', { class: 'figures totals' },
          h('div', {}, h('dt', {}, 'cost'), h('dd', {}, money(r.total?.cost))),
          h('div', {}, h('dt', {}, 'tokens'), h('dd', {}, count(r.total?.tokens))),
          h('div', {}, h('dt', {}, 'operations'), h('dd', {}, count(r.total?.operations))),
          h('div', {}, h('dt', {}, 'records'), h('dd', {}, count(r.total?.count)))),
        h('h3', {}, `By ${groupBy.value}`),
        (r.groups ?? []).length === 0 ? h('p', {}, 'No spend in this range.') : groupsTable(r.groups),
        h('h3', {}, 'Top drivers'),
        h('ol', {}, (r.topDrivers ?? []).map(g => h('li', {}, `${g.key ?? '(none)'}: ${money(g.cost)} (${percent(g.share)})`))),
        h('h3', {}, 'Recommendations'),
        (r.recommendations ?? []).length === 0 ? h('p', {}, 'None.') : h('ul', {}, r.recommendations.map(text => h('li', {}, text))));
    } catch (e) {
      fill(out, problem(e, 'Report', { optional: true }));
    }
  }

  load();
  return () => {};
}

function groupsTable(groups) {
  return h('div', { class: 'scroll' }, h('table', { class: 'data' },
    h('thead', {}, h('tr', {}, ['Key', 'Records', 'Cost', 'Share', 'Avg', 'Min', 'Max', 'p95', 'Components'].map(c => h('th', { scope: 'col' }, c)))),
    h('tbody', {}, groups.map(g => {
      const track = h('span', { class: 'share-track', 'aria-hidden': 'true' }, h('span', { class: 'share-fill' }));
      const share = h('span', { class: 'share' }, track, percent(g.share));
      track.firstChild.style.width = `${Math.min(Math.max(g.share ?? 0, 0), 1) * 100}%`;
      return h('tr', {},
        h('th', { scope: 'row' }, g.key ?? '(none)'), h('td', { class: 'num' }, count(g.count)), h('td', { class: 'num' }, money(g.cost)), h('td', {}, share),
        h('td', { class: 'num' }, money(g.avg)), h('td', { class: 'num' }, money(g.min)), h('td', { class: 'num' }, money(g.max)), h('td', { class: 'num' }, money(g.p95)),
        h('td', {}, Object.entries(g.components ?? {}).map(([name, v]) => `${name} ${money(v)}`).join(', ')));
    }))));
}

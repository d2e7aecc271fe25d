// The budget tree: scopes nest by containment (tenant ⊃ user ⊃ user+model …), and every scope shows
// the budgets defined on it. Rows are updated in place on each poll so that focus and scrolling stay.

import { h, fill } from './dom.js';
import { amount, percent, time, stateLabel } from './format.js';

const METRICS = ['cost', 'tokens', 'operations'];

/** Whether every usage that `inner` applies to is also one that `outer` applies to. */
export function contains(outer, inner) {
  for (const [name, value] of Object.entries(outer)) {
    const other = inner[name];
    if (other === undefined) {
      return false;
    }
    if (value.endsWith('*')) {
      const prefix = value.slice(0, -1);
      const otherPrefix = other.endsWith('*') ? other.slice(0, -1) : other;
      if (!otherPrefix.startsWith(prefix)) {
        return false;
      }
    } else if (other !== value) {
      return false;
    }
  }
  return true;
}

export function scopeKey(scope) {
  return Object.keys(scope ?? {}).sort().map(name => `${name}=${scope[name]}`).join('&');
}

/**
 * Scope nodes, each under the most specific other scope that contains it; the tenant's own scope
 * (empty) is the root, present even with no budget on it.
 */
export function buildTree(budgets) {
  const nodes = new Map([['', { key: '', scope: {}, budgets: [], children: [] }]]);
  for (const budget of budgets) {
    const key = scopeKey(budget.scope);
    if (!nodes.has(key)) {
      nodes.set(key, { key, scope: budget.scope ?? {}, budgets: [], children: [] });
    }
    nodes.get(key).budgets.push(budget);
  }
  const root = nodes.get('');
  for (const node of nodes.values()) {
    if (node === root) {
      continue;
    }
    let parent = root;
    for (const candidate of nodes.values()) {
      if (candidate === node || !contains(candidate.scope, node.scope)) {
        continue;
      }
      const size = Object.keys(candidate.scope).length;
      const best = Object.keys(parent.scope).length;
      if (size > best || (size === best && candidate.key < parent.key)) {
        parent = candidate;
      }
    }
    node.parent = parent;
    parent.children.push(node);
  }
  for (const node of nodes.values()) {
    node.budgets.sort((a, b) => a.id.localeCompare(b.id));
    node.children.sort((a, b) => a.key.localeCompare(b.key));
  }
  return root;
}

/** What a scope adds to its parent's, e.g. "model: gpt-4o" under "user: alice". */
function nodeLabel(node) {
  const own = Object.entries(node.scope).filter(([name]) => !(node.parent && name in node.parent.scope && node.parent.scope[name] === node.scope[name]));
  return own.map(([name, value]) => `${name}: ${value}`).join(', ');
}

/** The structure only: a poll that changes numbers alone keeps the DOM. */
export function shapeOf(budgets) {
  return budgets.map(b => `${b.id}|${scopeKey(b.scope)}`).sort().join('\n');
}

export function renderTree(budgets, tenantName) {
  const root = buildTree(budgets);
  return h('ul', { class: 'tree', 'aria-label': 'Budgets by scope' }, renderNode(root, tenantName));
}

function renderNode(node, tenantName) {
  const label = node.key === '' ? `Tenant ${tenantName}` : nodeLabel(node);
  return h('li', { class: 'scope', 'data-scope': node.key },
    h('h3', { class: 'scope-label' }, label),
    node.budgets.length === 0 ? h('p', { class: 'muted' }, 'No budget on this scope.') : node.budgets.map(budgetCard),
    node.children.length > 0 ? h('ul', {}, node.children.map(child => renderNode(child, tenantName))) : null);
}

export function budgetCard(budget) {
  const numbers = h('div', { class: 'numbers' });
  const card = h('article', { class: 'budget', 'data-budget': budget.id, 'aria-labelledby': `b-${cssId(budget.id)}` },
    h('div', { class: 'budget-head' },
      h('a', { id: `b-${cssId(budget.id)}`, class: 'budget-link', href: `#/budget/${encodeURIComponent(budget.id)}` }, budget.id),
      h('span', { class: 'badge', 'data-state': '' }),
      h('span', { class: 'muted period' })),
    numbers);
  updateCard(card, budget);
  return card;
}

/** Moves the bars and numbers of a card rendered earlier. */
export function updateCard(card, budget) {
  const status = budget.status ?? {};
  const state = stateLabel(status.state);
  card.dataset.state = state;
  const badge = card.querySelector('.badge');
  badge.dataset.state = state;
  badge.textContent = state;
  card.querySelector('.period').textContent =
    `${budget.period?.type ?? ''} · ${budget.enforcement?.mode ?? 'hard'} · period ends ${time(status.periodEnd)}`;
  const metrics = METRICS.filter(metric => status[metric]?.limit !== null && status[metric]?.limit !== undefined);
  fill(card.querySelector('.numbers'), metrics.map(metric => metricRow(budget, metric, status[metric], state)));
}

function metricRow(budget, metric, tally, state) {
  const limit = tally.limit;
  const spentShare = limit > 0 ? Math.min(tally.spent / limit, 1) : (tally.spent > 0 ? 1 : 0);
  const reservedShare = limit > 0 ? Math.min(tally.reserved / limit, 1 - spentShare) : 0;
  const used = tally.utilization ?? 0;
  const thresholds = budget.thresholds ?? {};
  const bar = h('div', {
    class: 'bar', role: 'progressbar', 'data-state': state,
    'aria-label': `${budget.id} ${metric} used`,
    'aria-valuemin': 0, 'aria-valuemax': 100, 'aria-valuenow': Math.round(used * 1000) / 10,
    'aria-valuetext': `${percent(used)}: ${amount(metric, tally.spent)} spent and ${amount(metric, tally.reserved)} reserved of ${amount(metric, limit)}, ${state}`,
  },
  h('span', { class: 'fill spent' }),
  h('span', { class: 'fill reserved' }),
  ['warn', 'throttle'].filter(name => thresholds[name] > 0 && thresholds[name] < 1).map(name => h('span', { class: 'tick', title: `${name} at ${percent(thresholds[name])}`, 'data-at': thresholds[name] })));
  // Widths through the CSS object model: the page's policy allows no inline style attributes.
  bar.querySelector('.spent').style.width = `${spentShare * 100}%`;
  bar.querySelector('.reserved').style.width = `${reservedShare * 100}%`;
  bar.querySelector('.reserved').style.left = `${spentShare * 100}%`;
  for (const tick of bar.querySelectorAll('.tick')) {
    tick.style.left = `${Number(tick.dataset.at) * 100}%`;
  }
  return h('div', { class: 'metric', 'data-metric': metric },
    h('span', { class: 'metric-name' }, metric),
    bar,
    h('dl', { class: 'figures' },
      h('div', {}, h('dt', {}, 'spent'), h('dd', { class: 'spent' }, amount(metric, tally.spent))),
      h('div', {}, h('dt', {}, 'reserved'), h('dd', { class: 'reserved' }, amount(metric, tally.reserved))),
      h('div', {}, h('dt', {}, 'remaining'), h('dd', { class: 'remaining' }, amount(metric, tally.remaining))),
      h('div', {}, h('dt', {}, 'limit'), h('dd', { class: 'limit' }, amount(metric, limit))),
      h('div', {}, h('dt', {}, 'used'), h('dd', { class: 'used' }, percent(used)))));
}

/** Budget ids may hold characters that are not valid in an id reference; this keeps them unique and safe. */
export function cssId(id) {
  return id.replace(/[^A-Za-z0-9_-]/g, c => `_${c.charCodeAt(0).toString(16)}_`);
}

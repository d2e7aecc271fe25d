// Entry point: sign-in, the hash router (#/budgets, #/budget/{id}, #/alerts, #/overrides, #/events,
// #/report) and the open-alert count in the navigation. Hash routes keep every view bookmarkable
// without putting anything secret in a URL.

import { ApiError, clearSession, loadSession, saveSession, tenantApi, tenantOfKey, query } from './api.js';
import { fill } from './dom.js';
import { setCurrency } from './format.js';
import { alertsView, budgetView, budgetsView, eventsView, overridesView, reportView } from './views.js';

const $ = id => document.getElementById(id);

let dispose = () => {};
let alertTimer = null;
let ctx = null;

function signedOut(message) {
  dispose();
  dispose = () => {};
  clearTimeout(alertTimer);
  ctx = null;
  clearSession();
  $('nav').hidden = true;
  $('who').hidden = true;
  fill($('view'));
  $('sign-in').hidden = false;
  $('sign-in-error').textContent = message ?? '';
  $('key').value = '';
  $('key').focus();
}

async function signIn(session) {
  const api = (path, options) => tenantApi(session, path, options).catch(error => {
    // A key revoked while the page is open: back to the sign-in form, saying why.
    if (error instanceof ApiError && error.status === 401) {
      signedOut('The key was refused (401): it is unknown or revoked.');
    }
    throw error;
  });
  const tenant = await tenantApi(session, '');
  setCurrency(tenant.currency);
  ctx = { session, tenant, api, refreshAlertCount };
  $('sign-in').hidden = true;
  $('nav').hidden = false;
  $('who').hidden = false;
  $('who-tenant').textContent = `${tenant.name ?? tenant.id} (${tenant.id}, ${tenant.currency})`;
  refreshAlertCount();
  route();
}

async function refreshAlertCount() {
  clearTimeout(alertTimer);
  if (!ctx) {
    return;
  }
  try {
    const page = await ctx.api(`/alerts${query({ state: 'open', limit: 100 })}`);
    const n = page.items.length;
    $('alert-count').textContent = n === 0 ? '' : page.next ? `${n}+` : String(n);
    $('alert-count').setAttribute('aria-label', `${n}${page.next ? ' or more' : ''} open alerts`);
  } catch {
    $('alert-count').textContent = '';
  }
  if (ctx) {
    alertTimer = setTimeout(refreshAlertCount, 5000);
  }
}

function route() {
  if (!ctx) {
    return;
  }
  dispose();
  const hash = location.hash || '#/budgets';
  const [, view = 'budgets', arg] = hash.match(/^#\/([^/]*)(?:\/(.*))?$/) ?? [];
  const container = $('view');
  const views = {
    budgets: () => budgetsView(container, ctx),
    budget: () => budgetView(container, ctx, decodeURIComponent(arg ?? '')),
    alerts: () => alertsView(container, ctx),
    overrides: () => overridesView(container, ctx),
    events: () => eventsView(container, ctx),
    report: () => reportView(container, ctx),
  };
  const show = views[view] ?? views.budgets;
  dispose = show();
  const section = view === 'budget' ? 'budgets' : (views[view] ? view : 'budgets');
  for (const link of document.querySelectorAll('#nav a')) {
    if (link.dataset.view === section) {
      link.setAttribute('aria-current', 'page');
    } else {
      link.removeAttribute('aria-current');
    }
  }
  document.title = `${section[0].toUpperCase()}${section.slice(1)} · BudgetActors`;
}

window.addEventListener('hashchange', () => {
  route();
  // Keyboard and screen reader users land on the new view's heading.
  document.getElementById('view-title')?.focus();
});

$('key').addEventListener('input', () => {
  const tenant = tenantOfKey($('key').value);
  if (tenant) {
    $('tenant').value = tenant;
  }
});

$('sign-in-form').addEventListener('submit', async event => {
  event.preventDefault();
  const key = $('key').value.trim();
  const tenant = $('tenant').value.trim() || tenantOfKey(key) || '';
  if (!key || !tenant) {
    $('sign-in-error').textContent = !key ? 'Enter an API key.' : 'Enter the tenant id (it cannot be read from this key).';
    return;
  }
  const button = event.submitter;
  if (button) {
    button.disabled = true;
  }
  try {
    const session = { key, tenant };
    await signIn(session);
    saveSession(session);
    $('key').value = '';
  } catch (error) {
    clearSession();
    $('sign-in-error').textContent = error instanceof ApiError
      ? `Sign-in failed (${error.status}): ${error.detail ?? error.message}`
      : `Sign-in failed: ${error.message}`;
  } finally {
    if (button) {
      button.disabled = false;
    }
  }
});

$('sign-out').addEventListener('click', () => signedOut('Signed out.'));

const saved = loadSession();
if (saved) {
  signIn(saved).catch(error => signedOut(`Signed out: ${error.message}`));
} else {
  signedOut();
}

// The /v1 API as the signed-in tenant's key sees it. The key lives in sessionStorage (gone when the
// tab closes) and travels only in the Authorization header, never in a URL.

const STORE = 'budgetactors.session';

// The host may sit under a path base: /v1 is a sibling of /ui.
const root = location.pathname.replace(/\/ui(\/.*)?$/, '');

export class ApiError extends Error {
  constructor(status, title, detail) {
    super(detail || title || `HTTP ${status}`);
    this.status = status;
    this.title = title;
    this.detail = detail;
  }

  /** A 404 of a route the host does not have (yet): the view says "not available" instead of failing. */
  get missingEndpoint() {
    return this.status === 404;
  }
}

export function loadSession() {
  try {
    const session = JSON.parse(sessionStorage.getItem(STORE) ?? 'null');
    return session && typeof session.key === 'string' && typeof session.tenant === 'string' ? session : null;
  } catch {
    return null;
  }
}

export function saveSession(session) {
  sessionStorage.setItem(STORE, JSON.stringify(session));
}

export function clearSession() {
  sessionStorage.removeItem(STORE);
}

/** Tenant keys are bak.{tenant as base64url}.{keyId}.{secret}: the tenant can be read without asking. */
export function tenantOfKey(key) {
  const parts = key.trim().split('.');
  if (parts.length !== 4 || parts[0] !== 'bak' || !parts[1]) {
    return null;
  }
  try {
    const b64 = parts[1].replace(/-/g, '+').replace(/_/g, '/');
    const binary = atob(b64 + '==='.slice((b64.length + 3) % 4));
    return new TextDecoder('utf-8', { fatal: true }).decode(Uint8Array.from(binary, c => c.charCodeAt(0)));
  } catch {
    return null;
  }
}

/** Query string from an object, leaving out empty values. */
export function query(params) {
  const search = new URLSearchParams();
  for (const [name, value] of Object.entries(params)) {
    if (value !== undefined && value !== null && value !== '') {
      search.set(name, String(value));
    }
  }
  const text = search.toString();
  return text ? `?${text}` : '';
}

/** Calls /v1/tenants/{tenant}{path} with the session's key; throws ApiError with the problem's detail. */
export async function tenantApi(session, path, { method = 'GET', body } = {}) {
  return call(session.key, `/v1/tenants/${encodeURIComponent(session.tenant)}${path}`, method, body);
}

async function call(key, path, method, body) {
  const headers = { Authorization: `Bearer ${key}`, Accept: 'application/json' };
  if (body !== undefined) {
    headers['Content-Type'] = 'application/json';
  }
  let response;
  try {
    response = await fetch(root + path, { method, headers, body: body === undefined ? undefined : JSON.stringify(body), cache: 'no-store' });
  } catch {
    throw new ApiError(0, 'Unavailable', 'The host does not answer.');
  }
  const text = await response.text();
  let json = null;
  if (text) {
    try {
      json = JSON.parse(text);
    } catch {
      json = null;
    }
  }
  if (!response.ok) {
    throw new ApiError(response.status, json?.title, json?.detail ?? response.statusText);
  }
  return json;
}

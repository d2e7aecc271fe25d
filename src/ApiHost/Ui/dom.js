// Building DOM nodes from data. Text always goes through textContent, never HTML, so a budget id or
// an alert message can never become markup.

export function h(tag, attrs = {}, ...children) {
  const node = document.createElement(tag);
  setAttributes(node, attrs);
  append(node, children);
  return node;
}

const SVG = 'http://www.w3.org/2000/svg';

export function s(tag, attrs = {}, ...children) {
  const node = document.createElementNS(SVG, tag);
  setAttributes(node, attrs);
  append(node, children);
  return node;
}

function setAttributes(node, attrs) {
  for (const [name, value] of Object.entries(attrs)) {
    if (value === undefined || value === null || value === false) {
      continue;
    }
    if (name === 'class') {
      node.setAttribute('class', Array.isArray(value) ? value.filter(Boolean).join(' ') : value);
    } else if (name.startsWith('on') && typeof value === 'function') {
      node.addEventListener(name.slice(2), value);
    } else {
      node.setAttribute(name, value === true ? '' : String(value));
    }
  }
}

function append(node, children) {
  for (const child of children.flat(Infinity)) {
    if (child === undefined || child === null || child === false) {
      continue;
    }
    node.append(child instanceof Node ? child : document.createTextNode(String(child)));
  }
}

/** Replaces everything inside a node. */
export function fill(node, ...children) {
  node.replaceChildren();
  append(node, children);
  return node;
}

/** A polite announcement for screen readers (actions done, not every refresh). */
export function announce(text) {
  const region = document.getElementById('announce');
  region.textContent = '';
  // A new text node in a later frame is announced again even when the words repeat.
  requestAnimationFrame(() => { region.textContent = text; });
}

/**
 * The problem's detail; for an optional view (one over an endpoint that a host may not have yet, or
 * that has no answer for this budget, as a forecast of a period that never ends: 409) it is said
 * plainly as "not available" instead of as an error.
 */
export function problem(error, what, { optional = false } = {}) {
  if (optional && (error?.missingEndpoint || error?.status === 409)) {
    return h('p', { class: 'unavailable', 'data-unavailable': what }, `${what}: not available on this host (${error.detail ?? 'HTTP 404'}).`);
  }
  return h('p', { class: 'error', role: 'alert' }, `${what}: ${error?.message ?? error}`);
}

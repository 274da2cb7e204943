// Shared helpers: DOM building (text only, never HTML), the API client with the CSRF token,
// formatting, the confirmation dialog and notices.

/**
 * Creates an element. attrs: class, text, title, dataTest (-> data-test), on<event> handlers,
 * and any other attribute. Children: nodes, strings (as text), null/false (skipped), arrays.
 */
export function h(tag, attrs, ...children) {
  const el = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs || {})) {
    if (v === null || v === undefined || v === false) continue;
    if (k === 'class') el.className = v;
    else if (k === 'text') el.textContent = String(v);
    else if (k === 'dataTest') el.setAttribute('data-test', v);
    else if (k.startsWith('on') && typeof v === 'function') el.addEventListener(k.slice(2), v);
    else if (k === 'checked' || k === 'disabled' || k === 'value' || k === 'selected') el[k] = v;
    else el.setAttribute(k, v === true ? '' : String(v));
  }
  append(el, children);
  return el;
}

function append(el, children) {
  for (const c of children) {
    if (c === null || c === undefined || c === false) continue;
    if (Array.isArray(c)) append(el, c);
    else el.append(c instanceof Node ? c : document.createTextNode(String(c)));
  }
}

/** Replaces el's children. */
export function fill(el, ...children) {
  el.replaceChildren();
  append(el, children);
  return el;
}

/** The jasynq_csrf cookie's value, or "". */
export function csrfToken() {
  for (const part of document.cookie.split(';')) {
    const [k, ...v] = part.trim().split('=');
    if (k === 'jasynq_csrf') return decodeURIComponent(v.join('='));
  }
  return '';
}

/** An API failure: status and the server's message. */
export class ApiError extends Error {
  constructor(status, message) {
    super(message);
    this.status = status;
  }
}

/** Calls <mount>/api<path>; returns the parsed JSON, or null for 204. */
export async function api(method, path, body) {
  const headers = { Accept: 'application/json' };
  if (method !== 'GET') headers['X-CSRF-Token'] = csrfToken();
  if (body !== undefined) headers['Content-Type'] = 'application/json';
  const r = await fetch('api' + path, {
    method,
    headers,
    body: body === undefined ? undefined : JSON.stringify(body),
    credentials: 'same-origin',
    cache: 'no-store',
  });
  if (r.status === 204) return null;
  let json = null;
  try {
    json = await r.json();
  } catch (e) {
    json = null;
  }
  if (!r.ok) throw new ApiError(r.status, (json && json.error) || r.status + ' ' + r.statusText);
  return json;
}

export const enc = encodeURIComponent;

/** The dashboard's config (read-only mode), loaded once by app.js. */
export const config = { read_only: false, read_only_queues: [], version: '' };

/** Whether actions on queue q may be shown. */
export function canMutate(q) {
  return !config.read_only && !(config.read_only_queues || []).includes(q);
}

const NUM = new Intl.NumberFormat('en-US');
export function num(n) {
  return n === null || n === undefined ? '—' : NUM.format(n);
}

export function bytes(n) {
  if (n === null || n === undefined) return null;
  const units = ['B', 'KB', 'MB', 'GB', 'TB'];
  let i = 0;
  let v = n;
  while (v >= 1024 && i < units.length - 1) {
    v /= 1024;
    i++;
  }
  return (i === 0 ? v : v.toFixed(v < 10 ? 1 : 0)) + ' ' + units[i];
}

export function pct(part, whole) {
  if (!whole) return '0%';
  const p = (100 * part) / whole;
  return (p < 10 ? p.toFixed(2) : p.toFixed(1)) + '%';
}

/** "3m ago" / "in 2h" for an RFC 3339 time; "" and "-" stay as they are. */
export function rel(t) {
  if (!t || t === '-') return t === '-' ? '-' : '—';
  const ms = Date.parse(t);
  if (Number.isNaN(ms)) return t;
  const d = (ms - Date.now()) / 1000;
  const a = Math.abs(d);
  if (a < 1) return 'now';
  let s;
  if (Math.round(a) < 60) s = Math.round(a) + 's';
  else if (Math.round(a / 60) < 60) s = Math.round(a / 60) + 'm';
  else if (Math.round(a / 3600) < 24) s = Math.round(a / 3600) + 'h';
  else s = Math.round(a / 86400) + 'd';
  return d < 0 ? s + ' ago' : 'in ' + s;
}

/** A time cell: relative text, the exact time as the title. */
export function time(t) {
  return h('time', { title: t && t !== '-' ? new Date(t).toISOString() : null, text: rel(t) });
}

/** A short marker whose title is the problem; used for a failing cell or row. */
export function problem(problems, marker = '⚠') {
  const list = Array.isArray(problems) ? problems : [String(problems)];
  return h('span', {
    class: 'problem',
    dataTest: 'problem',
    title: list.join('\n'),
    'aria-label': 'problem: ' + list.join('; '),
    text: marker,
  });
}

/** The problem marker for a row with problems, or null. */
export function rowProblems(row) {
  return row && row.problems && row.problems.length ? problem(row.problems) : null;
}

/** Asks to confirm; resolves true when confirmed. */
export function confirmAction(message, okLabel = 'Confirm') {
  const dialog = document.getElementById('confirm');
  document.getElementById('confirm-text').textContent = message;
  dialog.querySelector('[data-test="confirm-ok"]').textContent = okLabel;
  dialog.returnValue = '';
  return new Promise((resolve) => {
    dialog.addEventListener('close', () => resolve(dialog.returnValue === 'ok'), { once: true });
    dialog.showModal();
  });
}

/** Shows a short notice; kind = ok | error. */
export function toast(message, kind = 'ok') {
  const el = h('div', { class: 'toast ' + kind, dataTest: 'toast-' + kind, role: 'status', text: message });
  document.getElementById('toasts').append(el);
  setTimeout(() => el.remove(), kind === 'error' ? 8000 : 3500);
}

/** An error box for a view that could not load. */
export function errorBox(e) {
  return h('div', { class: 'error-box', dataTest: 'error' }, h('strong', { text: 'Could not load: ' }), String(e.message || e));
}

/** Text cut to n characters with an ellipsis; the full text as the title. */
export function cut(text, n) {
  const s = text == null ? '' : String(text);
  return s.length > n ? s.slice(0, n) + '…' : s;
}

/** The hash route's parameters after '?'. */
export function hashParams() {
  const hash = location.hash.replace(/^#/, '');
  const i = hash.indexOf('?');
  return new URLSearchParams(i < 0 ? '' : hash.slice(i + 1));
}

export function button(label, attrs = {}) {
  return h('button', Object.assign({ type: 'button', class: 'btn' }, attrs), label);
}

/** A labelled statistic card. */
export function stat(label, value, attrs = {}) {
  return h('div', Object.assign({ class: 'stat' }, attrs), h('div', { class: 'stat-value', text: value }), h('div', { class: 'stat-label', text: label }));
}

export const STATES = ['active', 'pending', 'aggregating', 'scheduled', 'retry', 'archived', 'completed'];

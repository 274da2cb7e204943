// The page's shell: config, hash routing, live refresh, dark mode and find-by-ID.
import { api, config, errorBox, fill, h } from './lib.js';
import { overview } from './overview.js';
import { queuePage } from './queue.js';
import { taskPage, findPage } from './task.js';
import { serversPage, schedulersPage, redisPage } from './misc.js';

const app = document.getElementById('app');
let current = null; // { refresh(), dispose?() }
let timer = null;

/** Route table: [regexp over the hash path, view factory, nav key]. */
const ROUTES = [
  [/^\/?$/, () => overview(), 'overview'],
  [/^\/queues\/([^/]+)\/tasks\/([^/]+)$/, (m) => taskPage(dec(m[1]), dec(m[2])), 'overview'],
  [/^\/queues\/([^/]+)(?:\/([a-z]+))?$/, (m) => queuePage(dec(m[1]), m[2] || 'active'), 'overview'],
  [/^\/tasks\/([^/]+)$/, (m) => findPage(dec(m[1])), 'overview'],
  [/^\/servers$/, () => serversPage(), 'servers'],
  [/^\/schedulers$/, () => schedulersPage(), 'schedulers'],
  [/^\/redis$/, () => redisPage(), 'redis'],
];

function dec(s) {
  try {
    return decodeURIComponent(s);
  } catch (e) {
    return s;
  }
}

function route() {
  const hash = location.hash.replace(/^#/, '');
  const path = hash.split('?')[0];
  if (current && current.dispose) current.dispose();
  current = null;
  for (const [re, make, nav] of ROUTES) {
    const m = path.match(re);
    if (m) {
      for (const a of document.querySelectorAll('[data-nav]')) {
        a.classList.toggle('active', a.dataset.nav === nav);
      }
      const view = make(m);
      current = view;
      fill(app, view.el);
      refresh();
      return;
    }
  }
  fill(app, h('div', { class: 'empty', dataTest: 'not-found' }, 'No such page: ' + hash, ' ', h('a', { href: '#/', text: 'Back to queues' })));
}

async function refresh() {
  const view = current;
  // One refresh at a time per view; a new view (a route change) starts its own at once.
  if (!view || view.busy) return;
  view.busy = true;
  try {
    await view.refresh();
  } catch (e) {
    if (view === current && view.fail) view.fail(e);
    else console.warn(e);
  } finally {
    view.busy = false;
  }
}

/** Re-renders the current view now (after an action). */
export function reload() {
  return refresh();
}

function setInterval_(seconds) {
  if (timer) clearInterval(timer);
  timer = seconds > 0 ? setInterval(() => !document.hidden && refresh(), seconds * 1000) : null;
  document.documentElement.dataset.refresh = String(seconds);
}

function setupRefresh() {
  const select = document.querySelector('[data-test="refresh-interval"]');
  const stored = localStorage.getItem('jasynq.refresh');
  const seconds = stored !== null && ['0', '2', '5', '10', '30'].includes(stored) ? stored : '5';
  select.value = seconds;
  setInterval_(Number(seconds));
  select.addEventListener('change', () => {
    localStorage.setItem('jasynq.refresh', select.value);
    setInterval_(Number(select.value));
  });
}

function setupTheme() {
  const stored = localStorage.getItem('jasynq.theme');
  const dark = stored ? stored === 'dark' : window.matchMedia('(prefers-color-scheme: dark)').matches;
  document.documentElement.classList.toggle('dark', dark);
  document.querySelector('[data-test="theme-toggle"]').addEventListener('click', () => {
    const now = !document.documentElement.classList.contains('dark');
    document.documentElement.classList.toggle('dark', now);
    localStorage.setItem('jasynq.theme', now ? 'dark' : 'light');
    window.dispatchEvent(new Event('jasynq-theme'));
  });
}

function setupFind() {
  const form = document.querySelector('[data-test="find-form"]');
  const input = form.querySelector('input');
  form.addEventListener('submit', (e) => {
    e.preventDefault();
    const id = input.value.trim();
    if (id) location.hash = '#/tasks/' + encodeURIComponent(id);
  });
}

async function start() {
  setupTheme();
  setupRefresh();
  setupFind();
  try {
    Object.assign(config, await api('GET', '/config'));
  } catch (e) {
    fill(app, errorBox(e));
    return;
  }
  document.querySelector('[data-test="version"]').textContent = 'jasynq dashboard ' + config.version;
  const ro = document.querySelector('[data-test="read-only-badge"]');
  ro.classList.toggle('hidden', !config.read_only);
  window.addEventListener('hashchange', route);
  route();
  document.documentElement.dataset.ready = 'true';
}

start();

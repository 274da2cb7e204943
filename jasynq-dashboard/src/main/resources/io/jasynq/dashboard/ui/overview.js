// The overview: totals, the queues table with actions, sizes by state, processed/failed history.
import { api, button, bytes, canMutate, confirmAction, enc, errorBox, fill, h, num, pct, problem, rowProblems, stat, toast } from './lib.js';
import { dailyChart, stackedBars } from './charts.js';
import { reload } from './app.js';

const STATE_KEYS = [
  { key: 'active', label: 'Active', cls: 's-active' },
  { key: 'pending', label: 'Pending', cls: 's-pending' },
  { key: 'aggregating', label: 'Aggregating', cls: 's-aggregating' },
  { key: 'scheduled', label: 'Scheduled', cls: 's-scheduled' },
  { key: 'retry', label: 'Retry', cls: 's-retry' },
  { key: 'archived', label: 'Archived', cls: 's-archived' },
  { key: 'completed', label: 'Completed', cls: 's-completed' },
];

export function overview() {
  let range = localStorage.getItem('jasynq.range') || '7';
  const totals = h('div', { class: 'stats', dataTest: 'totals' });
  const table = h('div', { class: 'card', dataTest: 'queues-card' });
  const sizes = h('div', { class: 'card-body' });
  const history = h('div', { class: 'card-body' });
  let chart = null;
  const rangeButtons = [['1', 'Today'], ['7', '7 days'], ['30', '30 days'], ['90', '90 days']].map(([v, label]) =>
    button(label, { class: 'seg-btn' + (v === range ? ' on' : ''), dataTest: 'range-' + v, onclick: () => {
      range = v;
      localStorage.setItem('jasynq.range', v);
      for (const b of rangeButtons) b.classList.toggle('on', b.dataset.test === 'range-' + v);
      loadHistory();
    } }));
  const el = h('section', { class: 'view', dataTest: 'view-overview' },
    h('div', { class: 'view-head' }, h('h1', { text: 'Queues' })),
    totals,
    table,
    h('div', { class: 'grid2' },
      h('div', { class: 'card' }, h('div', { class: 'card-head' }, h('h2', { text: 'Queue size by state' })), sizes),
      h('div', { class: 'card' }, h('div', { class: 'card-head' }, h('h2', { text: 'Processed and failed' }), h('div', { class: 'seg-group', dataTest: 'range' }, rangeButtons)), history)));

  async function loadHistory() {
    const days = range === '1' ? 1 : Number(range);
    const { stats } = await api('GET', '/queue_stats?days=' + days);
    if (chart) chart.destroy();
    chart = null;
    const queues = Object.keys(stats).sort();
    if (days === 1) {
      const rows = queues.map((q) => ({ label: q, href: '#/queues/' + enc(q), parts: { succeeded: stats[q][0]?.succeeded || 0, failed: stats[q][0]?.failed || 0 } }));
      fill(history, stackedBars(rows, [{ key: 'succeeded', label: 'Succeeded today', cls: 's-succeeded' }, { key: 'failed', label: 'Failed today', cls: 's-failed' }], 'today-chart'));
      return;
    }
    const byDate = new Map();
    for (const q of queues) {
      for (const d of stats[q]) {
        const e = byDate.get(d.date) || { processed: 0, failed: 0 };
        e.processed += d.processed;
        e.failed += d.failed;
        byDate.set(d.date, e);
      }
    }
    const dates = [...byDate.keys()].sort();
    if (!dates.length) {
      fill(history, h('p', { class: 'muted', text: 'No queues yet.' }));
      return;
    }
    chart = dailyChart(dates, [
      { label: 'Processed', values: dates.map((d) => byDate.get(d).processed), color: '--c-processed' },
      { label: 'Failed', values: dates.map((d) => byDate.get(d).failed), color: '--c-failed' },
    ], 'history-chart');
    fill(history, chart.el);
  }

  function render(queues) {
    const sum = (k) => queues.reduce((a, q) => a + (q[k] || 0), 0);
    fill(totals,
      stat('Queues', num(queues.length)),
      stat('Tasks', num(sum('size')), { dataTest: 'total-size' }),
      stat('Active', num(sum('active'))),
      stat('Processed today', num(sum('processed'))),
      stat('Failed today', num(sum('failed'))),
      stat('Error rate today', pct(sum('failed'), sum('processed'))));
    const head = h('tr', {}, ['Queue', 'Status', 'Size', 'Latency', 'Memory', 'Processed', 'Failed', 'Error rate', ''].map((t, i) => h('th', { class: i >= 2 && i <= 7 ? 'num' : null, text: t })));
    const rows = queues.map((q) => {
      const mutable = canMutate(q.queue);
      const actions = mutable
        ? h('div', { class: 'row-actions' },
          q.paused
            ? button('Resume', { class: 'btn sm', dataTest: 'resume-' + q.queue, onclick: () => act('POST', '/queues/' + enc(q.queue) + ':resume', 'Resumed ' + q.queue) })
            : button('Pause', { class: 'btn sm', dataTest: 'pause-' + q.queue, onclick: () => act('POST', '/queues/' + enc(q.queue) + ':pause', 'Paused ' + q.queue) }),
          button('Delete', { class: 'btn sm danger-ghost', dataTest: 'delete-queue-' + q.queue, onclick: async () => {
            const force = q.size > 0;
            if (await confirmAction(force ? `Delete queue "${q.queue}" and its ${num(q.size)} tasks?` : `Delete queue "${q.queue}"?`, 'Delete')) {
              act('DELETE', '/queues/' + enc(q.queue) + (force ? '?force=true' : ''), 'Deleted ' + q.queue);
            }
          } }))
        : null;
      return h('tr', { dataTest: 'queue-row', 'data-queue': q.queue },
        h('td', {}, h('a', { href: '#/queues/' + enc(q.queue), class: 'strong', dataTest: 'queue-link', text: q.queue }), ' ', rowProblems(q)),
        h('td', {}, h('span', { class: 'pill ' + (q.paused ? 'paused' : 'running'), dataTest: 'queue-status', text: q.paused ? 'paused' : 'running' })),
        h('td', { class: 'num', dataTest: 'queue-size', text: num(q.size) }),
        h('td', { class: 'num', text: q.display_latency || '0s' }),
        h('td', { class: 'num', dataTest: 'queue-memory' }, q.memory_usage_bytes == null ? problem(['memory usage unknown: Redis refused MEMORY USAGE'], '—') : bytes(q.memory_usage_bytes)),
        h('td', { class: 'num', text: num(q.processed) }),
        h('td', { class: 'num', text: num(q.failed) }),
        h('td', { class: 'num', text: pct(q.failed, q.processed) }),
        h('td', { class: 'actions' }, actions));
    });
    fill(table,
      h('table', { class: 'table', dataTest: 'queues-table' }, h('thead', {}, head), h('tbody', {}, rows)),
      queues.length ? null : h('p', { class: 'empty', text: 'No queues yet: enqueue a task and it shows here.' }));
    fill(sizes, stackedBars(queues.map((q) => ({ label: q.queue, href: '#/queues/' + enc(q.queue), parts: q })), STATE_KEYS, 'size-chart'));
  }

  async function act(method, path, done) {
    try {
      await api(method, path);
      toast(done);
    } catch (e) {
      toast(e.message, 'error');
    }
    reload();
  }

  let historyLoaded = false;
  return {
    el,
    async refresh() {
      const { queues } = await api('GET', '/queues');
      render(queues);
      if (!historyLoaded) {
        historyLoaded = true;
        await loadHistory();
      }
    },
    fail(e) {
      fill(table, errorBox(e));
    },
    dispose() {
      if (chart) chart.destroy();
    },
  };
}

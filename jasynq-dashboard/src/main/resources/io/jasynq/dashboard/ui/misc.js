// Servers with their workers, scheduler entries with their history, Redis info.
import { api, button, cut, enc, errorBox, fill, h, num, rowProblems, time } from './lib.js';

export function serversPage() {
  const box = h('div', {});
  const el = h('section', { class: 'view', dataTest: 'view-servers' }, h('div', { class: 'view-head' }, h('h1', { text: 'Servers' })), box);
  return {
    el,
    async refresh() {
      const { servers } = await api('GET', '/servers');
      if (!servers.length) {
        fill(box, h('div', { class: 'card' }, h('p', { class: 'empty', dataTest: 'no-servers', text: 'No server is running.' })));
        return;
      }
      fill(box, servers.map((s) => h('div', { class: 'card', dataTest: 'server', 'data-id': s.id },
        h('div', { class: 'card-head' },
          h('h2', {}, h('span', { class: 'mono', text: s.host + ':' + s.pid }), ' ', h('span', { class: 'pill ' + (s.status === 'active' ? 'running' : 'paused'), text: s.status }), ' ', rowProblems(s)),
          h('span', { class: 'muted', text: 'started ' }, time(s.start_time))),
        h('div', { class: 'card-body' },
          h('dl', { class: 'fields inline' },
            h('dt', { text: 'ID' }), h('dd', { class: 'mono', text: s.id }),
            h('dt', { text: 'Workers busy' }), h('dd', { dataTest: 'server-busy', text: s.active_worker_count + ' / ' + s.concurrency }),
            h('dt', { text: 'Queues' }), h('dd', { text: Object.entries(s.queue_priorities || {}).map(([q, p]) => q + ' (' + p + ')').join(', ') + (s.strict_priority_enabled ? ', strict' : '') })),
          s.active_workers.length
            ? h('table', { class: 'table compact', dataTest: 'workers' },
              h('thead', {}, h('tr', {}, ['Task', 'Type', 'Queue', 'Payload', 'Started', 'Deadline'].map((t) => h('th', { text: t })))),
              h('tbody', {}, s.active_workers.map((w) => h('tr', { dataTest: 'worker-row' },
                h('td', {}, h('a', { class: 'mono', href: '#/queues/' + enc(w.queue) + '/tasks/' + enc(w.task_id), text: cut(w.task_id, 13), title: w.task_id })),
                h('td', { class: 'type', text: w.task_type }), h('td', { text: w.queue }),
                h('td', {}, h('code', { class: 'payload', text: cut(w.task_payload, 80) })),
                h('td', {}, time(w.start_time)), h('td', {}, time(w.deadline))))))
            : h('p', { class: 'muted', text: 'No active workers.' })))));
    },
    fail(e) {
      fill(box, errorBox(e));
    },
  };
}

export function schedulersPage() {
  const box = h('div', { class: 'card' });
  const el = h('section', { class: 'view', dataTest: 'view-schedulers' }, h('div', { class: 'view-head' }, h('h1', { text: 'Scheduler entries' })), box);
  const open = new Set();
  async function history(id, cell) {
    try {
      const { events } = await api('GET', '/scheduler_entries/' + enc(id) + '/enqueue_events?page_size=20');
      fill(cell, events.length
        ? h('ul', { class: 'events', dataTest: 'history' }, events.map((e) => h('li', { dataTest: 'history-event' }, time(e.enqueued_at), ' ', h('span', { class: 'mono', dataTest: 'history-task-id', text: e.task_id }), ' ', rowProblems(e))))
        : h('p', { class: 'muted', dataTest: 'history', text: 'Never enqueued yet.' }));
    } catch (e) {
      fill(cell, errorBox(e));
    }
  }
  return {
    el,
    async refresh() {
      const { entries } = await api('GET', '/scheduler_entries');
      if (!entries.length) {
        fill(box, h('p', { class: 'empty', dataTest: 'no-entries', text: 'No scheduler is running.' }));
        return;
      }
      const rows = [];
      for (const e of entries) {
        const detail = h('td', { colspan: '7' });
        const toggle = button(open.has(e.id) ? 'Hide history' : 'History', { class: 'btn xs', dataTest: 'entry-history', onclick: () => {
          open.has(e.id) ? open.delete(e.id) : open.add(e.id);
          this.refresh();
        } });
        rows.push(h('tr', { dataTest: 'entry-row', 'data-id': e.id },
          h('td', { class: 'mono', text: e.spec }),
          h('td', { class: 'type', text: e.task_type }),
          h('td', {}, h('code', { class: 'payload', text: cut(e.task_payload, 80) })),
          h('td', { class: 'muted', text: (e.options || []).join(', ') }),
          h('td', {}, time(e.next_enqueue_at)),
          h('td', {}, e.prev_enqueue_at ? time(e.prev_enqueue_at) : '—', ' ', rowProblems(e)),
          h('td', {}, toggle)));
        if (open.has(e.id)) {
          rows.push(h('tr', { class: 'detail' }, detail));
          history(e.id, detail);
        }
      }
      fill(box, h('table', { class: 'table', dataTest: 'entries' }, h('thead', {}, h('tr', {}, ['Spec', 'Type', 'Payload', 'Options', 'Next', 'Previous', ''].map((t) => h('th', { text: t })))), h('tbody', {}, rows)));
    },
    fail(e) {
      fill(box, errorBox(e));
    },
  };
}

const KEY_FIELDS = [
  ['redis_version', 'Version'], ['redis_mode', 'Mode'], ['uptime_in_days', 'Uptime (days)'], ['connected_clients', 'Clients'],
  ['used_memory_human', 'Memory used'], ['used_memory_peak_human', 'Peak memory'], ['maxmemory_human', 'Max memory'],
  ['mem_fragmentation_ratio', 'Fragmentation'], ['maxmemory_policy', 'Eviction policy'], ['total_commands_processed', 'Commands'],
];

export function redisPage() {
  const box = h('div', {});
  const el = h('section', { class: 'view', dataTest: 'view-redis' }, h('div', { class: 'view-head' }, h('h1', { text: 'Redis' })), box);
  const filter = h('input', { type: 'search', placeholder: 'Filter fields', dataTest: 'info-filter', 'aria-label': 'Filter fields' });
  let renderInfo = () => {};
  filter.addEventListener('input', () => renderInfo());
  return {
    el,
    async refresh() {
      const r = await api('GET', '/redis_info');
      const info = r.info || {};
      const cards = KEY_FIELDS.filter(([k]) => info[k] !== undefined).map(([k, label]) => h('div', { class: 'stat' }, h('div', { class: 'stat-value', text: info[k] }), h('div', { class: 'stat-label', text: label })));
      const cluster = r.cluster
        ? h('div', { class: 'card', dataTest: 'cluster' },
          h('div', { class: 'card-head' }, h('h2', { text: 'Cluster' })),
          h('div', { class: 'card-body' },
            h('table', { class: 'table compact', dataTest: 'cluster-masters' }, h('thead', {}, h('tr', {}, h('th', { text: 'Master' }), h('th', { text: 'Version' }), h('th', { text: 'Memory' }))),
              h('tbody', {}, Object.entries(r.masters || {}).map(([addr, m]) => h('tr', {}, h('td', { class: 'mono', text: addr }), h('td', { text: m.redis_version || '' }), h('td', { text: m.used_memory_human || '' }))))),
            h('table', { class: 'table compact', dataTest: 'queue-locations' }, h('thead', {}, h('tr', {}, h('th', { text: 'Queue' }), h('th', { text: 'Key slot' }), h('th', { text: 'Nodes' }))),
              h('tbody', {}, (r.queue_locations || []).map((l) => h('tr', {}, h('td', { text: l.queue }), h('td', { class: 'num', text: l.keyslot }), h('td', { class: 'mono', text: l.nodes.join(', ') })))))))
        : null;
      const tbody = h('tbody', {});
      renderInfo = () => {
        const f = filter.value.toLowerCase();
        fill(tbody, Object.entries(info).filter(([k, v]) => !f || k.toLowerCase().includes(f) || String(v).toLowerCase().includes(f)).map(([k, v]) => h('tr', {}, h('td', { class: 'mono', text: k }), h('td', { class: 'mono', text: v }))));
      };
      renderInfo();
      fill(box,
        h('p', { class: 'muted' }, 'Connected to ', h('span', { class: 'mono', dataTest: 'redis-address', text: r.address })),
        h('div', { class: 'stats', dataTest: 'redis-stats' }, cards),
        cluster,
        h('div', { class: 'card' }, h('div', { class: 'card-head' }, h('h2', { text: 'INFO' }), filter), h('table', { class: 'table compact', dataTest: 'redis-info' }, tbody)));
    },
    fail(e) {
      fill(box, errorBox(e));
    },
  };
}

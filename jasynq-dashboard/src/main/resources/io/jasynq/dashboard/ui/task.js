// A task's every field, payload and result, headers; and find-by-ID across queues.
import { api, ApiError, button, canMutate, confirmAction, enc, errorBox, fill, h, num, problem, time, toast } from './lib.js';
import { actOne } from './queue.js';
import { reload } from './app.js';

const SHOWN = 4000; // characters shown before "Show all"

/** A preview block: format badge, size, the text cut with an expand control. */
function preview(label, text, format, size, truncated, test) {
  const pre = h('pre', { class: 'code', dataTest: test });
  const full = text || '';
  const long = full.length > SHOWN;
  pre.textContent = long ? full.slice(0, SHOWN) : full;
  const more = long
    ? button('Show all ' + num(full.length) + ' characters', { class: 'btn xs', dataTest: test + '-expand', onclick: () => {
      pre.textContent = full;
      more.remove();
    } })
    : null;
  return h('div', { class: 'block' },
    h('div', { class: 'block-head' }, h('h3', { text: label }), h('span', { class: 'pill', dataTest: test + '-format', text: format || 'none' }), h('span', { class: 'muted', text: num(size) + ' bytes' }),
      truncated ? h('span', { class: 'muted', dataTest: test + '-truncated', text: '(cut by the server at 256 KiB)' }) : null),
    pre, more);
}

function field(label, value, test) {
  return [h('dt', { text: label }), h('dd', { dataTest: test ? 'field-' + test : null }, value === '' || value === null || value === undefined ? '—' : value)];
}

/** Renders one task (from the API's Task shape). */
export function taskDetail(t, onAction) {
  const copy = button('Copy ID', { class: 'btn xs', dataTest: 'copy-id', onclick: async () => {
    try {
      await navigator.clipboard.writeText(t.id);
      toast('Copied ' + t.id);
    } catch (e) {
      const r = document.createRange();
      r.selectNodeContents(idEl);
      getSelection().removeAllRanges();
      getSelection().addRange(r);
      toast('Press Ctrl+C to copy');
    }
  } });
  const idEl = h('code', { class: 'mono', dataTest: 'task-id', text: t.id });
  const states = { pending: ['archive', 'delete'], scheduled: ['run', 'archive', 'delete'], retry: ['run', 'archive', 'delete'], archived: ['run', 'delete'], completed: ['delete'], active: ['cancel'], aggregating: ['run', 'archive', 'delete'] };
  const actions = canMutate(t.queue) && !t.malformed
    ? (states[t.state] || []).map((a) => button(a[0].toUpperCase() + a.slice(1), { class: 'btn sm' + (a === 'delete' ? ' danger-ghost' : ''), dataTest: 'task-' + a, onclick: async () => {
      if (a === 'delete' && !(await confirmAction('Delete task ' + t.id + '?', 'Delete'))) return;
      try {
        await actOne(t.queue, t.state, t.group, a, t.id);
        toast(a + ': ' + t.id);
      } catch (e) {
        toast(e.message, 'error');
      }
      onAction(a);
    } }))
    : [];
  const headers = Object.entries(t.headers || {});
  return h('div', { class: 'task', dataTest: 'task-detail', 'data-id': t.id },
    h('div', { class: 'view-head' }, h('h1', {}, h('span', { class: 'type', dataTest: 'task-type', text: t.type || '(no type)' }), ' ', h('span', { class: 'pill s-' + t.state, dataTest: 'task-state', text: t.state })), h('div', { class: 'head-actions' }, actions)),
    t.problems && t.problems.length ? h('div', { class: 'warn-box', dataTest: 'task-problems' }, problem(t.problems), ' ', t.problems.join('; ')) : null,
    h('div', { class: 'card' }, h('dl', { class: 'fields' },
      field('ID', h('span', {}, idEl, ' ', copy), 'id'),
      field('Queue', h('a', { href: '#/queues/' + enc(t.queue) + '/' + t.state, text: t.queue }), 'queue'),
      field('Type', t.type, 'type'),
      field('State', t.state, 'state'),
      field('Group', t.group, 'group'),
      field('Retried', t.retried + ' of ' + t.max_retry, 'retried'),
      field('Timeout', t.timeout_seconds ? t.timeout_seconds + ' s' : '', 'timeout'),
      field('Deadline', t.deadline ? time(t.deadline) : '', 'deadline'),
      field('Started', t.start_time ? time(t.start_time) : '', 'start-time'),
      field('Next process at', t.next_process_at ? time(t.next_process_at) : '', 'next-process-at'),
      field('Last failed at', t.last_failed_at ? time(t.last_failed_at) : '', 'last-failed-at'),
      field('Last error', t.error_message ? h('span', { class: 'err', text: t.error_message }) : '', 'error'),
      field('Completed at', t.completed_at ? time(t.completed_at) : '', 'completed-at'),
      field('Retention', t.retention_seconds ? t.retention_seconds + ' s' + (t.state === 'completed' ? ' (' + t.ttl_seconds + ' s left)' : '') : '', 'retention'),
      field('Orphaned', t.is_orphaned ? 'yes' : 'no', 'orphaned'))),
    h('div', { class: 'card' }, h('div', { class: 'card-body' },
      preview('Payload', t.payload_preview, t.payload_format, t.payload_size, t.payload_truncated, 'payload'),
      t.result_format !== null && t.result_format !== undefined ? preview('Result', t.result_preview, t.result_format, t.result_size, t.result_truncated, 'result') : null,
      h('div', { class: 'block' }, h('div', { class: 'block-head' }, h('h3', { text: 'Headers' })),
        headers.length ? h('table', { class: 'table compact', dataTest: 'headers' }, h('tbody', {}, headers.map(([k, v]) => h('tr', {}, h('td', { class: 'mono', text: k }), h('td', { class: 'mono', text: v }))))) : h('p', { class: 'muted', dataTest: 'no-headers', text: 'No headers.' })))));
}

export function taskPage(q, id) {
  const box = h('div', {});
  const el = h('section', { class: 'view', dataTest: 'view-task' },
    h('div', { class: 'crumbs' }, h('a', { href: '#/', text: 'Queues' }), ' / ', h('a', { href: '#/queues/' + enc(q), text: q }), ' / ', h('span', { class: 'mono', text: id })), box);
  let gone = false;
  return {
    el,
    async refresh() {
      if (gone) return;
      try {
        const t = await api('GET', '/queues/' + enc(q) + '/tasks/' + enc(id));
        fill(box, taskDetail(t, () => reload()));
      } catch (e) {
        if (e instanceof ApiError && e.status === 404) {
          fill(box, h('div', { class: 'empty', dataTest: 'task-gone', text: 'Task ' + id + ' is not in queue ' + q + ' (any more).' }));
        } else throw e;
      }
    },
    fail(e) {
      fill(box, errorBox(e));
    },
  };
}

/** Find by ID: the task in every queue that has it. */
export function findPage(id) {
  const box = h('div', {});
  const el = h('section', { class: 'view', dataTest: 'view-find' }, h('div', { class: 'crumbs' }, h('a', { href: '#/', text: 'Queues' }), ' / ', 'Find ', h('span', { class: 'mono', text: id })), box);
  return {
    el,
    async refresh() {
      try {
        const { matches } = await api('GET', '/tasks/' + enc(id));
        if (matches.length === 1) {
          // One queue has it: its own page shows the full (256 KiB) previews.
          location.replace('#/queues/' + enc(matches[0].queue) + '/tasks/' + enc(id));
          return;
        }
        fill(box,
          matches.length > 1 ? h('p', { class: 'muted', dataTest: 'find-count', text: matches.length + ' queues have a task with this ID.' }) : null,
          matches.map((t) => taskDetail(t, () => reload())));
      } catch (e) {
        if (e instanceof ApiError && e.status === 404) {
          fill(box, h('div', { class: 'empty', dataTest: 'find-none', text: 'No queue has a task with ID ' + id + '.' }));
        } else throw e;
      }
    },
    fail(e) {
      fill(box, errorBox(e));
    },
  };
}

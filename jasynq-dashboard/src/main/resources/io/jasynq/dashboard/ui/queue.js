// A queue: counts, tabs per state, a paged task table with selection and actions, search and
// a breakdown by task type.
import { api, button, canMutate, confirmAction, cut, enc, errorBox, fill, h, hashParams, num, pct, problem, rowProblems, stat, STATES, time, toast } from './lib.js';
import { reload } from './app.js';

/** Which actions each state has: one, selected (batch) and all. */
const ACTIONS = {
  active: ['cancel'],
  pending: ['archive', 'delete'],
  aggregating: ['run', 'archive', 'delete'],
  scheduled: ['run', 'archive', 'delete'],
  retry: ['run', 'archive', 'delete'],
  archived: ['run', 'delete'],
  completed: ['delete'],
};
const LABEL = { cancel: 'Cancel', archive: 'Archive', delete: 'Delete', run: 'Run' };
const PAGE_SIZES = [10, 20, 50, 100, 500];

/** The base path of a state's tasks (group for aggregating). */
function base(q, state, group) {
  return state === 'aggregating'
    ? '/queues/' + enc(q) + '/groups/' + enc(group) + '/aggregating_tasks'
    : '/queues/' + enc(q) + '/' + state + '_tasks';
}

/** Runs action on one task; returns a promise. */
export function actOne(q, state, group, action, id) {
  const b = base(q, state, group);
  if (action === 'delete') return api('DELETE', b + '/' + enc(id));
  return api('POST', b + '/' + enc(id) + ':' + action);
}

function actSelected(q, state, group, action, ids) {
  const verb = { cancel: 'batch_cancel', delete: 'batch_delete', run: 'batch_run', archive: 'batch_archive' }[action];
  return api('POST', base(q, state, group) + ':' + verb, { task_ids: ids });
}

function actAll(q, state, group, action) {
  const b = base(q, state, group);
  if (action === 'delete') return api('DELETE', b + ':delete_all');
  return api('POST', b + ':' + action + '_all');
}

export function queuePage(q, state) {
  if (!STATES.includes(state)) state = 'active';
  const params = hashParams();
  let page = Math.max(1, Number(params.get('page')) || 1);
  let size = PAGE_SIZES.includes(Number(params.get('size'))) ? Number(params.get('size')) : Number(localStorage.getItem('jasynq.pageSize')) || 20;
  let group = params.get('group') || '';
  let total = 0;
  const selected = new Set();
  const mutable = canMutate(q);
  const actions = ACTIONS[state];

  const header = h('div', { class: 'view-head' });
  const counts = h('div', { class: 'stats' });
  const limit = limitBar(q, mutable, run);
  const tabs = h('nav', { class: 'tabs', dataTest: 'state-tabs' });
  const toolbar = h('div', { class: 'toolbar', dataTest: 'toolbar' });
  const tableBox = h('div', { class: 'table-box' });
  const pager = h('div', { class: 'pager', dataTest: 'pager' });
  const groupBox = h('div', { class: 'group-picker' });
  const el = h('section', { class: 'view', dataTest: 'view-queue', 'data-queue': q, 'data-state': state },
    h('div', { class: 'crumbs' }, h('a', { href: '#/', text: 'Queues' }), ' / ', h('span', { text: q })),
    header, counts, limit.el,
    h('div', { class: 'card' }, tabs, state === 'aggregating' ? groupBox : null, toolbar, tableBox, pager),
    h('div', { class: 'grid2' }, searchPanel(q, state), breakdownPanel(q, state)));

  function link(st, extra) {
    const p = new URLSearchParams(Object.assign({ size: String(size) }, extra || {}));
    return '#/queues/' + enc(q) + '/' + st + '?' + p;
  }

  function go(newPage) {
    const p = { page: String(newPage) };
    if (group) p.group = group;
    location.hash = link(state, p);
  }

  function renderHeader(s) {
    fill(header,
      h('h1', {}, q, ' ', h('span', { class: 'pill ' + (s.paused ? 'paused' : 'running'), dataTest: 'queue-status', text: s.paused ? 'paused' : 'running' }), ' ', rowProblems(s)),
      mutable ? h('div', { class: 'head-actions' },
        s.paused
          ? button('Resume queue', { dataTest: 'resume-queue', onclick: () => run(() => api('POST', '/queues/' + enc(q) + ':resume'), 'Resumed ' + q) })
          : button('Pause queue', { dataTest: 'pause-queue', onclick: () => run(() => api('POST', '/queues/' + enc(q) + ':pause'), 'Paused ' + q) })) : null);
    fill(counts,
      stat('Size', num(s.size)),
      stat('Latency', s.display_latency || '0s'),
      stat('Memory', s.memory_usage_bytes == null ? '—' : (s.memory_usage_bytes / 1048576).toFixed(2) + ' MB', { title: s.memory_usage_bytes == null ? 'memory usage unknown' : null }),
      stat('Processed today', num(s.processed)),
      stat('Failed today', num(s.failed)),
      stat('Error rate', pct(s.failed, s.processed)));
    limit.show(s);
    fill(tabs, STATES.map((st) => h('a', { class: 'tab' + (st === state ? ' on' : ''), href: link(st), dataTest: 'tab-' + st },
      st[0].toUpperCase() + st.slice(1), h('span', { class: 'count', dataTest: 'count-' + st, text: num(s[st]) }))));
  }

  function renderToolbar() {
    const n = selected.size;
    const parts = [];
    if (mutable) {
      parts.push(h('span', { class: 'muted', dataTest: 'selected-count', text: n ? n + ' selected' : 'Nothing selected' }));
      for (const a of actions) {
        parts.push(button(LABEL[a] + ' selected', { class: 'btn sm' + (a === 'delete' ? ' danger-ghost' : ''), dataTest: a + '-selected', disabled: n === 0, onclick: async () => {
          const ids = [...selected];
          if (a === 'delete' && !(await confirmAction(`Delete ${ids.length} selected task(s)?`, 'Delete'))) return;
          run(() => actSelected(q, state, group, a, ids).then((r) => { selected.clear(); return r; }), LABEL[a] + ': ' + ids.length + ' task(s)');
        } }));
      }
      parts.push(h('span', { class: 'spacer' }));
      for (const a of actions) {
        parts.push(button(LABEL[a] + ' all', { class: 'btn sm' + (a === 'delete' ? ' danger' : ''), dataTest: a + '-all', disabled: total === 0, onclick: async () => {
          if (!(await confirmAction(`${LABEL[a]} all ${num(total)} ${state} task(s) in "${q}"${state === 'aggregating' ? ' group "' + group + '"' : ''}?`, LABEL[a] + ' all'))) return;
          run(() => actAll(q, state, group, a), LABEL[a] + ' all');
        } }));
      }
    }
    fill(toolbar, parts);
  }

  function columns() {
    const c = [['ID', (t) => h('a', { href: '#/queues/' + enc(q) + '/tasks/' + enc(t.id), class: 'mono', dataTest: 'task-link', text: cut(t.id, 13), title: t.id })],
      ['Type', (t) => h('span', { class: 'type', text: t.type })],
      ['Payload', (t) => h('code', { class: 'payload', dataTest: 'payload', title: t.payload_format + ', ' + num(t.payload_size) + ' bytes', text: cut(t.payload_preview, 120) })]];
    const ext = {
      active: [['Started', (t) => time(t.start_time)], ['Deadline', (t) => time(t.deadline)]],
      pending: [['Retried', (t) => t.retried + ' / ' + t.max_retry]],
      aggregating: [['Group', (t) => t.group], ['Retried', (t) => t.retried + ' / ' + t.max_retry]],
      scheduled: [['Next process', (t) => time(t.next_process_at)]],
      retry: [['Next retry', (t) => time(t.next_process_at)], ['Retried', (t) => t.retried + ' / ' + t.max_retry], ['Last error', (t) => h('span', { class: 'err', dataTest: 'error-message', title: t.error_message, text: cut(t.error_message, 80) })]],
      archived: [['Failed', (t) => time(t.last_failed_at)], ['Retried', (t) => t.retried + ' / ' + t.max_retry], ['Last error', (t) => h('span', { class: 'err', dataTest: 'error-message', title: t.error_message, text: cut(t.error_message, 80) })]],
      completed: [['Completed', (t) => time(t.completed_at)], ['Result', (t) => h('code', { class: 'payload', text: cut(t.result_preview, 60) })], ['TTL', (t) => t.ttl_seconds + ' s']],
    };
    return c.concat(ext[state]);
  }

  function renderTable(tasks) {
    const ids = tasks.map((t) => t.id);
    for (const id of [...selected]) if (!ids.includes(id)) selected.delete(id);
    const cols = columns();
    const all = h('input', { type: 'checkbox', dataTest: 'select-all', 'aria-label': 'Select all on this page', checked: ids.length > 0 && ids.every((i) => selected.has(i)) });
    all.addEventListener('change', () => {
      for (const id of ids) all.checked ? selected.add(id) : selected.delete(id);
      for (const box of tableBox.querySelectorAll('[data-test="select-row"]')) box.checked = all.checked;
      renderToolbar();
    });
    const head = h('tr', {}, mutable ? h('th', { class: 'check' }, all) : null, cols.map(([t]) => h('th', { text: t })), mutable ? h('th', {}) : null);
    const rows = tasks.map((t) => {
      const box = h('input', { type: 'checkbox', dataTest: 'select-row', 'aria-label': 'Select ' + t.id, checked: selected.has(t.id) });
      box.addEventListener('change', () => {
        box.checked ? selected.add(t.id) : selected.delete(t.id);
        all.checked = ids.every((i) => selected.has(i));
        renderToolbar();
      });
      const cells = cols.map(([, f]) => {
        let v;
        try {
          v = f(t);
        } catch (e) {
          v = problem([String(e)]);
        }
        return h('td', {}, v);
      });
      if (t.malformed || (t.problems && t.problems.length)) cells[0].append(' ', problem(t.problems.length ? t.problems : ['malformed task']));
      return h('tr', { dataTest: 'task-row', 'data-id': t.id },
        mutable ? h('td', { class: 'check' }, box) : null,
        cells,
        mutable ? h('td', { class: 'actions' }, h('div', { class: 'row-actions' }, actions.map((a) => button(LABEL[a], { class: 'btn xs' + (a === 'delete' ? ' danger-ghost' : ''), dataTest: a + '-one', onclick: async () => {
          if (a === 'delete' && !(await confirmAction(`Delete task ${t.id}?`, 'Delete'))) return;
          run(() => actOne(q, state, group, a, t.id), LABEL[a] + ': ' + t.id);
        } })))) : null);
    });
    fill(tableBox, h('table', { class: 'table tasks', dataTest: 'tasks-table' }, h('thead', {}, head), h('tbody', {}, rows)),
      tasks.length ? null : h('p', { class: 'empty', dataTest: 'no-tasks', text: state === 'aggregating' && !group ? 'No groups are aggregating.' : 'No ' + state + ' tasks.' }));
  }

  function renderPager() {
    const pages = Math.max(1, Math.ceil(total / size));
    const input = h('input', { type: 'number', min: '1', max: String(pages), value: String(page), class: 'page-input', dataTest: 'page-input', 'aria-label': 'Page' });
    input.addEventListener('change', () => {
      const p = Math.min(pages, Math.max(1, Number(input.value) || 1));
      go(p);
    });
    const sizeSel = h('select', { dataTest: 'page-size', 'aria-label': 'Page size' }, PAGE_SIZES.map((n) => h('option', { value: String(n), selected: n === size, text: n + ' / page' })));
    sizeSel.addEventListener('change', () => {
      size = Number(sizeSel.value);
      localStorage.setItem('jasynq.pageSize', String(size));
      page = 1;
      go(1);
    });
    const from = total === 0 ? 0 : (page - 1) * size + 1;
    fill(pager,
      h('span', { class: 'muted', dataTest: 'page-range', text: `${num(from)}–${num(Math.min(total, page * size))} of ${num(total)}` }),
      h('span', { class: 'spacer' }),
      sizeSel,
      button('‹ Prev', { class: 'btn sm', dataTest: 'page-prev', disabled: page <= 1, onclick: () => go(page - 1) }),
      h('label', { class: 'page-label' }, 'Page ', input, ' of ', h('span', { dataTest: 'page-count', text: num(pages) })),
      button('Next ›', { class: 'btn sm', dataTest: 'page-next', disabled: page >= pages, onclick: () => go(page + 1) }));
  }

  async function run(f, done) {
    try {
      const r = await f();
      const failed = r && (r.error_ids || r.failed_ids);
      if (failed && failed.length) toast(done + ' — ' + failed.length + ' failed', 'error');
      else toast(done);
    } catch (e) {
      toast(e.message, 'error');
    }
    reload();
  }

  async function load() {
    let reply;
    if (state === 'aggregating') {
      const g = await api('GET', '/queues/' + enc(q) + '/groups');
      const groups = g.groups || [];
      if (!group && groups.length) group = groups[0].group;
      const sel = h('select', { dataTest: 'group-picker', 'aria-label': 'Group' }, groups.map((x) => h('option', { value: x.group, selected: x.group === group, text: x.group + ' (' + num(x.size) + ')' })));
      sel.addEventListener('change', () => {
        group = sel.value;
        selected.clear();
        go(1);
      });
      fill(groupBox, h('label', {}, 'Group ', groups.length ? sel : h('span', { class: 'muted', text: 'none' })));
      if (!group) {
        reply = { tasks: [], stats: g.stats };
        total = 0;
      } else {
        reply = await api('GET', base(q, state, group) + '?page=' + page + '&page_size=' + size);
        total = (groups.find((x) => x.group === group) || { size: 0 }).size;
      }
    } else {
      reply = await api('GET', base(q, state) + '?page=' + page + '&page_size=' + size);
      total = reply.stats[state] || 0;
    }
    renderHeader(reply.stats);
    renderTable(reply.tasks);
    renderToolbar();
    renderPager();
  }

  return {
    el,
    refresh: load,
    fail(e) {
      fill(tableBox, errorBox(e));
    },
  };
}

/** The problems that say a limit could not be read (see the API's withLimit). */
const LIMIT_PROBLEM = 'cannot read the concurrency limit';
const RATE_PROBLEM = 'cannot read the rate limit';

/** The rate control's periods: per_ms and label. */
const PERIODS = [[1000, 'per second'], [60000, 'per minute'], [3600000, 'per hour']];

/**
 * The queue's fleet-wide limits, concurrency and rate, each with (when the queue can be changed)
 * a control to set or clear it. Built once per page, so a live refresh updates the text and
 * leaves what is typed in the inputs alone. run(f, done) runs an API call, shows a notice and
 * reloads the view.
 */
function limitBar(q, mutable, run) {
  const post = (body) => api('POST', '/queues/' + enc(q) + ':limit', body);
  const concurrency = concurrencyControl(q, mutable, run, post);
  const rate = rateControl(q, mutable, run, post);
  return {
    el: h('div', { class: 'limit-bar', dataTest: 'limit-bar' }, concurrency.el, rate.el),
    /** Shows snapshot s's concurrency_limit and rate_limit (null: none). */
    show(s) {
      concurrency.show(s);
      rate.show(s);
    },
  };
}

/** One limit's row: its text (with a problem marker) and, when mutable, its form. */
function limitRow(text, marker, form) {
  return h('div', { class: 'limit-row' }, h('span', { class: 'limit-text' }, text, ' ', marker), form);
}

/** The problems of snapshot s that start with prefix. */
function problemsOf(s, prefix) {
  return (s.problems || []).filter((p) => String(p).startsWith(prefix));
}

/** The concurrency limit's row; post(body) sends the limit call. */
function concurrencyControl(q, mutable, run, post) {
  const text = h('span', { dataTest: 'concurrency-limit' }, 'Concurrency limit: …');
  const marker = h('span');
  const input = h('input', { type: 'number', min: '1', step: '1', class: 'limit-input', dataTest: 'limit-input', 'aria-label': 'Concurrency limit', placeholder: 'Limit' });
  const set = button('Set limit', { class: 'btn sm', type: 'submit', dataTest: 'limit-set' });
  const clear = button('Clear limit', { class: 'btn sm', dataTest: 'limit-clear', disabled: true });
  // novalidate: the server's message says what is wrong with the number, as for the other calls.
  const form = h('form', { class: 'limit-form', dataTest: 'limit-form', novalidate: true }, input, set, clear);
  form.addEventListener('submit', (e) => {
    e.preventDefault();
    const raw = input.value.trim();
    if (raw === '') {
      toast('Enter a concurrency limit of 1 or more, or clear the limit', 'error');
      return;
    }
    // The server checks the number (an integer 1..2147483647) and says what is wrong.
    const n = Number(raw);
    run(() => post({ concurrency: n }).then((r) => { input.value = ''; return r; }), 'Concurrency limit of ' + q + ': ' + num(n));
  });
  clear.addEventListener('click', () => run(() => post({ concurrency: null }), 'Cleared the concurrency limit of ' + q));
  return {
    el: limitRow(text, marker, mutable ? form : null),
    show(s) {
      const problems = problemsOf(s, LIMIT_PROBLEM);
      const n = s.concurrency_limit;
      text.textContent = problems.length ? 'Concurrency limit: unknown'
        : n == null ? 'Concurrency limit: none'
          : 'Concurrency limit: ' + num(n) + ' active at once (fleet-wide)';
      fill(marker, problems.length ? problem(problems) : null);
      clear.disabled = n == null;
    },
  };
}

/** A period in milliseconds as the largest whole unit: 1 s, 5 min, 1 h, 250 ms. */
function period(ms) {
  if (ms % 3600000 === 0) return num(ms / 3600000) + ' h';
  if (ms % 60000 === 0) return num(ms / 60000) + ' min';
  if (ms % 1000 === 0) return num(ms / 1000) + ' s';
  return num(ms) + ' ms';
}

/** A rate limit {tasks, per_ms, burst} as text: "50 per 1 s (burst 50)". */
function rateText(r) {
  return num(r.tasks) + ' per ' + period(r.per_ms) + ' (burst ' + num(r.burst) + ')';
}

/** The rate limit's row; post(body) sends the limit call. */
function rateControl(q, mutable, run, post) {
  const text = h('span', { dataTest: 'rate-limit' }, 'Rate limit: …');
  const marker = h('span');
  const tasks = h('input', { type: 'number', min: '1', step: '1', class: 'limit-input', dataTest: 'rate-tasks', 'aria-label': 'Rate limit: tasks', placeholder: 'Tasks' });
  const unit = h('select', { class: 'limit-select', dataTest: 'rate-unit', 'aria-label': 'Rate limit: period' },
    PERIODS.map(([ms, label]) => h('option', { value: String(ms), text: label })));
  const burst = h('input', { type: 'number', min: '1', step: '1', class: 'limit-input', dataTest: 'rate-burst', 'aria-label': 'Rate limit: burst (optional)', placeholder: 'Burst', title: 'The most starts saved up while the queue is quiet; empty: as many as the tasks' });
  const set = button('Set rate', { class: 'btn sm', type: 'submit', dataTest: 'rate-set' });
  const clear = button('Clear rate', { class: 'btn sm', dataTest: 'rate-clear', disabled: true });
  // novalidate: the server says what is wrong with the numbers, as for the concurrency limit.
  const form = h('form', { class: 'limit-form', dataTest: 'rate-form', novalidate: true }, tasks, unit, burst, set, clear);
  form.addEventListener('submit', (e) => {
    e.preventDefault();
    const rawTasks = tasks.value.trim();
    if (rawTasks === '') {
      toast('Enter a rate of 1 or more tasks, or clear the rate limit', 'error');
      return;
    }
    const rate = { tasks: Number(rawTasks), per_ms: Number(unit.value) };
    const rawBurst = burst.value.trim();
    if (rawBurst !== '') rate.burst = Number(rawBurst);
    const done = 'Rate limit of ' + q + ': ' + num(rate.tasks) + ' per ' + period(rate.per_ms)
      + (rate.burst === undefined ? '' : ' (burst ' + num(rate.burst) + ')');
    run(() => post({ rate }).then((r) => { tasks.value = ''; burst.value = ''; return r; }), done);
  });
  clear.addEventListener('click', () => run(() => post({ rate: null }), 'Cleared the rate limit of ' + q));
  return {
    el: limitRow(text, marker, mutable ? form : null),
    show(s) {
      const problems = problemsOf(s, RATE_PROBLEM);
      const r = s.rate_limit;
      text.textContent = problems.length ? 'Rate limit: unknown'
        : r == null ? 'Rate limit: none'
          : 'Rate limit: ' + rateText(r);
      fill(marker, problems.length ? problem(problems) : null);
      clear.disabled = r == null;
    },
  };
}

/** Polls a scan job, showing its progress; resolves with the final job. */
function pollJob(path, progress, cancelBtn, onUpdate) {
  let stopped = false;
  const bar = progress.querySelector('.progress-fill');
  const label = progress.querySelector('.progress-label');
  return new Promise((resolve, reject) => {
    cancelBtn.onclick = async () => {
      cancelBtn.disabled = true;
      try {
        await api('DELETE', path);
      } catch (e) {
        toast(e.message, 'error');
      }
    };
    const tick = async () => {
      if (stopped) return;
      try {
        const job = await api('GET', path);
        const frac = job.total > 0 ? Math.min(1, job.scanned / job.total) : job.status === 'running' ? 0 : 1;
        bar.style.width = (100 * frac).toFixed(1) + '%';
        label.textContent = `${job.status}: ${num(job.scanned)} / ${num(job.total)} scanned`;
        progress.dataset.status = job.status;
        onUpdate(job);
        if (job.status === 'running') setTimeout(tick, 300);
        else {
          stopped = true;
          cancelBtn.disabled = true;
          resolve(job);
        }
      } catch (e) {
        stopped = true;
        reject(e);
      }
    };
    tick();
  });
}

function progressBar(test) {
  return h('div', { class: 'progress hidden', dataTest: test, role: 'progressbar' }, h('div', { class: 'progress-track' }, h('div', { class: 'progress-fill' })), h('span', { class: 'progress-label', dataTest: test + '-label' }));
}

function searchPanel(q, initialState) {
  const input = h('input', { type: 'search', placeholder: 'Text in type or payload', dataTest: 'search-query', 'aria-label': 'Search text' });
  const stateSel = h('select', { dataTest: 'search-state', 'aria-label': 'State' }, STATES.filter((s) => s !== 'aggregating').map((s) => h('option', { value: s, selected: s === initialState, text: s })));
  const inSel = h('select', { dataTest: 'search-in', 'aria-label': 'Search in' }, [['any', 'ID, type or payload'], ['type', 'type'], ['payload', 'payload']].map(([v, t]) => h('option', { value: v, text: t })));
  const go = button('Search', { class: 'btn primary', type: 'submit', dataTest: 'search-start' });
  const cancel = button('Cancel', { class: 'btn', dataTest: 'search-cancel', disabled: true });
  const progress = progressBar('search-progress');
  const results = h('div', { dataTest: 'search-results' });
  const form = h('form', { class: 'inline-form' }, input, stateSel, inSel, go, cancel);
  form.addEventListener('submit', async (e) => {
    e.preventDefault();
    if (!input.value) return;
    go.disabled = true;
    cancel.disabled = false;
    progress.classList.remove('hidden');
    fill(results);
    try {
      const { id } = await api('POST', '/queues/' + enc(q) + '/searches', { state: stateSel.value, query: input.value, in: inSel.value, limit: 100 });
      const job = await pollJob('/searches/' + enc(id), progress, cancel, (j) => renderMatches(j));
      if (job.status === 'failed') toast('Search failed: ' + job.error, 'error');
    } catch (err) {
      toast(err.message, 'error');
    } finally {
      go.disabled = false;
      cancel.disabled = true;
    }
  });
  function renderMatches(job) {
    const rows = job.matches.map((t) => h('tr', { dataTest: 'search-row' },
      h('td', {}, h('a', { href: '#/queues/' + enc(q) + '/tasks/' + enc(t.id), class: 'mono', text: cut(t.id, 13), title: t.id })),
      h('td', { text: t.type }),
      h('td', {}, h('code', { class: 'payload', text: cut(t.payload_preview, 100) }))));
    fill(results,
      h('p', { class: 'muted', dataTest: 'search-summary', text: `${num(job.matches.length)} match(es)${job.capped ? ' (stopped at the limit)' : ''}` }),
      rows.length ? h('table', { class: 'table compact' }, h('tbody', {}, rows)) : null);
  }
  return h('div', { class: 'card', dataTest: 'search-panel' }, h('div', { class: 'card-head' }, h('h2', { text: 'Search tasks' })), h('div', { class: 'card-body' }, form, progress, results));
}

function breakdownPanel(q, initialState) {
  const stateSel = h('select', { dataTest: 'breakdown-state', 'aria-label': 'State' }, STATES.filter((s) => s !== 'aggregating').map((s) => h('option', { value: s, selected: s === initialState, text: s })));
  const go = button('Count by type', { class: 'btn primary', type: 'submit', dataTest: 'breakdown-start' });
  const cancel = button('Cancel', { class: 'btn', dataTest: 'breakdown-cancel', disabled: true });
  const progress = progressBar('breakdown-progress');
  const results = h('div', { dataTest: 'breakdown-results' });
  const form = h('form', { class: 'inline-form' }, stateSel, go, cancel);
  form.addEventListener('submit', async (e) => {
    e.preventDefault();
    go.disabled = true;
    cancel.disabled = false;
    progress.classList.remove('hidden');
    try {
      const { id } = await api('POST', '/queues/' + enc(q) + '/type_breakdowns', { state: stateSel.value });
      await pollJob('/type_breakdowns/' + enc(id), progress, cancel, (job) => {
        const entries = Object.entries(job.types || {});
        const max = Math.max(1, ...entries.map(([, n]) => n));
        fill(results, entries.length ? h('table', { class: 'table compact' }, h('tbody', {}, entries.map(([type, n]) => {
          const fillEl = h('div', { class: 'mini-fill' });
          fillEl.style.width = (100 * n / max).toFixed(1) + '%';
          return h('tr', { dataTest: 'breakdown-row' }, h('td', { class: 'type', text: type }), h('td', { class: 'mini' }, h('div', { class: 'mini-track' }, fillEl)), h('td', { class: 'num', text: num(n) }));
        }))) : h('p', { class: 'muted', text: 'No tasks.' }));
      });
    } catch (err) {
      toast(err.message, 'error');
    } finally {
      go.disabled = false;
      cancel.disabled = true;
    }
  });
  return h('div', { class: 'card', dataTest: 'breakdown-panel' }, h('div', { class: 'card-head' }, h('h2', { text: 'Tasks by type' })), h('div', { class: 'card-body' }, form, progress, results));
}

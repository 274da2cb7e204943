#!/usr/bin/env node
// Prints the comparison table of one run: node report.mjs jasynq.jsonl bullmq.jsonl
// Ratios are jasynq ÷ BullMQ. Throughput targets want a ratio at or above the target; latency
// targets want jasynq below BullMQ (ratio < 1) and, where a ceiling is given, at or under it; peak
// RSS wants jasynq at or below BullMQ; heap wants the last sample within 1.2× the first.
import { readFileSync } from 'node:fs';

const [jasynqFile, bullmqFile] = process.argv.slice(2);
if (!jasynqFile || !bullmqFile) {
  console.error('usage: node report.mjs jasynq.jsonl bullmq.jsonl');
  process.exit(2);
}

/** scenario -> every line for it, in file order (one per round). */
function load(file) {
  const byScenario = {};
  for (const line of readFileSync(file, 'utf8').split('\n')) {
    if (line.trim().startsWith('{')) {
      const r = JSON.parse(line);
      (byScenario[r.scenario] ??= []).push(r);
    }
  }
  return byScenario;
}

const jasynq = load(jasynqFile);
const bullmq = load(bullmqFile);

/** The median of a field over the rounds (the lower middle one for an even count). */
function median(lines, field) {
  const values = (lines ?? []).map((r) => r[field]).filter((v) => typeof v === 'number').sort((a, b) => a - b);
  return values.length === 0 ? null : values[Math.floor((values.length - 1) / 2)];
}

/** Every round's value, when there was more than one. */
function spread(lines, field) {
  const values = (lines ?? []).map((r) => r[field]).filter((v) => typeof v === 'number');
  return values.length > 1 ? values : null;
}

const rounds = Math.max(0, ...Object.values(bullmq).map((l) => l.length), ...Object.values(jasynq).map((l) => l.length));

// scenario, field, label, target: { min } ratio at least, { below: true } jasynq < bullmq (and
// { ceiling } jasynq at most that), { atMost: true } jasynq <= bullmq; then BullMQ's scenario when
// it has another name
const ROWS = [
  ['enqueue-inflight-100', 'ops_per_sec', 'tasks/s', { min: 1.5 }],
  ['enqueue-batch', 'ops_per_sec', 'tasks/s', { min: 3 }],
  ['process-c1', 'ops_per_sec', 'tasks/s', { min: 2 }],
  ['process-c10', 'ops_per_sec', 'tasks/s', { min: 2 }],
  ['process-c100', 'ops_per_sec', 'tasks/s', { min: 2 }],
  ['process-c100', 'rss_peak_mb', 'peak RSS MiB', { atMost: true }],
  ['latency-idle', 'p50_ms', 'p50 ms', { below: true, ceiling: 0.5 }],
  ['latency-idle', 'p90_ms', 'p90 ms', null],
  ['latency-idle', 'p99_ms', 'p99 ms', { below: true, ceiling: 1.5 }],
  // A Go producer's task (no wake-up published) against BullMQ's latency-idle: BullMQ has no such case.
  ['latency-idle-go', 'p50_ms', 'p50 ms', { below: true, ceiling: 0.5 }, 'latency-idle'],
  ['latency-idle-go', 'p99_ms', 'p99 ms', { below: true, ceiling: 1.5 }, 'latency-idle'],
];
const HEAP_FLAT = 1.2;

const fmt = (v) => {
  if (v === undefined || v === null) return '-';
  if (typeof v !== 'number') return String(v);
  if (Math.abs(v) >= 100) return Math.round(v).toLocaleString('en-US');
  return v.toFixed(v >= 10 ? 1 : 2);
};

function problem(lines) {
  if (!lines || lines.length === 0) return 'missing';
  for (const r of lines) {
    if (r.error) return `error: ${r.error}`;
    if (r.timed_out) return `timed out after ${r.n}`;
    if (r.failed) return `${r.failed} failed`;
  }
  return null;
}

const table = [['scenario', 'metric', 'jasynq', 'bullmq', 'ratio j/b', 'target', 'verdict']];
let misses = 0;
for (const [scenario, field, label, target, peer] of ROWS) {
  const j = jasynq[scenario];
  const b = bullmq[peer ?? scenario];
  if (!j && !b) continue;
  const jv = median(j, field);
  const bv = median(b, field);
  const ratio = typeof jv === 'number' && typeof bv === 'number' && bv !== 0 ? jv / bv : null;
  let targetText = '';
  let verdict = '';
  if (target) {
    if (target.min) {
      targetText = `>= ${target.min}x`;
    } else if (target.atMost) {
      targetText = '<= 1';
    } else {
      targetText = target.ceiling ? `< 1 and <= ${target.ceiling}` : '< 1 (below)';
    }
    const ok =
      ratio !== null &&
      (target.min
        ? ratio >= target.min
        : target.atMost
          ? ratio <= 1
          : ratio < 1 && (!target.ceiling || jv <= target.ceiling));
    verdict = ok ? 'MET' : 'MISSED';
    if (!ok) misses++;
  }
  const issues = [problem(j) && `jasynq ${problem(j)}`, problem(b) && `bullmq ${problem(b)}`].filter(Boolean);
  if (issues.length) verdict = `${verdict} (${issues.join('; ')})`.trim();
  table.push([scenario, label, fmt(jv), fmt(bv), ratio === null ? '-' : ratio.toFixed(2), targetText, verdict]);
}

const heapLines = jasynq['heap-1m'];
const heap = heapLines?.[0];
if (heap) {
  const s = heap.samples_mb ?? [];
  const ratio = heap.last_first_ratio;
  const ok = !problem(heapLines) && typeof ratio === 'number' && ratio <= HEAP_FLAT;
  if (!ok) misses++;
  table.push([
    'heap-1m',
    `heap MB first→last (${fmt(heap.n)} tasks)`,
    s.length ? `${fmt(s[0])}→${fmt(s[s.length - 1])}` : '-',
    'n/a',
    typeof ratio === 'number' ? `${ratio.toFixed(2)} (last/first)` : '-',
    `<= ${HEAP_FLAT} (flat)`,
    `${ok ? 'MET' : 'MISSED'}${problem(heapLines) ? ` (${problem(heapLines)})` : ''}`,
  ]);
  table.push(['heap-1m', 'tasks/s (c100, producer running)', fmt(heap.ops_per_sec), '-', '-', '', '']);
}

function print(rows, right) {
  const widths = rows[0].map((_, c) => Math.max(...rows.map((r) => String(r[c]).length)));
  rows.forEach((r, i) => {
    console.log(r.map((cell, c) => (right.has(c) ? String(cell).padStart(widths[c]) : String(cell).padEnd(widths[c]))).join('  ').trimEnd());
    if (i === 0) console.log(widths.map((w) => '-'.repeat(w)).join('  '));
  });
}

if (rounds > 1) console.log(`medians of ${rounds} rounds (each side's rounds listed below the tables)`);
print(table, new Set([2, 3, 4]));

// Where the time goes: per operation, the Redis commands (Lua-internal ones included), Redis CPU
// and the bench process's CPU (for jasynq: client and server together).
console.log('\nper task: redis calls | redis CPU µs | bench process CPU µs');
const cost = [['scenario', 'jasynq calls', 'bullmq calls', 'jasynq redis µs', 'bullmq redis µs', 'jasynq cpu µs', 'bullmq cpu µs']];
const per = (lines, f) => median((lines ?? []).filter((r) => r.n).map((r) => ({ v: (r[f] * 1e6) / r.n })), 'v');
for (const scenario of [...new Set([...Object.keys(jasynq), ...Object.keys(bullmq)])]) {
  const j = jasynq[scenario];
  const b = bullmq[scenario];
  cost.push([
    scenario,
    fmt(median(j, 'redis_calls_per_op')),
    fmt(median(b, 'redis_calls_per_op')),
    fmt(per(j, 'redis_cpu_s')),
    fmt(per(b, 'redis_cpu_s')),
    fmt(per(j, 'bench_cpu_s')),
    fmt(per(b, 'bench_cpu_s')),
  ]);
}
print(cost, new Set([1, 2, 3, 4, 5, 6]));
if (rounds > 1) {
  console.log('\nevery round (jasynq | bullmq):');
  for (const [scenario, field] of ROWS.map(([sc, f]) => [sc, f])) {
    const js = spread(jasynq[scenario], field);
    const bs = spread(bullmq[scenario], field);
    if (js || bs) console.log(`  ${scenario} ${field}: ${(js ?? []).map(fmt).join(', ')} | ${(bs ?? []).map(fmt).join(', ')}`);
  }
}
console.log(`\n${misses === 0 ? 'all targets met' : `${misses} target(s) missed`}`);

#!/usr/bin/env node
// The BullMQ side of the jasynq benchmark: the scenarios of io.jasynq.bench.Bench (except heap-1m),
// done the BullMQ way, printing the same JSON lines with "impl":"bullmq". See ../README.md.
//
//   node bench.mjs --redis redis://127.0.0.1:6390 [--scenarios a,b] [--n 20000] [--latency-n 200]
//                  [--warmup 50000] [--timeout 120] [--json-only]
//
// Redis is FLUSHALLed before every scenario: never point this at a Redis whose data you want.
import fs from 'node:fs';
import { Queue, Worker } from 'bullmq';
import IORedis from 'ioredis';

const SCENARIOS = [
  'enqueue-inflight-100',
  'enqueue-batch',
  'process-c1',
  'process-c10',
  'process-c100',
  'latency-idle',
];
const USAGE = `usage: node bench.mjs --redis URL [--scenarios ${SCENARIOS.join(',')}]
       [--n 20000] [--latency-n 200] [--warmup 50000] [--timeout 120] [--json-only]`;

// No-op jobs leave nothing behind, as jasynq's tasks without retention do.
const JOB_OPTIONS = { removeOnComplete: true, removeOnFail: true };
const BATCH = 1000;
const SETTLE_MS = 2000;
const LATENCY_CONCURRENCY = 10;

function parseArgs(argv) {
  const o = { redis: null, scenarios: SCENARIOS, n: 20000, latencyN: 200, warmup: 50000, timeout: 120, jsonOnly: false };
  const value = (i, name) => {
    if (i >= argv.length) throw new Error(`${name} needs a value`);
    return argv[i];
  };
  const int = (i, name) => {
    const v = Number(value(i, name).replaceAll('_', ''));
    if (!Number.isInteger(v) || v < 0) throw new Error(`${name} must be a non-negative integer, was '${argv[i]}'`);
    return v;
  };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    switch (a) {
      case '--redis': o.redis = value(++i, a); break;
      case '--scenarios': o.scenarios = value(++i, a).split(',').map((s) => s.trim()).filter(Boolean); break;
      case '--n': o.n = int(++i, a); break;
      case '--latency-n': o.latencyN = int(++i, a); break;
      case '--warmup': o.warmup = int(++i, a); break;
      case '--timeout': o.timeout = int(++i, a); break;
      case '--json-only': o.jsonOnly = true; break;
      case '--help': case '-h': console.log(USAGE); process.exit(0);
      default: throw new Error(`unknown argument '${a}'`);
    }
  }
  if (!o.redis) throw new Error('--redis URL is required');
  for (const s of o.scenarios) {
    if (!SCENARIOS.includes(s)) throw new Error(`unknown scenario '${s}'; known: ${SCENARIOS.join(',')}`);
  }
  if (o.n < 1 || o.latencyN < 1) throw new Error('--n and --latency-n must be >= 1');
  return o;
}

function connectionOptions(uri) {
  const u = new URL(uri);
  if (u.protocol !== 'redis:') throw new Error(`only redis:// URLs are supported, was ${uri}`);
  return {
    host: u.hostname || '127.0.0.1',
    port: u.port ? Number(u.port) : 6379,
    username: u.username ? decodeURIComponent(u.username) : undefined,
    password: u.password ? decodeURIComponent(u.password) : undefined,
    db: u.pathname && u.pathname.length > 1 ? Number(u.pathname.slice(1)) : 0,
    maxRetriesPerRequest: null, // BullMQ requires it for workers
  };
}

const nowNs = () => process.hrtime.bigint();
const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));
const deadlineAfter = (seconds) => Date.now() + seconds * 1000;

/** The pause before latency task i: 50–150 ms, the same sequence as LatencyScenario.pauseMillis. */
const pauseMillis = (i) => 50 + ((i * 37) % 101);

/** Nearest-rank percentile of sorted nanosecond values, in ms; null if empty. */
function percentileMs(sorted, p) {
  if (sorted.length === 0) return null;
  const rank = Math.ceil(p * sorted.length);
  return Number(sorted[Math.max(0, rank - 1)]) / 1e6;
}

function parseInfo(text) {
  let cpu = 0;
  const calls = {};
  for (const line of text.split(/\r?\n/)) {
    if (line.startsWith('used_cpu_user:') || line.startsWith('used_cpu_sys:')) {
      cpu += Number(line.slice(line.indexOf(':') + 1));
    } else if (line.startsWith('cmdstat_')) {
      const name = line.slice('cmdstat_'.length, line.indexOf(':'));
      calls[name] = Number(/calls=(\d+)/.exec(line)[1]);
    }
  }
  return { cpu, calls };
}

/** Three decimals, as the Java side prints. */
const round = (x) => (x === null || x === undefined || !Number.isFinite(x) ? null : Math.round(x * 1000) / 1000);

/** Wall time, this process's CPU, Redis's CPU and command calls over the timed part. */
class Measurement {
  static async begin(admin) {
    const m = new Measurement();
    m.admin = admin;
    m.redisBefore = await Measurement.snapshot(admin);
    resetPeakRss();
    m.cpuBefore = process.cpuUsage();
    m.start = nowNs();
    return m;
  }

  static async snapshot(admin) {
    return parseInfo((await admin.info('cpu')) + '\n' + (await admin.info('commandstats')));
  }

  async end(scenario, n, endNs = nowNs()) {
    const cpu = process.cpuUsage(this.cpuBefore);
    const after = await Measurement.snapshot(this.admin);
    const calls = {};
    let total = 0;
    for (const [name, count] of Object.entries(after.calls).sort()) {
      const delta = count - (this.redisBefore.calls[name] ?? 0);
      if (delta > 0 && name !== 'info') {
        calls[name] = delta;
        total += delta;
      }
    }
    const seconds = Number(endNs - this.start) / 1e9;
    return {
      scenario,
      impl: 'bullmq',
      n,
      seconds: round(seconds),
      ops_per_sec: round(seconds > 0 ? n / seconds : 0),
      bench_cpu_s: round((cpu.user + cpu.system) / 1e6),
      redis_cpu_s: round(after.cpu - this.redisBefore.cpu),
      redis_calls_per_op: round(n === 0 ? 0 : total / n),
      redis_calls: calls,
      rss_peak_mb: peakRssMb(),
    };
  }
}

/** As the Java side: VmHWM starts again from the current RSS ("5" to /proc/self/clear_refs). */
function resetPeakRss() {
  try {
    fs.writeFileSync('/proc/self/clear_refs', '5');
  } catch {
    // not Linux: the peak covers the whole process
  }
}

/** Peak resident set size in MiB since resetPeakRss (VmHWM), or -1 if unknown. */
function peakRssMb() {
  try {
    const line = fs.readFileSync('/proc/self/status', 'utf8').split('\n').find((l) => l.startsWith('VmHWM:'));
    return line ? Math.round((parseInt(line.replace(/[^0-9]/g, ''), 10) / 1024) * 10) / 10 : -1;
  } catch {
    return -1;
  }
}

/** Counts processor runs and notes when the last expected one happened. */
class Counter {
  constructor(expected) {
    this.expected = expected;
    this.count = 0;
    this.lastNs = null;
    this.done = new Promise((resolve) => (this.resolve = resolve));
  }

  hit() {
    this.count++;
    if (this.count === this.expected) {
      this.lastNs = nowNs();
      this.resolve(true);
    }
    return this.count;
  }

  /** Resolves true when all ran, false at the timeout. */
  wait(seconds) {
    let timer;
    const timeout = new Promise((resolve) => (timer = setTimeout(() => resolve(false), seconds * 1000)));
    return Promise.race([this.done, timeout]).finally(() => clearTimeout(timer));
  }
}

class Bench {
  constructor(options) {
    this.o = options;
    this.connection = connectionOptions(options.redis);
    this.admin = new IORedis({ ...this.connection, connectionName: 'bench-admin' });
  }

  log(...args) {
    if (!this.o.jsonOnly) console.error(...args);
  }

  queue(name) {
    return new Queue(name, { connection: { ...this.connection }, defaultJobOptions: JOB_OPTIONS });
  }

  worker(name, concurrency, processor, autorun) {
    return new Worker(name, processor, { connection: { ...this.connection }, concurrency, autorun });
  }

  /** queue.add with at most `inFlight` outstanding: `inFlight` lanes, each awaiting its add. */
  async enqueueInFlight(queue, n, inFlight, deadline) {
    let next = 0;
    let failed = 0;
    let firstError = null;
    const lane = async () => {
      while (next < n && Date.now() < deadline) {
        const i = next++;
        try {
          await queue.add('noop', { i });
        } catch (e) {
          failed++;
          firstError ??= e;
        }
      }
    };
    await Promise.all(Array.from({ length: inFlight }, lane));
    return { sent: next, failed, firstError, timedOut: next < n };
  }

  async enqueueBatches(queue, n, batchSize, deadline) {
    let sent = 0;
    let failed = 0;
    let firstError = null;
    while (sent < n && Date.now() < deadline) {
      const size = Math.min(batchSize, n - sent);
      const jobs = [];
      for (let i = 0; i < size; i++) jobs.push({ name: 'noop', data: { i: sent + i } });
      try {
        await queue.addBulk(jobs);
      } catch (e) {
        failed += size;
        firstError ??= e;
      }
      sent += size;
    }
    return { sent, failed, firstError, timedOut: sent < n };
  }

  static describe(line, outcome) {
    line.failed = outcome.failed;
    line.timed_out = outcome.timedOut;
    if (outcome.firstError) line.error = String(outcome.firstError);
    return line;
  }

  async ['enqueue-inflight-100']() {
    const queue = this.queue('bench-enqueue');
    try {
      await queue.waitUntilReady();
      const m = await Measurement.begin(this.admin);
      const outcome = await this.enqueueInFlight(queue, this.o.n, 100, deadlineAfter(this.o.timeout));
      const line = await m.end('enqueue-inflight-100', outcome.sent - outcome.failed);
      line.in_flight = 100;
      Bench.describe(line, outcome);
      line.pending_after = await queue.getWaitingCount();
      return line;
    } finally {
      await queue.close();
    }
  }

  async ['enqueue-batch']() {
    const queue = this.queue('bench-batch');
    try {
      await queue.waitUntilReady();
      const m = await Measurement.begin(this.admin);
      const outcome = await this.enqueueBatches(queue, this.o.n, BATCH, deadlineAfter(this.o.timeout));
      const line = await m.end('enqueue-batch', outcome.sent - outcome.failed);
      line.batch_size = BATCH;
      Bench.describe(line, outcome);
      line.pending_after = await queue.getWaitingCount();
      return line;
    } finally {
      await queue.close();
    }
  }

  /** Preloads n jobs with addBulk, then times a worker of `concurrency` from run() to the last job. */
  async process(concurrency) {
    const name = `process-c${concurrency}`;
    const queueName = `bench-c${concurrency}`;
    const n = this.o.n;
    const queue = this.queue(queueName);
    try {
      const preload = await this.enqueueBatches(queue, n, BATCH, deadlineAfter(this.o.timeout));
      if (preload.failed > 0 || preload.timedOut) throw new Error(`preloading ${n} jobs failed: ${preload.firstError}`);
      const counter = new Counter(n);
      const worker = this.worker(queueName, concurrency, async () => { counter.hit(); }, false);
      try {
        await worker.waitUntilReady();
        const m = await Measurement.begin(this.admin);
        worker.run().catch((e) => this.log(`${name}: worker failed: ${e}`));
        const finished = await counter.wait(this.o.timeout);
        const line = await m.end(name, counter.count, finished ? counter.lastNs : nowNs());
        line.concurrency = concurrency;
        line.timed_out = !finished;
        return line;
      } finally {
        await worker.close();
      }
    } finally {
      await queue.close();
    }
  }

  async ['process-c1']() { return this.processWithPending(1); }
  async ['process-c10']() { return this.processWithPending(10); }
  async ['process-c100']() { return this.processWithPending(100); }

  async processWithPending(concurrency) {
    const line = await this.process(concurrency);
    const queue = this.queue(`bench-c${concurrency}`);
    try {
      line.pending_after = await queue.getWaitingCount();
    } finally {
      await queue.close();
    }
    return line;
  }

  async ['latency-idle']() {
    const m = this.o.latencyN;
    const queue = this.queue('bench-latency');
    const latencies = new Array(m).fill(null);
    const counter = new Counter(m);
    const worker = this.worker(
      'bench-latency',
      LATENCY_CONCURRENCY,
      async (job) => {
        latencies[job.data.i] = nowNs() - BigInt(job.data.t0);
        counter.hit();
      },
      true,
    );
    try {
      await Promise.all([queue.waitUntilReady(), worker.waitUntilReady()]);
      await sleep(SETTLE_MS);
      const deadline = deadlineAfter(this.o.timeout);
      const measurement = await Measurement.begin(this.admin);
      const enqueueTimes = [];
      let sent = 0;
      for (; sent < m && Date.now() < deadline; sent++) {
        await sleep(pauseMillis(sent));
        const t0 = nowNs();
        await queue.add('latency', { i: sent, t0: t0.toString() });
        enqueueTimes.push(nowNs() - t0);
      }
      const all = sent === m && (await counter.wait(Math.max(0, (deadline - Date.now()) / 1000)));
      const line = await measurement.end('latency-idle', counter.count);
      const seen = latencies.filter((l) => l !== null).sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
      enqueueTimes.sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
      const mean = seen.length === 0 ? null : seen.reduce((a, b) => a + Number(b), 0) / seen.length / 1e6;
      Object.assign(line, {
        p50_ms: round(percentileMs(seen, 0.5)),
        p90_ms: round(percentileMs(seen, 0.9)),
        p99_ms: round(percentileMs(seen, 0.99)),
        max_ms: round(seen.length === 0 ? null : Number(seen[seen.length - 1]) / 1e6),
        mean_ms: round(mean),
        enqueue_p50_ms: round(percentileMs(enqueueTimes, 0.5)),
        concurrency: LATENCY_CONCURRENCY,
        timed_out: !all,
      });
      return line;
    } finally {
      await worker.close();
      await queue.close();
    }
  }

  /** Every code path once before the first measurement, as the Java side does. */
  async warmUp() {
    const w = this.o.warmup;
    if (w === 0) return;
    const start = Date.now();
    const queue = this.queue('bench-warmup');
    const counter = new Counter(2 * w);
    try {
      await this.enqueueInFlight(queue, w, 100, deadlineAfter(this.o.timeout));
      await this.enqueueBatches(queue, w, BATCH, deadlineAfter(this.o.timeout));
      const worker = this.worker('bench-warmup', 10, async () => { counter.hit(); }, true);
      try {
        await counter.wait(this.o.timeout);
      } finally {
        await worker.close();
      }
    } finally {
      await queue.close();
    }
    await this.admin.flushall();
    this.log(`warm-up: ${counter.count} jobs added and processed in ${((Date.now() - start) / 1000).toFixed(1)} s`);
  }

  async run() {
    let failed = 0;
    await this.admin.flushall();
    await this.warmUp();
    for (const scenario of this.o.scenarios) {
      await this.admin.flushall();
      this.log(`${scenario} ...`);
      let line;
      try {
        line = await this[scenario]();
        this.log(`${scenario}: ${line.p50_ms != null ? `p50 ${line.p50_ms} ms, p99 ${line.p99_ms} ms` : `${Math.round(line.ops_per_sec)} ops/s (${line.n} in ${line.seconds} s)`}`);
      } catch (e) {
        this.log(e);
        line = { scenario, impl: 'bullmq', error: String(e) };
      }
      console.log(JSON.stringify(line));
      if (line.error || line.timed_out) failed++;
    }
    await this.admin.flushall();
    await this.admin.quit();
    return failed;
  }
}

let options;
try {
  options = parseArgs(process.argv.slice(2));
} catch (e) {
  console.error(`bench.mjs: ${e.message}\n${USAGE}`);
  process.exit(2);
}
const versions = { bullmq: (await import('bullmq/package.json', { with: { type: 'json' } }).catch(() => null))?.default?.version };
if (!options.jsonOnly) console.error(`bullmq ${versions.bullmq ?? '?'} on node ${process.version}, redis ${options.redis}`);
const failed = await new Bench(options).run();
process.exit(failed === 0 ? 0 : 1);

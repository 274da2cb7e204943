#!/usr/bin/env bash
# What metrics and tracing cost: processing throughput at concurrency 100 without them
# (process-c100), with the Micrometer binder (process-c100-metrics: a Prometheus registry, the
# server listener, the client interceptor and the queue gauges), with OpenTelemetry tracing
# (process-c100-tracing: the SDK, every span sampled, batched and exported to a counting sink) and
# with both (process-c100-observed). Each run is a fresh JVM with the same warm-up, against the
# same throwaway redis-server; the order rotates every round. Prints each mode's median and its
# ratio to the plain run's median. See bench/README.md.
#
#   ./mvnw -B -q -DskipTests package -pl jasynq-bench -am
#   ROUNDS=5 N=100000 bash bench/observability.sh
#
# Environment (all optional): ROUNDS=5, N=100000, WARMUP=50000, JAVA_OPTS, RESULTS_DIR, JAR.
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
root="$(cd "$here/.." && pwd)"
jar="${JAR:-$root/jasynq-bench/target/jasynq-bench.jar}"
ROUNDS="${ROUNDS:-5}"
N="${N:-100000}"
WARMUP="${WARMUP:-50000}"
JAVA_OPTS="${JAVA_OPTS:-}"
RESULTS_DIR="${RESULTS_DIR:-$(mktemp -d -t jasynq-observability-XXXXXX)}"
mkdir -p "$RESULTS_DIR"
out="$RESULTS_DIR/observability.jsonl"
: > "$out"

die() { echo "observability.sh: $*" >&2; exit 1; }
command -v redis-server >/dev/null || die "redis-server is not on PATH"
command -v redis-cli >/dev/null || die "redis-cli is not on PATH"
command -v node >/dev/null || die "node is not on PATH (it prints the table)"
[[ -f "$jar" ]] || die "$jar not found; build it first: ./mvnw -B -q -DskipTests package -pl jasynq-bench -am"

port="$(node -e 'const s=require("net").createServer().listen(0,"127.0.0.1",()=>{console.log(s.address().port);s.close()})')"
[[ "$port" != 6379 ]] || die "got port 6379 by chance; run again"
redis-server --port "$port" --bind 127.0.0.1 --save '' --appendonly no --daemonize no \
  >"$RESULTS_DIR/redis.log" 2>&1 &
redis_pid=$!
trap 'kill "$redis_pid" 2>/dev/null || true' EXIT
for _ in $(seq 50); do redis-cli -p "$port" ping >/dev/null 2>&1 && break; sleep 0.1; done

modes=(process-c100 process-c100-metrics process-c100-tracing process-c100-observed)
for ((r = 0; r < ROUNDS; r++)); do
  for ((i = 0; i < ${#modes[@]}; i++)); do
    s="${modes[$(((i + r) % ${#modes[@]}))]}"
    echo "round $((r + 1))/$ROUNDS: $s" >&2
    # shellcheck disable=SC2086
    java $JAVA_OPTS -jar "$jar" --redis "redis://127.0.0.1:$port" --scenarios "$s" \
      --n "$N" --warmup "$WARMUP" --json-only | sed "s/^{/{\"round\":$((r + 1)),/" >> "$out"
  done
done

node - "$out" <<'JS'
const fs = require("fs");
const lines = fs.readFileSync(process.argv[2], "utf8").trim().split("\n").map(JSON.parse);
const by = {};
for (const l of lines) (by[l.scenario] ??= []).push(l);
const median = (xs) => { const s = [...xs].sort((a, b) => a - b); const m = s.length >> 1;
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2; };
const base = median(by["process-c100"].map((l) => l.ops_per_sec));
console.log("| scenario | median tasks/s | vs plain | CPU s per 100k tasks (median) | rounds (tasks/s) |");
console.log("|---|---:|---:|---:|---|");
for (const [name, ls] of Object.entries(by)) {
  const ops = median(ls.map((l) => l.ops_per_sec));
  const cpu = median(ls.map((l) => (l.bench_cpu_s * 100000) / l.n));
  console.log(`| ${name} | ${Math.round(ops)} | ${(ops / base).toFixed(3)} | ${cpu.toFixed(2)} | ${ls.map((l) => Math.round(l.ops_per_sec)).join(", ")} |`);
}
JS
echo "JSON lines: $out" >&2

#!/usr/bin/env bash
# Runs the jasynq benchmark and the BullMQ comparison against ONE throwaway redis-server, in one
# run, and prints both numbers and the ratio per scenario. See bench/README.md.
#
#   ./mvnw -B -q -DskipTests package -pl jasynq-bench -am    # builds jasynq-bench/target/jasynq-bench.jar
#   bash bench/run.sh
#
# Environment (all optional):
#   N=100000          tasks per throughput scenario (both sides)
#   HEAP_N=1000000    tasks through jasynq's heap-1m (BullMQ has no heap scenario)
#   LATENCY_N=200     tasks in latency-idle
#   WARMUP=50000      untimed warm-up tasks per enqueue path, per side
#   SCENARIOS=...     comma-separated subset (default: all)
#   ROUNDS=1          repeat both sides, alternating which goes first; the table shows medians
#   JAVA_OPTS=...     extra JVM flags for the jasynq side
#   RESULTS_DIR=dir   where the JSON lines go (default: a new temp dir)
#   REDIS_PORT=p      port for the throwaway redis-server (default: a free one; never 6379)
#   JAR=path         the jasynq-bench jar (default: jasynq-bench/target/jasynq-bench.jar)
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
root="$(cd "$here/.." && pwd)"
jar="${JAR:-$root/jasynq-bench/target/jasynq-bench.jar}"

N="${N:-100000}"
HEAP_N="${HEAP_N:-1000000}"
LATENCY_N="${LATENCY_N:-200}"
WARMUP="${WARMUP:-50000}"
ROUNDS="${ROUNDS:-1}"
ALL="enqueue-inflight-100,enqueue-batch,process-c1,process-c10,process-c100,latency-idle,latency-idle-go,heap-1m"
SCENARIOS="${SCENARIOS:-$ALL}"
JAVA_OPTS="${JAVA_OPTS:-}"
RESULTS_DIR="${RESULTS_DIR:-$(mktemp -d -t jasynq-bench-XXXXXX)}"
mkdir -p "$RESULTS_DIR"

die() { echo "run.sh: $*" >&2; exit 1; }
command -v redis-server >/dev/null || die "redis-server is not on PATH"
command -v node >/dev/null || die "node is not on PATH"
[[ -f "$jar" ]] || die "$jar not found; build it first: ./mvnw -B -q -DskipTests package -pl jasynq-bench -am"
if [[ ! -d "$here/bullmq/node_modules/bullmq" ]]; then
  # npm install, not npm ci: a registry mirror without the other platforms' optional
  # msgpackr-extract binaries leaves them out of the lockfile, and npm ci then refuses it.
  (cd "$here/bullmq" && npm install --no-save --no-audit --no-fund >&2) || die "npm install in bench/bullmq failed"
fi

port="${REDIS_PORT:-$(node -e 'const s=require("net").createServer().listen(0,"127.0.0.1",()=>{console.log(s.address().port);s.close()})')}"
[[ "$port" != 6379 ]] || die "refusing port 6379 (not ours)"
redis_dir="$(mktemp -d -t jasynq-bench-redis-XXXXXX)"
stop_redis() {
  redis-cli -p "$port" shutdown nosave >/dev/null 2>&1 || true
  rm -rf "$redis_dir"
}
trap stop_redis EXIT
redis-server --port "$port" --bind 127.0.0.1 --save '' --appendonly no --daemonize yes \
  --dir "$redis_dir" --logfile "$redis_dir/redis.log" --pidfile "$redis_dir/redis.pid"
for _ in $(seq 50); do
  redis-cli -p "$port" ping >/dev/null 2>&1 && break
  sleep 0.1
done
redis-cli -p "$port" ping >/dev/null || die "redis-server did not start on port $port (see $redis_dir/redis.log)"
uri="redis://127.0.0.1:$port"

# BullMQ runs every scenario but heap-1m (jasynq only) and latency-idle-go (a Go producer's task;
# the report compares it with BullMQ's latency-idle).
compared="$(tr ',' '\n' <<<"$SCENARIOS" | grep -v -e '^heap-1m$' -e '^latency-idle-go$' | paste -sd, - || true)"
repeated="$(tr ',' '\n' <<<"$SCENARIOS" | grep -v '^heap-1m$' | paste -sd, - || true)"
{
  echo "machine: $(nproc) CPUs, $(uname -sr)"
  echo "redis:   $(redis-server --version | sed 's/Redis server //') on port $port"
  echo "java:    $(java -version 2>&1 | head -1) ${JAVA_OPTS}"
  echo "node:    $(node --version), bullmq $(node -p 'require("'"$here"'/bullmq/node_modules/bullmq/package.json").version')"
  echo "jasynq:  $(git -C "$root" describe --always --dirty 2>/dev/null || echo '?'), jar built $(date -r "$jar" '+%F %T')"
  echo "params:  N=$N HEAP_N=$HEAP_N LATENCY_N=$LATENCY_N WARMUP=$WARMUP ROUNDS=$ROUNDS"
  echo "load:    $(cut -d' ' -f1-3 /proc/loadavg 2>/dev/null || uptime) (1/5/15 min)"
} | tee "$RESULTS_DIR/env.txt" >&2
if awk '{exit !($1 > 1.5)}' /proc/loadavg 2>/dev/null; then
  echo "run.sh: warning: the machine is busy (load $(cut -d' ' -f1 /proc/loadavg)); other processes skew both sides" >&2
fi

run_jasynq() { # $1: scenarios
  [[ -n "$1" ]] || return 0
  echo "== jasynq ($1) ==" >&2
  redis-cli -p "$port" flushall >/dev/null
  # shellcheck disable=SC2086  # JAVA_OPTS is a list of flags
  timeout 900 java $JAVA_OPTS -jar "$jar" --redis "$uri" --scenarios "$1" --n "$N" \
    --heap-n "$HEAP_N" --latency-n "$LATENCY_N" --warmup "$WARMUP" >>"$RESULTS_DIR/jasynq.jsonl" || status=$?
}
run_bullmq() { # $1: scenarios
  [[ -n "$1" ]] || return 0
  echo "== bullmq ($1) ==" >&2
  redis-cli -p "$port" flushall >/dev/null
  timeout 600 node "$here/bullmq/bench.mjs" --redis "$uri" --scenarios "$1" --n "$N" \
    --latency-n "$LATENCY_N" --warmup "$WARMUP" >>"$RESULTS_DIR/bullmq.jsonl" || status=$?
}

status=0
: >"$RESULTS_DIR/jasynq.jsonl"
: >"$RESULTS_DIR/bullmq.jsonl"
for ((round = 1; round <= ROUNDS; round++)); do
  # heap-1m is not a comparison: once is enough. Odd rounds start with jasynq, even with BullMQ,
  # so neither side always runs first.
  jasynq_scenarios="$SCENARIOS"
  ((round == 1)) || jasynq_scenarios="$repeated"
  if ((round % 2 == 1)); then
    run_jasynq "$jasynq_scenarios"
    run_bullmq "$compared"
  else
    run_bullmq "$compared"
    run_jasynq "$jasynq_scenarios"
  fi
done

node "$here/report.mjs" "$RESULTS_DIR/jasynq.jsonl" "$RESULTS_DIR/bullmq.jsonl" | tee "$RESULTS_DIR/report.txt"
echo "load at end: $(cut -d' ' -f1-3 /proc/loadavg 2>/dev/null)" | tee -a "$RESULTS_DIR/env.txt" >&2
echo "results: $RESULTS_DIR" >&2
exit "$status"

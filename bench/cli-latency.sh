#!/usr/bin/env bash
# Wall and CPU time of one short CLI command, median of RUNS runs (default 10).
#   bash bench/cli-latency.sh                      # `stats` against a throwaway empty redis-server
#   RUNS=20 bash bench/cli-latency.sh task ls -q default -s pending
#   JAR=... JAVA="java -XX:TieredStopAtLevel=1" bash bench/cli-latency.sh version
#   LAUNCHER=1 bash bench/cli-latency.sh           # through ./jasynq (its JVM flags, CDS archive)
# Starts `redis-server --save ''` on a free loopback port (never 6379), passes `-u redis://...`
# to every command except `version`, prints each run and the medians (seconds): wall, user+sys CPU.
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
jar="${JAR:-$here/jasynq-cli/target/jasynq-cli.jar}"
java_cmd="${JAVA:-java}"
runs="${RUNS:-10}"
[ -f "$jar" ] || { echo "no $jar; build it: ./mvnw -B -q -pl jasynq-cli -am package -DskipTests" >&2; exit 2; }
[ $# -gt 0 ] || set -- stats

port="$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')"
redis-server --port "$port" --bind 127.0.0.1 --save '' --appendonly no --daemonize yes \
  --pidfile "/tmp/jasynq-cli-latency-$port.pid" >/dev/null
trap 'redis-cli -p "$port" shutdown nosave >/dev/null 2>&1 || true' EXIT
for _ in $(seq 50); do redis-cli -p "$port" ping >/dev/null 2>&1 && break; sleep 0.1; done

uri=()
[ "$1" = version ] || uri=(-u "redis://127.0.0.1:$port")
times="$(mktemp)"
for i in $(seq "$runs"); do
  if [ -n "${LAUNCHER:-}" ]; then
    /usr/bin/time -f '%e %U %S' -o "$times.one" "$here/jasynq" "$@" "${uri[@]}" >/dev/null
  else
    # shellcheck disable=SC2086
    /usr/bin/time -f '%e %U %S' -o "$times.one" $java_cmd -jar "$jar" "$@" "${uri[@]}" >/dev/null
  fi
  read -r wall user sys <"$times.one"
  cpu="$(echo "$user + $sys" | bc)"
  echo "run $i: wall ${wall}s cpu ${cpu}s"
  echo "$wall $cpu" >>"$times"
done
median() { sort -n | awk '{a[NR]=$1} END {if (NR%2) print a[(NR+1)/2]; else printf "%.3f\n", (a[NR/2]+a[NR/2+1])/2}'; }
if [ -n "${LAUNCHER:-}" ]; then
  echo "command: $here/jasynq $* ${uri[*]}"
else
  echo "command: $java_cmd -jar $jar $* ${uri[*]}"
fi
echo "median of $runs: wall $(cut -d' ' -f1 "$times" | median)s cpu $(cut -d' ' -f2 "$times" | median)s"
rm -f "$times" "$times.one"

package io.jasynq.bench;

import io.jasynq.testkit.TestRedis;
import java.util.Map;
import java.util.TreeMap;

/**
 * The bench's own view of Redis, beside the connections under test: flushes between scenarios,
 * reads {@code INFO} for the Redis side of a measurement, and checks counts. Its connection is
 * named {@value TestRedis#CLIENT_NAME}. Thread-safe.
 */
final class RedisProbe implements AutoCloseable {
  private final TestRedis redis;

  private RedisProbe(TestRedis redis) {
    this.redis = redis;
  }

  static RedisProbe connect(String uri) {
    return new RedisProbe(TestRedis.connect(uri));
  }

  void flushAll() {
    redis.flushAll();
  }

  /** Length of a queue's pending list (Asynq's key schema). */
  long pending(String queue) {
    return redis.commands().llen("asynq:{" + queue + "}:pending");
  }

  /** The queue's all-time processed counter (Asynq's key schema); 0 if unset. */
  long processed(String queue) {
    String value = redis.get("asynq:{" + queue + "}:processed");
    return value == null ? 0 : Long.parseLong(value);
  }

  /** {@code used_memory} from {@code INFO memory}: the bytes Redis's allocator holds for data. */
  long usedMemory() {
    for (String line : redis.commands().info("memory").split("\r?\n")) {
      if (line.startsWith("used_memory:")) {
        return Long.parseLong(line.substring("used_memory:".length()).trim());
      }
    }
    throw new IllegalStateException("INFO memory has no used_memory");
  }

  /** The server's CPU time so far and its per-command call counts. */
  Snapshot snapshot() {
    return Snapshot.parse(
        redis.commands().info("cpu") + "\n" + redis.commands().info("commandstats"));
  }

  @Override
  public void close() {
    redis.close();
  }

  /**
   * Redis at one moment.
   *
   * @param cpuSeconds used_cpu_user + used_cpu_sys of the server process
   * @param calls calls per command, including those run from Lua scripts
   */
  record Snapshot(double cpuSeconds, Map<String, Long> calls) {
    static Snapshot parse(String info) {
      double cpu = 0;
      Map<String, Long> calls = new TreeMap<>();
      for (String line : info.split("\r?\n")) {
        if (line.startsWith("used_cpu_user:") || line.startsWith("used_cpu_sys:")) {
          cpu += Double.parseDouble(line.substring(line.indexOf(':') + 1).trim());
        } else if (line.startsWith("cmdstat_")) {
          String name = line.substring("cmdstat_".length(), line.indexOf(':'));
          int start = line.indexOf("calls=") + "calls=".length();
          int end = line.indexOf(',', start);
          calls.put(name, Long.parseLong(line.substring(start, end < 0 ? line.length() : end)));
        }
      }
      return new Snapshot(cpu, calls);
    }

    /** What happened between {@code earlier} and this snapshot; our own INFO calls left out. */
    Snapshot since(Snapshot earlier) {
      Map<String, Long> diff = new TreeMap<>();
      calls.forEach(
          (name, count) -> {
            long delta = count - earlier.calls.getOrDefault(name, 0L);
            if (delta > 0 && !name.equals("info")) {
              diff.put(name, delta);
            }
          });
      return new Snapshot(cpuSeconds - earlier.cpuSeconds, diff);
    }

    long totalCalls() {
      return calls.values().stream().mapToLong(Long::longValue).sum();
    }
  }
}

package io.jasynq.bench;

import com.sun.management.OperatingSystemMXBean;
import java.lang.management.ManagementFactory;

/**
 * The timed part of a scenario: wall time, this JVM's CPU time, and Redis's CPU time and command
 * calls over the same span. Used by one thread.
 */
final class Measurement {
  private static final OperatingSystemMXBean OS =
      (OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();

  private final RedisProbe redis;
  private final RedisProbe.Snapshot redisBefore;
  private final long cpuBefore;
  private final long startNanos;

  private Measurement(RedisProbe redis) {
    this.redis = redis;
    this.redisBefore = redis.snapshot();
    this.cpuBefore = OS.getProcessCpuTime();
    this.startNanos = System.nanoTime();
  }

  static Measurement begin(RedisProbe redis) {
    return new Measurement(redis);
  }

  long startNanos() {
    return startNanos;
  }

  /** Ends now. */
  JsonLine end(String scenario, long n) {
    return end(scenario, n, System.nanoTime());
  }

  /**
   * Ends at {@code endNanos} (e.g. when the last task finished), and reports {@code n} operations
   * with the CPU and Redis figures: {@code bench_cpu_s} (this JVM, client and server together),
   * {@code redis_cpu_s}, {@code redis_calls_per_op} (Lua-internal commands included) and {@code
   * redis_calls} per command.
   */
  JsonLine end(String scenario, long n, long endNanos) {
    long cpu = OS.getProcessCpuTime() - cpuBefore;
    RedisProbe.Snapshot used = redis.snapshot().since(redisBefore);
    double seconds = (endNanos - startNanos) / 1e9;
    return JsonLine.of(scenario, n, seconds)
        .put("bench_cpu_s", cpu / 1e9)
        .put("redis_cpu_s", used.cpuSeconds())
        .put("redis_calls_per_op", n == 0 ? 0.0 : (double) used.totalCalls() / n)
        .put("redis_calls", used.calls());
  }
}

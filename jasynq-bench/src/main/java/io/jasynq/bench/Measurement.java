package io.jasynq.bench;

import com.sun.management.OperatingSystemMXBean;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;

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
    resetPeakRss();
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
        .put("redis_calls", used.calls())
        .put("rss_peak_mb", peakRssMb());
  }

  /**
   * Starts the process's peak resident set size (VmHWM) again from the current size (Linux: "5" to
   * /proc/self/clear_refs), so that the peak read at the end is this scenario's. Elsewhere, does
   * nothing and the peak is the process's.
   */
  static void resetPeakRss() {
    try {
      Files.writeString(Path.of("/proc/self/clear_refs"), "5");
    } catch (IOException | UnsupportedOperationException | SecurityException e) {
      // not Linux, or not allowed: the peak then covers the whole process
    }
  }

  /** The peak resident set size in MiB since {@link #resetPeakRss} (VmHWM), or -1 if unknown. */
  static double peakRssMb() {
    try {
      for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
        if (line.startsWith("VmHWM:")) {
          long kb = Long.parseLong(line.replaceAll("[^0-9]", ""));
          return Math.round(kb / 1024.0 * 10) / 10.0;
        }
      }
    } catch (IOException | RuntimeException e) {
      // not Linux
    }
    return -1;
  }
}

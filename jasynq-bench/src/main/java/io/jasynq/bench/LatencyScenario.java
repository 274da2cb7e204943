package io.jasynq.bench;

import io.jasynq.Client;
import io.jasynq.Server;
import io.jasynq.Task;
import io.jasynq.TaskContext;
import io.jasynq.TaskOption;
import io.jasynq.testkit.Seed;
import io.jasynq.testkit.TestRedis;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLongArray;
import java.util.stream.IntStream;
import org.jspecify.annotations.Nullable;

/**
 * {@code latency-idle}: a started server with nothing to do (default task check interval) gets M
 * tasks enqueued one at a time, 50–150 ms apart. Latency is handler start minus the moment just
 * before {@code enqueue} was called; both ends read {@link System#nanoTime()}, carried in the
 * payload (client and server share this JVM).
 *
 * <p>{@code latency-idle-go} does the same with the tasks written as a Go producer writes them: the
 * task hash and an {@code LPUSH}, with no wake-up published (the server must notice the write
 * itself). BullMQ's side has no such scenario; the report compares it with BullMQ's {@code
 * latency-idle}.
 */
final class LatencyScenario implements Scenario {
  /** How long the server is left alone before the first task, so that it is idle. */
  private static final long SETTLE_MILLIS = 2000;

  private static final int CONCURRENCY = 10;

  private final boolean goProducer;

  /** The scenario with jasynq's {@link Client} as the producer. */
  LatencyScenario() {
    this(false);
  }

  /**
   * @param goProducer whether tasks are written as Go's producer writes them, with no wake-up
   */
  LatencyScenario(boolean goProducer) {
    this.goProducer = goProducer;
  }

  @Override
  public String name() {
    return goProducer ? "latency-idle-go" : "latency-idle";
  }

  /** The pause before task {@code i}: 50–150 ms, the same sequence on the BullMQ side. */
  static long pauseMillis(int i) {
    return 50 + (i * 37L) % 101;
  }

  @Override
  public JsonLine run(BenchContext context) throws InterruptedException {
    String queue = "bench-latency";
    int m = context.options().latencyCount();
    AtomicLongArray latencies = new AtomicLongArray(m);
    long[] enqueueTimes = new long[m];
    CountDownLatch received = new CountDownLatch(m);
    long deadline = Workload.deadline(context.timeout());
    try (Client client = Client.connect(context.redisUri());
        TestRedis raw = TestRedis.connect(context.redisUri());
        Server server =
            Server.connect(context.redisUri(), ProcessScenario.config(queue, CONCURRENCY))) {
      server.start(task -> record(task, latencies, received));
      Thread.sleep(SETTLE_MILLIS);
      TaskOption q = TaskOption.queue(queue);
      Seed.Queue goQueue = Seed.into(raw).queue(queue);
      raw.commands().sadd("asynq:queues", queue.getBytes(StandardCharsets.UTF_8));
      Measurement measurement = Measurement.begin(context.redis());
      int sent = 0;
      for (; sent < m && Workload.remaining(deadline) > 0; sent++) {
        Thread.sleep(pauseMillis(sent));
        long t0 = System.nanoTime();
        if (goProducer) {
          goQueue.task("bench:latency").payload(sent + ":" + t0).pendingAsGo();
        } else {
          client.enqueue(Task.of("bench:latency", sent + ":" + t0), q);
        }
        enqueueTimes[sent] = System.nanoTime() - t0;
      }
      boolean all = sent == m && received.await(Workload.remaining(deadline), TimeUnit.NANOSECONDS);
      int got = m - (int) received.getCount();
      JsonLine line = measurement.end(name(), got);
      long[] seen =
          IntStream.range(0, m).mapToLong(latencies::get).filter(l -> l > 0).sorted().toArray();
      long[] enqueued = Arrays.copyOf(enqueueTimes, sent);
      Arrays.sort(enqueued);
      return line.put("p50_ms", percentileMillis(seen, 0.50))
          .put("p90_ms", percentileMillis(seen, 0.90))
          .put("p99_ms", percentileMillis(seen, 0.99))
          .put("max_ms", seen.length == 0 ? null : seen[seen.length - 1] / 1e6)
          .put("mean_ms", Arrays.stream(seen).average().orElse(Double.NaN) / 1e6)
          .put("enqueue_p50_ms", percentileMillis(enqueued, 0.50))
          .put("concurrency", CONCURRENCY)
          .put("timed_out", !all);
    }
  }

  private static void record(TaskContext task, AtomicLongArray latencies, CountDownLatch received) {
    long now = System.nanoTime();
    String payload = new String(task.task().payload(), StandardCharsets.US_ASCII);
    int colon = payload.indexOf(':');
    int i = Integer.parseInt(payload.substring(0, colon));
    latencies.set(i, Math.max(1, now - Long.parseLong(payload.substring(colon + 1))));
    received.countDown();
  }

  /** Nearest-rank percentile of sorted nanosecond values, in milliseconds; null if empty. */
  static @Nullable Double percentileMillis(long[] sorted, double p) {
    if (sorted.length == 0) {
      return null;
    }
    int rank = (int) Math.ceil(p * sorted.length);
    return sorted[Math.max(0, rank - 1)] / 1e6;
  }
}

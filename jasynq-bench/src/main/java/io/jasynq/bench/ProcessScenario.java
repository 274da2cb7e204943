package io.jasynq.bench;

import io.jasynq.Client;
import io.jasynq.Server;
import io.jasynq.ServerConfig;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * {@code process-cK}: N no-op tasks are batch-enqueued into a fresh queue, then a server with
 * concurrency K is started and timed from {@code start()} until its handler has run N times. {@code
 * process-cK-limitL}: the same with the queue's fleet-wide concurrency limit set to L (above K the
 * limit never binds, and the scenario shows what checking it costs).
 */
final class ProcessScenario implements Scenario {
  private static final int PRELOAD_BATCH = 1000;

  private final int concurrency;
  private final Observability.Mode observability;
  private final int limit; // 0: none

  ProcessScenario(int concurrency) {
    this(concurrency, Observability.Mode.NONE);
  }

  ProcessScenario(int concurrency, Observability.Mode observability) {
    this(concurrency, observability, 0);
  }

  ProcessScenario(int concurrency, Observability.Mode observability, int limit) {
    this.concurrency = concurrency;
    this.observability = observability;
    this.limit = limit;
  }

  @Override
  public String name() {
    return "process-c" + concurrency + observability.suffix + (limit > 0 ? "-limit" + limit : "");
  }

  @Override
  public JsonLine run(BenchContext context) throws InterruptedException {
    try (Observability o = new Observability(observability)) {
      return run(context, o);
    }
  }

  private JsonLine run(BenchContext context, Observability o) throws InterruptedException {
    String queue = "bench-c" + concurrency;
    long n = context.options().n();
    preload(o.client(context.redisUri()), queue, n, context.timeout());
    Counter counter = new Counter(n);
    Server server =
        Server.connect(
            context.redisUri(), o.server(config(queue, concurrency, limit), context.redisUri()));
    JsonLine line;
    try {
      Measurement m = Measurement.begin(context.redis());
      server.start(task -> counter.count());
      boolean finished = counter.await(context.timeout());
      line = m.end(name(), counter.count.get(), finished ? counter.lastNanos() : System.nanoTime());
      line.put("concurrency", concurrency).put("timed_out", !finished);
    } finally {
      server.shutdown();
    }
    o.report(line);
    if (limit > 0) {
      line.put("concurrency_limit", limit);
    }
    return line.put("processed_in_redis", context.redis().processed(queue))
        .put("pending_after", context.redis().pending(queue));
  }

  static ServerConfig config(String queue, int concurrency) {
    return config(queue, concurrency, 0);
  }

  static ServerConfig config(String queue, int concurrency, int limit) {
    ServerConfig.Builder b = ServerConfig.builder().concurrency(concurrency).queue(queue, 1);
    if (limit > 0) {
      b.queueConcurrencyLimit(queue, limit);
    }
    return b.build();
  }

  /** Batch-enqueues {@code n} no-op tasks, untimed. */
  static void preload(String uri, String queue, long n, Duration timeout) {
    preload(Client.connect(uri), queue, n, timeout);
  }

  /** Batch-enqueues {@code n} no-op tasks with {@code client}, untimed, and closes it. */
  static void preload(Client client, String queue, long n, Duration timeout) {
    try (client) {
      Workload.Outcome o =
          Workload.enqueueBatches(client, queue, n, PRELOAD_BATCH, Workload.deadline(timeout));
      if (o.failed() > 0 || o.timedOut()) {
        throw new IllegalStateException(
            "preloading "
                + n
                + " tasks failed: "
                + o.failed()
                + " failed, first error "
                + o.firstError()
                + (o.timedOut() ? ", timed out" : ""));
      }
    }
  }

  /** Counts handler runs and notes when the last expected one happened. Thread-safe. */
  static final class Counter {
    final AtomicLong count = new AtomicLong();
    private final long expected;
    private final CountDownLatch done = new CountDownLatch(1);
    private volatile long lastNanos;

    Counter(long expected) {
      this.expected = expected;
    }

    /** Called by the handler; returns how many have run so far. */
    long count() {
      return arrived(count.incrementAndGet());
    }

    /**
     * For a handler that must act before the waiter wakes: counts without signalling; the handler
     * then passes the result to {@link #arrived}.
     */
    long increment() {
      return count.incrementAndGet();
    }

    /** Signals the waiter if {@code k} (from {@link #increment}) was the last one; returns it. */
    long arrived(long k) {
      if (k == expected) {
        lastNanos = System.nanoTime();
        done.countDown();
      }
      return k;
    }

    boolean await(Duration timeout) throws InterruptedException {
      return done.await(timeout.toMillis(), TimeUnit.MILLISECONDS);
    }

    long lastNanos() {
      return lastNanos;
    }
  }
}

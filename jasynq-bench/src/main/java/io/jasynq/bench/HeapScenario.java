package io.jasynq.bench;

import io.jasynq.Client;
import io.jasynq.Server;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * {@code heap-1m}: N no-op tasks flow through a server at concurrency K while a producer enqueues
 * them in batches (keeping at most {@value #MAX_BACKLOG} waiting). Every N/10 processed tasks the
 * heap is measured after {@link System#gc()}. Client, producer and server share this JVM, so the
 * samples are an upper bound on the server's own heap.
 */
final class HeapScenario implements Scenario {
  private static final int BATCH = 1000;
  private static final long MAX_BACKLOG = 20_000;
  private static final int SAMPLES = 10;

  private final int concurrency;
  private final MemoryMXBean memory = ManagementFactory.getMemoryMXBean();

  HeapScenario(int concurrency) {
    this.concurrency = concurrency;
  }

  @Override
  public String name() {
    return "heap-1m";
  }

  @Override
  public JsonLine run(BenchContext context) throws Exception {
    String queue = "bench-heap";
    long n = context.options().heapN();
    long step = Math.max(1, n / SAMPLES);
    Map<Long, Double> samples = new ConcurrentSkipListMap<>();
    AtomicBoolean stop = new AtomicBoolean();
    ExecutorService helpers = Executors.newFixedThreadPool(2, r -> new Thread(r, "bench-heap"));
    ProcessScenario.Counter counter = new ProcessScenario.Counter(n);
    JsonLine line;
    try (Client client = Client.connect(context.redisUri());
        Server server =
            Server.connect(context.redisUri(), ProcessScenario.config(queue, concurrency))) {
      double baseline = usedHeapMb();
      Measurement m = Measurement.begin(context.redis());
      server.start(
          task -> {
            long k = counter.increment();
            if (k % step == 0 && !stop.get()) {
              helpers.execute(() -> samples.put(k, usedHeapMb()));
            }
            counter.arrived(k); // after the sample is queued: the last one must not be lost
          });
      Future<Workload.Outcome> producer =
          helpers.submit(() -> produce(client, queue, n, counter, stop, context));
      boolean finished = counter.await(context.options().heapTimeout());
      stop.set(true);
      line = m.end(name(), counter.count.get(), finished ? counter.lastNanos() : System.nanoTime());
      producer.get(30, TimeUnit.SECONDS).describe(line).put("timed_out", !finished);
      helpers.shutdown();
      helpers.awaitTermination(30, TimeUnit.SECONDS);
      List<Double> mb = new ArrayList<>(samples.values());
      line.put("concurrency", concurrency)
          .put("baseline_mb", baseline)
          .put("sample_every", step)
          .put("samples_mb", mb)
          .put("last_first_ratio", mb.isEmpty() ? null : mb.get(mb.size() - 1) / mb.get(0))
          .put("max_heap_mb", Runtime.getRuntime().maxMemory() / 1048576.0);
    } finally {
      stop.set(true);
      helpers.shutdownNow();
    }
    return line;
  }

  /** Enqueues {@code n} tasks in batches, pausing while more than the backlog limit wait. */
  private static Workload.Outcome produce(
      Client client,
      String queue,
      long n,
      ProcessScenario.Counter counter,
      AtomicBoolean stop,
      BenchContext context)
      throws InterruptedException {
    long enqueued = 0;
    long failed = 0;
    Throwable firstError = null;
    long lastReport = 0;
    long deadline = Workload.deadline(context.options().heapTimeout());
    while (enqueued < n && !stop.get()) {
      if (enqueued - counter.count.get() > MAX_BACKLOG) {
        Thread.sleep(2);
        continue;
      }
      long batch = Math.min(BATCH, n - enqueued);
      Workload.Outcome o = Workload.enqueueBatches(client, queue, batch, BATCH, deadline);
      enqueued += o.sent();
      failed += o.failed();
      firstError = firstError == null ? o.firstError() : firstError;
      if (enqueued - lastReport >= n / SAMPLES) {
        lastReport = enqueued;
        context.log("  heap-1m: %d enqueued, %d processed", enqueued, counter.count.get());
      }
    }
    return new Workload.Outcome(enqueued, failed, firstError, enqueued < n);
  }

  private double usedHeapMb() {
    System.gc();
    return memory.getHeapMemoryUsage().getUsed() / 1048576.0;
  }
}

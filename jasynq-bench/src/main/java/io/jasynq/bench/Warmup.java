package io.jasynq.bench;

import io.jasynq.Client;
import io.jasynq.Server;
import java.time.Duration;

/**
 * Runs every code path once before the first measurement, so that the JIT has compiled the client
 * and server (the BullMQ side warms up the same way). Nothing is reported; Redis is flushed after.
 */
final class Warmup {
  private Warmup() {}

  static void run(BenchContext context) throws InterruptedException {
    int w = context.options().warmup();
    if (w == 0) {
      return;
    }
    long start = System.nanoTime();
    String queue = "bench-warmup";
    Duration timeout = context.timeout();
    try (Client client = Client.connect(context.redisUri())) {
      Workload.enqueueInFlight(client, queue, w, 100, Workload.deadline(timeout));
      Workload.enqueueBatches(client, queue, w, 1000, Workload.deadline(timeout));
    }
    ProcessScenario.Counter counter = new ProcessScenario.Counter(2L * w);
    try (Server server = Server.connect(context.redisUri(), ProcessScenario.config(queue, 10))) {
      server.start(task -> counter.count());
      counter.await(timeout);
    }
    context.redis().flushAll();
    context.log(
        "warm-up: %d tasks enqueued and processed in %.1f s",
        counter.count.get(), (System.nanoTime() - start) / 1e9);
  }
}

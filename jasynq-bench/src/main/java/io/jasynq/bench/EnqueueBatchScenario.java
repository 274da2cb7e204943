package io.jasynq.bench;

import io.jasynq.Client;

/** {@code enqueue-batch}: N tasks through {@code enqueueBatch}, a batch of B at a time. */
final class EnqueueBatchScenario implements Scenario {
  private final int batchSize;

  EnqueueBatchScenario(int batchSize) {
    this.batchSize = batchSize;
  }

  @Override
  public String name() {
    return "enqueue-batch";
  }

  @Override
  public JsonLine run(BenchContext context) {
    String queue = "bench-batch";
    long n = context.options().n();
    try (Client client = Client.connect(context.redisUri())) {
      client.ping();
      long deadline = Workload.deadline(context.timeout());
      Measurement m = Measurement.begin(context.redis());
      Workload.Outcome outcome = Workload.enqueueBatches(client, queue, n, batchSize, deadline);
      JsonLine line = m.end(name(), outcome.enqueued()).put("batch_size", batchSize);
      return outcome.describe(line).put("pending_after", context.redis().pending(queue));
    }
  }
}

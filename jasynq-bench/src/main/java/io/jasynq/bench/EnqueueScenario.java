package io.jasynq.bench;

import io.jasynq.Client;

/**
 * N no-op tasks enqueued one of {@link Workload}'s two ways: {@code enqueue-inflight-K} through
 * {@code enqueueAsync} with at most K outstanding, {@code enqueue-batch} through {@code
 * enqueueBatch} a batch of B at a time.
 */
final class EnqueueScenario implements Scenario {
  /** One way of enqueueing {@code n} tasks to {@code queue} before {@code deadlineNanos}. */
  @FunctionalInterface
  private interface Sender {
    Workload.Outcome send(Client client, String queue, long n, long deadlineNanos)
        throws InterruptedException;
  }

  private final String name;
  private final String queue;
  private final Sender sender;
  private final String parameter;
  private final int value;

  private EnqueueScenario(String name, String queue, Sender sender, String parameter, int value) {
    this.name = name;
    this.queue = queue;
    this.sender = sender;
    this.parameter = parameter;
    this.value = value;
  }

  /** {@code enqueue-inflight-K}: through {@code enqueueAsync}, at most {@code inFlight} out. */
  static EnqueueScenario inFlight(int inFlight) {
    return new EnqueueScenario(
        "enqueue-inflight-" + inFlight,
        "bench-enqueue",
        (client, queue, n, deadline) ->
            Workload.enqueueInFlight(client, queue, n, inFlight, deadline),
        "in_flight",
        inFlight);
  }

  /** {@code enqueue-batch}: through {@code enqueueBatch}, {@code batchSize} at a time. */
  static EnqueueScenario batch(int batchSize) {
    return new EnqueueScenario(
        "enqueue-batch",
        "bench-batch",
        (client, queue, n, deadline) ->
            Workload.enqueueBatches(client, queue, n, batchSize, deadline),
        "batch_size",
        batchSize);
  }

  @Override
  public String name() {
    return name;
  }

  @Override
  public JsonLine run(BenchContext context) throws InterruptedException {
    long n = context.options().n();
    try (Client client = Client.connect(context.redisUri())) {
      client.ping();
      long deadline = Workload.deadline(context.timeout());
      Measurement m = Measurement.begin(context.redis());
      Workload.Outcome outcome = sender.send(client, queue, n, deadline);
      JsonLine line = m.end(name(), outcome.enqueued()).put(parameter, value);
      return outcome.describe(line).put("pending_after", context.redis().pending(queue));
    }
  }
}

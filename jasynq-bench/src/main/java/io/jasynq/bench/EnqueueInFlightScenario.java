package io.jasynq.bench;

import io.jasynq.Client;

/** {@code enqueue-inflight-K}: N tasks through {@code enqueueAsync}, at most K outstanding. */
final class EnqueueInFlightScenario implements Scenario {
  private final int inFlight;

  EnqueueInFlightScenario(int inFlight) {
    this.inFlight = inFlight;
  }

  @Override
  public String name() {
    return "enqueue-inflight-" + inFlight;
  }

  @Override
  public JsonLine run(BenchContext context) throws InterruptedException {
    String queue = "bench-enqueue";
    long n = context.options().n();
    try (Client client = Client.connect(context.redisUri())) {
      client.ping();
      long deadline = Workload.deadline(context.timeout());
      Measurement m = Measurement.begin(context.redis());
      Workload.Outcome outcome = Workload.enqueueInFlight(client, queue, n, inFlight, deadline);
      JsonLine line = m.end(name(), outcome.enqueued()).put("in_flight", inFlight);
      return outcome.describe(line).put("pending_after", context.redis().pending(queue));
    }
  }
}

package io.jasynq.internal.server;

import io.jasynq.internal.broker.Broker;
import java.time.Instant;
import java.util.List;

/** Moves due scheduled and retry tasks to pending (or back into their group), per queue. */
final class Forwarder implements ServerPart {
  private final Broker broker;
  private final List<String> queues;
  private final Runnable onForwarded;

  Forwarder(Broker broker, List<String> queues, Runnable onForwarded) {
    this.broker = broker;
    this.queues = queues;
    this.onForwarded = onForwarded;
  }

  @Override
  public String name() {
    return "forwarder";
  }

  @Override
  public void runOnce(Instant now) {
    int moved = 0;
    for (String queue : queues) {
      moved += broker.await(broker.forward(queue, now));
    }
    if (moved > 0) {
      onForwarded.run(); // idle workers need not wait for their next poll
    }
  }
}

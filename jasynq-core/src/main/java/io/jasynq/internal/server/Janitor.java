package io.jasynq.internal.server;

import io.jasynq.internal.broker.Broker;
import io.jasynq.internal.runtime.PeriodicPart;
import java.time.Instant;
import java.util.List;

/** Deletes completed tasks whose retention has passed, in bounded batches per queue. */
final class Janitor implements PeriodicPart {
  /** Batches per queue per pass, so one huge backlog cannot hold the runner thread. */
  static final int MAX_BATCHES = 100;

  private final Broker broker;
  private final List<String> queues;
  private final int batchSize;

  Janitor(Broker broker, List<String> queues, int batchSize) {
    this.broker = broker;
    this.queues = queues;
    this.batchSize = batchSize;
  }

  @Override
  public String name() {
    return "janitor";
  }

  @Override
  public void runOnce(Instant now) {
    for (String queue : queues) {
      for (int i = 0; i < MAX_BATCHES; i++) {
        if (broker.await(broker.tasks().deleteExpiredCompleted(queue, now, batchSize))
            < batchSize) {
          break;
        }
      }
    }
  }
}

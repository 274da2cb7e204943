package io.jasynq.internal.broker;

import java.time.Duration;
import java.util.Objects;

/**
 * Durable enqueue: after an enqueue script succeeded, {@code WAIT replicas timeout} on the same
 * connection, and the enqueue succeeds only if that many replicas acknowledged it, over the same
 * socket the script's reply came on (so on the same server).
 *
 * @param replicas how many replicas must acknowledge, >= 1
 * @param timeout how long Redis waits for them, >= 1 ms
 */
public record ReplicaWait(int replicas, Duration timeout) {
  /** Validates. */
  public ReplicaWait {
    Objects.requireNonNull(timeout, "timeout == null");
    if (replicas < 1) {
      throw new IllegalArgumentException("replicas must be >= 1, was " + replicas);
    }
    if (timeout.toMillis() < 1) {
      throw new IllegalArgumentException("timeout must be at least 1ms, was " + timeout);
    }
  }
}

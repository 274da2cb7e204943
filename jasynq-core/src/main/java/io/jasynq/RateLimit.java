package io.jasynq;

import java.time.Duration;
import java.util.Objects;

/**
 * A queue's fleet-wide rate limit: at most {@code tasks} of its tasks started per {@code per}
 * across every jasynq server, with up to {@code burst} saved up while the queue is quiet (a token
 * bucket in Redis, spent by the dequeue). A task over the limit waits in pending: it is not failed,
 * retried or moved, and keeps its retry count.
 *
 * @param tasks tasks per period, ≥ 1
 * @param per the period, at least 1 ms, in whole milliseconds
 * @param burst the most tokens saved up, ≥ 1
 * @since 0.1
 */
public record RateLimit(int tasks, Duration per, int burst) {
  /**
   * @throws IllegalArgumentException naming the field, the value and the rule
   */
  public RateLimit {
    Objects.requireNonNull(per, "per == null");
    if (tasks < 1) {
      throw new IllegalArgumentException("rate limit tasks must be >= 1, was " + tasks);
    }
    if (per.compareTo(Duration.ofMillis(1)) < 0 || per.toNanos() % 1_000_000 != 0) {
      throw new IllegalArgumentException(
          "rate limit period must be whole milliseconds, at least 1 ms, was " + per);
    }
    if (burst < 1) {
      throw new IllegalArgumentException("rate limit burst must be >= 1, was " + burst);
    }
  }

  /** {@code tasks} per {@code per}, with a burst of {@code tasks}. */
  public static RateLimit of(int tasks, Duration per) {
    return new RateLimit(tasks, per, tasks);
  }

  /** This limit with another burst. */
  public RateLimit withBurst(int burst) {
    return new RateLimit(tasks, per, burst);
  }

  @Override
  public String toString() {
    return tasks + " per " + per.toMillis() + " ms (burst " + burst + ")";
  }
}

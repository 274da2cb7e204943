package io.jasynq.internal.connection;

import java.time.Duration;

/**
 * Where the broker gets its connections: the one behind a {@code io.jasynq.redis.RedisConnector},
 * which hands it to jasynq's own packages ({@code RedisConnector.connectionSource()}). Thread-safe.
 */
public interface ConnectionSource {
  /**
   * A connection for one user (a Client, a Server part). The user releases it exactly once;
   * releasing closes it only if the source opened it, never if the source lends the caller's own.
   *
   * @throws IllegalStateException if the source is closed
   */
  RedisConnection open();

  /**
   * Subscribes to channels (name → listener of the message text) on one connection of its own, or
   * returns null when the source cannot open one (it lends a single borrowed connection).
   *
   * @throws IllegalStateException if the source is closed
   */
  Subscription subscribe(Listening listening);

  /** How long one command may take before the caller gives up on it. */
  Duration commandTimeout();

  /** Where this source points, without credentials, for {@code toString()} and errors. */
  String description();
}

package io.jasynq.internal.connection;

import io.lettuce.core.api.StatefulConnection;

/**
 * The caller's own connection (standalone or cluster, whatever its codec), lent to every user:
 * Lettuce connections are thread-safe. Never closed by us. Having no client, it opens no Pub/Sub
 * connection, so a server on it hears no cancellations or wake-ups (it still polls). Thread-safe.
 */
public final class LentConnection implements Topology {
  private final String description;
  private final StatefulConnection<?, ?> connection;

  LentConnection(String description, StatefulConnection<?, ?> connection) {
    this.description = description;
    this.connection = connection;
  }

  /** The caller's connection, wrapped as borrowed: releasing it leaves it open. */
  @Override
  public RedisConnection open() {
    return new RedisConnection(connection, false, () -> {});
  }

  /** Null: there is no client to open a Pub/Sub connection with. */
  @Override
  public Subscription subscribe(Listening listening) {
    return null;
  }

  /** Nothing to close: the connection is the caller's. */
  @Override
  public void close() {}

  @Override
  public String toString() {
    return description;
  }
}

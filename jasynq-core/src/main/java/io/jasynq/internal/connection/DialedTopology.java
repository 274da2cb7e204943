package io.jasynq.internal.connection;

import io.jasynq.internal.Closer;

/**
 * One Redis server or one Redis Cluster, reached through a {@link Dialer}: a {@code RedisClient}
 * (ours, built from settings, or the caller's) or a {@link ClusterConnections} on a {@code
 * RedisClusterClient} (ours, built from seed nodes with topology refresh on, or the caller's, used
 * as configured). What is ours is closed with the topology together with its resources; what is
 * borrowed is never shut down. Connections and Pub/Sub connections opened from it are ours and
 * released on close. Thread-safe.
 */
public final class DialedTopology implements Topology {
  private final String description;
  private final OpenConnections connections;
  private final Closer owned; // the client and resources when ours; empty when borrowed

  DialedTopology(String description, Dialer dialer, Closer owned) {
    this.description = description;
    this.connections = new OpenConnections(description, dialer);
    this.owned = owned;
  }

  @Override
  public RedisConnection open() {
    return connections.open();
  }

  @Override
  public Subscription subscribe(Listening listening) {
    return connections.subscribe(listening);
  }

  @Override
  public void close() {
    connections.releaseAll();
    owned.close();
  }

  @Override
  public String toString() {
    return description;
  }
}

package io.jasynq.internal.connection;

import io.jasynq.internal.Closer;
import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisURI;

/**
 * A master found through Sentinel and followed across failovers, reached with a {@code RedisClient}
 * (ours or the caller's). With the first connection it starts a {@link SentinelWatch} on every
 * sentinel: on {@code +switch-master} every connection and subscription it opened leaves the old
 * master at once. (A connection that gets {@code READONLY} is moved by the broker.) Close stops the
 * watch, releases the connections, then what it owns. Thread-safe.
 */
public final class SentinelTopology implements Topology {
  private final String description;
  private final RedisClient client; // for the watch's connections to the sentinels
  private final RedisURI sentinels; // the sentinels' URIs and the master's name
  private final OpenConnections connections;
  private final Closer owned; // the client and resources when ours; empty when borrowed

  // Shared: guarded by this. The watch starts with the first connection, never after close.
  private SentinelWatch watch;
  private boolean closed;

  SentinelTopology(
      String description, RedisClient client, RedisURI sentinels, Dialer dialer, Closer owned) {
    this.description = description;
    this.client = client;
    this.sentinels = sentinels;
    this.connections = new OpenConnections(description, dialer);
    this.owned = owned;
  }

  @Override
  public RedisConnection open() {
    startWatch();
    return connections.open();
  }

  @Override
  public Subscription subscribe(Listening listening) {
    startWatch();
    return connections.subscribe(listening);
  }

  @Override
  public void close() {
    synchronized (this) {
      closed = true;
      if (watch != null) {
        watch.close();
      }
    }
    connections.releaseAll();
    owned.close();
  }

  private synchronized void startWatch() {
    if (watch != null || closed) {
      return;
    }
    watch =
        SentinelWatch.start(
            client,
            sentinels.getSentinels(),
            sentinels.getSentinelMasterId(),
            connections::leaveServer);
  }

  @Override
  public String toString() {
    return description;
  }
}

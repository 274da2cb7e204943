package io.jasynq.internal.connection;

import io.jasynq.internal.Lifecycle;
import java.time.Duration;

/**
 * The {@link ConnectionSource} of a connector: opens through the connector's {@link Topology} while
 * the connector is open, and releases what it opened if the connector was closed meanwhile, so that
 * nothing opened outlives the close. Thread-safe.
 */
public final class ConnectorSource implements ConnectionSource {
  private final Object connector; // named in errors by its toString(), which works after close
  private final Topology topology;
  private final Duration commandTimeout;
  private final Lifecycle lifecycle; // the connector's

  /**
   * @param connector the connector, named in "connector is closed" errors
   * @param topology where connections are opened
   * @param commandTimeout how long one command may take
   * @param lifecycle the connector's; nothing is opened once it is closing
   */
  public ConnectorSource(
      Object connector, Topology topology, Duration commandTimeout, Lifecycle lifecycle) {
    this.connector = connector;
    this.topology = topology;
    this.commandTimeout = commandTimeout;
    this.lifecycle = lifecycle;
  }

  @Override
  public RedisConnection open() {
    ensureOpen();
    RedisConnection connection = topology.open();
    if (lifecycle.isClosed()) { // closed while we were connecting: do not leak it
      connection.release();
      throw closed();
    }
    return connection;
  }

  @Override
  public Subscription subscribe(Listening listening) {
    ensureOpen();
    Subscription subscription = topology.subscribe(listening);
    if (subscription != null && lifecycle.isClosed()) {
      subscription.release();
      throw closed();
    }
    return subscription;
  }

  @Override
  public Duration commandTimeout() {
    return commandTimeout;
  }

  @Override
  public String description() {
    return topology.toString();
  }

  private void ensureOpen() {
    if (lifecycle.isClosed()) {
      throw closed();
    }
  }

  private IllegalStateException closed() {
    return new IllegalStateException("connector is closed: " + connector);
  }
}

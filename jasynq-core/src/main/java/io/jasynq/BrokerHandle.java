package io.jasynq;

import io.jasynq.internal.Closer;
import io.jasynq.internal.broker.Broker;
import io.jasynq.internal.broker.ReplicaWait;
import io.jasynq.internal.connection.ConnectionSource;
import io.jasynq.redis.RedisConnector;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * The ownership rule of {@link Client}, {@link Inspector}, {@link Server} and {@link Scheduler},
 * written once: a broker on a connector that is either created here from a URI (and then closed
 * with the broker) or the caller's (never closed). {@link #closer} releases what was acquired, in
 * reverse order.
 */
final class BrokerHandle {
  final Broker broker;
  final ConnectionSource source;
  final Closer closer;

  private BrokerHandle(Broker broker, ConnectionSource source, Closer closer) {
    this.broker = broker;
    this.source = source;
    this.closer = closer;
  }

  /**
   * Opens a broker on {@code connector}, or on a connector created from {@code uri} when it is
   * null. On failure everything acquired so far is closed again before the exception propagates.
   */
  static BrokerHandle open(@Nullable String uri, @Nullable RedisConnector connector) {
    return open(uri, connector, null);
  }

  /**
   * As {@link #open(String, RedisConnector)}, with enqueues that wait for {@code replicaWait}
   * replicas (null: none).
   *
   * @throws IllegalArgumentException if the replica wait is not shorter than the command timeout
   */
  static BrokerHandle open(
      @Nullable String uri, @Nullable RedisConnector connector, @Nullable ReplicaWait replicaWait) {
    Closer closer = new Closer();
    try {
      RedisConnector c = connector;
      if (c == null) {
        c = RedisConnector.create(Objects.requireNonNull(uri, "uri"));
        closer.register("redis connector", c::close); // created here: ours to close
      }
      ConnectionSource source = c.connectionSource();
      if (replicaWait != null && replicaWait.timeout().compareTo(source.commandTimeout()) >= 0) {
        throw new IllegalArgumentException(
            "waitForReplicas timeout must be shorter than the command timeout "
                + source.commandTimeout()
                + ", was "
                + replicaWait.timeout());
      }
      Broker broker = Broker.open(source, replicaWait);
      closer.register("broker", broker::close);
      return new BrokerHandle(broker, source, closer);
    } catch (RuntimeException e) {
      closer.close();
      throw e;
    }
  }

  /**
   * Checks a builder's target before anything is created.
   *
   * @throws IllegalArgumentException if neither or both are given, or the URI is invalid
   */
  static void checkTarget(@Nullable String uri, @Nullable RedisConnector connector) {
    if ((uri == null) == (connector == null)) {
      throw new IllegalArgumentException("give exactly one of uri(...) and connector(...)");
    }
    if (uri != null) {
      RedisConnector.builder().uri(uri); // validate before creating anything
    }
  }
}

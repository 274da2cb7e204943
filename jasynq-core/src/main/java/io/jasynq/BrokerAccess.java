package io.jasynq;

import io.jasynq.internal.Closer;
import io.jasynq.internal.broker.Broker;
import io.jasynq.internal.broker.Connectors;
import io.jasynq.redis.RedisConnector;
import java.time.Duration;

/**
 * What a Client, Server or Scheduler opens first: a broker on the caller's connector (never closed
 * by us), or on a connector created from a URI (ours: closed after the broker). The closer holds
 * them in that order.
 */
final class BrokerAccess {
  final Broker broker;
  final Closer closer;
  final String description;
  final Duration commandTimeout;

  private BrokerAccess(Broker broker, Closer closer, String description, Duration timeout) {
    this.broker = broker;
    this.closer = closer;
    this.description = description;
    this.commandTimeout = timeout;
  }

  /**
   * @param connector the caller's connector, or null to create one from {@code uri}
   * @throws IllegalArgumentException if the URI is invalid
   * @throws JasynqException if Redis cannot be reached (what was opened is closed again)
   */
  static BrokerAccess open(RedisConnector connector, String uri) {
    Closer closer = new Closer();
    try {
      if (connector == null) {
        connector = RedisConnector.create(uri);
        closer.register("redis connector", connector::close); // created here: ours to close
      }
      var source = Connectors.sourceOf(connector);
      Broker broker = Broker.open(source);
      closer.register("broker", broker::close);
      return new BrokerAccess(broker, closer, source.description(), source.commandTimeout());
    } catch (RuntimeException e) {
      closer.close();
      throw e;
    }
  }
}

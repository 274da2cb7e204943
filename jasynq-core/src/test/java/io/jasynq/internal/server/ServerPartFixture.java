package io.jasynq.internal.server;

import io.jasynq.Client;
import io.jasynq.internal.broker.Broker;
import io.jasynq.redis.RedisConnector;
import io.jasynq.testkit.FakeClock;
import io.jasynq.testkit.RedisServer;
import java.time.Instant;

/**
 * A broker on its own connector to the class's redis-server, the test's fake clock set to {@link
 * #T0}, and a client on both made on first use: what a server part under test runs on. Injected by
 * {@link ServerPartFixtureExtension} into {@link ServerPartTest} classes and closed after the
 * test's {@code @AfterEach} methods (client, broker, connector).
 */
final class ServerPartFixture implements AutoCloseable {
  static final Instant T0 = Instant.parse("2035-06-01T12:00:00Z");

  final FakeClock clock;
  final RedisConnector connector;
  final Broker broker;
  private Client client;

  ServerPartFixture(RedisServer server, FakeClock clock) {
    this.clock = clock;
    clock.set(T0);
    this.connector = RedisConnector.create(server.uri());
    this.broker = Broker.open(connector.connectionSource());
  }

  /** A client on the broker's connector and {@link #clock}, made on the first call. */
  Client client() {
    if (client == null) {
      client = Client.builder().connector(connector).clock(clock).build();
    }
    return client;
  }

  @Override
  public void close() {
    if (client != null) {
      client.close();
    }
    broker.close();
    connector.close();
  }
}

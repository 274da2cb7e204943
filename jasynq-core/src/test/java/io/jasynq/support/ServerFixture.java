package io.jasynq.support;

import io.jasynq.Client;
import io.jasynq.Handler;
import io.jasynq.Server;
import io.jasynq.ServerConfig;
import io.jasynq.testkit.FakeClock;
import io.jasynq.testkit.RedisServer;
import java.util.ArrayDeque;
import java.util.Deque;

/**
 * A client on the test's fake clock plus the servers a test starts, all on the class's
 * redis-server; injected by {@link ServerFixtureExtension} into {@link ServerTest} classes and
 * closed after each test (servers first, newest first, then the client).
 */
public final class ServerFixture implements AutoCloseable {
  private final RedisServer redisServer;
  private final FakeClock clock;
  private final Client client;
  private final Deque<Server> servers = new ArrayDeque<>();

  /**
   * Builds the client; the parameters are the testkit's, so {@code clock} is the same instance a
   * test gets injected.
   */
  public ServerFixture(RedisServer redisServer, FakeClock clock) {
    this.redisServer = redisServer;
    this.clock = clock;
    this.client = Client.builder().uri(redisServer.uri()).clock(clock).build();
  }

  /** The clock the client reads; set it to a test's start time before enqueueing. */
  public FakeClock clock() {
    return clock;
  }

  /** A client of the class's redis-server on {@link #clock()}. */
  public Client client() {
    return client;
  }

  /** Connects a server with {@code config} and starts it with {@code handler}; closed after. */
  public Server start(ServerConfig config, Handler handler) {
    Server server = Server.connect(redisServer.uri(), config);
    servers.push(server);
    server.start(handler);
    return server;
  }

  /** Closes every server started here, newest first, then the client. */
  @Override
  public void close() {
    while (!servers.isEmpty()) {
      servers.pop().close();
    }
    client.close();
  }
}

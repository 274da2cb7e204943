package io.jasynq.lifecycle;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.jasynq.Client;
import io.jasynq.JasynqException;
import io.jasynq.Task;
import io.jasynq.TaskInfo;
import io.jasynq.redis.RedisConnector;
import io.jasynq.support.LogCapture;
import io.jasynq.testkit.RedisServer;
import io.jasynq.testkit.RedisTest;
import io.jasynq.testkit.TestRedis;
import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisURI;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.resource.ClientResources;
import io.lettuce.core.resource.DefaultClientResources;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * Who opens a connection closes it, in reverse order, once (DESIGN.md "Ownership and lifecycle").
 * The testkit's extension also fails any of these tests that leaves a {@code jasynq-*} thread or an
 * extra Redis connection behind.
 */
@RedisTest
class ClientLifecycleTest {
  private final RedisServer server;
  private final TestRedis redis;

  ClientLifecycleTest(RedisServer server, TestRedis redis) {
    this.server = server;
    this.redis = redis;
  }

  @Test
  void ownedClientClosesEverythingItCreated() {
    Client client = Client.connect(server.uri());
    client.enqueue(Task.of("t"));
    assertThat(jasynqThreads()).isNotEmpty(); // its own event loops
    client.close();
    // The extension checks that no jasynq-* thread and no connection outlive the test.
    assertThat(client.isClosed()).isTrue();
  }

  @Test
  void closeIsIdempotentThreadSafeAndLaterCallsFailFast() throws Exception {
    Client client = Client.connect(server.uri());
    String open = client.toString();
    ExecutorService pool = Executors.newFixedThreadPool(8);
    try {
      CountDownLatch start = new CountDownLatch(1);
      List<Future<?>> closes = new ArrayList<>();
      for (int i = 0; i < 8; i++) {
        closes.add(
            pool.submit(
                () -> {
                  start.await();
                  client.close();
                  return null;
                }));
      }
      start.countDown();
      for (Future<?> f : closes) {
        f.get(10, TimeUnit.SECONDS); // none throws
      }
    } finally {
      pool.shutdownNow();
    }
    client.close();
    assertThat(open).contains("open").contains("127.0.0.1:" + server.port());
    assertThat(client.toString()).contains("closed");
    assertThatThrownBy(() -> client.enqueue(Task.of("t")))
        .isInstanceOf(IllegalStateException.class)
        .hasMessage("client is closed");
    assertThatThrownBy(() -> client.enqueueAsync(Task.of("t")))
        .isInstanceOf(IllegalStateException.class)
        .hasMessage("client is closed");
    assertThatThrownBy(() -> client.enqueueBatch(List.of(Task.of("t"))))
        .isInstanceOf(IllegalStateException.class)
        .hasMessage("client is closed");
    assertThatThrownBy(client::ping).isInstanceOf(IllegalStateException.class);
  }

  @Test
  void borrowedConnectionIsNeverClosedAndKeepsWorking() {
    RedisClient lettuce = RedisClient.create(RedisURI.create(server.uri()));
    try (StatefulRedisConnection<String, String> mine = lettuce.connect();
        LogCapture logs = LogCapture.start()) {
      RedisConnector connector = RedisConnector.borrow(mine);
      Client client = Client.create(connector);
      TaskInfo info = client.enqueue(Task.of("t", "from a borrowed String-codec connection"));
      client.close();
      client.close();
      connector.close();

      assertThat(mine.isOpen()).isTrue();
      assertThat(mine.sync().ping()).isEqualTo("PONG");
      mine.sync().set("mine", "still works");
      assertThat(mine.sync().get("mine")).isEqualTo("still works");
      assertThat(redis.lrange("asynq:{default}:pending")).containsExactly(info.id());
      assertThat(logs.warningsAndErrors()).isEmpty();
    } finally {
      lettuce.shutdown();
    }
  }

  @Test
  void borrowedClientAndResourcesAreNeverShutDown() {
    ClientResources resources = DefaultClientResources.create();
    RedisClient lettuce = RedisClient.create(resources, RedisURI.create(server.uri()));
    try (LogCapture logs = LogCapture.start()) {
      try (RedisConnector connector = RedisConnector.borrow(lettuce);
          Client client = Client.create(connector)) {
        client.enqueue(Task.of("t"));
      }
      try (RedisConnector connector =
              RedisConnector.builder().uri(server.uri()).clientResources(resources).build();
          Client client = Client.create(connector)) {
        client.enqueue(Task.of("t"));
      }
      // Both still serve their owner.
      assertThat(resources.eventExecutorGroup().isShuttingDown()).isFalse();
      try (StatefulRedisConnection<String, String> c = lettuce.connect()) {
        assertThat(c.sync().llen("asynq:{default}:pending")).isEqualTo(2);
      }
      assertThat(logs.warningsAndErrors()).isEmpty();
    } finally {
      lettuce.shutdown();
      resources.shutdown();
    }
  }

  @Test
  void closingTheConnectorBeforeTheClientIsHarmless() {
    try (LogCapture logs = LogCapture.start()) {
      RedisConnector connector = RedisConnector.create(server.uri());
      Client client = Client.create(connector);
      client.enqueue(Task.of("t"));
      connector.close(); // wrong order: the connection's event loops go first
      client.close();
      assertThatThrownBy(() -> Client.create(connector))
          .isInstanceOf(IllegalStateException.class)
          .hasMessageContaining("connector is closed");
      assertThat(logs.warningsAndErrors()).isEmpty();
    }
  }

  @Test
  void closeWaitsForEnqueuesInFlight() {
    Client client = Client.connect(server.uri());
    List<CompletableFuture<TaskInfo>> futures = new ArrayList<>();
    for (int i = 0; i < 200; i++) {
      futures.add(client.enqueueAsync(Task.of("t")));
    }
    client.close();
    assertThat(futures).allMatch(f -> f.isDone() && !f.isCompletedExceptionally());
    assertThat(redis.lrange("asynq:{default}:pending")).hasSize(200);
  }

  @Test
  void unreachableRedisFailsClearlyAndLeavesNothingBehind() {
    try (RedisConnector nowhere =
        RedisConnector.builder()
            .host("127.0.0.1")
            .port(1)
            .connectTimeout(Duration.ofSeconds(2))
            .build()) {
      assertThatThrownBy(() -> Client.create(nowhere))
          .isInstanceOf(JasynqException.class)
          .hasMessageContaining("127.0.0.1:1");
    }
    // An owned connector that could not connect is closed again before the error reaches us.
    assertThatThrownBy(() -> Client.connect("redis://127.0.0.1:1"))
        .isInstanceOf(JasynqException.class)
        .hasMessageContaining("cannot connect");
  }

  @Test
  void invalidUriIsRejectedBeforeAnythingIsCreated() {
    assertThatThrownBy(() -> Client.connect("redis://:pw@host:99999"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("port")
        .hasMessageNotContaining("pw");
  }

  private static List<String> jasynqThreads() {
    return Thread.getAllStackTraces().keySet().stream()
        .map(Thread::getName)
        .filter(n -> n.startsWith("jasynq-"))
        .toList();
  }
}

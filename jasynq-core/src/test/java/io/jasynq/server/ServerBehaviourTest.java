package io.jasynq.server;

import static io.jasynq.TaskOption.queue;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.jasynq.Client;
import io.jasynq.Server;
import io.jasynq.ServerConfig;
import io.jasynq.Task;
import io.jasynq.TaskInfo;
import io.jasynq.redis.RedisConnector;
import io.jasynq.support.LogCapture;
import io.jasynq.support.ServerConfigs;
import io.jasynq.testkit.Eventually;
import io.jasynq.testkit.RedisServer;
import io.jasynq.testkit.RedisTest;
import io.jasynq.testkit.TestRedis;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

/** Queue selection, pausing, cancellation, lifecycle and ownership of a running server. */
@RedisTest
class ServerBehaviourTest {
  private final RedisServer redisServer;
  private final TestRedis redis;

  ServerBehaviourTest(RedisServer redisServer, TestRedis redis) {
    this.redisServer = redisServer;
    this.redis = redis;
  }

  /** Stands for "the listener was given a null error" in lists that do not take null. */
  private static final Throwable NO_ERROR = new Throwable("none");

  private void enqueue(String queue, int n) {
    try (Client client = Client.connect(redisServer.uri())) {
      client.enqueueBatch(
          IntStream.range(0, n).mapToObj(i -> Task.of(queue)).toList(), queue(queue));
    }
  }

  @Test
  void weightedQueuesAreServedInProportionToTheirPriority() {
    enqueue("high", 1500);
    enqueue("low", 1500);
    List<String> order = new CopyOnWriteArrayList<>();
    try (Server server =
        Server.connect(
            redisServer.uri(),
            ServerConfigs.fast().concurrency(1).queue("high", 3).queue("low", 1).build())) {
      server.start(ctx -> order.add(ctx.queue()));
      Eventually.until(Duration.ofSeconds(30), "1000 processed", () -> order.size() >= 1000);
    }
    long high = order.subList(0, 1000).stream().filter("high"::equals).count();
    // Expected 750 of 1000; the binomial standard deviation is ~14, so ±60 is over 4 sigma.
    assertThat(high).isBetween(690L, 810L);
  }

  @Test
  void strictPriorityNeverTakesALowerQueueWhileAHigherHasWork() {
    enqueue("low", 50);
    enqueue("high", 100);
    List<String> order = new CopyOnWriteArrayList<>();
    try (Server server =
        Server.connect(
            redisServer.uri(),
            ServerConfigs.fast()
                .concurrency(1)
                .queue("low", 1)
                .queue("high", 5)
                .strictPriority(true)
                .build())) {
      server.start(ctx -> order.add(ctx.queue()));
      Eventually.until("all processed", () -> order.size() == 150);
    }
    assertThat(order.subList(0, 100)).containsOnly("high");
    assertThat(order.subList(100, 150)).containsOnly("low");
  }

  @Test
  void pausedQueueIsSkipped() {
    enqueue("paused", 3);
    enqueue("open", 3);
    redis.commands().set("asynq:{paused}:paused", "1".getBytes());
    List<String> ran = new CopyOnWriteArrayList<>();
    try (Server server =
        Server.connect(
            redisServer.uri(), ServerConfigs.fast().queue("paused", 1).queue("open", 1).build())) {
      server.start(ctx -> ran.add(ctx.queue()));
      Eventually.until("open queue processed", () -> ran.size() == 3);
      assertThat(ran).containsOnly("open");
      assertThat(redis.lrange("asynq:{paused}:pending")).hasSize(3);
      redis.commands().del("asynq:{paused}:paused");
      Eventually.until("paused queue processed once resumed", () -> ran.size() == 6);
    }
  }

  @Test
  void runningTaskIsCancelledOverPubSubAndRetried() throws Exception {
    CountDownLatch started = new CountDownLatch(1);
    TaskInfo info;
    try (Client client = Client.connect(redisServer.uri())) {
      info = client.enqueue(Task.of("long"));
    }
    try (Server server = Server.connect(redisServer.uri(), ServerConfigs.fast().build())) {
      server.start(
          ctx -> {
            started.countDown();
            Thread.sleep(30_000);
          });
      assertThat(started.await(10, TimeUnit.SECONDS)).isTrue();
      Eventually.until(
          "subscribed",
          () ->
              redis.commands().pubsubNumsub("asynq:cancel").values().stream().anyMatch(n -> n > 0));
      redis.commands().publish("asynq:cancel", info.id().getBytes());
      Eventually.until(
          "retry", () -> "retry".equals(redis.hget("asynq:{default}:t:" + info.id(), "state")));
    }
  }

  @Test
  void lifecycleErrorsAndIdempotentClose() {
    Server server = Server.connect(redisServer.uri(), ServerConfigs.fast().build());
    assertThat(server.toString()).contains("new");
    server.start(ctx -> {});
    assertThatThrownBy(() -> server.start(ctx -> {}))
        .isInstanceOf(IllegalStateException.class)
        .hasMessage("server is already running");
    server.stop();
    assertThat(server.toString()).contains("stopped");
    server.close();
    server.close();
    server.shutdown();
    assertThat(server.toString()).contains("closed");
    assertThatThrownBy(() -> server.start(ctx -> {}))
        .isInstanceOf(IllegalStateException.class)
        .hasMessage("server is closed");
    server.ping(); // no I/O once closed
  }

  @Test
  void closingFromInsideAHandlerDoesNotDeadlock() throws Exception {
    enqueue("default", 1);
    Server[] holder = new Server[1];
    CountDownLatch closedInHandler = new CountDownLatch(1);
    holder[0] =
        Server.connect(
            redisServer.uri(), ServerConfigs.fast().shutdownTimeout(Duration.ofSeconds(2)).build());
    holder[0].start(
        ctx -> {
          new Thread(
                  () -> {
                    holder[0].close();
                    closedInHandler.countDown();
                  },
                  "closer")
              .start();
        });
    assertThat(closedInHandler.await(20, TimeUnit.SECONDS)).isTrue();
    assertThat(holder[0].toString()).contains("closed");
    assertThat(redis.keys("asynq:{default}:t:*")).isEmpty();
  }

  @Test
  void serverOnABorrowedConnectorLeavesItOpen() {
    enqueue("default", 5);
    AtomicInteger ran = new AtomicInteger();
    try (RedisConnector connector = RedisConnector.create(redisServer.uri());
        LogCapture logs = LogCapture.start()) {
      Server server = Server.create(connector, ServerConfigs.fast().build());
      server.start(ctx -> ran.incrementAndGet());
      Eventually.until("processed", () -> ran.get() == 5);
      server.close();
      assertThat(connector.isClosed()).isFalse();
      try (Client client = Client.create(connector)) {
        client.ping();
      }
      assertThat(logs.warningsAndErrors()).isEmpty();
    }
  }

  @Test
  void survivesARedisRestartAndLosesNothing() throws Exception {
    List<Boolean> health = new CopyOnWriteArrayList<>();
    List<Throwable> errors = new CopyOnWriteArrayList<>();
    Map<String, Integer> ran = new ConcurrentHashMap<>();
    try (RedisServer durable =
            RedisServer.builder()
                .config("appendonly", "yes")
                .config("appendfsync", "always")
                .start();
        Client client = Client.connect(durable.uri());
        Server server =
            Server.connect(
                durable.uri(),
                ServerConfigs.fast()
                    .healthListener(
                        (up, error) -> {
                          errors.add(error == null ? NO_ERROR : error);
                          health.add(up);
                        })
                    .healthCheckInterval(Duration.ofMillis(100))
                    .build())) {
      server.start(ctx -> ran.merge(new String(ctx.task().payload()), 1, Integer::sum));
      List<String> sent = new ArrayList<>();
      for (int i = 0; i < 50; i++) {
        client.enqueue(Task.of("t", "before-" + i));
        sent.add("before-" + i);
      }
      Eventually.until("first half processed", () -> ran.size() == 50);
      durable.stop();
      Eventually.until("outage reported", () -> health.contains(false));
      durable.restart();
      for (int i = 0; i < 50; i++) {
        client.enqueue(Task.of("t", "after-" + i));
        sent.add("after-" + i);
      }
      Eventually.until(
          Duration.ofSeconds(30), "all processed after the restart", () -> ran.size() == 100);
      assertThat(ran.keySet()).containsExactlyInAnyOrderElementsOf(sent);
      // The listener hears transitions only: up once checked, down with the cause, up again.
      assertThat(health).containsSubsequence(true, false, true).startsWith(true).endsWith(true);
      for (int i = 1; i < health.size(); i++) {
        assertThat(health.get(i))
            .as("transition %d of %s", i, health)
            .isNotEqualTo(health.get(i - 1));
      }
      for (int i = 0; i < health.size(); i++) {
        if (health.get(i)) {
          assertThat(errors.get(i)).as("no error when up").isSameAs(NO_ERROR);
        } else {
          assertThat(errors.get(i)).as("the cause when down").isNotSameAs(NO_ERROR);
        }
      }
    }
  }

  @Test
  void idleServerIsWokenByAnEnqueueInsteadOfWaitingForItsPoll() throws Exception {
    CountDownLatch ran = new CountDownLatch(1);
    // A poll interval far longer than the test: only the wake-up can make the task run in time.
    try (Server server =
            Server.connect(
                redisServer.uri(),
                ServerConfig.builder().taskCheckInterval(Duration.ofMinutes(10)).build());
        Client client = Client.connect(redisServer.uri())) {
      server.start(ctx -> ran.countDown());
      Eventually.until(
          "subscribed",
          () ->
              redis.commands().pubsubNumsub("jasynq:pending").values().stream()
                  .anyMatch(n -> n > 0));
      Thread.sleep(100); // let the fetch loop find the queue empty and go idle
      client.enqueue(Task.of("t"));
      assertThat(ran.await(20, TimeUnit.SECONDS)).isTrue();
    }
  }

  @Test
  void closingOnTheHandlersOwnThreadReturnsAndRequeuesThatTask() throws Exception {
    enqueue("default", 1);
    Server[] holder = new Server[1];
    CountDownLatch returned = new CountDownLatch(1);
    holder[0] =
        Server.connect(
            redisServer.uri(),
            ServerConfigs.fast().shutdownTimeout(Duration.ofMillis(200)).build());
    holder[0].start(
        ctx -> {
          if (returned.getCount() > 0) {
            holder[0].close(); // on the worker thread itself
            returned.countDown();
          }
        });
    assertThat(returned.await(20, TimeUnit.SECONDS)).isTrue();
    assertThat(holder[0].toString()).contains("closed");
    // It had not finished when the server closed: it is pending again, not lost.
    Eventually.until("requeued", () -> redis.lrange("asynq:{default}:pending").size() == 1);
    // And its entry is cleared, though the close ran on a thread its task's cancellation had
    // interrupted.
    assertThat(redis.zrangeWithScores("asynq:servers")).isEmpty();
  }
}

package io.jasynq.inspector;

import static io.jasynq.TaskOption.queue;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.jasynq.Client;
import io.jasynq.Inspector;
import io.jasynq.Page;
import io.jasynq.Server;
import io.jasynq.ServerConfig;
import io.jasynq.ServerInfo;
import io.jasynq.Task;
import io.jasynq.TaskInfo;
import io.jasynq.TaskState;
import io.jasynq.WorkerInfo;
import io.jasynq.redis.RedisConnector;
import io.jasynq.support.LogCapture;
import io.jasynq.support.ServerConfigs;
import io.jasynq.testkit.Eventually;
import io.jasynq.testkit.RedisServer;
import io.jasynq.testkit.RedisTest;
import io.jasynq.testkit.TestRedis;
import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisURI;
import io.lettuce.core.api.StatefulRedisConnection;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * The Inspector next to a running jasynq Server (pause, cancel, servers and their workers), and its
 * own lifecycle: owned or borrowed connection, idempotent close, use after close.
 */
@RedisTest
class InspectorLiveTest {
  private final RedisServer redisServer;
  private final TestRedis redis;

  InspectorLiveTest(RedisServer redisServer, TestRedis redis) {
    this.redisServer = redisServer;
    this.redis = redis;
  }

  private static ServerConfig.Builder fast() {
    return ServerConfigs.fast();
  }

  @Test
  void aPausedQueueIsSkippedByARunningServerUntilUnpaused() {
    List<String> ran = new CopyOnWriteArrayList<>();
    try (Inspector inspector = Inspector.connect(redisServer.uri());
        Client client = Client.connect(redisServer.uri());
        Server server =
            Server.connect(redisServer.uri(), fast().queue("open", 1).queue("held", 1).build())) {
      inspector.pauseQueue("held");
      client.enqueue(Task.of("t"), queue("held"));
      server.start(ctx -> ran.add(ctx.queue()));
      client.enqueue(Task.of("t"), queue("open"));
      Eventually.until(Duration.ofSeconds(30), "open queue served", () -> ran.contains("open"));
      assertThat(ran).doesNotContain("held");
      assertThat(inspector.queueInfo("held").pending()).isEqualTo(1);

      inspector.unpauseQueue("held");
      Eventually.until(Duration.ofSeconds(30), "held queue served", () -> ran.contains("held"));
    }
  }

  @Test
  void cancelReachesATaskRunningOnAServerAndServersListItsWorker() throws Exception {
    CountDownLatch started = new CountDownLatch(1);
    try (Inspector inspector = Inspector.connect(redisServer.uri());
        Client client = Client.connect(redisServer.uri());
        Server server = Server.connect(redisServer.uri(), fast().concurrency(3).build())) {
      TaskInfo info = client.enqueue(Task.of("long", "payload"));
      server.start(
          ctx -> {
            started.countDown();
            Thread.sleep(60_000);
          });
      assertThat(started.await(30, TimeUnit.SECONDS)).isTrue();

      Eventually.until(
          Duration.ofSeconds(30),
          "heartbeat with the worker",
          () ->
              inspector.servers().stream()
                  .anyMatch(
                      s -> s.activeWorkers().stream().anyMatch(w -> w.taskId().equals(info.id()))));
      ServerInfo s = inspector.servers().get(0);
      assertThat(s.id()).isEqualTo(server.serverId());
      assertThat(s.concurrency()).isEqualTo(3);
      assertThat(s.queues()).containsKey("default");
      assertThat(s.status()).isEqualTo("active");
      WorkerInfo w = s.activeWorkers().get(0);
      assertThat(w.taskType()).isEqualTo("long");
      assertThat(w.payload())
          .isEqualTo("payload".getBytes(java.nio.charset.StandardCharsets.UTF_8));
      assertThat(w.queue()).isEqualTo("default");
      List<TaskInfo> active = inspector.listTasks("default", TaskState.ACTIVE, Page.all());
      assertThat(active).extracting(TaskInfo::id).containsExactly(info.id());
      assertThat(active.get(0).orphaned()).isFalse();

      Eventually.until(
          Duration.ofSeconds(30),
          "subscribed",
          () ->
              redis.commands().pubsubNumsub("asynq:cancel").values().stream().anyMatch(n -> n > 0));
      inspector.cancel(info.id());
      Eventually.until(
          Duration.ofSeconds(30),
          "cancelled and retried",
          () -> inspector.taskInfo("default", info.id()).state() == TaskState.RETRY);
    }
  }

  @Test
  void anOwnedInspectorClosesItsConnectionAndCloseIsIdempotentAndThreadSafe() throws Exception {
    Inspector inspector = Inspector.connect(redisServer.uri());
    inspector.ping();
    inspector.queues();
    String open = inspector.toString();
    ExecutorService pool = Executors.newFixedThreadPool(4);
    try {
      CountDownLatch go = new CountDownLatch(1);
      List<Future<?>> closes = new java.util.ArrayList<>();
      for (int i = 0; i < 4; i++) {
        closes.add(
            pool.submit(
                () -> {
                  go.await();
                  inspector.close();
                  return null;
                }));
      }
      go.countDown();
      for (Future<?> f : closes) {
        f.get(10, TimeUnit.SECONDS);
      }
    } finally {
      pool.shutdownNow();
    }
    inspector.close();
    assertThat(inspector.isClosed()).isTrue();
    assertThat(open).contains("open");
    assertThat(inspector.toString()).contains("closed");
    List<Runnable> calls =
        List.of(
            inspector::ping,
            inspector::queues,
            inspector::servers,
            inspector::schedulerEntries,
            () -> inspector.queueInfo("default"),
            () -> inspector.listTasks("default", TaskState.PENDING, Page.first()),
            () -> inspector.pauseQueue("default"),
            () -> inspector.cancel("id"),
            () -> inspector.deleteQueue("default", true));
    for (Runnable call : calls) {
      assertThatThrownBy(call::run)
          .isInstanceOf(IllegalStateException.class)
          .hasMessage("inspector is closed");
    }
  }

  @Test
  void aBorrowedConnectionIsNeverClosed() {
    RedisClient lettuce = RedisClient.create(RedisURI.create(redisServer.uri()));
    try (StatefulRedisConnection<String, String> mine = lettuce.connect();
        LogCapture logs = LogCapture.start()) {
      RedisConnector connector = RedisConnector.borrow(mine);
      Inspector inspector = Inspector.create(connector);
      mine.sync().sadd("asynq:queues", "q");
      assertThat(inspector.queues()).containsExactly("q");
      inspector.close();
      inspector.close();
      connector.close();
      assertThat(mine.isOpen()).isTrue();
      assertThat(mine.sync().ping()).isEqualTo("PONG");
      assertThat(logs.warningsAndErrors()).isEmpty();
    } finally {
      lettuce.shutdown();
    }
  }

  @Test
  void aConnectorTheCallerOwnsOutlivesTheInspector() {
    try (RedisConnector connector = RedisConnector.create(redisServer.uri())) {
      try (Inspector inspector = Inspector.create(connector)) {
        inspector.queues();
      }
      try (Inspector again = Inspector.create(connector)) {
        assertThat(again.queues()).isEmpty();
      }
    }
  }

  @Test
  void builderNeedsExactlyOneOfUriAndConnector() {
    assertThatThrownBy(() -> Inspector.builder().build())
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("give exactly one of uri(...) and connector(...)");
    assertThatThrownBy(() -> Inspector.connect("redis://:pw@host:99999"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageNotContaining("pw");
  }
}

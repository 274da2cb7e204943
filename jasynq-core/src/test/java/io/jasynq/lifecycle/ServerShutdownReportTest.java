package io.jasynq.lifecycle;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Level;
import io.jasynq.Client;
import io.jasynq.Server;
import io.jasynq.ServerConfig;
import io.jasynq.Task;
import io.jasynq.internal.server.ServerRuntime;
import io.jasynq.redis.RedisConnector;
import io.jasynq.support.LogCapture;
import io.jasynq.testkit.RedisServer;
import io.jasynq.testkit.RedisTest;
import io.jasynq.testkit.TestRedis;
import io.lettuce.core.resource.ClientResources;
import io.lettuce.core.resource.DefaultClientResources;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** What a shutdown says about the running tasks it requeued, or could not. */
@RedisTest
class ServerShutdownReportTest {
  private final RedisServer server;
  private final TestRedis redis;

  ServerShutdownReportTest(RedisServer server, TestRedis redis) {
    this.server = server;
    this.redis = redis;
  }

  private static ServerConfig config() {
    return ServerConfig.builder().concurrency(2).shutdownTimeout(Duration.ofMillis(200)).build();
  }

  /** Starts {@code server} on handlers that block until interrupted; returns once both run. */
  private void runTwoBlockedTasks(Server s) throws Exception {
    CountDownLatch started = new CountDownLatch(2);
    s.start(
        ctx -> {
          started.countDown();
          new CountDownLatch(1).await();
        });
    try (Client client = Client.connect(server.uri())) {
      client.enqueue(Task.of("block", "1"));
      client.enqueue(Task.of("block", "2"));
    }
    assertThat(started.await(10, TimeUnit.SECONDS)).isTrue();
  }

  @Test
  void saysHowManyRunningTasksAreLeftToTheirLeasesWhenTheEventLoopsWentFirst() throws Exception {
    ClientResources resources = DefaultClientResources.create();
    try (LogCapture logs = LogCapture.start();
        RedisConnector connector =
            RedisConnector.builder().uri(server.uri()).clientResources(resources).build()) {
      Server s = Server.create(connector, config());
      runTwoBlockedTasks(s);
      resources.shutdown(0, 2, TimeUnit.SECONDS).get(10, TimeUnit.SECONDS);
      s.shutdown();
      // One INFO line (close stays quiet, but an operator should learn why these tasks come back
      // late, as retries), and no WARN from jasynq.
      assertThat(logs.messages(ServerRuntime.class, Level.INFO))
          .filteredOn(m -> m.contains("without cleaning up"))
          .singleElement()
          .satisfies(
              m ->
                  assertThat(m)
                      .contains("shut down without cleaning up in Redis")
                      .contains(
                          "2 task(s) left active, recovered once their lease expires (within 30"
                              + " s)"));
      assertThat(logs.warningsAndErrorsExcept(e -> !e.getLoggerName().startsWith("io.jasynq")))
          .isEmpty();
    }
    assertThat(redis.lrange("asynq:{default}:active")).hasSize(2);
    assertThat(redis.zrangeWithScores("asynq:{default}:lease")).hasSize(2);
  }

  @Test
  void saysNothingOfLeasesWhenItRequeuedEveryRunningTask() throws Exception {
    try (LogCapture logs = LogCapture.start()) {
      Server s = Server.connect(server.uri(), config());
      runTwoBlockedTasks(s);
      s.shutdown();
      assertThat(logs.messages(ServerRuntime.class, Level.INFO))
          .anySatisfy(m -> assertThat(m).contains("shut down in"));
      assertThat(logs.warningsAndErrors()).isEmpty();
    }
    assertThat(redis.lrange("asynq:{default}:pending")).hasSize(2);
    assertThat(redis.lrange("asynq:{default}:active")).isEmpty();
  }
}

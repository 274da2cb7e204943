package io.jasynq.server;

import static io.jasynq.TaskOption.queue;
import static org.assertj.core.api.Assertions.assertThat;

import io.jasynq.Client;
import io.jasynq.Task;
import io.jasynq.support.ChildJvm;
import io.jasynq.testkit.RedisServer;
import io.jasynq.testkit.RedisTest;
import io.jasynq.testkit.TestRedis;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * The fleet-wide concurrency limit across three server processes (separate JVMs, each with its own
 * connections and concurrency 10) on one Redis: the handlers record their overlap in Redis, and it
 * reaches the limit of 5 and never goes above it.
 */
@RedisTest
@Tag("topology") // three child JVMs: slow; CI runs it
class ConcurrencyLimitFleetTest {
  private static final int LIMIT = 5;
  private static final int TASKS = 45;

  private final RedisServer server;
  private final TestRedis redis;

  ConcurrencyLimitFleetTest(RedisServer server, TestRedis redis) {
    this.server = server;
    this.redis = redis;
  }

  @Test
  void threeServerProcessesOfTenNeverRunMoreThanFiveTasksOfTheQueueAtOnce() throws Exception {
    try (Client client = Client.connect(server.uri())) {
      for (int i = 0; i < TASKS; i++) {
        client.enqueue(Task.of("work"), queue("fleet"));
      }
    }
    List<CompletableFuture<ChildJvm.Result>> children = new ArrayList<>();
    for (int i = 0; i < 3; i++) {
      children.add(
          CompletableFuture.supplyAsync(
              () -> {
                try {
                  return ChildJvm.run(
                      Duration.ofSeconds(120),
                      ChildLimitedServer.class,
                      server.uri(),
                      Integer.toString(LIMIT),
                      Integer.toString(TASKS));
                } catch (Exception e) {
                  throw new IllegalStateException(e);
                }
              }));
    }
    for (CompletableFuture<ChildJvm.Result> child : children) {
      ChildJvm.Result r = child.get();
      assertThat(r.exitCode()).as(r.toString()).isZero();
      assertThat(r.stdout()).as(r.toString()).contains("done");
    }
    assertThat(redis.get("test:done")).isEqualTo(Integer.toString(TASKS));
    assertThat(redis.get("test:max")).as("the most handlers of the fleet at once").isEqualTo("5");
    assertThat(redis.lrange("asynq:{fleet}:active")).isEmpty();
  }
}

package io.jasynq.server;

import static io.jasynq.TaskOption.group;
import static io.jasynq.TaskOption.queue;
import static org.assertj.core.api.Assertions.assertThat;

import io.jasynq.Client;
import io.jasynq.ServerConfig;
import io.jasynq.Task;
import io.jasynq.support.Batches;
import io.jasynq.support.ServerFixture;
import io.jasynq.support.ServerTest;
import io.jasynq.testkit.Eventually;
import io.jasynq.testkit.FakeClock;
import io.jasynq.testkit.TestRedis;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;

/**
 * Grouped tasks enqueued by a client are aggregated by a running server into one task of the
 * group's queue, which its handler processes (wire-format §4.9); the group's keys are cleaned up.
 */
@ServerTest
class ServerAggregationTest {
  private static final Instant T0 = Instant.parse("2026-11-22T10:00:00Z");

  private final TestRedis redis;
  private final ServerFixture fixture;
  private final FakeClock clock;
  private final Client client;

  ServerAggregationTest(TestRedis redis, ServerFixture fixture) {
    this.redis = redis;
    this.fixture = fixture;
    this.clock = fixture.clock();
    this.client = fixture.client();
    clock.set(T0);
  }

  @Test
  void groupedTasksAreAggregatedIntoOneTaskOfTheGroupsQueue() {
    List<String> ids = new ArrayList<>();
    for (int i = 1; i <= 5; i++) {
      if (i > 1) {
        clock.advance(Duration.ofSeconds(1)); // one second apart; the newest entered just now
      }
      ids.add(client.enqueue(Task.of("item", "p" + i), queue("q"), group("g")).id());
    }
    List<String> handled = new CopyOnWriteArrayList<>();
    List<String> queues = new CopyOnWriteArrayList<>();
    ServerConfig config =
        ServerConfig.builder()
            .concurrency(2)
            .queue("q", 1)
            .clock(clock)
            .taskCheckInterval(Duration.ofMillis(20))
            .groupGracePeriod(Duration.ofSeconds(1))
            .groupMaxSize(3)
            .groupAggregator(Batches.joiningPayloads())
            .build();
    fixture.start(
        config,
        ctx -> {
          queues.add(ctx.queue());
          handled.add(Batches.typeAndPayload(ctx.task()));
        });

    // At once: the three oldest, by size. The other two wait for the grace period.
    Eventually.until("first batch handled", () -> handled.size() == 1);
    assertThat(handled).containsExactly("batch g:p1,p2,p3");
    assertThat(redis.zrangeWithScores("asynq:{q}:g:g")).containsOnlyKeys(ids.get(3), ids.get(4));
    assertThat(redis.smembers("asynq:{q}:groups")).containsExactly("g");

    clock.advance(Duration.ofSeconds(1));
    Eventually.until("second batch handled", () -> handled.size() == 2);
    assertThat(handled).containsExactly("batch g:p1,p2,p3", "batch g:p4,p5");
    assertThat(queues).containsOnly("q");
    Eventually.until("all tasks deleted", () -> redis.keys("asynq:{q}:t:*").isEmpty());
    assertThat(redis.keys("asynq:{q}:g:*")).as("group and set keys").isEmpty();
    assertThat(redis.keys("asynq:{q}:groups")).isEmpty();
    assertThat(redis.keys("asynq:{q}:aggregation_sets")).isEmpty();
    assertThat(redis.get("asynq:{q}:processed")).isEqualTo("2");
  }
}

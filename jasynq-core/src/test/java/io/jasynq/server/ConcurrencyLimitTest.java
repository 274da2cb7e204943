package io.jasynq.server;

import static io.jasynq.TaskOption.queue;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.jasynq.Client;
import io.jasynq.Handler;
import io.jasynq.Inspector;
import io.jasynq.ServerConfig;
import io.jasynq.Task;
import io.jasynq.support.ScriptCalls;
import io.jasynq.support.ServerConfigs;
import io.jasynq.support.ServerFixture;
import io.jasynq.support.ServerTest;
import io.jasynq.testkit.Eventually;
import io.jasynq.testkit.RedisServer;
import io.jasynq.testkit.TestRedis;
import java.time.Duration;
import java.util.OptionalInt;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/**
 * A queue's fleet-wide concurrency limit with several real servers on one Redis: the handlers
 * record how many of them overlap, and the limit, raised at run time, is never exceeded.
 */
@ServerTest
class ConcurrencyLimitTest {
  private static final String Q = "limited";

  private final RedisServer server;
  private final TestRedis redis;
  private final ServerFixture fixture;
  private final Client client;

  ConcurrencyLimitTest(RedisServer server, TestRedis redis, ServerFixture fixture) {
    this.server = server;
    this.redis = redis;
    this.fixture = fixture;
    this.client = fixture.client();
  }

  /** Counts the handlers running at once, and the most seen. */
  private static final class Overlap {
    final AtomicInteger now = new AtomicInteger();
    final AtomicInteger max = new AtomicInteger();
    final AtomicInteger done = new AtomicInteger();

    void enter() {
      int n = now.incrementAndGet();
      max.accumulateAndGet(n, Math::max);
    }

    void exit() {
      now.decrementAndGet();
      done.incrementAndGet();
    }
  }

  /** Script calls Redis has run so far (dequeues among them). */
  private long scriptCalls() {
    return ScriptCalls.of(redis);
  }

  private static void awaitQuietly(CountDownLatch latch) {
    try {
      latch.await(30, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  @Test
  void aLimitOfFiveAcrossThreeServersOfTenHoldsAndARaiseAtRunTimeTakesEffect() {
    int tasks = 40;
    for (int i = 0; i < tasks; i++) {
      client.enqueue(Task.of("work"), queue(Q));
    }
    Overlap overlap = new Overlap();
    CountDownLatch gate = new CountDownLatch(1);
    Handler handler =
        ctx -> {
          overlap.enter();
          try {
            awaitQuietly(gate); // held until the test has seen the fleet at its limit
          } finally {
            overlap.exit();
          }
        };
    ServerConfig config =
        ServerConfigs.fast().concurrency(10).queue(Q, 1).queueConcurrencyLimit(Q, 5).build();
    for (int i = 0; i < 3; i++) {
      fixture.start(config, handler);
    }
    try (Inspector inspector = Inspector.connect(server.uri())) {
      assertThat(inspector.concurrencyLimit(Q)).isEqualTo(OptionalInt.of(5));
      Eventually.until("five handlers running", () -> overlap.now.get() == 5);
      // 25 idle workers on three servers polling every 20 ms meanwhile: none may start a sixth.
      long calls = scriptCalls();
      Eventually.until("the servers tried again at the limit", () -> scriptCalls() > calls + 30);
      assertThat(redis.lrange("asynq:{" + Q + "}:active")).hasSize(5);
      assertThat(overlap.max.get()).isEqualTo(5);

      inspector.setConcurrencyLimit(Q, 8);
      Eventually.until("eight handlers running", () -> overlap.now.get() == 8);
      assertThat(redis.lrange("asynq:{" + Q + "}:active")).hasSize(8);
      gate.countDown();
      Eventually.until("every task done", () -> overlap.done.get() == tasks);
      assertThat(overlap.max.get()).as("never above the limit of the moment").isEqualTo(8);
    } finally {
      gate.countDown();
    }
  }

  @Test
  void aFreedSlotWakesTheServerThatFreedItWithoutWaitingForThePoll() {
    int tasks = 20;
    for (int i = 0; i < tasks; i++) {
      client.enqueue(Task.of("quick"), queue(Q));
    }
    Overlap overlap = new Overlap();
    ServerConfig config =
        ServerConfigs.fast()
            .taskCheckInterval(Duration.ofMinutes(1)) // only wake-ups can go faster
            .concurrency(20) // above Chain's limit: workers do not take their next task
            .queue(Q, 1)
            .queueConcurrencyLimit(Q, 2)
            .build();
    fixture.start(
        config,
        ctx -> {
          overlap.enter();
          overlap.exit();
        });
    Eventually.until("every task done", () -> overlap.done.get() == tasks);
    assertThat(overlap.max.get()).isLessThanOrEqualTo(2);
  }

  @Test
  void theConfiguredLimitReplacesOneSetAtRunTimeWhenTheServerStarts() {
    try (Inspector inspector = Inspector.connect(server.uri())) {
      inspector.setConcurrencyLimit(Q, 9);
      fixture.start(ServerConfigs.fast().queue(Q, 1).queueConcurrencyLimit(Q, 3).build(), c -> {});
      assertThat(inspector.concurrencyLimit(Q)).isEqualTo(OptionalInt.of(3));
      inspector.setConcurrencyLimit(Q, null);
      assertThat(inspector.concurrencyLimit(Q)).isEmpty();
      assertThat(inspector.concurrencyLimit("other")).isEmpty();
    }
  }

  @Test
  void badLimitsAreRejectedNamingTheQueueTheValueAndTheRule() {
    assertThatThrownBy(() -> ServerConfig.builder().queueConcurrencyLimit(Q, 0))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("concurrency limit of queue \"limited\" must be >= 1, was 0");
    assertThatThrownBy(
            () -> ServerConfig.builder().queue("a", 1).queueConcurrencyLimit(Q, 2).build())
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("queueConcurrencyLimit names queue \"limited\"")
        .hasMessageContaining("does not serve");
    assertThat(
            ServerConfig.builder().queueConcurrencyLimit("default", 2).build().concurrencyLimits())
        .containsEntry("default", 2);
    try (Inspector inspector = Inspector.connect(server.uri())) {
      assertThatThrownBy(() -> inspector.setConcurrencyLimit(Q, -1))
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessage("concurrency limit of queue \"limited\" must be >= 1, was -1");
    }
  }
}

package io.jasynq.server;

import static io.jasynq.TaskOption.queue;
import static org.assertj.core.api.Assertions.assertThat;

import io.jasynq.Client;
import io.jasynq.Inspector;
import io.jasynq.RateLimit;
import io.jasynq.ServerConfig;
import io.jasynq.Task;
import io.jasynq.support.ScriptCalls;
import io.jasynq.support.ServerConfigs;
import io.jasynq.support.ServerFixture;
import io.jasynq.support.ServerTest;
import io.jasynq.testkit.Eventually;
import io.jasynq.testkit.FakeClock;
import io.jasynq.testkit.RedisServer;
import io.jasynq.testkit.TestRedis;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/**
 * A queue's fleet-wide rate limit with real servers on a fake clock: the bucket refills only as the
 * clock moves, so the number of tasks started is exact, not a measurement of real time.
 */
@ServerTest
class RateLimitTest {
  private static final String Q = "metered";
  private static final Instant T0 = Instant.parse("2035-06-01T12:00:00Z");

  private final RedisServer server;
  private final TestRedis redis;
  private final ServerFixture fixture;
  private final FakeClock clock;
  private final Client client;

  RateLimitTest(RedisServer server, TestRedis redis, ServerFixture fixture) {
    this.server = server;
    this.redis = redis;
    this.fixture = fixture;
    this.clock = fixture.clock();
    this.client = fixture.client();
    clock.set(T0);
  }

  /** Script calls Redis has run so far (dequeues among them). */
  private long scriptCalls() {
    return ScriptCalls.of(redis);
  }

  private void settle(AtomicInteger done, int expected) {
    Eventually.until(expected + " tasks done", () -> done.get() == expected);
    long calls = scriptCalls();
    Eventually.until("the servers tried again", () -> scriptCalls() > calls + 20);
    assertThat(done.get()).as("no task beyond the tokens").isEqualTo(expected);
  }

  @Test
  void fiftyPerSecondOverTenSecondsOfTheClockIsFiveHundredAcrossTwoServersAndARaiseTakesEffect() {
    for (int i = 0; i < 900; i++) {
      client.enqueue(Task.of("call-api"), queue(Q));
    }
    AtomicInteger done = new AtomicInteger();
    ServerConfig config =
        ServerConfigs.fast()
            .clock(clock)
            .concurrency(10)
            .queue(Q, 1)
            .queueRateLimit(Q, RateLimit.of(50, Duration.ofSeconds(1)).withBurst(5))
            .build();
    fixture.start(config, ctx -> done.incrementAndGet());
    fixture.start(config, ctx -> done.incrementAndGet());

    settle(done, 5); // the bucket starts full: the burst
    for (int step = 1; step <= 100; step++) { // 10 s of the clock, 100 ms at a time
      clock.set(T0.plusMillis(100L * step));
      int expected = 5 + 5 * step;
      Eventually.until(expected + " tasks done", () -> done.get() == expected);
    }
    settle(done, 505);

    try (Inspector inspector = Inspector.connect(server.uri())) {
      assertThat(inspector.rateLimit(Q)).hasValue(new RateLimit(50, Duration.ofSeconds(1), 5));
      inspector.setRateLimit(Q, RateLimit.of(200, Duration.ofSeconds(1)));
      clock.set(T0.plusSeconds(11)); // 1 s more at 200 per s
      settle(done, 705);
      inspector.setRateLimit(Q, null);
      Eventually.until("the rest, unlimited", () -> done.get() == 900);
    }
    assertThat(redis.lrange("asynq:{" + Q + "}:pending")).isEmpty();
  }
}

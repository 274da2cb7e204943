package io.jasynq.testkit;

import static io.jasynq.testkit.RedisAssertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

/** The assertions pass on what {@link Seed} writes and fail naming what they found. */
@RedisTest
class RedisAssertionsTest {
  private static final Instant NOW = Instant.parse("2030-01-02T03:04:05Z");

  private final TestRedis redis;
  private final Seed.Queue q;

  RedisAssertionsTest(TestRedis redis) {
    this.redis = redis;
    this.q = Seed.into(redis, FakeClock.at(NOW)).queue("q");
  }

  @Test
  void countsEachStateContainer() {
    String pending = q.pending("t", "x");
    q.pending("t", "y");
    String active = q.task("t").active(NOW.plusSeconds(30));
    q.task("t").scheduled(NOW);
    q.task("t").retry(NOW);
    q.task("t").archived(NOW);
    q.task("t").completed(NOW, Duration.ofMinutes(1));
    q.task("t").aggregating("g", NOW);

    assertThat(redis)
        .knowsQueues("q")
        .queue("q")
        .hasPending(2)
        .hasPending(pending)
        .hasActive(1)
        .hasActive(active)
        .hasScheduled(1)
        .hasRetry(1)
        .hasArchived(1)
        .hasCompleted(1)
        .hasAggregating("g", 1);
    assertThat(redis).queue("other").isEmpty().hasNoActive().hasNoPending();
  }

  @Test
  void aTaskIsInAStateWhenItsHashAndItsOneContainerAgree() {
    String active = q.task("t").active(NOW.plusSeconds(30));
    String grouped = q.task("t").aggregating("g", NOW);
    String retry = q.task("t").retry(NOW.plusSeconds(5));

    assertThat(redis)
        .queue("q")
        .task(active)
        .isInState("active")
        .hasScore("active", NOW.plusSeconds(30));
    assertThat(redis).queue("q").task(grouped).isInState("aggregating").hasField("group", "g");
    assertThat(redis)
        .queue("q")
        .task(retry)
        .isInState("retry")
        .hasScore("retry", NOW.plusSeconds(5));
    assertThat(redis).queue("q").task("missing").doesNotExist();
  }

  @Test
  void failuresSayWhatWasFound() {
    String id = q.pending("t", "x");
    redis.commands().zadd("asynq:{q}:retry", 1, id.getBytes());

    assertThatThrownBy(() -> assertThat(redis).queue("q").hasNoPending())
        .isInstanceOf(AssertionError.class)
        .hasMessageContaining("expected 0 pending in queue q but found 1: [" + id + "]");
    assertThatThrownBy(() -> assertThat(redis).queue("q").task(id).isInState("pending"))
        .isInstanceOf(AssertionError.class)
        .hasMessageContaining("to be in [pending] only but it is in [pending, retry]");
    assertThatThrownBy(() -> assertThat(redis).queue("q").task(id).isInState("archived"))
        .isInstanceOf(AssertionError.class)
        .hasMessageContaining("its hash says pending");
    assertThatThrownBy(() -> assertThat(redis).queue("q").task(id).doesNotExist())
        .isInstanceOf(AssertionError.class)
        .hasMessageContaining("to be gone");
    assertThatThrownBy(() -> assertThat(redis).queue("q").task(id).isInState("done"))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void anActiveTaskWithoutLeaseIsNotActive() {
    String id = q.task("t").active(NOW);
    redis.commands().del("asynq:{q}:lease");

    assertThatThrownBy(() -> assertThat(redis).queue("q").task(id).isInState("active"))
        .isInstanceOf(AssertionError.class)
        .hasMessageContaining("to have a lease");
  }
}

package io.jasynq.internal.server;

import static io.jasynq.testkit.RedisAssertions.assertThat;

import io.jasynq.internal.broker.Broker;
import io.jasynq.testkit.FakeClock;
import io.jasynq.testkit.Seed;
import io.jasynq.testkit.TestRedis;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** One janitor pass at a time (wire-format §4.9), on a real Redis, at the time the test says. */
@ServerPartTest
class JanitorTest {
  private static final Instant T0 = ServerPartFixture.T0;

  private final TestRedis redis;
  private final Seed seed;
  private final Broker broker;

  JanitorTest(TestRedis redis, ServerPartFixture parts) {
    this.redis = redis;
    this.seed = Seed.into(redis, FakeClock.at(T0));
    this.broker = parts.broker;
  }

  private String completed(String queue, Duration ago, Duration retention) {
    return seed.queue(queue).task("t").completed(T0.minus(ago), retention);
  }

  @Test
  void deletesOnlyCompletedTasksPastRetention() {
    String expired = completed("q", Duration.ofHours(2), Duration.ofHours(1));
    String endsNow = completed("q", Duration.ofHours(1), Duration.ofHours(1));
    String kept = completed("q", Duration.ofHours(2), Duration.ofHours(3));
    String pending = seed.queue("q").pending("t", "x");
    String archived = seed.queue("q").task("t").archived(T0.minus(Duration.ofDays(30)));

    new Janitor(broker, List.of("q"), 100).runOnce(T0);

    assertThat(redis).queue("q").hasCompleted(1).hasPending(1).hasArchived(1);
    assertThat(redis).queue("q").task(expired).doesNotExist();
    assertThat(redis).queue("q").task(endsNow).doesNotExist();
    assertThat(redis).queue("q").task(kept).isInState("completed");
    assertThat(redis).queue("q").task(pending).isInState("pending");
    assertThat(redis).queue("q").task(archived).isInState("archived");
  }

  @Test
  void aBacklogLargerThanOneBatchIsDeletedInOnePass() {
    for (int i = 0; i < 7; i++) {
      completed("q", Duration.ofHours(2), Duration.ofHours(1));
    }

    new Janitor(broker, List.of("q"), 2).runOnce(T0);

    assertThat(redis).queue("q").hasNoCompleted();
  }

  @Test
  void aPassStopsAfterItsBatchLimitAndTheNextGoesOn() {
    List<String> ids = new ArrayList<>();
    for (int i = 0; i < Janitor.MAX_BATCHES + 3; i++) {
      ids.add(completed("q", Duration.ofHours(2), Duration.ofHours(1)));
    }
    Janitor janitor = new Janitor(broker, List.of("q"), 1);

    janitor.runOnce(T0);
    assertThat(redis).queue("q").hasCompleted(3);

    janitor.runOnce(T0);
    assertThat(redis).queue("q").hasNoCompleted();
  }

  @Test
  void cleansEveryQueueItServesAndNoOther() {
    String q = completed("q", Duration.ofHours(2), Duration.ofHours(1));
    String r = completed("r", Duration.ofHours(2), Duration.ofHours(1));
    String other = completed("other", Duration.ofHours(2), Duration.ofHours(1));

    new Janitor(broker, List.of("q", "r"), 100).runOnce(T0);

    assertThat(redis).queue("q").task(q).doesNotExist();
    assertThat(redis).queue("r").task(r).doesNotExist();
    assertThat(redis).queue("other").task(other).isInState("completed");
  }
}

package io.jasynq.internal.server;

import static io.jasynq.testkit.RedisAssertions.assertThat;
import static org.assertj.core.api.Assertions.assertThat;

import io.jasynq.ServerListener;
import io.jasynq.internal.broker.Broker;
import io.jasynq.support.LogCapture;
import io.jasynq.testkit.FakeClock;
import io.jasynq.testkit.Seed;
import io.jasynq.testkit.TestRedis;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** One forwarder pass at a time (wire-format §4.6), on a real Redis, at the time the test says. */
@ServerPartTest
class ForwarderTest {
  private static final Instant T0 = ServerPartFixture.T0;

  private final TestRedis redis;
  private final Seed seed;
  private final Broker broker;
  private final AtomicInteger wakeUps = new AtomicInteger();
  private final List<String> heard = new CopyOnWriteArrayList<>();
  private final Forwarder forwarder;

  ForwarderTest(TestRedis redis, ServerPartFixture parts) {
    this.redis = redis;
    this.seed = Seed.into(redis, FakeClock.at(T0));
    this.broker = parts.broker;
    ServerListener listener =
        new ServerListener() {
          @Override
          public void onTasksForwarded(String queue, int count) {
            heard.add(queue + " " + count);
          }
        };
    this.forwarder =
        new Forwarder(
            broker,
            List.of("q", "r"),
            wakeUps::incrementAndGet,
            new Listeners(List.of(listener), null));
  }

  @Test
  void movesDueScheduledAndRetryTasksToPendingAndLeavesTheOthers() {
    String dueScheduled = seed.queue("q").task("t").scheduled(T0.minusSeconds(1));
    String dueNow = seed.queue("q").task("t").scheduled(T0);
    String dueRetry = seed.queue("q").task("t").retried(1).retry(T0.minusSeconds(60));
    String later = seed.queue("q").task("t").scheduled(T0.plusSeconds(1));
    String laterRetry = seed.queue("q").task("t").retry(T0.plusSeconds(60));

    forwarder.runOnce(T0);

    assertThat(redis).queue("q").hasPending(3).hasScheduled(1).hasRetry(1);
    for (String id : List.of(dueScheduled, dueNow, dueRetry)) {
      assertThat(redis)
          .queue("q")
          .task(id)
          .isInState("pending")
          .hasField("pending_since", T0.getEpochSecond() + "000000000");
    }
    assertThat(redis)
        .queue("q")
        .task(later)
        .isInState("scheduled")
        .hasScore("scheduled", T0.plusSeconds(1));
    assertThat(redis).queue("q").task(laterRetry).isInState("retry");
    assertThat(heard).containsExactly("q 3");
    assertThat(wakeUps).hasValue(1);
  }

  @Test
  void aDueTaskOfAGroupGoesBackIntoItsGroup() {
    String id = seed.queue("q").task("t").group("g").scheduled(T0.minusSeconds(1));

    forwarder.runOnce(T0);

    assertThat(redis).queue("q").hasNoPending().hasNoScheduled().hasAggregating("g", 1);
    assertThat(redis).queue("q").task(id).isInState("aggregating");
  }

  @Test
  void aPassWithNothingDueWakesNoWorker() {
    seed.queue("q").task("t").scheduled(T0.plusSeconds(1));

    forwarder.runOnce(T0);

    assertThat(wakeUps).hasValue(0);
    assertThat(heard).isEmpty();
    assertThat(redis).queue("q").hasScheduled(1).hasNoPending();
  }

  @Test
  void forwardsEachQueueItServes() {
    String q = seed.queue("q").task("t").scheduled(T0);
    String r = seed.queue("r").task("t").retry(T0);
    String other = seed.queue("other").task("t").scheduled(T0);

    forwarder.runOnce(T0);

    assertThat(redis).queue("q").task(q).isInState("pending");
    assertThat(redis).queue("r").task(r).isInState("pending");
    assertThat(redis).queue("other").task(other).isInState("scheduled");
    assertThat(heard).containsExactlyInAnyOrder("q 1", "r 1");
    assertThat(wakeUps).hasValue(1);
  }

  @Test
  void aQueueWithAWrongTypedKeyIsReportedOnceAndTheOtherQueuesForwarded() {
    redis.commands().set("asynq:{q}:scheduled", "x".getBytes());
    String r = seed.queue("r").task("t").scheduled(T0);
    try (LogCapture logs = LogCapture.start()) {
      forwarder.runOnce(T0);
      forwarder.runOnce(T0);

      assertThat(redis).queue("r").task(r).isInState("pending");
      assertThat(logs.warningsAndErrors())
          .filteredOn(l -> l.contains("asynq:{q}:scheduled"))
          .hasSize(1);
    }
  }
}

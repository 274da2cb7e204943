package io.jasynq.internal.server;

import static io.jasynq.TaskOption.queue;
import static io.jasynq.testkit.RedisAssertions.assertThat;
import static org.assertj.core.api.Assertions.assertThat;

import io.jasynq.Client;
import io.jasynq.ServerConfig;
import io.jasynq.Task;
import io.jasynq.TaskOption;
import io.jasynq.internal.broker.Broker;
import io.jasynq.internal.broker.Keys;
import io.jasynq.internal.broker.proto.TaskMessage;
import io.jasynq.support.LogCapture;
import io.jasynq.testkit.FakeClock;
import io.jasynq.testkit.Seed;
import io.jasynq.testkit.TestRedis;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * One recoverer pass at a time (wire-format §4.7, issue 10), driven by a fake clock on a real
 * Redis.
 */
@ServerPartTest
class RecovererTest {
  private static final Instant T0 = ServerPartFixture.T0;
  private static final long T0_S = T0.getEpochSecond();

  private final TestRedis redis;
  private final FakeClock clock;
  private final Broker broker;
  private final Client client;
  private final Recoverer recoverer;
  private final Seed.Queue seed;

  RecovererTest(TestRedis redis, ServerPartFixture parts) {
    this.redis = redis;
    this.clock = parts.clock;
    this.seed = Seed.into(redis, clock).queue("q");
    this.broker = parts.broker;
    this.client = parts.client();
    ServerConfig config =
        ServerConfig.builder()
            .queue("q", 1)
            .queue("r", 1)
            .clock(clock)
            .retryDelay(RecovererTest::delay)
            .build();
    this.recoverer =
        new Recoverer(
            broker, List.of("q", "r"), config, Set::of, new Listeners(config.listeners(), null));
  }

  /** 60 s, except for tasks of type "poison", on which the user's function fails. */
  private static Duration delay(int retried, Throwable error, Task task) {
    if (task.type().equals("poison")) {
      throw new IllegalStateException("no delay for poison");
    }
    return Duration.ofSeconds(60);
  }

  /** A task left active by a dead worker, whose lease ran out at {@code leaseScore}. */
  private String orphan(String queue, long leaseScore) {
    return orphan(queue, "t", leaseScore);
  }

  private String orphan(String queue, String type, long leaseScore) {
    String id = client.enqueue(Task.of(type), queue(queue)).id();
    String p = "asynq:{" + queue + "}:";
    redis.commands().rpop(p + "pending");
    redis.commands().lpush(p + "active", id.getBytes());
    redis.commands().hset(Keys.task(queue, id), "state", "active".getBytes());
    redis.commands().zadd(p + "lease", (double) leaseScore, id.getBytes());
    return id;
  }

  private TaskMessage msg(String queue, String id) throws Exception {
    return TaskMessage.parseFrom(redis.hgetAll(Keys.task(queue, id)).get("msg"));
  }

  @Test
  void recoversATaskWhoseLeaseRanOutMoreThanTheSkewAgoToRetry() throws Exception {
    String id = seed.task("t").retried(1).active(T0.minus(Recoverer.SKEW).minusSeconds(1));

    recoverer.runOnce(T0);

    assertThat(redis).queue("q").hasNoActive().task(id).isInState("retry");
    assertThat(redis).queue("q").task(id).hasScore("retry", T0.plusSeconds(60));
    TaskMessage m = msg("q", id);
    assertThat(m.getRetried()).isEqualTo(2);
    assertThat(m.getErrorMsg()).isEqualTo(Recoverer.LEASE_EXPIRED);
    assertThat(m.getLastFailedAt()).isEqualTo(T0_S);
  }

  @Test
  void leavesATaskWhoseLeaseRanOutWithinTheSkewOrIsStillValid() {
    String withinSkew = seed.task("t").active(T0.minus(Recoverer.SKEW).plusSeconds(1));
    String valid = seed.task("t").active(T0.plusSeconds(10));

    recoverer.runOnce(T0);

    assertThat(redis).queue("q").hasActive(withinSkew, valid).hasNoRetry();
    assertThat(redis).queue("q").task(withinSkew).isInState("active");
  }

  @Test
  void leavesAnExpiredTaskThisServerIsStillRunningToTheHeartbeater() {
    String ours = seed.task("t").active(T0.minusSeconds(60));
    String theirs = seed.task("t").active(T0.minusSeconds(60));
    ServerConfig config = ServerConfig.builder().clock(clock).build();

    new Recoverer(broker, List.of("q"), config, () -> Set.of(ours), new Listeners(List.of(), null))
        .runOnce(T0);

    assertThat(redis).queue("q").task(ours).isInState("active");
    assertThat(redis).queue("q").task(theirs).isInState("retry");
  }

  @Test
  void archivesAnExpiredTaskWithNoRetriesLeft() throws Exception {
    String id = seed.task("t").maxRetry(2).retried(2).active(T0.minusSeconds(60));

    recoverer.runOnce(T0);

    assertThat(redis).queue("q").hasNoActive().hasNoRetry().task(id).isInState("archived");
    assertThat(redis).queue("q").task(id).hasScore("archived", T0);
    assertThat(msg("q", id).getErrorMsg()).isEqualTo(Recoverer.LEASE_EXPIRED);
  }

  @Test
  void aMessageOfAnotherTaskIsArchivedAndTheOrphanBesideItIsRecovered() throws Exception {
    String good = orphan("q", T0_S - 40);
    byte[] foreign =
        TaskMessage.newBuilder()
            .setId("someone-else-0")
            .setQueue("q")
            .setType("t")
            .setRetry(25)
            .build()
            .toByteArray();
    redis.commands().hset("asynq:{q}:t:x", Map.of("msg", foreign, "state", "active".getBytes()));
    redis.commands().lpush("asynq:{q}:active", "x".getBytes());
    redis.commands().zadd("asynq:{q}:lease", (double) (T0_S - 100), "x".getBytes()); // first

    recoverer.runOnce(T0);

    assertThat(redis.hget(Keys.task("q", good), "state")).isEqualTo("retry");
    assertThat(redis.hget("asynq:{q}:t:x", "state")).isEqualTo("archived");
    assertThat(msg("q", "x").getErrorMsg())
        .isEqualTo(
            "malformed task message: the message's id \"someone-else-0\" is not its key's id"
                + " \"x\"");
    assertThat(redis.hgetAll("asynq:{q}:t:x").get("malformed_msg")).isEqualTo(foreign);
    assertThat(redis.keys("asynq:{q}:t:someone-else-0")).isEmpty();
    assertThat(redis.keys("asynq:{q}:active")).isEmpty();
    assertThat(redis.keys("asynq:{q}:lease")).isEmpty();
  }

  @Test
  void anEntryThatKeepsFailingIsLoggedEachPassThenArchivedAndOthersGoOn() throws Exception {
    String stuck = orphan("q", "poison", T0_S - 50);
    String next = orphan("q", T0_S - 40);
    String other = orphan("r", T0_S - 40);
    try (LogCapture logs = LogCapture.start()) {
      for (int pass = 1; pass < Recoverer.MAX_ATTEMPTS; pass++) {
        recoverer.runOnce(T0);
        assertThat(redis.hget(Keys.task("q", stuck), "state")).isEqualTo("active");
      }
      assertThat(redis.hget(Keys.task("q", next), "state")).isEqualTo("retry");
      assertThat(redis.hget(Keys.task("r", other), "state")).isEqualTo("retry");
      assertThat(logs.warningsAndErrors())
          .filteredOn(l -> l.contains("could not recover task " + stuck))
          .allMatch(l -> l.contains("no delay for poison"))
          .hasSize(Recoverer.MAX_ATTEMPTS - 1);

      recoverer.runOnce(T0);

      assertThat(redis.hget(Keys.task("q", stuck), "state")).isEqualTo("archived");
      assertThat(msg("q", stuck).getErrorMsg())
          .startsWith("malformed task message: recovery failed 3 times");
      assertThat(logs.warningsAndErrors())
          .anyMatch(l -> l.contains("archiving task " + stuck) && l.contains("\"q\""));
    }
  }

  @Test
  void aQueueWithAWrongTypedLeaseKeyIsReportedOnceAndTheOtherQueuesRecovered() {
    redis.commands().set("asynq:{q}:lease", "x".getBytes());
    String other = orphan("r", T0_S - 40);
    try (LogCapture logs = LogCapture.start()) {
      recoverer.runOnce(T0);
      recoverer.runOnce(T0);

      assertThat(redis.hget(Keys.task("r", other), "state")).isEqualTo("retry");
      assertThat(logs.warningsAndErrors())
          .filteredOn(l -> l.contains("asynq:{q}:lease is a string, not a zset"))
          .hasSize(1);
    }
  }

  @Test
  void listenersHearOfEachRecoveredTaskAndOfTheArchivedOnes() {
    String retried = orphan("q", T0_S - 40);
    String exhausted = client.enqueue(Task.of("t"), queue("r"), TaskOption.maxRetry(0)).id();
    redis.commands().rpop("asynq:{r}:pending");
    redis.commands().lpush("asynq:{r}:active", exhausted.getBytes());
    redis.commands().hset(Keys.task("r", exhausted), "state", "active".getBytes());
    redis.commands().zadd("asynq:{r}:lease", (double) (T0_S - 40), exhausted.getBytes());
    List<String> heard = new java.util.concurrent.CopyOnWriteArrayList<>();
    io.jasynq.ServerListener listener =
        new io.jasynq.ServerListener() {
          @Override
          public void onTaskRecovered(io.jasynq.TaskEvent e) {
            heard.add("recovered " + e.taskId() + " " + e.outcome().orElseThrow());
          }

          @Override
          public void onTaskArchived(io.jasynq.TaskEvent e) {
            heard.add("archived " + e.taskId() + " " + e.error().orElseThrow().getMessage());
          }
        };
    new Recoverer(
            broker,
            List.of("q", "r"),
            ServerConfig.builder().clock(clock).build(),
            Set::of,
            new Listeners(List.of(listener), null))
        .runOnce(T0);

    assertThat(heard)
        .containsExactlyInAnyOrder(
            "recovered " + retried + " RETRY",
            "recovered " + exhausted + " ARCHIVED",
            "archived " + exhausted + " " + Recoverer.LEASE_EXPIRED);
  }
}

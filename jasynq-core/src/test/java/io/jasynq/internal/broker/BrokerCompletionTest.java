package io.jasynq.internal.broker;

import static io.jasynq.TaskOption.queue;
import static io.jasynq.TaskOption.retention;
import static io.jasynq.TaskOption.unique;
import static io.jasynq.internal.broker.BrokerFixture.DAY;
import static io.jasynq.internal.broker.BrokerFixture.LEASE;
import static io.jasynq.internal.broker.BrokerFixture.NOW;
import static io.jasynq.internal.broker.BrokerFixture.NOW_S;
import static io.jasynq.internal.broker.BrokerFixture.STATS_EXPIRY;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.jasynq.Task;
import io.jasynq.TaskInfo;
import io.jasynq.internal.broker.proto.TaskMessage;
import io.jasynq.testkit.RedisServer;
import io.jasynq.testkit.RedisTest;
import io.jasynq.testkit.TestRedis;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.function.Function;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Done, MarkAsComplete, Requeue and Retry (spec §3.10–§3.13): exact Redis state after each. */
@RedisTest
class BrokerCompletionTest {
  private static final String MAX_INT64 = Long.toString(Long.MAX_VALUE);

  private final TestRedis redis;
  private final BrokerFixture f;
  private final Broker broker;

  BrokerCompletionTest(RedisServer server, TestRedis redis) {
    this.redis = redis;
    this.f = new BrokerFixture(server, redis);
    this.broker = f.broker;
  }

  @AfterEach
  void close() {
    f.close();
  }

  @Test
  void doneRemovesTheTaskAndCountsItProcessed() {
    TaskMessage msg = f.active(Task.of("t"), queue("q"));

    f.await(broker.done(msg, NOW));

    String daily = "asynq:{q}:processed:" + DAY;
    assertThat(redis.keys("*"))
        .containsExactlyInAnyOrder("asynq:queues", daily, "asynq:{q}:processed");
    assertThat(redis.get(daily)).isEqualTo("1");
    assertThat(f.expireTime(daily)).isEqualTo(STATS_EXPIRY);
    assertThat(redis.get("asynq:{q}:processed")).isEqualTo("1");
    assertThat(redis.ttl("asynq:{q}:processed")).isEqualTo(-1);
  }

  @Test
  void doneReleasesTheUniqueLockTheTaskHolds() {
    TaskMessage msg = f.active(Task.of("t", "p"), queue("q"), unique(Duration.ofHours(1)));
    assertThat(redis.get(msg.getUniqueKey())).isEqualTo(msg.getId());

    f.await(broker.done(msg, NOW));

    assertThat(redis.keys("asynq:{q}:unique:*")).isEmpty();
  }

  @Test
  void doneKeepsALockThatNowNamesAnotherTask() {
    TaskMessage msg = f.active(Task.of("t", "p"), queue("q"), unique(Duration.ofHours(1)));
    redis.commands().set(msg.getUniqueKey(), "other".getBytes());

    f.await(broker.done(msg, NOW));

    assertThat(redis.get(msg.getUniqueKey())).isEqualTo("other");
  }

  @Test
  void doneCountsOnAnExistingDailyKeyAndResetsTheTotalAtInt64Max() {
    TaskMessage msg = f.active(Task.of("t"), queue("q"));
    String daily = "asynq:{q}:processed:" + DAY;
    redis.commands().set(daily, "5".getBytes());
    redis.commands().set("asynq:{q}:processed", MAX_INT64.getBytes());

    f.await(broker.done(msg, NOW));

    assertThat(redis.get(daily)).isEqualTo("6");
    assertThat(redis.ttl(daily)).isEqualTo(-1); // only a key the INCR created gets the expiry
    assertThat(redis.get("asynq:{q}:processed")).isEqualTo("1");
  }

  @Test
  void everyCompletionWriteRefusesAPendingTaskAndWritesNothing() throws Exception {
    TaskInfo info = f.enqueue(Task.of("t", "p"), queue("q"), unique(Duration.ofHours(1)));
    TaskMessage msg = f.msg("q", info.id());
    assertRefusedWithoutWrites(msg);
  }

  @Test
  void everyCompletionWriteRefusesATaskMissingFromTheLeaseAndWritesNothing() {
    TaskMessage msg = f.active(Task.of("t"), queue("q"));
    redis.commands().zrem("asynq:{q}:lease", msg.getId().getBytes());
    assertRefusedWithoutWrites(msg);
  }

  @Test
  void everyCompletionWriteRefusesATaskMissingFromActiveAndWritesNothing() {
    TaskMessage msg = f.active(Task.of("t"), queue("q"));
    redis.commands().lrem("asynq:{q}:active", 0, msg.getId().getBytes());
    assertRefusedWithoutWrites(msg);
  }

  @Test
  void everyCompletionWriteRefusesATaskWithoutAHashAndWritesNothing() {
    TaskMessage msg = f.active(Task.of("t"), queue("q"));
    redis.commands().del(Keys.task("q", msg.getId()));
    assertRefusedWithoutWrites(msg);
  }

  private void assertRefusedWithoutWrites(TaskMessage msg) {
    Map<String, String> before = f.snapshot();
    List<Function<TaskMessage, CompletableFuture<Void>>> writes =
        List.of(
            m -> broker.done(m, NOW),
            m -> broker.markComplete(m, NOW),
            m -> broker.requeue(m, NOW),
            m -> broker.retry(m, NOW, NOW.plusSeconds(60), "boom", true),
            m -> broker.archive(m, NOW, "boom"),
            m -> broker.archiveMalformed(m.getQueue(), m.getId(), new byte[] {1}, "bad", NOW));
    for (Function<TaskMessage, CompletableFuture<Void>> write : writes) {
      assertThatThrownBy(() -> f.await(write.apply(msg)))
          .isInstanceOf(TaskNotActiveException.class)
          .hasMessageContaining("NOT FOUND")
          .hasMessageContaining(msg.getId())
          .satisfies(
              e -> {
                TaskNotActiveException n = (TaskNotActiveException) e;
                assertThat(n.queue()).isEqualTo("q");
                assertThat(n.taskId()).isEqualTo(msg.getId());
              });
      assertThat(f.snapshot()).isEqualTo(before);
    }
  }

  @Test
  void markCompleteKeepsTheTaskAndItsResultUntilTheRetentionEnds() throws Exception {
    TaskMessage msg =
        f.active(
            Task.of("t", "p"),
            queue("q"),
            retention(Duration.ofHours(1)),
            unique(Duration.ofHours(1)));
    assertThat(f.await(broker.writeResult("q", msg.getId(), new byte[] {0, 1, 2}))).isTrue();

    f.await(broker.markComplete(msg, NOW));

    String hash = Keys.task("q", msg.getId());
    String daily = "asynq:{q}:processed:" + DAY;
    assertThat(redis.keys("*"))
        .containsExactlyInAnyOrder(
            "asynq:queues", "asynq:{q}:completed", hash, daily, "asynq:{q}:processed");
    assertThat(redis.zrangeWithScores("asynq:{q}:completed"))
        .containsExactly(Map.entry(msg.getId(), (double) (NOW_S + 3600)));
    assertThat(redis.hkeys(hash)).containsExactly("msg", "result", "state", "unique_key");
    assertThat(redis.hget(hash, "state")).isEqualTo("completed");
    assertThat(redis.hgetAll(hash).get("result")).containsExactly(0, 1, 2);
    assertThat(f.msg("q", msg.getId())).isEqualTo(msg.toBuilder().setCompletedAt(NOW_S).build());
    assertThat(redis.get(daily)).isEqualTo("1");
    assertThat(f.expireTime(daily)).isEqualTo(STATS_EXPIRY);
    assertThat(redis.get("asynq:{q}:processed")).isEqualTo("1");
  }

  @Test
  void markCompleteKeepsFieldsThisVersionDoesNotKnow() throws Exception {
    TaskInfo info = f.enqueue(Task.of("t"), queue("q"), retention(Duration.ofMinutes(1)));
    String hash = Keys.task("q", info.id());
    byte[] stored = redis.hgetAll(hash).get("msg");
    byte[] withUnknown = new byte[stored.length + 3];
    System.arraycopy(stored, 0, withUnknown, 0, stored.length);
    withUnknown[stored.length] = (byte) 0x98; // field 99, varint
    withUnknown[stored.length + 1] = 0x06;
    withUnknown[stored.length + 2] = 0x07;
    redis.commands().hset(hash, "msg", withUnknown);
    Dequeued d = f.await(broker.dequeue(List.of("q"), NOW, LEASE));

    f.await(broker.markComplete(d.message(), NOW));

    TaskMessage written = f.msg("q", info.id());
    assertThat(written.getCompletedAt()).isEqualTo(NOW_S);
    assertThat(written.getUnknownFields().getField(99).getVarintList()).containsExactly(7L);
  }

  @Test
  void markCompleteRefusesATaskAlreadyInCompleted() {
    TaskMessage msg = f.active(Task.of("t"), queue("q"), retention(Duration.ofMinutes(1)));
    redis.commands().zadd("asynq:{q}:completed", 1.0, msg.getId().getBytes());
    Map<String, String> before = f.snapshot();

    assertThatThrownBy(() -> f.await(broker.markComplete(msg, NOW)))
        .hasMessageContaining("markComplete failed")
        .hasMessageContaining("INTERNAL");
    assertThat(f.snapshot()).isEqualTo(before);
  }

  @Test
  void requeuePutsTheTaskAtTheTailOfPendingWithPendingSince() {
    TaskMessage msg = f.active(Task.of("t"), queue("q"));
    TaskInfo waiting = f.enqueue(Task.of("t"), queue("q"));
    Instant later = NOW.plusSeconds(5);

    f.await(broker.requeue(msg, later));

    String hash = Keys.task("q", msg.getId());
    assertThat(redis.keys("*"))
        .containsExactlyInAnyOrder(
            "asynq:queues", "asynq:{q}:pending", hash, Keys.task("q", waiting.id()));
    assertThat(redis.lrange("asynq:{q}:pending")).containsExactly(waiting.id(), msg.getId());
    assertThat(redis.hkeys(hash)).containsExactly("msg", "pending_since", "state");
    assertThat(redis.hget(hash, "state")).isEqualTo("pending");
    assertThat(redis.hget(hash, "pending_since"))
        .isEqualTo(Long.toString(BrokerFixture.nanos(later)));
    assertThat(redis.hgetAll(hash).get("msg")).isEqualTo(msg.toByteArray());
  }

  @Test
  void retryOfAFailureCountsItAndBumpsRetried() throws Exception {
    TaskMessage msg = f.active(Task.of("t"), queue("q"));
    Instant retryAt = NOW.plusSeconds(44);

    f.await(broker.retry(msg, NOW, retryAt, "boom", true));

    String hash = Keys.task("q", msg.getId());
    List<String> counters =
        List.of(
            "asynq:{q}:processed:" + DAY,
            "asynq:{q}:failed:" + DAY,
            "asynq:{q}:processed",
            "asynq:{q}:failed");
    assertThat(redis.keys("*"))
        .containsExactlyInAnyOrder(
            "asynq:queues",
            "asynq:{q}:retry",
            hash,
            counters.get(0),
            counters.get(1),
            counters.get(2),
            counters.get(3));
    assertThat(redis.zrangeWithScores("asynq:{q}:retry"))
        .containsExactly(Map.entry(msg.getId(), (double) retryAt.getEpochSecond()));
    assertThat(redis.hkeys(hash)).containsExactly("msg", "state");
    assertThat(redis.hget(hash, "state")).isEqualTo("retry");
    assertThat(f.msg("q", msg.getId()))
        .isEqualTo(
            msg.toBuilder().setRetried(1).setErrorMsg("boom").setLastFailedAt(NOW_S).build());
    for (String counter : counters) {
      assertThat(redis.get(counter)).as(counter).isEqualTo("1");
    }
    assertThat(f.expireTime(counters.get(0))).isEqualTo(STATS_EXPIRY);
    assertThat(f.expireTime(counters.get(1))).isEqualTo(STATS_EXPIRY);
    assertThat(redis.ttl(counters.get(2))).isEqualTo(-1);
    assertThat(redis.ttl(counters.get(3))).isEqualTo(-1);
  }

  @Test
  void retryOfANonFailureCountsNothingAndKeepsRetried() throws Exception {
    TaskMessage msg = f.active(Task.of("t"), queue("q"));

    f.await(broker.retry(msg, NOW, NOW.plusSeconds(15), "not yet", false));

    assertThat(redis.keys("*"))
        .containsExactlyInAnyOrder("asynq:queues", "asynq:{q}:retry", Keys.task("q", msg.getId()));
    assertThat(f.msg("q", msg.getId()))
        .isEqualTo(msg.toBuilder().setErrorMsg("not yet").setLastFailedAt(NOW_S).build());
  }

  @Test
  void retryResetsBothTotalsWhenProcessedReachedInt64Max() {
    TaskMessage msg = f.active(Task.of("t"), queue("q"));
    redis.commands().set("asynq:{q}:processed", MAX_INT64.getBytes());
    redis.commands().set("asynq:{q}:failed", "41".getBytes());

    f.await(broker.retry(msg, NOW, NOW.plusSeconds(15), "boom", true));

    assertThat(redis.get("asynq:{q}:processed")).isEqualTo("1");
    assertThat(redis.get("asynq:{q}:failed")).isEqualTo("1");
  }
}

package io.jasynq.internal.broker;

import static io.jasynq.TaskOption.queue;
import static io.jasynq.TaskOption.retention;
import static io.jasynq.TaskOption.unique;
import static io.jasynq.internal.broker.BrokerFixture.DAY;
import static io.jasynq.internal.broker.BrokerFixture.FAILURE_COUNTERS;
import static io.jasynq.internal.broker.BrokerFixture.LEASE;
import static io.jasynq.internal.broker.BrokerFixture.NOW;
import static io.jasynq.internal.broker.BrokerFixture.NOW_S;
import static io.jasynq.internal.broker.BrokerFixture.STATS_EXPIRY;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.jasynq.Task;
import io.jasynq.TaskInfo;
import io.jasynq.internal.broker.proto.TaskMessage;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.function.Function;
import org.junit.jupiter.api.Test;

/**
 * Done, MarkAsComplete, Requeue and Retry (wire-format §3.10–§3.13): exact Redis state after each.
 */
@BrokerTest
class BrokerCompletionTest {
  private static final String MAX_INT64 = Long.toString(Long.MAX_VALUE);

  private final BrokerFixture f;

  BrokerCompletionTest(BrokerFixture f) {
    this.f = f;
  }

  @Test
  void doneRemovesTheTaskAndCountsItProcessed() {
    TaskMessage msg = f.active(Task.of("t"), queue("q"));

    f.await(f.broker.outcomes().done(msg, NOW));

    String daily = "asynq:{q}:processed:" + DAY;
    assertThat(f.redis.keys("*"))
        .containsExactlyInAnyOrder("asynq:queues", daily, "asynq:{q}:processed");
    assertThat(f.redis.get(daily)).isEqualTo("1");
    assertThat(f.expireTime(daily)).isEqualTo(STATS_EXPIRY);
    assertThat(f.redis.get("asynq:{q}:processed")).isEqualTo("1");
    assertThat(f.redis.ttl("asynq:{q}:processed")).isEqualTo(-1);
  }

  @Test
  void doneReleasesTheUniqueLockTheTaskHolds() {
    TaskMessage msg = f.active(Task.of("t", "p"), queue("q"), unique(Duration.ofHours(1)));
    assertThat(f.redis.get(msg.getUniqueKey())).isEqualTo(msg.getId());

    f.await(f.broker.outcomes().done(msg, NOW));

    assertThat(f.redis.keys("asynq:{q}:unique:*")).isEmpty();
  }

  @Test
  void doneKeepsALockThatNowNamesAnotherTask() {
    TaskMessage msg = f.active(Task.of("t", "p"), queue("q"), unique(Duration.ofHours(1)));
    f.redis.commands().set(msg.getUniqueKey(), "other".getBytes());

    f.await(f.broker.outcomes().done(msg, NOW));

    assertThat(f.redis.get(msg.getUniqueKey())).isEqualTo("other");
  }

  @Test
  void doneCountsOnAnExistingDailyKeyAndResetsTheTotalAtInt64Max() {
    TaskMessage msg = f.active(Task.of("t"), queue("q"));
    String daily = "asynq:{q}:processed:" + DAY;
    f.redis.commands().set(daily, "5".getBytes());
    f.redis.commands().set("asynq:{q}:processed", MAX_INT64.getBytes());

    f.await(f.broker.outcomes().done(msg, NOW));

    assertThat(f.redis.get(daily)).isEqualTo("6");
    assertThat(f.redis.ttl(daily)).isEqualTo(-1); // only a key the INCR created gets the expiry
    assertThat(f.redis.get("asynq:{q}:processed")).isEqualTo("1");
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
    f.redis.commands().zrem("asynq:{q}:lease", msg.getId().getBytes());
    assertRefusedWithoutWrites(msg);
  }

  @Test
  void everyCompletionWriteRefusesATaskMissingFromActiveAndWritesNothing() {
    TaskMessage msg = f.active(Task.of("t"), queue("q"));
    f.redis.commands().lrem("asynq:{q}:active", 0, msg.getId().getBytes());
    assertRefusedWithoutWrites(msg);
  }

  @Test
  void everyCompletionWriteRefusesATaskWithoutAHashAndWritesNothing() {
    TaskMessage msg = f.active(Task.of("t"), queue("q"));
    f.redis.commands().del(Keys.task("q", msg.getId()));
    assertRefusedWithoutWrites(msg);
  }

  private void assertRefusedWithoutWrites(TaskMessage msg) {
    Map<String, String> before = f.snapshot();
    List<Function<TaskMessage, CompletableFuture<Void>>> writes =
        List.of(
            m -> f.broker.outcomes().done(m, NOW),
            m -> f.broker.outcomes().markComplete(m, NOW),
            m -> f.broker.outcomes().requeue(m, NOW),
            m -> f.broker.outcomes().retry(m, NOW, NOW.plusSeconds(60), "boom", true),
            m -> f.broker.outcomes().archive(m, NOW, "boom"),
            m ->
                f.broker
                    .outcomes()
                    .archiveMalformed(m.getQueue(), m.getId(), new byte[] {1}, "bad", NOW));
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
    assertThat(f.await(f.broker.outcomes().writeResult("q", msg.getId(), new byte[] {0, 1, 2})))
        .isTrue();

    f.await(f.broker.outcomes().markComplete(msg, NOW));

    String hash = Keys.task("q", msg.getId());
    String daily = "asynq:{q}:processed:" + DAY;
    assertThat(f.redis.keys("*"))
        .containsExactlyInAnyOrder(
            "asynq:queues", "asynq:{q}:completed", hash, daily, "asynq:{q}:processed");
    assertThat(f.redis.zrangeWithScores("asynq:{q}:completed"))
        .containsExactly(Map.entry(msg.getId(), (double) (NOW_S + 3600)));
    assertThat(f.redis.hkeys(hash)).containsExactly("msg", "result", "state", "unique_key");
    assertThat(f.redis.hget(hash, "state")).isEqualTo("completed");
    assertThat(f.redis.hgetAll(hash).get("result")).containsExactly(0, 1, 2);
    assertThat(f.msg("q", msg.getId())).isEqualTo(msg.toBuilder().setCompletedAt(NOW_S).build());
    assertThat(f.redis.get(daily)).isEqualTo("1");
    assertThat(f.expireTime(daily)).isEqualTo(STATS_EXPIRY);
    assertThat(f.redis.get("asynq:{q}:processed")).isEqualTo("1");
  }

  @Test
  void markCompleteKeepsFieldsThisVersionDoesNotKnow() throws Exception {
    TaskInfo info = f.enqueue(Task.of("t"), queue("q"), retention(Duration.ofMinutes(1)));
    String hash = Keys.task("q", info.id());
    byte[] stored = f.redis.hgetAll(hash).get("msg");
    byte[] withUnknown = new byte[stored.length + 3];
    System.arraycopy(stored, 0, withUnknown, 0, stored.length);
    withUnknown[stored.length] = (byte) 0x98; // field 99, varint
    withUnknown[stored.length + 1] = 0x06;
    withUnknown[stored.length + 2] = 0x07;
    f.redis.commands().hset(hash, "msg", withUnknown);
    Dequeued d = f.await(f.broker.tasks().dequeue(List.of("q"), NOW, LEASE));

    f.await(f.broker.outcomes().markComplete(d.message(), NOW));

    TaskMessage written = f.msg("q", info.id());
    assertThat(written.getCompletedAt()).isEqualTo(NOW_S);
    assertThat(written.getUnknownFields().getField(99).getVarintList()).containsExactly(7L);
  }

  @Test
  void markCompleteRefusesATaskAlreadyInCompleted() {
    TaskMessage msg = f.active(Task.of("t"), queue("q"), retention(Duration.ofMinutes(1)));
    f.redis.commands().zadd("asynq:{q}:completed", 1.0, msg.getId().getBytes());
    Map<String, String> before = f.snapshot();

    assertThatThrownBy(() -> f.await(f.broker.outcomes().markComplete(msg, NOW)))
        .hasMessageContaining("markComplete failed")
        .hasMessageContaining("INTERNAL");
    assertThat(f.snapshot()).isEqualTo(before);
  }

  @Test
  void requeuePutsTheTaskAtTheTailOfPendingWithPendingSince() {
    TaskMessage msg = f.active(Task.of("t"), queue("q"));
    TaskInfo waiting = f.enqueue(Task.of("t"), queue("q"));
    Instant later = NOW.plusSeconds(5);

    f.await(f.broker.outcomes().requeue(msg, later));

    String hash = Keys.task("q", msg.getId());
    assertThat(f.redis.keys("*"))
        .containsExactlyInAnyOrder(
            "asynq:queues", "asynq:{q}:pending", hash, Keys.task("q", waiting.id()));
    assertThat(f.redis.lrange("asynq:{q}:pending")).containsExactly(waiting.id(), msg.getId());
    assertThat(f.redis.hkeys(hash)).containsExactly("msg", "pending_since", "state");
    assertThat(f.redis.hget(hash, "state")).isEqualTo("pending");
    assertThat(f.redis.hget(hash, "pending_since"))
        .isEqualTo(Long.toString(BrokerFixture.nanos(later)));
    assertThat(f.redis.hgetAll(hash).get("msg")).isEqualTo(msg.toByteArray());
  }

  @Test
  void retryOfAFailureCountsItAndBumpsRetried() throws Exception {
    TaskMessage msg = f.active(Task.of("t"), queue("q"));
    Instant retryAt = NOW.plusSeconds(44);

    f.await(f.broker.outcomes().retry(msg, NOW, retryAt, "boom", true));

    String hash = Keys.task("q", msg.getId());
    List<String> counters = FAILURE_COUNTERS;
    assertThat(f.redis.keys("*"))
        .containsExactlyInAnyOrder(
            "asynq:queues",
            "asynq:{q}:retry",
            hash,
            counters.get(0),
            counters.get(1),
            counters.get(2),
            counters.get(3));
    assertThat(f.redis.zrangeWithScores("asynq:{q}:retry"))
        .containsExactly(Map.entry(msg.getId(), (double) retryAt.getEpochSecond()));
    assertThat(f.redis.hkeys(hash)).containsExactly("msg", "state");
    assertThat(f.redis.hget(hash, "state")).isEqualTo("retry");
    assertThat(f.msg("q", msg.getId()))
        .isEqualTo(
            msg.toBuilder().setRetried(1).setErrorMsg("boom").setLastFailedAt(NOW_S).build());
    f.assertOneFailureCounted();
    assertThat(f.redis.ttl(counters.get(2))).isEqualTo(-1);
    assertThat(f.redis.ttl(counters.get(3))).isEqualTo(-1);
  }

  @Test
  void retryOfANonFailureCountsNothingAndKeepsRetried() throws Exception {
    TaskMessage msg = f.active(Task.of("t"), queue("q"));

    f.await(f.broker.outcomes().retry(msg, NOW, NOW.plusSeconds(15), "not yet", false));

    assertThat(f.redis.keys("*"))
        .containsExactlyInAnyOrder("asynq:queues", "asynq:{q}:retry", Keys.task("q", msg.getId()));
    assertThat(f.msg("q", msg.getId()))
        .isEqualTo(msg.toBuilder().setErrorMsg("not yet").setLastFailedAt(NOW_S).build());
  }

  @Test
  void retryResetsBothTotalsWhenProcessedReachedInt64Max() {
    TaskMessage msg = f.active(Task.of("t"), queue("q"));
    f.redis.commands().set("asynq:{q}:processed", MAX_INT64.getBytes());
    f.redis.commands().set("asynq:{q}:failed", "41".getBytes());

    f.await(f.broker.outcomes().retry(msg, NOW, NOW.plusSeconds(15), "boom", true));

    assertThat(f.redis.get("asynq:{q}:processed")).isEqualTo("1");
    assertThat(f.redis.get("asynq:{q}:failed")).isEqualTo("1");
  }
}

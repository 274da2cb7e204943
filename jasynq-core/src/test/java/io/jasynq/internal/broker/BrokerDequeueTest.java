package io.jasynq.internal.broker;

import static io.jasynq.TaskOption.queue;
import static io.jasynq.internal.broker.BrokerFixture.BAD_MSG;
import static io.jasynq.internal.broker.BrokerFixture.LEASE;
import static io.jasynq.internal.broker.BrokerFixture.LEASE_S;
import static io.jasynq.internal.broker.BrokerFixture.NOW;
import static io.jasynq.internal.broker.BrokerFixture.NOW_S;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.jasynq.Task;
import io.jasynq.TaskInfo;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Dequeue (wire-format §3.9) with jasynq's fixes: paused queues skipped, dangling IDs dropped. */
@BrokerTest
class BrokerDequeueTest {
  private final BrokerFixture f;

  BrokerDequeueTest(BrokerFixture f) {
    this.f = f;
  }

  private Dequeued dequeue(String... queues) {
    return f.await(f.broker.tasks().dequeue(List.of(queues), NOW, LEASE));
  }

  @Test
  void movesTheOldestPendingTaskToActiveUnderALease() throws Exception {
    TaskInfo first = f.enqueue(Task.of("email:send", "{\"to\":1}"), queue("q"));
    TaskInfo second = f.enqueue(Task.of("email:send"), queue("q"));
    String hash = Keys.task("q", first.id());

    Dequeued d = dequeue("q");

    assertThat(d.queue()).isEqualTo("q");
    assertThat(d.id()).isEqualTo(first.id());
    assertThat(d.decodeError()).isNull();
    assertThat(d.message().getType()).isEqualTo("email:send");
    assertThat(d.message().getPayload().toStringUtf8()).isEqualTo("{\"to\":1}");
    assertThat(d.rawMessage()).isEqualTo(f.redis.hgetAll(hash).get("msg"));
    assertThat(f.redis.keys("*"))
        .containsExactlyInAnyOrder(
            "asynq:queues",
            "asynq:{q}:pending",
            "asynq:{q}:active",
            "asynq:{q}:lease",
            hash,
            Keys.task("q", second.id()));
    assertThat(f.redis.lrange("asynq:{q}:pending")).containsExactly(second.id());
    assertThat(f.redis.type("asynq:{q}:active")).isEqualTo("list");
    assertThat(f.redis.lrange("asynq:{q}:active")).containsExactly(first.id());
    assertThat(f.redis.zrangeWithScores("asynq:{q}:lease"))
        .containsExactly(Map.entry(first.id(), (double) LEASE_S));
    assertThat(f.redis.hkeys(hash)).containsExactly("msg", "state");
    assertThat(f.redis.hget(hash, "state")).isEqualTo("active");
    assertThat(f.msg("q", first.id())).isEqualTo(d.message());
  }

  @Test
  void triesQueuesInTheGivenOrderOneAtATime() {
    TaskInfo low = f.enqueue(Task.of("t"), queue("low"));
    TaskInfo high = f.enqueue(Task.of("t"), queue("high"));

    Dequeued d = dequeue("empty", "high", "low");

    assertThat(d.queue()).isEqualTo("high");
    assertThat(d.id()).isEqualTo(high.id());
    assertThat(f.redis.lrange("asynq:{low}:pending")).containsExactly(low.id());
    assertThat(f.redis.keys("asynq:{empty}:*")).isEmpty();
  }

  @Test
  void skipsAPausedQueue() {
    TaskInfo paused = f.enqueue(Task.of("t"), queue("paused"));
    TaskInfo open = f.enqueue(Task.of("t"), queue("open"));
    f.redis.commands().set("asynq:{paused}:paused", Long.toString(NOW_S).getBytes());

    assertThat(dequeue("paused", "open").id()).isEqualTo(open.id());
    assertThat(f.redis.lrange("asynq:{paused}:pending")).containsExactly(paused.id());
    assertThat(f.redis.hget(Keys.task("paused", paused.id()), "state")).isEqualTo("pending");

    Map<String, String> before = f.snapshot();
    assertThat(dequeue("paused")).isNull();
    assertThat(f.snapshot()).isEqualTo(before);
  }

  @Test
  void givesNullAndWritesNothingWhenEveryQueueIsEmpty() {
    f.enqueue(Task.of("t"), queue("other"));
    Map<String, String> before = f.snapshot();

    assertThat(dequeue("a", "b")).isNull();
    assertThat(dequeue()).isNull();

    assertThat(f.snapshot()).isEqualTo(before);
  }

  @Test
  void dropsADanglingIdAndDequeuesTheNextRealTask() {
    TaskInfo real = f.enqueue(Task.of("t"), queue("q"));
    f.redis.commands().rpush("asynq:{q}:pending", "ghost".getBytes()); // tail: would be next

    Dequeued d = dequeue("q");

    assertThat(d.id()).isEqualTo(real.id());
    assertThat(f.redis.keys("asynq:{q}:pending")).isEmpty();
    assertThat(f.redis.lrange("asynq:{q}:active")).containsExactly(real.id());
    assertThat(f.redis.zrangeWithScores("asynq:{q}:lease")).containsOnlyKeys(real.id());
    assertThat(f.redis.keys("*ghost*")).isEmpty();
  }

  @Test
  void aQueueOfOnlyDanglingIdsYieldsNothingAndIsCleaned() {
    f.redis.commands().lpush("asynq:{q}:pending", "ghost1".getBytes(), "ghost2".getBytes());

    assertThat(dequeue("q")).isNull();

    assertThat(f.redis.keys("*")).isEmpty();
  }

  @Test
  void looksAtABoundedNumberOfDanglingIdsPerCall() {
    TaskInfo real = f.enqueue(Task.of("t"), queue("q"));
    for (int i = 0; i < TaskFlow.DEQUEUE_SCAN_LIMIT + 5; i++) {
      f.redis.commands().rpush("asynq:{q}:pending", ("ghost" + i).getBytes());
    }

    assertThat(dequeue("q")).isNull();
    assertThat(f.redis.lrange("asynq:{q}:pending"))
        .containsExactly(real.id(), "ghost0", "ghost1", "ghost2", "ghost3", "ghost4");

    assertThat(dequeue("q").id()).isEqualTo(real.id());
    assertThat(f.redis.keys("*ghost*")).isEmpty();
  }

  @Test
  void anUndecodableMessageComesBackActiveWithTheReason() {
    TaskInfo info = f.enqueue(Task.of("t"), queue("q"));
    String hash = Keys.task("q", info.id());
    f.redis.commands().hset(hash, "msg", BAD_MSG);

    Dequeued d = dequeue("q");

    assertThat(d.id()).isEqualTo(info.id());
    assertThat(d.message()).isNull();
    assertThat(d.rawMessage()).isEqualTo(BAD_MSG);
    assertThat(d.decodeError()).containsIgnoringCase("UTF-8");
    assertThat(f.redis.hget(hash, "state")).isEqualTo("active");
    assertThat(f.redis.lrange("asynq:{q}:active")).containsExactly(info.id());
    assertThat(f.redis.zrangeWithScores("asynq:{q}:lease")).containsOnlyKeys(info.id());
  }

  @Test
  void aHashWithoutMsgComesBackWithTheReason() {
    f.redis.commands().hset(Keys.task("q", "bare"), "state", "pending".getBytes());
    f.redis.commands().lpush("asynq:{q}:pending", "bare".getBytes());

    Dequeued d = dequeue("q");

    assertThat(d.id()).isEqualTo("bare");
    assertThat(d.rawMessage()).isNull();
    assertThat(d.message()).isNull();
    assertThat(d.decodeError()).contains("no msg");
  }

  @Test
  void aWrongTypedTaskKeyIsIsolatedAndTheRestOfTheBatchProceeds() {
    TaskInfo valid = f.enqueue(Task.of("t"), queue("q"));
    f.redis.commands().set("asynq:{q}:t:bad1", "x".getBytes());
    f.redis.commands().lpush("asynq:{q}:pending", "bad1".getBytes());
    TaskInfo after = f.enqueue(Task.of("t"), queue("q"));

    DequeueBatch batch = f.await(f.broker.tasks().dequeue(List.of("q"), NOW, LEASE, 5));

    assertThat(batch.tasks()).extracting(Dequeued::id).containsExactly(valid.id(), after.id());
    assertThat(batch.isolated())
        .containsExactly(
            new Isolated(
                "q",
                "bad1",
                "asynq:{q}:t:bad1 is a string, not a hash; removed from pending, key kept"));
    assertThat(batch.served()).containsExactly("q");
    assertThat(batch.unusable()).isEmpty();
    assertThat(f.redis.keys("asynq:{q}:pending")).isEmpty();
    assertThat(f.redis.lrange("asynq:{q}:active")).containsExactly(after.id(), valid.id());
    assertThat(f.redis.zrangeWithScores("asynq:{q}:lease"))
        .containsOnlyKeys(valid.id(), after.id());
    assertThat(f.redis.get("asynq:{q}:t:bad1")).isEqualTo("x"); // foreign data kept
  }

  @Test
  void aTaskAlsoHeldInTheSetOfItsStateIsRemovedFromPendingAndLeftThere() {
    TaskInfo twice = f.enqueue(Task.of("t"), queue("q"));
    String hash = Keys.task("q", twice.id());
    f.redis.commands().hset(hash, "state", "retry".getBytes());
    f.redis.commands().zadd("asynq:{q}:retry", (double) NOW_S + 60, twice.id().getBytes());
    TaskInfo valid = f.enqueue(Task.of("t"), queue("q"));

    DequeueBatch batch = f.await(f.broker.tasks().dequeue(List.of("q"), NOW, LEASE, 5));

    assertThat(batch.tasks()).extracting(Dequeued::id).containsExactly(valid.id());
    assertThat(batch.isolated()).extracting(Isolated::id).containsExactly(twice.id());
    assertThat(batch.isolated().get(0).reason())
        .isEqualTo(
            hash + " is in state retry and held there too; removed from pending, left retry");
    assertThat(f.redis.keys("asynq:{q}:pending")).isEmpty();
    assertThat(f.redis.hget(hash, "state")).isEqualTo("retry");
    assertThat(f.redis.zrangeWithScores("asynq:{q}:retry")).containsOnlyKeys(twice.id());
  }

  @Test
  void aTaskWhoseStateNamesASetThatDoesNotHoldItIsTakenAsUsual() {
    // Only mislabelled: pending is its one place, so removing it would orphan it.
    TaskInfo info = f.enqueue(Task.of("t"), queue("q"));
    f.redis.commands().hset(Keys.task("q", info.id()), "state", "archived".getBytes());

    DequeueBatch batch = f.await(f.broker.tasks().dequeue(List.of("q"), NOW, LEASE, 5));

    assertThat(batch.tasks()).extracting(Dequeued::id).containsExactly(info.id());
    assertThat(batch.isolated()).isEmpty();
    assertThat(f.redis.hget(Keys.task("q", info.id()), "state")).isEqualTo("active");
  }

  @Test
  void aQueueWhoseKeysHaveTheWrongTypeIsReportedUntouchedAndTheNextQueueIsServed() {
    TaskInfo a = f.enqueue(Task.of("t"), queue("a"));
    TaskInfo b = f.enqueue(Task.of("t"), queue("b"));
    TaskInfo c = f.enqueue(Task.of("t"), queue("c"));
    TaskInfo ok = f.enqueue(Task.of("t"), queue("ok"));
    f.redis.commands().set("asynq:{a}:t:x", "x".getBytes());
    f.redis.commands().del("asynq:{a}:pending");
    f.redis.commands().hset("asynq:{a}:pending", "f", "v".getBytes());
    f.redis.commands().set("asynq:{b}:active", "x".getBytes());
    f.redis.commands().sadd("asynq:{c}:lease", "x".getBytes());
    Map<String, String> before = f.snapshot();

    DequeueBatch batch =
        f.await(f.broker.tasks().dequeue(List.of("a", "b", "c", "ok"), NOW, LEASE, 5));

    assertThat(batch.tasks()).extracting(Dequeued::id).containsExactly(ok.id());
    assertThat(batch.served()).containsExactly("ok");
    assertThat(batch.unusable())
        .containsExactly(
            Map.entry("a", "asynq:{a}:pending is a hash, not a list"),
            Map.entry("b", "asynq:{b}:active is a string, not a list"),
            Map.entry("c", "asynq:{c}:lease is a set, not a zset"));
    Map<String, String> after = f.snapshot();
    for (String q : List.of("a", "b", "c")) {
      after.keySet().stream()
          .filter(k -> k.contains("{" + q + "}"))
          .forEach(k -> assertThat(after.get(k)).as(k).isEqualTo(before.get(k)));
    }
    assertThat(f.redis.hget(Keys.task("b", b.id()), "state")).isEqualTo("pending");
    assertThat(f.redis.hget(Keys.task("c", c.id()), "state")).isEqualTo("pending");
    assertThat(a.id()).isNotNull();
  }

  @Test
  void runsAfterTheServersScriptCacheWasFlushed() {
    TaskInfo info = f.enqueue(Task.of("t"), queue("q"));
    f.redis.scriptFlush();

    assertThat(dequeue("q").id()).isEqualTo(info.id());
  }

  @Test
  void rejectsALeaseThatIsNotInTheFuture() {
    assertThatThrownBy(() -> f.broker.tasks().dequeue(List.of("q"), NOW, NOW))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("leaseExpiry");
  }
}

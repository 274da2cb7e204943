package io.jasynq.internal.broker;

import static io.jasynq.TaskOption.group;
import static io.jasynq.TaskOption.processAt;
import static io.jasynq.TaskOption.queue;
import static io.jasynq.internal.broker.BrokerFixture.NOW;
import static io.jasynq.internal.broker.BrokerFixture.NOW_S;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.jasynq.Task;
import io.jasynq.TaskInfo;
import io.jasynq.internal.broker.proto.TaskMessage;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The forwarder's ForwardIfReady (wire-format §3.15) and the janitor's batch delete (§3.16). */
@BrokerTest
class BrokerForwardTest {
  private static final Instant LATER = NOW.plusSeconds(20);
  private static final long LATER_S = LATER.getEpochSecond();

  private final BrokerFixture f;

  BrokerForwardTest(BrokerFixture f) {
    this.f = f;
  }

  @Test
  void forwardMovesOnlyDueScheduledAndRetryTasksToPending() {
    TaskInfo due = f.enqueue(Task.of("t"), queue("q"), processAt(NOW.plusSeconds(10)));
    TaskInfo atNow = f.enqueue(Task.of("t"), queue("q"), processAt(LATER));
    TaskInfo notDue = f.enqueue(Task.of("t"), queue("q"), processAt(LATER.plusSeconds(1)));
    TaskMessage failed = f.active(Task.of("t"), queue("q"));
    f.await(f.broker.outcomes().retry(failed, NOW, NOW.plusSeconds(15), "boom", true));

    assertThat(f.await(f.broker.tasks().forward("q", LATER)).moved()).isEqualTo(3);

    assertThat(f.redis.zrangeWithScores("asynq:{q}:scheduled")).containsOnlyKeys(notDue.id());
    assertThat(f.redis.keys("asynq:{q}:retry")).isEmpty();
    // Scheduled first, then retry; each LPUSHed at the head.
    List<String> pending = f.redis.lrange("asynq:{q}:pending");
    assertThat(pending).hasSize(3).startsWith(failed.getId());
    assertThat(pending.subList(1, 3)).containsExactlyInAnyOrder(due.id(), atNow.id());
    for (String id : pending) {
      String hash = Keys.task("q", id);
      assertThat(f.redis.hkeys(hash)).containsExactly("msg", "pending_since", "state");
      assertThat(f.redis.hget(hash, "state")).isEqualTo("pending");
      assertThat(f.redis.hget(hash, "pending_since"))
          .isEqualTo(Long.toString(BrokerFixture.nanos(LATER)));
    }
    assertThat(f.redis.hget(Keys.task("q", notDue.id()), "state")).isEqualTo("scheduled");
    assertThat(f.await(f.broker.tasks().forward("q", LATER)).moved()).isZero();
  }

  @Test
  void forwardMovesAGroupedTaskIntoItsGroupAndRegistersTheGroup() {
    TaskInfo info =
        f.enqueue(Task.of("t"), queue("q"), group("g1"), processAt(NOW.plusSeconds(10)));
    // Registered at schedule time, then unregistered by an aggregator that took the group's last
    // tasks meanwhile (wire-format §3.23): the forwarder registers it again.
    f.redis.commands().srem("asynq:{q}:groups", "g1".getBytes());

    assertThat(f.await(f.broker.tasks().forward("q", LATER)).moved()).isEqualTo(1);

    String hash = Keys.task("q", info.id());
    assertThat(f.redis.keys("asynq:{q}:*"))
        .containsExactlyInAnyOrder("asynq:{q}:g:g1", "asynq:{q}:groups", hash);
    assertThat(f.redis.zrangeWithScores("asynq:{q}:g:g1"))
        .containsExactly(Map.entry(info.id(), (double) LATER_S));
    assertThat(f.redis.smembers("asynq:{q}:groups")).containsExactly("g1");
    assertThat(f.redis.hget(hash, "state")).isEqualTo("aggregating");
    assertThat(f.redis.hget(hash, "group")).isEqualTo("g1");
  }

  @Test
  void forwardDropsDanglingIdsWithoutCreatingHashes() {
    f.redis.commands().zadd("asynq:{q}:scheduled", (double) NOW_S, "ghost1".getBytes());
    f.redis.commands().zadd("asynq:{q}:retry", (double) NOW_S, "ghost2".getBytes());
    TaskInfo real = f.enqueue(Task.of("t"), queue("q"), processAt(NOW.plusSeconds(1)));

    assertThat(f.await(f.broker.tasks().forward("q", LATER)).moved()).isEqualTo(1);

    assertThat(f.redis.keys("asynq:{q}:*"))
        .containsExactlyInAnyOrder("asynq:{q}:pending", Keys.task("q", real.id()));
  }

  @Test
  void forwardMovesMoreThanOneBatchInOneCall() {
    List<Task> tasks = new ArrayList<>(Collections.nCopies(250, Task.of("t")));
    f.client.enqueueBatch(tasks, queue("q"), processAt(NOW.plusSeconds(1)));
    assertThat(f.redis.commands().zcard("asynq:{q}:scheduled")).isEqualTo(250L);

    assertThat(f.await(f.broker.tasks().forward("q", LATER)).moved()).isEqualTo(250);

    assertThat(f.redis.commands().llen("asynq:{q}:pending")).isEqualTo(250L);
    assertThat(f.redis.keys("asynq:{q}:scheduled")).isEmpty();
  }

  @Test
  void forwardRemovesWrongTypedMembersKeepsTheirKeysAndForwardsTheRest() {
    TaskInfo scheduled = f.enqueue(Task.of("t"), queue("q"), processAt(NOW.plusSeconds(1)));
    f.redis.commands().set(Keys.task("q", "bad-s"), "x".getBytes());
    f.redis.commands().zadd("asynq:{q}:scheduled", (double) NOW_S, "bad-s".getBytes());
    f.redis.commands().sadd(Keys.task("q", "bad-r"), "x".getBytes());
    f.redis.commands().zadd("asynq:{q}:retry", (double) NOW_S, "bad-r".getBytes());

    Forwarded f1 = f.await(f.broker.tasks().forward("q", LATER));

    assertThat(f1.moved()).isEqualTo(1);
    assertThat(f1.isolated())
        .containsExactly(
            new Isolated(
                "q",
                "bad-s",
                "asynq:{q}:t:bad-s is a string, not a hash; removed from scheduled, key kept"),
            new Isolated(
                "q",
                "bad-r",
                "asynq:{q}:t:bad-r is a set, not a hash; removed from retry, key kept"));
    assertThat(f1.kept()).isEmpty();
    assertThat(f1.unusable()).isEmpty();
    assertThat(f.redis.lrange("asynq:{q}:pending")).containsExactly(scheduled.id());
    assertThat(f.redis.keys("asynq:{q}:scheduled")).isEmpty();
    assertThat(f.redis.keys("asynq:{q}:retry")).isEmpty();
    assertThat(f.redis.get(Keys.task("q", "bad-s"))).isEqualTo("x");
    assertThat(f.redis.type(Keys.task("q", "bad-r"))).isEqualTo("set");
  }

  @Test
  void forwardRemovesATaskHeldInAnotherStateAndForwardsAMislabelledOne() {
    TaskMessage running = f.active(Task.of("t"), queue("q"));
    f.redis.commands().zadd("asynq:{q}:retry", (double) NOW_S, running.getId().getBytes());
    TaskInfo mislabelled = f.enqueue(Task.of("t"), queue("q"), processAt(NOW.plusSeconds(1)));
    f.redis.commands().hset(Keys.task("q", mislabelled.id()), "state", "retry".getBytes());

    Forwarded fw = f.await(f.broker.tasks().forward("q", LATER));

    assertThat(fw.moved()).isEqualTo(1);
    assertThat(fw.isolated()).extracting(Isolated::id).containsExactly(running.getId());
    assertThat(fw.isolated().get(0).reason())
        .isEqualTo(
            Keys.task("q", running.getId())
                + " is in state active and held there too; removed from retry, left active");
    assertThat(f.redis.hget(Keys.task("q", running.getId()), "state")).isEqualTo("active");
    assertThat(f.redis.lrange("asynq:{q}:active")).containsExactly(running.getId());
    assertThat(f.redis.lrange("asynq:{q}:pending")).containsExactly(mislabelled.id());
    assertThat(f.redis.keys("asynq:{q}:retry")).isEmpty();
  }

  @Test
  void aWrongTypedSourceIsReportedUntouchedAndTheOtherSourceIsForwarded() {
    TaskInfo scheduled = f.enqueue(Task.of("t"), queue("q"), processAt(NOW.plusSeconds(1)));
    f.redis.commands().set("asynq:{q}:retry", "x".getBytes());

    Forwarded fw = f.await(f.broker.tasks().forward("q", LATER));

    assertThat(fw.moved()).isEqualTo(1);
    assertThat(fw.unusable()).containsExactly("asynq:{q}:retry is a string, not a zset");
    assertThat(f.redis.lrange("asynq:{q}:pending")).containsExactly(scheduled.id());
    assertThat(f.redis.get("asynq:{q}:retry")).isEqualTo("x");
  }

  @Test
  void aWrongTypedPendingOrGroupRegistryStopsTheQueueAndWritesNothing() {
    f.enqueue(Task.of("t"), queue("q"), processAt(NOW.plusSeconds(1)));
    f.redis.commands().set("asynq:{q}:groups", "x".getBytes());
    Map<String, String> before = f.snapshot();

    Forwarded fw = f.await(f.broker.tasks().forward("q", LATER));

    assertThat(fw.moved()).isZero();
    assertThat(fw.unusable())
        .containsExactly(
            "asynq:{q}:groups is a string, not a set", "asynq:{q}:groups is a string, not a set");
    assertThat(f.snapshot()).isEqualTo(before);
  }

  @Test
  void aTaskWhoseGroupKeyHasTheWrongTypeStaysAndDoesNotBlockTheOthers() {
    List<String> stuck = new ArrayList<>();
    for (int i = 0; i < TaskFlow.FORWARD_BATCH + 5; i++) {
      stuck.add(
          f.enqueue(Task.of("t"), queue("q"), group("bad"), processAt(NOW.plusSeconds(1))).id());
    }
    TaskInfo later = f.enqueue(Task.of("t"), queue("q"), processAt(NOW.plusSeconds(2)));
    f.redis.commands().set("asynq:{q}:g:bad", "x".getBytes());

    Forwarded fw = f.await(f.broker.tasks().forward("q", LATER));

    assertThat(fw.moved()).isEqualTo(1);
    assertThat(fw.kept()).extracting(Isolated::id).containsExactlyInAnyOrderElementsOf(stuck);
    assertThat(fw.kept().get(0).reason())
        .isEqualTo("its group asynq:{q}:g:bad is a string, not a zset; left in scheduled");
    assertThat(f.redis.lrange("asynq:{q}:pending")).containsExactly(later.id());
    assertThat(f.redis.zrangeWithScores("asynq:{q}:scheduled").keySet())
        .containsExactlyInAnyOrderElementsOf(stuck);
  }

  @Test
  void janitorDeletesOnlyCompletedTasksPastRetention() {
    for (String id : List.of("c1", "c2", "c3")) {
      f.redis.commands().hset(Keys.task("q", id), "state", "completed".getBytes());
    }
    f.redis.commands().zadd("asynq:{q}:completed", (double) (NOW_S - 1), "c1".getBytes());
    f.redis.commands().zadd("asynq:{q}:completed", (double) NOW_S, "c2".getBytes());
    f.redis.commands().zadd("asynq:{q}:completed", (double) (NOW_S + 1), "c3".getBytes());

    assertThat(f.await(f.broker.tasks().deleteExpiredCompleted("q", NOW, 100))).isEqualTo(2);

    assertThat(f.redis.keys("*"))
        .containsExactlyInAnyOrder("asynq:{q}:completed", "asynq:{q}:t:c3");
    assertThat(f.redis.zrangeWithScores("asynq:{q}:completed")).containsOnlyKeys("c3");
  }

  @Test
  void janitorDeletesOneBatchPerCall() {
    for (int i = 0; i < 5; i++) {
      f.redis.commands().hset(Keys.task("q", "c" + i), "state", "completed".getBytes());
      f.redis.commands().zadd("asynq:{q}:completed", (double) NOW_S - 10, ("c" + i).getBytes());
    }

    assertThat(f.await(f.broker.tasks().deleteExpiredCompleted("q", NOW, 2))).isEqualTo(2);
    assertThat(f.await(f.broker.tasks().deleteExpiredCompleted("q", NOW, 2))).isEqualTo(2);
    assertThat(f.await(f.broker.tasks().deleteExpiredCompleted("q", NOW, 2))).isEqualTo(1);
    assertThat(f.await(f.broker.tasks().deleteExpiredCompleted("q", NOW, 2))).isZero();
    assertThat(f.redis.keys("*")).isEmpty();
  }

  @Test
  void janitorRejectsABatchSizeBelowOne() {
    assertThatThrownBy(() -> f.broker.tasks().deleteExpiredCompleted("q", NOW, 0))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("batchSize");
  }
}

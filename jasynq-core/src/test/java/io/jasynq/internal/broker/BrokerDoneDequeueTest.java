package io.jasynq.internal.broker;

import static io.jasynq.TaskOption.queue;
import static io.jasynq.TaskOption.unique;
import static io.jasynq.internal.broker.BrokerFixture.DAY;
import static io.jasynq.internal.broker.BrokerFixture.LEASE;
import static io.jasynq.internal.broker.BrokerFixture.LEASE_S;
import static io.jasynq.internal.broker.BrokerFixture.NOW;
import static io.jasynq.internal.broker.BrokerFixture.STATS_EXPIRY;
import static org.assertj.core.api.Assertions.assertThat;

import io.jasynq.Task;
import io.jasynq.TaskInfo;
import io.jasynq.internal.broker.TaskFlow.DoneThenNext;
import io.jasynq.internal.broker.proto.TaskMessage;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/**
 * done_dequeue.lua: a finished task leaves Redis exactly as done.lua makes it leave, and the next
 * task becomes active exactly as dequeue.lua makes it; either half's refusal leaves the other be.
 */
@BrokerTest
class BrokerDoneDequeueTest {
  private final BrokerFixture f;

  BrokerDoneDequeueTest(BrokerFixture f) {
    this.f = f;
  }

  private DoneThenNext chain(TaskMessage done, String queue) {
    return f.await(
        f.broker.tasks().doneThenDequeue(done, f.broker.outcomes(), queue, NOW, LEASE, 1));
  }

  @Test
  void finishesTheTaskAndTakesTheOldestPendingOne() throws Exception {
    TaskMessage a = f.active(Task.of("a", "x"), unique(Duration.ofHours(1)));
    TaskInfo b = f.enqueue(Task.of("b", "payload-b"));
    TaskInfo c = f.enqueue(Task.of("c"));

    DoneThenNext r = chain(a, "default");

    assertThat(r.doneError()).isNull();
    assertThat(f.redis.keys("asynq:{default}:t:" + a.getId())).isEmpty();
    assertThat(f.redis.keys("asynq:{default}:unique:*")).as("lock released").isEmpty();
    assertThat(f.redis.get("asynq:{default}:processed")).isEqualTo("1");
    assertThat(f.redis.get("asynq:{default}:processed:" + DAY)).isEqualTo("1");
    assertThat(f.expireTime("asynq:{default}:processed:" + DAY)).isEqualTo(STATS_EXPIRY);

    assertThat(r.next().tasks())
        .singleElement()
        .satisfies(
            d -> {
              assertThat(d.id()).isEqualTo(b.id());
              assertThat(d.message().getPayload().toStringUtf8()).isEqualTo("payload-b");
              assertThat(d.pendingSince()).isNotNull();
            });
    assertThat(r.next().served()).containsExactly("default");
    assertThat(f.redis.lrange("asynq:{default}:active")).containsExactly(b.id());
    assertThat(f.redis.commands().zscore("asynq:{default}:lease", b.id().getBytes()))
        .isEqualTo((double) LEASE_S);
    assertThat(f.redis.hgetAll("asynq:{default}:t:" + b.id()))
        .containsEntry("state", "active".getBytes())
        .doesNotContainKey("pending_since");
    assertThat(f.redis.lrange("asynq:{default}:pending")).containsExactly(c.id());
  }

  @Test
  void takesFromAnotherQueueOnOneNode() {
    TaskMessage a = f.active(Task.of("a"));
    TaskInfo b = f.enqueue(Task.of("b"), queue("other"));

    DoneThenNext r = chain(a, "other");

    assertThat(r.doneError()).isNull();
    assertThat(r.next().tasks()).extracting(Dequeued::id).containsExactly(b.id());
    assertThat(f.redis.lrange("asynq:{other}:active")).containsExactly(b.id());
    assertThat(f.redis.keys("asynq:{default}:active")).isEmpty();
    assertThat(f.broker.tasks().chainable("default", "other")).isTrue();
  }

  @Test
  void aTaskNoLongerActiveIsReportedAndTheNextIsStillTaken() {
    TaskMessage a = f.active(Task.of("a"));
    TaskMessage gone = a.toBuilder().setId("never-dequeued").build();
    TaskInfo b = f.enqueue(Task.of("b"));

    DoneThenNext r = chain(gone, "default");

    assertThat(r.doneError()).isInstanceOf(TaskNotActiveException.class);
    assertThat(f.redis.keys("asynq:{default}:processed*")).as("nothing counted").isEmpty();
    assertThat(f.redis.lrange("asynq:{default}:active"))
        .containsExactlyInAnyOrder(a.getId(), b.id());
    assertThat(r.next().tasks()).extracting(Dequeued::id).containsExactly(b.id());
  }

  @Test
  void aTaskKeyOfTheWrongTypeRefusesTheDoneHalfOnly() {
    TaskMessage a = f.active(Task.of("a"));
    f.redis.commands().del(Keys.task("default", a.getId()));
    f.redis.commands().set(Keys.task("default", a.getId()), "not a hash".getBytes());
    TaskInfo b = f.enqueue(Task.of("b"));

    DoneThenNext r = chain(a, "default");

    assertThat(r.doneError()).isInstanceOf(WrongKeyTypeException.class);
    assertThat(f.redis.get(Keys.task("default", a.getId()))).isEqualTo("not a hash");
    assertThat(f.redis.lrange("asynq:{default}:active")).contains(a.getId(), b.id());
    assertThat(r.next().tasks()).extracting(Dequeued::id).containsExactly(b.id());
  }

  @Test
  void aPendingKeyOfTheWrongTypeRefusesTheDequeueHalfOnly() {
    TaskMessage a = f.active(Task.of("a"));
    f.redis.commands().set("asynq:{other}:pending", "oops".getBytes());

    DoneThenNext r = chain(a, "other");

    assertThat(r.doneError()).isNull();
    assertThat(f.redis.get("asynq:{default}:processed")).isEqualTo("1");
    assertThat(r.next().tasks()).isEmpty();
    assertThat(r.next().unusable()).containsOnlyKeys("other");
    assertThat(r.next().unusable().get("other")).contains("asynq:{other}:pending");
    assertThat(f.redis.get("asynq:{other}:pending")).isEqualTo("oops");
  }

  @Test
  void aPausedQueueGivesNothingAndBadIdsInTheWayAreReported() {
    TaskMessage a = f.active(Task.of("a"));
    TaskInfo b = f.enqueue(Task.of("b"));
    f.redis.commands().rpush("asynq:{default}:pending", "dangling".getBytes());
    f.redis.commands().set("asynq:{default}:paused", "1".getBytes());

    DoneThenNext paused = chain(a, "default");
    assertThat(paused.doneError()).isNull();
    assertThat(paused.next().tasks()).isEmpty();
    assertThat(f.redis.lrange("asynq:{default}:pending")).containsExactly(b.id(), "dangling");

    f.redis.commands().del("asynq:{default}:paused");
    TaskMessage c = f.active(Task.of("c"), queue("third"));
    DoneThenNext r = chain(c, "default");
    assertThat(r.next().dropped()).extracting(Isolated::id).containsExactly("dangling");
    assertThat(r.next().tasks()).extracting(Dequeued::id).containsExactly(b.id());
  }
}

package io.jasynq.internal.broker;

import static io.jasynq.TaskOption.queue;
import static io.jasynq.internal.broker.BrokerFixture.LEASE;
import static io.jasynq.internal.broker.BrokerFixture.NOW;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.jasynq.Task;
import io.jasynq.TaskInfo;
import io.jasynq.internal.broker.TaskFlow.DoneThenNext;
import io.jasynq.internal.broker.proto.TaskMessage;
import java.util.List;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

/**
 * A queue's fleet-wide concurrency limit (asynq:{Q}:limits, field concurrency): both dequeue
 * scripts take no more than the room the active list leaves, report the queue as limited, and
 * ignore a malformed limit rather than stall the queue.
 */
@BrokerTest
class BrokerConcurrencyLimitTest {
  private final BrokerFixture f;

  BrokerConcurrencyLimitTest(BrokerFixture f) {
    this.f = f;
  }

  private List<TaskInfo> enqueue(String q, int n) {
    return IntStream.range(0, n).mapToObj(i -> f.enqueue(Task.of("t"), queue(q))).toList();
  }

  private DequeueBatch dequeue(int max, String... queues) {
    return f.await(f.broker.tasks().dequeue(List.of(queues), NOW, LEASE, max));
  }

  private void limit(String q, Integer n) {
    f.await(f.broker.limits().setConcurrency(q, n));
  }

  @Test
  void takesOnlyTheRoomLeftCountingTasksAlreadyActiveThenFillsFromTheNextQueue() {
    enqueue("a", 6);
    List<TaskInfo> b = enqueue("b", 3);
    limit("a", 3);
    f.redis.commands().lpush("asynq:{a}:active", "someone-elses".getBytes()); // e.g. a Go server

    DequeueBatch first = dequeue(5, "a", "b");

    assertThat(first.tasks()).extracting(Dequeued::queue).containsExactly("a", "a", "b", "b", "b");
    assertThat(first.limited()).containsExactly("a");
    assertThat(f.redis.lrange("asynq:{a}:active")).hasSize(3);
    assertThat(f.redis.lrange("asynq:{a}:pending")).hasSize(4);
    assertThat(f.redis.lrange("asynq:{b}:active")).hasSize(b.size());

    DequeueBatch atLimit = dequeue(5, "a");
    assertThat(atLimit.tasks()).isEmpty();
    assertThat(atLimit.limited()).containsExactly("a");
    assertThat(f.redis.lrange("asynq:{a}:pending")).hasSize(4);
  }

  @Test
  void aRaisedOrClearedLimitLeavesRoomAndAnUnlimitedQueueIsNotReportedLimited() {
    enqueue("a", 6);
    limit("a", 1);
    assertThat(dequeue(5, "a").tasks()).hasSize(1);
    assertThat(dequeue(5, "a").tasks()).isEmpty();

    limit("a", 3);
    assertThat(dequeue(5, "a").tasks()).hasSize(2);

    limit("a", 10);
    DequeueBatch roomLeft = dequeue(1, "a");
    assertThat(roomLeft.tasks()).hasSize(1);
    assertThat(roomLeft.limited()).as("the caller's 1 bounded it, not the room of 7").isEmpty();

    limit("a", null);
    DequeueBatch unlimited = dequeue(5, "a");
    assertThat(unlimited.tasks()).hasSize(2);
    assertThat(unlimited.limited()).isEmpty();
    assertThat(f.redis.hgetAll("asynq:{a}:limits")).isEmpty();
  }

  @Test
  void aQueueThatRunsOutOfTasksBeforeTheLimitIsNotLimited() {
    enqueue("a", 2);
    limit("a", 5);
    DequeueBatch all = dequeue(10, "a");
    assertThat(all.tasks()).hasSize(2);
    assertThat(all.limited()).isEmpty();
  }

  @Test
  void doneThenDequeueTakesTheNextTaskOnlyWithinTheLimit() {
    limit("default", 2);
    TaskMessage a = f.active(Task.of("a"));
    TaskMessage other = f.active(Task.of("other"));
    enqueue("default", 2);

    DoneThenNext r =
        f.await(f.broker.tasks().doneThenDequeue(a, f.broker.outcomes(), "default", NOW, LEASE, 1));
    assertThat(r.doneError()).isNull();
    assertThat(r.next().tasks()).hasSize(1).as("a's place, taken by the next");
    assertThat(r.next().limited()).containsExactly("default");

    limit("default", 1);
    DoneThenNext full =
        f.await(
            f.broker.tasks().doneThenDequeue(other, f.broker.outcomes(), "default", NOW, LEASE, 1));
    assertThat(full.doneError()).isNull();
    assertThat(full.next().tasks()).as("one still active: at the limit of 1").isEmpty();
    assertThat(full.next().limited()).containsExactly("default");
  }

  @Test
  void aMalformedLimitSetsNoLimitAndAWrongTypeIsRefusedBySetButNotByTheDequeue() {
    enqueue("a", 3);
    f.redis.commands().hset("asynq:{a}:limits", "concurrency", "many".getBytes());
    assertThat(dequeue(2, "a").tasks()).hasSize(2);
    assertThat(LimitStore.parse("many")).isNull();
    assertThat(LimitStore.parse("0")).isNull();
    assertThat(LimitStore.parse("-3")).isNull();
    assertThat(LimitStore.parse("007")).isEqualTo(7);
    assertThat(LimitStore.parse("99999999999999999999")).isEqualTo(Integer.MAX_VALUE);

    f.redis.commands().del("asynq:{a}:limits");
    f.redis.commands().set("asynq:{a}:limits", "oops".getBytes());
    assertThat(dequeue(2, "a").tasks()).as("the queue does not stall").hasSize(1);
    assertThatThrownBy(() -> limit("a", 2))
        .isInstanceOf(WrongKeyTypeException.class)
        .hasMessageContaining("key \"asynq:{a}:limits\" holds a string where a hash is expected");
    assertThat(f.redis.get("asynq:{a}:limits")).isEqualTo("oops");
  }

  @Test
  void aLimitedQueueWhoseActiveListIsNotAListIsSkippedAndTheOthersAreServed() {
    enqueue("a", 1);
    enqueue("b", 2);
    limit("a", 3);
    f.redis.commands().set("asynq:{a}:active", "oops".getBytes());
    DequeueBatch batch = dequeue(5, "a", "b");
    assertThat(batch.tasks()).extracting(Dequeued::queue).containsExactly("b", "b");
    assertThat(batch.unusable()).containsKey("a");
    assertThat(batch.unusable().get("a")).contains("asynq:{a}:active");
    assertThat(f.redis.lrange("asynq:{a}:pending")).hasSize(1);
  }

  @Test
  void setReturnsTheValueBeforeAndRejectsALimitBelowOne() {
    assertThat(f.await(f.broker.limits().setConcurrency("a", 4))).isNull();
    assertThat(f.await(f.broker.limits().setConcurrency("a", 5))).isEqualTo("4");
    assertThat(f.await(f.broker.limits().concurrency("a"))).isEqualTo("5");
    assertThatThrownBy(() -> f.broker.limits().setConcurrency("a", 0))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("concurrency limit of queue \"a\" must be >= 1, was 0");
  }
}

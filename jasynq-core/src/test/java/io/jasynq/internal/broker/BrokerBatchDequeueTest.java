package io.jasynq.internal.broker;

import static io.jasynq.TaskOption.queue;
import static io.jasynq.internal.broker.BrokerFixture.LEASE;
import static io.jasynq.internal.broker.BrokerFixture.LEASE_S;
import static io.jasynq.internal.broker.BrokerFixture.NOW;
import static org.assertj.core.api.Assertions.assertThat;

import io.jasynq.Task;
import io.jasynq.TaskInfo;
import java.util.List;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

/** One round trip feeds several idle workers; each task moves as a one-task dequeue moves it. */
@BrokerTest
class BrokerBatchDequeueTest {
  private final BrokerFixture f;

  BrokerBatchDequeueTest(BrokerFixture f) {
    this.f = f;
  }

  @Test
  void takesTheOldestFirstThenFillsFromTheNextQueue() {
    List<TaskInfo> a =
        IntStream.range(0, 3).mapToObj(i -> f.enqueue(Task.of("t"), queue("a"))).toList();
    List<TaskInfo> b =
        IntStream.range(0, 4).mapToObj(i -> f.enqueue(Task.of("t"), queue("b"))).toList();

    List<Dequeued> taken =
        f.await(f.broker.tasks().dequeue(List.of("a", "b"), NOW, LEASE, 5)).tasks();

    assertThat(taken)
        .extracting(Dequeued::id)
        .containsExactly(a.get(0).id(), a.get(1).id(), a.get(2).id(), b.get(0).id(), b.get(1).id());
    assertThat(taken).allMatch(d -> d.message() != null && d.decodeError() == null);
    assertThat(f.redis.lrange("asynq:{a}:pending")).isEmpty();
    assertThat(f.redis.lrange("asynq:{b}:pending")).containsExactly(b.get(3).id(), b.get(2).id());
    assertThat(f.redis.lrange("asynq:{b}:active")).containsExactly(b.get(1).id(), b.get(0).id());
    assertThat(f.redis.zrangeWithScores("asynq:{a}:lease").values()).containsOnly((double) LEASE_S);
    for (Dequeued d : taken) {
      String hash = Keys.task(d.queue(), d.id());
      assertThat(f.redis.hget(hash, "state")).isEqualTo("active");
      assertThat(f.redis.hkeys(hash)).doesNotContain("pending_since");
    }
  }

  @Test
  void emptyQueuesGiveAnEmptyBatchAndPausedQueuesAreSkipped() {
    f.enqueue(Task.of("t"), queue("paused"));
    f.redis.commands().set("asynq:{paused}:paused", "1".getBytes());
    assertThat(
            f.await(f.broker.tasks().dequeue(List.of("paused", "empty"), NOW, LEASE, 10)).tasks())
        .isEmpty();
    assertThat(f.redis.lrange("asynq:{paused}:pending")).hasSize(1);
  }
}

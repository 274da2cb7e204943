package io.jasynq.internal.broker;

import static io.jasynq.internal.broker.BrokerFixture.NOW;
import static org.assertj.core.api.Assertions.assertThat;

import io.jasynq.Task;
import io.jasynq.TaskOption;
import io.jasynq.internal.broker.proto.TaskMessage;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/**
 * Deleting a queue through the key schema alone (no SCAN, which is all a Cluster node outside the
 * queue's slot would allow) leaves no key of the queue behind, whatever state its tasks were in.
 */
@BrokerTest
class InspectQueriesTest {
  private final QueueMutations queries;

  private final BrokerFixture f;

  InspectQueriesTest(BrokerFixture f) {
    this.f = f;
    this.queries = new QueueMutations(new InspectQueries(f.broker));
  }

  @Test
  void forcedDeleteThroughTheKeySchemaAloneLeavesNoKeyOfTheQueue() {
    String q = "doomed";
    TaskOption inQ = TaskOption.queue(q);
    // One of each state, each written by the broker's own paths.
    TaskMessage done = f.active(Task.of("done"), inQ, TaskOption.retention(Duration.ofHours(1)));
    f.await(f.broker.outcomes().markComplete(done, NOW));
    TaskMessage failed = f.active(Task.of("retry"), inQ);
    f.await(f.broker.outcomes().retry(failed, NOW, NOW.plusSeconds(60), "boom", true));
    TaskMessage dead = f.active(Task.of("dead"), inQ, TaskOption.unique(Duration.ofHours(1)));
    f.await(f.broker.outcomes().archive(dead, NOW, "dead"));
    f.enqueue(Task.of("pending", "u"), inQ, TaskOption.unique(Duration.ofHours(1)));
    f.enqueue(Task.of("later"), inQ, TaskOption.processIn(Duration.ofHours(1)));
    for (int i = 0; i < 3; i++) {
      f.enqueue(Task.of("grouped"), inQ, TaskOption.group("g"));
    }
    f.enqueue(Task.of("grouped"), inQ, TaskOption.group("h"));
    assertThat(
            f.await(
                f.broker.groups().aggregationCheck(q, "g", NOW, Duration.ZERO, Duration.ZERO, 2)))
        .isNotNull();
    queries.pause(q, NOW);
    f.enqueue(Task.of("other"), TaskOption.queue("survivor"));
    assertThat(f.redis.keys("asynq:{doomed}:*"))
        .contains(
            "asynq:{doomed}:aggregation_sets",
            "asynq:{doomed}:paused",
            "asynq:{doomed}:processed:2035-06-01")
        .anyMatch(k -> k.startsWith("asynq:{doomed}:unique:"))
        .anyMatch(k -> k.startsWith("asynq:{doomed}:g:g:"));

    queries.deleteQueue(q, true, NOW, false);

    assertThat(f.redis.keys("asynq:{doomed}:*")).isEmpty();
    assertThat(f.redis.smembers("asynq:queues")).containsExactly("survivor");
    assertThat(f.redis.keys("asynq:{survivor}:*")).isNotEmpty();
  }

  @Test
  void sweepPatternMatchesTheQueueNameLiterally() {
    assertThat(QueueMutations.globEscape("asynq:{a*b?[c]\\d}:"))
        .isEqualTo("asynq:{a\\*b\\?\\[c\\]\\\\d}:");
  }
}

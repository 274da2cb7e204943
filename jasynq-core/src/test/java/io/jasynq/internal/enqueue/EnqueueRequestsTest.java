package io.jasynq.internal.enqueue;

import static io.jasynq.TaskOption.deadline;
import static io.jasynq.TaskOption.maxRetry;
import static io.jasynq.TaskOption.queue;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.jasynq.Task;
import io.jasynq.TaskOption;
import io.jasynq.internal.broker.proto.TaskMessage;
import java.time.Instant;
import org.junit.jupiter.api.Test;

/**
 * The aggregator's use of the shared enqueue rules: the group's queue forced last (wire-format
 * §4.9).
 */
class EnqueueRequestsTest {
  private static final Instant NOW = Instant.parse("2025-01-01T00:00:00.250Z");

  private static TaskMessage forced(Task task) throws Exception {
    return TaskMessage.parseFrom(
        EnqueueRequests.prepare(task, new TaskOption[] {queue("q")}, NOW, Integer.MAX_VALUE)
            .request()
            .message());
  }

  @Test
  void theGroupsQueueWinsOverTheTasksOwnAndOtherOptionsStay() throws Exception {
    TaskMessage m = forced(Task.of("batch", "a,b", queue("elsewhere"), maxRetry(2)));
    assertThat(m.getQueue()).isEqualTo("q");
    assertThat(m.getRetry()).isEqualTo(2);
  }

  @Test
  void aNewIdEachTimeAndAsynqDefaults() throws Exception {
    TaskMessage a = forced(Task.of("b"));
    TaskMessage b = forced(Task.of("b"));
    assertThat(a.getId()).isNotEqualTo(b.getId());
    assertThat(a.getRetry()).isEqualTo(25);
    assertThat(a.getTimeout()).isEqualTo(1800);
  }

  @Test
  void rejectsADeadlineThatHasPassed() {
    assertThatThrownBy(() -> forced(Task.of("b", deadline(NOW))))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("deadline");
  }
}

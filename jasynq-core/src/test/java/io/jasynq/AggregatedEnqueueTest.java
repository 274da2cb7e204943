package io.jasynq;

import static io.jasynq.TaskOption.deadline;
import static io.jasynq.TaskOption.group;
import static io.jasynq.TaskOption.header;
import static io.jasynq.TaskOption.maxRetry;
import static io.jasynq.TaskOption.processAt;
import static io.jasynq.TaskOption.processIn;
import static io.jasynq.TaskOption.queue;
import static io.jasynq.TaskOption.retention;
import static io.jasynq.TaskOption.taskId;
import static io.jasynq.TaskOption.timeout;
import static io.jasynq.TaskOption.unique;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.jasynq.internal.broker.EnqueueRequest;
import io.jasynq.internal.broker.proto.TaskMessage;
import io.jasynq.internal.server.AggregatedEnqueue;
import java.time.Duration;
import java.time.Instant;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The aggregator writes its task exactly as {@code Client.enqueue(task, queue(groupQueue))} would
 * (spec §4.9): the server's copy of the option rules must not drift from the client's.
 */
class AggregatedEnqueueTest {
  private static final Instant NOW = Instant.parse("2025-01-01T00:00:00.250Z");

  static Stream<Task> tasks() {
    return Stream.of(
        Task.of("batch"),
        Task.of("batch", new byte[0]),
        Task.of("batch", "a,b,c", queue("ignored"), maxRetry(2), timeout(Duration.ofMillis(1500))),
        Task.builder("batch")
            .payload("x")
            .header("h", "1")
            .options(header("h", "2"), header("k", "v"), retention(Duration.ofMinutes(5)))
            .build(),
        Task.of("batch", "x", deadline(NOW.plusSeconds(60)), timeout(Duration.ofSeconds(9))),
        Task.of("batch", "x", unique(Duration.ofSeconds(30))),
        Task.of("batch", "x", processIn(Duration.ofMinutes(1)), unique(Duration.ofSeconds(30))),
        Task.of("batch", "x", processAt(NOW.minusSeconds(5))),
        Task.of("batch", "x", group("again")),
        Task.of("batch", "x", maxRetry(1), maxRetry(4)));
  }

  @ParameterizedTest
  @MethodSource("tasks")
  void writesWhatTheClientWritesToTheGroupsQueue(Task task) throws Exception {
    Task.Builder b = Task.builder(task.type()).payload(task.payload());
    task.headers().forEach(b::header);
    Task pinned =
        b.options(task.options().toArray(TaskOption[]::new)).options(taskId("id")).build();

    EnqueueRequest expected =
        EnqueuePlan.of(pinned, new TaskOption[] {queue("q")}, NOW, 1 << 20).request;
    EnqueueRequest actual = AggregatedEnqueue.request(pinned, "q", NOW);

    assertThat(TaskMessage.parseFrom(actual.message()))
        .isEqualTo(TaskMessage.parseFrom(expected.message()));
    assertThat(actual.message()).isEqualTo(expected.message());
    assertThat(actual).usingRecursiveComparison().ignoringFields("message").isEqualTo(expected);
  }

  @Test
  void aNewIdEachTimeWithoutATaskIdOption() throws Exception {
    TaskMessage a =
        TaskMessage.parseFrom(AggregatedEnqueue.request(Task.of("b"), "q", NOW).message());
    TaskMessage b =
        TaskMessage.parseFrom(AggregatedEnqueue.request(Task.of("b"), "q", NOW).message());
    assertThat(a.getId()).isNotEqualTo(b.getId());
    assertThat(a.getQueue()).isEqualTo("q");
    assertThat(a.getRetry()).isEqualTo(25);
    assertThat(a.getTimeout()).isEqualTo(1800);
  }

  @Test
  void rejectsADeadlineThatHasPassed() {
    assertThatThrownBy(() -> AggregatedEnqueue.request(Task.of("b", deadline(NOW)), "q", NOW))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("deadline");
  }
}

package io.jasynq.micrometer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.jasynq.BatchResult;
import io.jasynq.Client;
import io.jasynq.DuplicateTaskException;
import io.jasynq.Task;
import io.jasynq.TaskIdConflictException;
import io.jasynq.TaskOption;
import io.jasynq.testkit.RedisServer;
import io.jasynq.testkit.RedisTest;
import io.micrometer.core.instrument.MockClock;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.simple.SimpleConfig;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** A real client with the interceptor, enqueueing into real Redis. */
@RedisTest
class ClientMetricsTest {
  private static final TaskOption PAST_DEADLINE =
      TaskOption.deadline(Instant.parse("2000-01-01T00:00:00Z"));

  private final MockClock clock = new MockClock();
  private final SimpleMeterRegistry registry = new SimpleMeterRegistry(SimpleConfig.DEFAULT, clock);
  private final Client client;

  ClientMetricsTest(RedisServer redis) {
    JasynqMetrics metrics = JasynqMetrics.builder(registry).build();
    client =
        Client.builder()
            .uri(redis.uri())
            .interceptor(metrics.enqueueInterceptor())
            // Runs inside the timed span: the mock clock makes its duration exact.
            .interceptor(
                call -> {
                  clock.add(Duration.ofMillis(7));
                  return call.proceed(call.task());
                })
            .build();
  }

  @AfterEach
  void close() {
    client.close();
  }

  @Test
  void timesAnEnqueueFromCallToCompletion() {
    client.enqueue(Task.of("email"), TaskOption.queue("mail"));
    Timer t = timer("mail", "email", "enqueued", "none");
    assertThat(t.count()).isEqualTo(1);
    assertThat(t.totalTime(TimeUnit.MILLISECONDS)).isEqualTo(7.0);
  }

  @Test
  void aHeldUniqueLockIsADuplicate() {
    Task task = Task.of("report", TaskOption.unique(Duration.ofMinutes(5)));
    client.enqueue(task);
    assertThatThrownBy(() -> client.enqueue(task)).isInstanceOf(DuplicateTaskException.class);
    assertThat(timer("default", "report", "enqueued", "none").count()).isEqualTo(1);
    assertThat(timer("default", "report", "duplicate", "DuplicateTaskException").count())
        .isEqualTo(1);
    assertThat(registry.find(MetricNames.REDIS_ERRORS).counter()).isNull();
  }

  @Test
  void aTakenIdIsAnIdConflict() {
    client.enqueue(Task.of("report"), TaskOption.taskId("fixed"));
    assertThatThrownBy(() -> client.enqueue(Task.of("report"), TaskOption.taskId("fixed")))
        .isInstanceOf(TaskIdConflictException.class);
    assertThat(timer("default", "report", "id_conflict", "TaskIdConflictException").count())
        .isEqualTo(1);
  }

  @Test
  void anInvalidTaskIsRecordedAndStillThrown() {
    assertThatThrownBy(() -> client.enqueue(Task.of("email"), PAST_DEADLINE, TaskOption.queue("q")))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("deadline must be in the future");
    assertThat(timer("q", "email", "invalid", "IllegalArgumentException").count()).isEqualTo(1);
  }

  @Test
  void aBatchRecordsOncePerTask() {
    List<BatchResult> results =
        client.enqueueBatch(
            List.of(
                Task.of("thumb"),
                Task.of("thumb"),
                Task.of("thumb"),
                Task.of("thumb", PAST_DEADLINE)));
    assertThat(results).filteredOn(BatchResult::isSuccess).hasSize(3);
    assertThat(timer("default", "thumb", "enqueued", "none").count()).isEqualTo(3);
    assertThat(timer("default", "thumb", "invalid", "IllegalArgumentException").count())
        .isEqualTo(1);
  }

  private Timer timer(String queue, String type, String outcome, String exception) {
    return registry
        .get(MetricNames.CLIENT_ENQUEUE)
        .tags("queue", queue, "task.type", type, "outcome", outcome, "exception", exception)
        .timer();
  }
}

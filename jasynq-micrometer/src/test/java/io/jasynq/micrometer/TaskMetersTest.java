package io.jasynq.micrometer;

import static io.jasynq.TaskEvent.Outcome.ARCHIVED;
import static io.jasynq.TaskEvent.Outcome.LEASE_LOST;
import static io.jasynq.TaskEvent.Outcome.REQUEUED;
import static io.jasynq.TaskEvent.Outcome.RETRY;
import static io.jasynq.TaskEvent.Outcome.REVOKED;
import static io.jasynq.TaskEvent.Outcome.SUCCEEDED;
import static org.assertj.core.api.Assertions.assertThat;

import io.jasynq.RevokeTaskException;
import io.jasynq.ServerListener;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import java.time.Instant;
import java.util.HashSet;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** The listener on its own, fed hand-made events, so exact values can be asserted. */
class TaskMetersTest {
  private static final Instant T0 = Instant.parse("2025-01-01T00:00:00Z");

  private final SimpleMeterRegistry registry = new SimpleMeterRegistry();
  private final ServerListener listener =
      JasynqMetrics.builder(registry).tags(Tags.of("app", "test")).build().serverListener();

  @Test
  void recordsQueueWaitFromPendingSinceToStart() {
    FakeEvent e = FakeEvent.started("q", "1", "email", T0, T0.plusSeconds(3));
    listener.onTaskStarted(e);
    var wait = registry.get(MetricNames.TASK_QUEUE_WAIT).tags("queue", "q", "task.type", "email");
    assertThat(wait.timer().count()).isEqualTo(1);
    assertThat(wait.timer().totalTime(TimeUnit.SECONDS)).isEqualTo(3.0);
    assertThat(wait.timer().getId().getTag("app")).isEqualTo("test");
    listener.onTaskSucceeded(e.finished(SUCCEEDED, Duration.ofMillis(5), null));
  }

  @Test
  void skipsQueueWaitWhenATimeIsMissingOrTheWaitIsNegative() {
    FakeEvent noSince = FakeEvent.started("q", "1", "email", null, T0);
    FakeEvent backwards = FakeEvent.started("q", "2", "email", T0.plusSeconds(1), T0);
    listener.onTaskStarted(noSince);
    listener.onTaskStarted(backwards);
    assertThat(registry.find(MetricNames.TASK_QUEUE_WAIT).timer()).isNull();
    listener.onTaskSucceeded(noSince.finished(SUCCEEDED, Duration.ZERO, null));
    listener.onTaskSucceeded(backwards.finished(SUCCEEDED, Duration.ZERO, null));
  }

  @Test
  void timesEachAttemptWithItsOutcomeAndException() {
    FakeEvent e = FakeEvent.started("q", "1", "email", T0, T0);
    listener.onTaskStarted(e);
    var active = registry.get(MetricNames.TASK_ACTIVE).tags("queue", "q", "task.type", "email");
    assertThat(active.longTaskTimer().activeTasks()).isEqualTo(1);

    listener.onTaskFailed(e.finished(RETRY, Duration.ofMillis(250), new IllegalStateException()));

    assertThat(active.longTaskTimer().activeTasks()).isZero();
    var execution =
        registry
            .get(MetricNames.TASK_EXECUTION)
            .tags("queue", "q", "task.type", "email")
            .tags("outcome", "retry", "exception", "IllegalStateException")
            .timer();
    assertThat(execution.count()).isEqualTo(1);
    assertThat(execution.totalTime(TimeUnit.MILLISECONDS)).isEqualTo(250.0);
    assertThat(count(MetricNames.TASKS_PROCESSED, "task.type", "email")).isEqualTo(1);
    assertThat(count(MetricNames.TASKS_FAILED, "outcome", "retry")).isEqualTo(1);
    assertThat(count(MetricNames.TASKS_RETRIED, "task.type", "email")).isEqualTo(1);
  }

  @Test
  void revokedCountsAsProcessedAndFailedButNotRetried() {
    FakeEvent e = FakeEvent.started("q", "1", "email", T0, T0);
    listener.onTaskStarted(e);
    listener.onTaskFailed(e.finished(REVOKED, Duration.ofMillis(1), new RevokeTaskException("x")));
    assertThat(count(MetricNames.TASKS_FAILED, "outcome", "revoked")).isEqualTo(1);
    assertThat(count(MetricNames.TASKS_PROCESSED, "task.type", "email")).isEqualTo(1);
    assertThat(registry.find(MetricNames.TASKS_RETRIED).counter()).isNull();
    assertThat(
            registry
                .get(MetricNames.TASK_EXECUTION)
                .tags("outcome", "revoked", "exception", "RevokeTaskException")
                .timer()
                .count())
        .isEqualTo(1);
  }

  @Test
  void interruptedAttemptsAreTimedButNotProcessed() {
    FakeEvent a = FakeEvent.started("q", "1", "email", T0, T0);
    FakeEvent b = FakeEvent.started("q", "2", "email", T0, T0);
    listener.onTaskStarted(a);
    listener.onTaskStarted(b);
    listener.onTaskInterrupted(a.finished(REQUEUED, Duration.ofMillis(1), new RuntimeException()));
    listener.onTaskInterrupted(b.finished(LEASE_LOST, Duration.ofMillis(1), null));
    assertThat(registry.get(MetricNames.TASK_EXECUTION).tags("outcome", "requeued").timer().count())
        .isEqualTo(1);
    assertThat(
            registry.get(MetricNames.TASK_EXECUTION).tags("outcome", "lease_lost").timer().count())
        .isEqualTo(1);
    assertThat(registry.find(MetricNames.TASKS_PROCESSED).counter()).isNull();
    assertThat(registry.get(MetricNames.TASK_ACTIVE).longTaskTimer().activeTasks()).isZero();
    assertThat(((TaskMeters) listener).running()).isZero();
  }

  @Test
  void countsArchivesRecoveriesForwardsAndRedisErrors() {
    listener.onTaskArchived(
        new FakeEvent("q", "bad", "", null, null, Duration.ZERO, ARCHIVED, null));
    listener.onTaskRecovered(
        new FakeEvent("q", "2", "email", null, null, Duration.ZERO, RETRY, null));
    listener.onTasksForwarded("q", 7);
    listener.onTasksForwarded("q", 3);
    listener.onRedisError("dequeue", new RuntimeException());

    assertThat(count(MetricNames.TASKS_ARCHIVED, "task.type", "unknown")).isEqualTo(1);
    assertThat(count(MetricNames.TASKS_RECOVERED, "outcome", "retry")).isEqualTo(1);
    assertThat(count(MetricNames.TASKS_FORWARDED, "queue", "q")).isEqualTo(10);
    assertThat(
            registry
                .get(MetricNames.REDIS_ERRORS)
                .tags("component", "server", "operation", "dequeue")
                .counter()
                .count())
        .isEqualTo(1);
  }

  @Test
  void aMillionDistinctTypesCannotBlowUpTheRegistry() {
    for (int i = 0; i < 20_000; i++) {
      FakeEvent e = FakeEvent.started("q", "id-" + i, "type-" + i, T0, T0);
      listener.onTaskStarted(e);
      listener.onTaskSucceeded(e.finished(SUCCEEDED, Duration.ofMillis(1), null));
    }
    Set<String> typeTags = new HashSet<>();
    for (Meter meter : registry.getMeters()) {
      typeTags.add(meter.getId().getTag("task.type"));
    }
    // cap(100) by default: 100 types and "other"; per type value: active, wait, execution,
    // processed.
    assertThat(typeTags).hasSize(101).contains("other");
    assertThat(registry.getMeters()).hasSizeLessThanOrEqualTo(4 * 101);
    assertThat(count(MetricNames.TASKS_PROCESSED, "task.type", "other")).isEqualTo(20_000 - 100);
    assertThat(((TaskMeters) listener).running()).isZero();
  }

  private double count(String name, String tagKey, String tagValue) {
    return registry.get(name).tags(tagKey, tagValue).counter().count();
  }
}

package io.jasynq.micrometer;

import io.jasynq.Task;
import io.jasynq.TaskEvent;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;

/** A hand-made {@link TaskEvent} for unit tests of the listener. */
record FakeEvent(
    String queue,
    String taskId,
    String type,
    Instant pendingSinceOrNull,
    Instant startedAtOrNull,
    Duration elapsed,
    Outcome outcomeOrNull,
    Throwable errorOrNull)
    implements TaskEvent {

  static FakeEvent started(String queue, String id, String type, Instant since, Instant at) {
    return new FakeEvent(queue, id, type, since, at, Duration.ZERO, null, null);
  }

  FakeEvent finished(Outcome outcome, Duration took, Throwable error) {
    return new FakeEvent(
        queue, taskId, type, pendingSinceOrNull, startedAtOrNull, took, outcome, error);
  }

  @Override
  public Optional<Task> task() {
    return type.isEmpty() ? Optional.empty() : Optional.of(Task.of(type));
  }

  @Override
  public int retried() {
    return 0;
  }

  @Override
  public int maxRetry() {
    return 25;
  }

  @Override
  public Optional<Instant> pendingSince() {
    return Optional.ofNullable(pendingSinceOrNull);
  }

  @Override
  public Optional<Instant> startedAt() {
    return Optional.ofNullable(startedAtOrNull);
  }

  @Override
  public Optional<Outcome> outcome() {
    return Optional.ofNullable(outcomeOrNull);
  }

  @Override
  public Optional<Throwable> error() {
    return Optional.ofNullable(errorOrNull);
  }
}

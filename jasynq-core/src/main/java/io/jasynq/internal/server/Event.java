package io.jasynq.internal.server;

import io.jasynq.Task;
import io.jasynq.TaskEvent;
import io.jasynq.internal.broker.proto.TaskMessage;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;

/** The {@link TaskEvent} the server's parts build. Immutable. */
record Event(
    String queue,
    String taskId,
    String type,
    Task taskOrNull,
    int retried,
    int maxRetry,
    Instant pendingSinceOrNull,
    Instant startedAtOrNull,
    Duration elapsed,
    Outcome outcomeOrNull,
    Throwable errorOrNull)
    implements TaskEvent {

  /** An attempt of a running task: started, or finished with {@code outcome}. */
  static Event of(ActiveTask t, Outcome outcome, Throwable error) {
    Duration elapsed =
        outcome == null ? Duration.ZERO : Duration.ofNanos(System.nanoTime() - t.startNanos);
    return new Event(
        t.queue,
        t.taskId(),
        t.task.type(),
        t.task,
        t.message.getRetried(),
        t.message.getRetry(),
        t.pendingSince,
        t.startedAt,
        elapsed,
        outcome,
        error);
  }

  /** A task handled without an attempt (recovered, or archived as malformed). */
  static Event of(
      String queue, String id, TaskMessage m, Task task, Outcome outcome, Throwable error) {
    return new Event(
        queue,
        id,
        m == null ? "" : m.getType(),
        task,
        m == null ? 0 : m.getRetried(),
        m == null ? 0 : m.getRetry(),
        null,
        null,
        Duration.ZERO,
        outcome,
        error);
  }

  @Override
  public Optional<Task> task() {
    return Optional.ofNullable(taskOrNull);
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

  @Override
  public String toString() {
    return "TaskEvent["
        + queue
        + "/"
        + taskId
        + " "
        + type
        + (outcomeOrNull == null ? " started" : " " + outcomeOrNull)
        + (errorOrNull == null ? "" : ": " + errorOrNull)
        + "]";
  }
}

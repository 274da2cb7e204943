package io.jasynq;

import java.time.Instant;
import java.util.List;

/**
 * One enqueue made by a scheduler entry. An event that does not decode is still listed, with an
 * empty task ID, its history score as {@code enqueuedAt} and a problem; a history key of the wrong
 * type gives one such row, with a null {@code enqueuedAt}, at the top of the first page.
 *
 * @param taskId the ID of the enqueued task
 * @param enqueuedAt when it was enqueued (with the writer's sub-second precision); null only in a
 *     bad row
 * @param problems what is wrong with the event, one line each (empty when nothing is);
 *     unmodifiable; since 0.2
 * @since 0.1
 */
public record SchedulerEnqueueEvent(String taskId, Instant enqueuedAt, List<String> problems) {
  /** Copies the problems. */
  public SchedulerEnqueueEvent {
    problems = problems == null ? List.of() : List.copyOf(problems);
  }

  /** An event without problems (the 0.1 constructor). */
  public SchedulerEnqueueEvent(String taskId, Instant enqueuedAt) {
    this(taskId, enqueuedAt, List.of());
  }
}

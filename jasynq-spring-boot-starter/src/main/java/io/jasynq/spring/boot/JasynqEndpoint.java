package io.jasynq.spring.boot;

import io.jasynq.Inspector;
import io.jasynq.QueueInfo;
import java.util.List;
import java.util.Objects;
import org.springframework.boot.actuate.endpoint.annotation.Endpoint;
import org.springframework.boot.actuate.endpoint.annotation.ReadOperation;

/**
 * The {@code jasynq} actuator endpoint ({@code /actuator/jasynq} once exposed with {@code
 * management.endpoints.web.exposure.include=jasynq}): the statistics of every queue, read from
 * Redis through the {@link Inspector} on each call. Thread-safe; the inspector is borrowed.
 *
 * @since 0.1
 */
@Endpoint(id = "jasynq")
public final class JasynqEndpoint {
  private final Inspector inspector;

  /**
   * An endpoint reading through {@code inspector}.
   *
   * @throws NullPointerException if {@code inspector} is null
   */
  public JasynqEndpoint(Inspector inspector) {
    this.inspector = Objects.requireNonNull(inspector, "inspector == null");
  }

  /**
   * Every queue's statistics, in the order of {@link Inspector#queues()}.
   *
   * @throws io.jasynq.JasynqException if Redis does not answer
   */
  @ReadOperation
  public Queues queues() {
    return new Queues(
        inspector.queues().stream().map(q -> Queue.of(inspector.queueInfo(q))).toList());
  }

  /**
   * The endpoint's answer.
   *
   * @param queues one entry per queue
   * @since 0.1
   */
  public record Queues(List<Queue> queues) {}

  /**
   * One queue's statistics.
   *
   * @param name the queue
   * @param size all its tasks
   * @param pending tasks ready to run
   * @param active tasks running
   * @param scheduled tasks due later
   * @param retry tasks waiting to be retried
   * @param archived tasks archived
   * @param completed tasks kept after completion
   * @param aggregating tasks waiting in groups
   * @param latencyMillis age of the oldest pending task, in milliseconds (0 when none)
   * @param paused whether the queue is paused
   * @param processedToday tasks processed today (UTC), failures included
   * @param failedToday tasks failed today (UTC)
   * @param processedTotal tasks processed since the queue exists, failures included
   * @param failedTotal tasks failed since the queue exists
   * @since 0.1
   */
  public record Queue(
      String name,
      long size,
      long pending,
      long active,
      long scheduled,
      long retry,
      long archived,
      long completed,
      long aggregating,
      long latencyMillis,
      boolean paused,
      long processedToday,
      long failedToday,
      long processedTotal,
      long failedTotal) {
    static Queue of(QueueInfo q) {
      return new Queue(
          q.queue(),
          q.size(),
          q.pending(),
          q.active(),
          q.scheduled(),
          q.retry(),
          q.archived(),
          q.completed(),
          q.aggregating(),
          q.latency().toMillis(),
          q.paused(),
          q.processedToday(),
          q.failedToday(),
          q.processedTotal(),
          q.failedTotal());
    }
  }

  @Override
  public String toString() {
    return "JasynqEndpoint[" + inspector + "]";
  }
}

package io.jasynq;

import java.time.Duration;
import java.time.Instant;
import java.util.List;

/**
 * A snapshot of one queue, computed as Go Asynq's {@code GetQueueInfo} computes it.
 *
 * <p>A bad key never fails the snapshot: a state list or set, a group or the group registry of the
 * wrong type counts 0, a counter that is not a number counts 0, and each such key is named in
 * {@link #problems()}. When the memory estimate cannot be made (Redis refuses {@code MEMORY USAGE},
 * as some managed services do, or the estimate fails) it is -1 and {@link #problems()} says why.
 *
 * @param queue the queue name
 * @param memoryUsageBytes an estimate of the memory the queue's tasks use, by sampling with {@code
 *     MEMORY USAGE} (Asynq's algorithm); -1 when unknown (see {@link #memoryUsageKnown()})
 * @param latency how long the oldest pending task has waited; zero if none is pending
 * @param size every task in the queue: pending + active + scheduled + retry + archived + completed
 *     + aggregating (completed counts, as in Asynq)
 * @param groups how many groups are registered
 * @param pending tasks ready to run
 * @param active tasks being processed
 * @param scheduled tasks waiting for their process time
 * @param retry tasks waiting to be retried
 * @param archived dead tasks
 * @param completed succeeded tasks kept for their retention
 * @param aggregating tasks waiting in groups
 * @param processedToday tasks processed (succeeded or failed) today, UTC
 * @param failedToday tasks failed today, UTC
 * @param processedTotal tasks processed since the counter started
 * @param failedTotal tasks failed since the counter started
 * @param paused whether the queue is paused
 * @param timestamp when the snapshot was taken (the inspector's clock)
 * @param problems what is wrong with the queue's keys, one line each (empty when nothing is);
 *     unmodifiable; since 0.2
 * @since 0.1
 */
public record QueueInfo(
    String queue,
    long memoryUsageBytes,
    Duration latency,
    long size,
    int groups,
    long pending,
    long active,
    long scheduled,
    long retry,
    long archived,
    long completed,
    long aggregating,
    long processedToday,
    long failedToday,
    long processedTotal,
    long failedTotal,
    boolean paused,
    Instant timestamp,
    List<String> problems) {
  /** Copies the problems. */
  public QueueInfo {
    problems = problems == null ? List.of() : List.copyOf(problems);
  }

  /** A snapshot without problems (the 0.1 constructor). */
  public QueueInfo(
      String queue,
      long memoryUsageBytes,
      Duration latency,
      long size,
      int groups,
      long pending,
      long active,
      long scheduled,
      long retry,
      long archived,
      long completed,
      long aggregating,
      long processedToday,
      long failedToday,
      long processedTotal,
      long failedTotal,
      boolean paused,
      Instant timestamp) {
    this(
        queue,
        memoryUsageBytes,
        latency,
        size,
        groups,
        pending,
        active,
        scheduled,
        retry,
        archived,
        completed,
        aggregating,
        processedToday,
        failedToday,
        processedTotal,
        failedTotal,
        paused,
        timestamp,
        List.of());
  }

  /**
   * Whether {@link #memoryUsageBytes()} is an estimate (true) or unknown (false, it is then -1).
   *
   * @since 0.2
   */
  public boolean memoryUsageKnown() {
    return memoryUsageBytes >= 0;
  }
}

package io.jasynq;

import java.time.Duration;
import java.time.Instant;

/**
 * A snapshot of one queue, computed as Go Asynq's {@code GetQueueInfo} computes it.
 *
 * @param queue the queue name
 * @param memoryUsageBytes an estimate of the memory the queue's tasks use, by sampling with {@code
 *     MEMORY USAGE} (Asynq's algorithm); never negative
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
    Instant timestamp) {}

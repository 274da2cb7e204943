package io.jasynq;

import java.time.Instant;

/**
 * One enqueue made by a scheduler entry.
 *
 * @param taskId the ID of the enqueued task
 * @param enqueuedAt when it was enqueued (with the writer's sub-second precision)
 * @since 0.1
 */
public record SchedulerEnqueueEvent(String taskId, Instant enqueuedAt) {}

/**
 * jasynq's public API: {@link io.jasynq.Task}, {@link io.jasynq.TaskOption}, {@link
 * io.jasynq.Client}, {@link io.jasynq.TaskInfo} and the errors. Tasks are stored exactly as Go
 * Asynq stores them, so either side can process what the other enqueued.
 *
 * @since 0.1
 */
package io.jasynq;

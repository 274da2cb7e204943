package io.jasynq;

/**
 * Processes one task. Return normally for success; throw to fail the attempt, after which the task
 * is retried with back-off or archived once its retries are used up. Any {@link Throwable} counts
 * as a failure, {@link Error}s included: a handler can never kill its worker. Throw {@link
 * SkipRetryException} to archive at once, or {@link RevokeTaskException} to drop the task.
 *
 * <p>A handler runs on a worker thread. When the task's deadline passes, the task is cancelled or
 * the server shuts down, the thread is interrupted and {@link TaskContext#isCancelled()} turns
 * true; a handler that ignores both is abandoned (its outcome is recorded as a failure) but keeps
 * its thread until it returns.
 *
 * @since 0.1
 */
@FunctionalInterface
public interface Handler {
  /** Processes {@code context.task()}. */
  void handle(TaskContext context) throws Exception;
}

package io.jasynq;

/**
 * Processes one task. Return normally for success; throw to fail the attempt, after which the task
 * is retried with back-off or archived once its retries are used up. Any {@link Throwable} counts
 * as a failure, {@link Error}s included: a handler can never kill its worker. Throw {@link
 * SkipRetryException} to archive at once, or {@link RevokeTaskException} to drop the task.
 *
 * <p>A handler runs on a worker thread. When the task's deadline passes or the task is cancelled,
 * the thread is interrupted and {@link TaskContext#isCancelled()} turns true; a handler that
 * ignores both is abandoned (its outcome is recorded as a failure) but keeps its thread until it
 * returns.
 *
 * <p><b>Shutdown</b> (SIGTERM under {@link Server#run}, or {@link Server#shutdown()}) works in two
 * steps, as Sidekiq's: at once, {@link TaskContext#isCancelled()} turns true, without an interrupt,
 * so a handler that polls it can stop early, while one that does not may still finish within the
 * {@linkplain ServerConfig#shutdownTimeout() shutdown timeout}; when the timeout passes, the thread
 * is interrupted and the task is requeued. A handler that stops early should throw (any exception,
 * {@link InterruptedException} for instance): the task is then requeued, not counted as a failed
 * attempt, and runs again after a restart. Returning normally means the work is done.
 *
 * @since 0.1
 */
@FunctionalInterface
public interface Handler {
  /** Processes {@code context.task()}. */
  void handle(TaskContext context) throws Exception;
}

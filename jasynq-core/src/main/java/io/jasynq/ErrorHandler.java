package io.jasynq;

/**
 * Told about every failed attempt (including revoke, deadline and lease loss) before the task is
 * retried, archived or dropped: the place to report errors. Runs on the worker thread; an exception
 * it throws is logged and ignored.
 *
 * @since 0.1
 */
@FunctionalInterface
public interface ErrorHandler {
  /** Called with the task and what made the attempt fail. */
  void onError(TaskContext context, Throwable error);
}

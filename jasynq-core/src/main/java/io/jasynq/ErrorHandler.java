package io.jasynq;

/**
 * Told about every failed attempt (including revoke, deadline and lease loss) before the task is
 * retried, archived or dropped: the place to report errors. Runs on the worker thread; an exception
 * it throws is logged and ignored.
 *
 * <p>Without one, the server reports each failed attempt itself: logged by {@code
 * io.jasynq.internal.server.Processor} (INFO when it will be retried, WARN with the stack trace
 * when archived), or, when SLF4J has no provider, printed on {@code System.err}, one line each.
 * With one, that report is left to it.
 *
 * @since 0.1
 */
@FunctionalInterface
public interface ErrorHandler {
  /** Called with the task and what made the attempt fail. */
  void onError(TaskContext context, Throwable error);
}

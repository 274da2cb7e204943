package io.jasynq;

/**
 * Observes what a {@link Server} does, without wrapping its handler: every task it starts and how
 * each attempt ends, what it recovers and forwards, its status, its health and its Redis errors.
 * For metrics, auditing and alerting; register with {@link ServerConfig.Builder#listener}. Every
 * method has an empty default, so implement only what you need.
 *
 * <p><b>Pairing.</b> Every {@link #onTaskStarted} is followed by exactly one of {@link
 * #onTaskSucceeded}, {@link #onTaskFailed} and {@link #onTaskInterrupted} for the same event task,
 * on some thread, so running tasks can be counted or timed.
 *
 * <p><b>Threads.</b> Methods are called synchronously from the server's threads (task events from
 * the worker that ran the task or from a Redis I/O thread), possibly concurrently: keep them short,
 * thread-safe and non-blocking. A listener that throws is logged at WARN once per method and
 * listener class and then ignored; it never changes a task's outcome.
 *
 * @since 0.1
 */
public interface ServerListener {
  /** A worker is about to run the task's handler. */
  default void onTaskStarted(TaskEvent event) {}

  /**
   * The handler returned (outcome {@code SUCCEEDED}); called before the success is written to
   * Redis, as {@link #onTaskFailed} is.
   */
  default void onTaskSucceeded(TaskEvent event) {}

  /**
   * The handler threw, timed out or was cancelled; the outcome says what happens next ({@code
   * RETRY}, {@code ARCHIVED} or {@code REVOKED}) and {@link TaskEvent#error()} why. Called before
   * the outcome is written to Redis.
   */
  default void onTaskFailed(TaskEvent event) {}

  /**
   * The attempt ended without an outcome of its own: the server shut down ({@code REQUEUED}) or
   * lost the lease ({@code LEASE_LOST}).
   */
  default void onTaskInterrupted(TaskEvent event) {}

  /**
   * The task was archived: after {@link #onTaskFailed} with {@code ARCHIVED}, when the recoverer
   * archives a task whose retries are used up, or when a malformed record is isolated (then {@link
   * TaskEvent#task()} is empty).
   */
  default void onTaskArchived(TaskEvent event) {}

  /**
   * The recoverer found the task's lease expired (its worker died) and moved it to retry or
   * archived (the outcome says which).
   */
  default void onTaskRecovered(TaskEvent event) {}

  /** The forwarder moved {@code count} due scheduled or retry tasks of {@code queue} to pending. */
  default void onTasksForwarded(String queue, int count) {}

  /** The server's status changed (as Asynq names it: active, stopped, closed). */
  default void onServerStatus(String serverId, ServerStatus status) {}

  /**
   * Redis became unreachable or answers again (and once after the first check); as {@link
   * HealthListener}.
   *
   * @param error why not, when unhealthy; null when healthy
   */
  default void onHealth(boolean healthy, Throwable error) {}

  /**
   * A Redis call of the server failed: {@code operation} names it ({@code "dequeue"}, {@code
   * "retry"}, {@code "forwarder"}, …). The server retries on its own; this is for counting.
   */
  default void onRedisError(String operation, Throwable error) {}
}

package io.jasynq;

import java.time.Instant;

/**
 * What a {@link Handler} knows about the task it runs: the task, its ID and queue, how often it has
 * been retried, its deadline and whether it has been cancelled. Valid while the handler runs; used
 * by the worker thread (and any thread it hands work to).
 *
 * @since 0.1
 */
public interface TaskContext {
  /** The task: type, payload and headers. */
  Task task();

  /** The task ID. */
  String taskId();

  /** The queue the task came from. */
  String queue();

  /** How many times the task has been retried before this attempt (0 on the first). */
  int retryCount();

  /** How many retries it may have. */
  int maxRetry();

  /** When this attempt must end: the earlier of now + timeout and the task's deadline. */
  Instant deadline();

  /**
   * Whether this attempt should stop: its deadline passed, it was cancelled through the Inspector,
   * or the server is shutting down. A long handler should check it (or the thread's interrupt flag)
   * and stop. At shutdown it turns true as soon as the shutdown begins, while the thread is
   * interrupted only when the shutdown timeout passes (see {@link Handler}).
   */
  boolean isCancelled();

  /**
   * Stores a result for the task (its {@code result} field, which Inspectors show). Written only
   * while the task is active.
   *
   * @return whether it was written (false once the task is no longer active)
   */
  boolean writeResult(byte[] result);
}

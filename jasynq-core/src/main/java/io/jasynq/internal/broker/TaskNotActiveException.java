package io.jasynq.internal.broker;

import io.jasynq.JasynqException;

/**
 * A completion write (done, complete, requeue, retry, archive) was refused because the task is no
 * longer active in Redis: it is missing from {@code active} or {@code lease}, or its hash is gone.
 * Nothing was written. Typically another server recovered the task after its lease ran out, so
 * retrying the write is pointless.
 */
public final class TaskNotActiveException extends JasynqException {
  private static final long serialVersionUID = 1L;
  private final String queue;
  private final String taskId;

  TaskNotActiveException(String operation, String queue, String taskId, Throwable cause) {
    super(
        operation
            + " failed: task \""
            + taskId
            + "\" is not active in queue \""
            + queue
            + "\" (NOT FOUND); nothing was written",
        cause);
    this.queue = queue;
    this.taskId = taskId;
  }

  /** The queue. */
  public String queue() {
    return queue;
  }

  /** The task ID. */
  public String taskId() {
    return taskId;
  }
}

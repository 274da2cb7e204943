package io.jasynq;

import java.time.Duration;

/**
 * A durable enqueue ({@link Client.Builder#waitForReplicas}) could not confirm that the task
 * reached enough replicas within the timeout: Redis's {@code WAIT} counted fewer, or the connection
 * moved to another server (a failover) or reconnected between the write and the {@code WAIT}, so
 * the {@code WAIT} could not be shown to follow the write on the same socket.
 *
 * <p><b>The task may still exist.</b> The write was acknowledged by the server it reached; it is
 * only its durability that is unconfirmed. If that server stays master (or its replica caught up
 * after all), the task is processed; if a failover discards the write, it is not. A caller that
 * must have the task enqueues it again with the same {@link TaskOption#taskId task ID}: a {@link
 * TaskIdConflictException} then means the first write survived.
 *
 * @since 0.1
 */
public final class NotReplicatedException extends JasynqException {
  private static final long serialVersionUID = 1L;
  private final String queue;
  private final String taskId;
  private final long acknowledged;
  private final int required;

  /**
   * Creates the exception.
   *
   * @param queue the task's queue
   * @param taskId the task's ID
   * @param acknowledged how many replicas acknowledged the write (0 if unknown)
   * @param required how many were required
   * @param timeout how long Redis waited
   * @param why what went wrong, or null when {@code WAIT} counted too few
   */
  public NotReplicatedException(
      String queue, String taskId, long acknowledged, int required, Duration timeout, String why) {
    super(
        "task \""
            + taskId
            + "\" in queue \""
            + queue
            + "\" was written but not confirmed on "
            + required
            + " replica(s) within "
            + timeout
            + ": "
            + (why != null ? why : acknowledged + " acknowledged")
            + "; it may still exist");
    this.queue = queue;
    this.taskId = taskId;
    this.acknowledged = acknowledged;
    this.required = required;
  }

  /** The task's queue. */
  public String queue() {
    return queue;
  }

  /** The task's ID. */
  public String taskId() {
    return taskId;
  }

  /** How many replicas acknowledged the write (0 if unknown). */
  public long acknowledged() {
    return acknowledged;
  }

  /** How many replicas were required. */
  public int required() {
    return required;
  }
}

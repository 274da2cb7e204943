package io.jasynq;

/**
 * An {@link Inspector} call cannot act on a task in its current state, for example running a task
 * that is already pending or deleting one that is active (Asynq's {@code FAILED_PRECONDITION}
 * errors). Nothing was written.
 *
 * @since 0.1
 */
public final class TaskStateException extends JasynqException {
  private static final long serialVersionUID = 1L;
  private final String queue;
  private final String taskId;
  private final TaskState state;

  /**
   * Creates the exception.
   *
   * @param queue the queue
   * @param taskId the task
   * @param state the state the task is in
   * @param message what cannot be done, e.g. {@code "task is already in pending state"}
   */
  public TaskStateException(String queue, String taskId, TaskState state, String message) {
    super(message + ": id=" + taskId + ", queue=\"" + queue + "\"");
    this.queue = queue;
    this.taskId = taskId;
    this.state = state;
  }

  /** The queue. */
  public String queue() {
    return queue;
  }

  /** The task ID. */
  public String taskId() {
    return taskId;
  }

  /** The state the task is in. */
  public TaskState state() {
    return state;
  }
}

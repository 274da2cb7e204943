package io.jasynq;

/**
 * A task was not enqueued because its queue already holds a task with the same ID (Asynq's {@code
 * ErrTaskIDConflict}). Nothing was written.
 *
 * @since 0.1
 */
public final class TaskIdConflictException extends JasynqException {
  private static final long serialVersionUID = 1L;
  private final String queue;
  private final String taskId;

  /** Creates the exception for task {@code taskId} in {@code queue}. */
  public TaskIdConflictException(String queue, String taskId) {
    super("task ID conflicts with another task: id \"" + taskId + "\" in queue \"" + queue + "\"");
    this.queue = queue;
    this.taskId = taskId;
  }

  /** The queue. */
  public String queue() {
    return queue;
  }

  /** The conflicting task ID. */
  public String taskId() {
    return taskId;
  }
}

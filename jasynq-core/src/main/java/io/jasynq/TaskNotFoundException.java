package io.jasynq;

/**
 * An {@link Inspector} call named a task that its queue does not hold (Asynq's {@code
 * ErrTaskNotFound}). Nothing was written.
 *
 * @since 0.1
 */
public final class TaskNotFoundException extends JasynqException {
  private static final long serialVersionUID = 1L;
  private final String queue;
  private final String taskId;

  /** Creates the exception for task {@code taskId} in {@code queue}. */
  public TaskNotFoundException(String queue, String taskId) {
    super("cannot find task with id=" + taskId + " in queue \"" + queue + "\"");
    this.queue = queue;
    this.taskId = taskId;
  }

  /** The queue. */
  public String queue() {
    return queue;
  }

  /** The task ID that was not found. */
  public String taskId() {
    return taskId;
  }
}

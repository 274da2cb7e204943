package io.jasynq;

/**
 * {@link Inspector#deleteQueue(String, boolean)} without {@code force} found tasks in the queue
 * (Asynq's {@code ErrQueueNotEmpty}). Nothing was deleted.
 *
 * @since 0.1
 */
public final class QueueNotEmptyException extends JasynqException {
  private static final long serialVersionUID = 1L;
  private final String queue;

  /** Creates the exception for {@code queue}. */
  public QueueNotEmptyException(String queue) {
    super("queue \"" + queue + "\" is not empty");
    this.queue = queue;
  }

  /** The queue. */
  public String queue() {
    return queue;
  }
}

package io.jasynq;

/**
 * An {@link Inspector} call named a queue that is not registered in {@code asynq:queues} (Asynq's
 * {@code ErrQueueNotFound}). Nothing was read or written.
 *
 * @since 0.1
 */
public final class QueueNotFoundException extends JasynqException {
  private static final long serialVersionUID = 1L;
  private final String queue;

  /** Creates the exception for {@code queue}. */
  public QueueNotFoundException(String queue) {
    super("queue \"" + queue + "\" does not exist");
    this.queue = queue;
  }

  /** The queue. */
  public String queue() {
    return queue;
  }
}

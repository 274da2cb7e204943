package io.jasynq;

/**
 * An {@link Inspector} call cannot act on a queue in its current state: pausing a paused queue,
 * unpausing one that is not paused, or deleting one that has active tasks. Nothing was written.
 *
 * @since 0.1
 */
public final class QueueStateException extends JasynqException {
  private static final long serialVersionUID = 1L;
  private final String queue;

  /** Creates the exception for {@code queue} with a message saying what cannot be done. */
  public QueueStateException(String queue, String message) {
    super(message);
    this.queue = queue;
  }

  /** The queue. */
  public String queue() {
    return queue;
  }
}

package io.jasynq;

/**
 * A task with the {@link TaskOption#unique(java.time.Duration) unique} option was not enqueued
 * because another task with the same queue, type and payload holds the uniqueness lock (Asynq's
 * {@code ErrDuplicateTask}). Nothing was written.
 *
 * @since 0.1
 */
public final class DuplicateTaskException extends JasynqException {
  private static final long serialVersionUID = 1L;
  private final String queue;
  private final String uniqueKey;

  /** Creates the exception for the lock {@code uniqueKey} in {@code queue}. */
  public DuplicateTaskException(String queue, String uniqueKey) {
    super("task already exists: queue \"" + queue + "\" holds unique lock " + uniqueKey);
    this.queue = queue;
    this.uniqueKey = uniqueKey;
  }

  /** The queue. */
  public String queue() {
    return queue;
  }

  /** The Redis key of the lock that is held. */
  public String uniqueKey() {
    return uniqueKey;
  }
}

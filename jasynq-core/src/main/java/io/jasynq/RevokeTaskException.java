package io.jasynq;

/**
 * Thrown (or carried as a cause) by a handler to drop the task: it is neither retried nor archived,
 * and its unique lock is released, as Asynq's {@code RevokeTask}.
 *
 * @since 0.1
 */
public class RevokeTaskException extends JasynqException {
  private static final long serialVersionUID = 1L;

  /** With a message for the logs. */
  public RevokeTaskException(String message) {
    super(message);
  }
}

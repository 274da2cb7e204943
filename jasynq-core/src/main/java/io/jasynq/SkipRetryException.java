package io.jasynq;

/**
 * Thrown (or carried as a cause) by a handler to archive the task at once instead of retrying it,
 * as Asynq's {@code SkipRetry}.
 *
 * @since 0.1
 */
public class SkipRetryException extends JasynqException {
  private static final long serialVersionUID = 1L;

  /** With a message that is stored as the task's last error. */
  public SkipRetryException(String message) {
    super(message);
  }

  /** With a message and a cause. */
  public SkipRetryException(String message, Throwable cause) {
    super(message, cause);
  }
}

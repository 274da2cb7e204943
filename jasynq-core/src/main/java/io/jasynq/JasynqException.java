package io.jasynq;

/**
 * The root of jasynq's exceptions. Thrown as is when Redis fails or answers something unexpected
 * (the message names the operation); subclasses mark conditions a caller handles differently. Bad
 * arguments are {@link IllegalArgumentException}s and use after close is an {@link
 * IllegalStateException}, as in the rest of Java.
 *
 * @since 0.1
 */
public class JasynqException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  /** An exception with a message. */
  public JasynqException(String message) {
    super(message);
  }

  /** An exception with a message and its cause. */
  public JasynqException(String message, Throwable cause) {
    super(message, cause);
  }
}

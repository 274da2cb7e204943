package io.jasynq;

/**
 * No handler of a {@link ServeMux} matches the task's type. An ordinary failure: the task is
 * retried, so a deployment that adds the handler later still processes it.
 *
 * @since 0.1
 */
public final class HandlerNotFoundException extends JasynqException {
  private static final long serialVersionUID = 1L;

  /** For a task of {@code type}. */
  public HandlerNotFoundException(String type) {
    super("handler not found for task \"" + type + "\"");
  }
}

package io.jasynq.internal.broker;

import io.jasynq.JasynqException;

/**
 * A script found one of a queue's own keys (pending, active, lease, a scheduled or retry set, the
 * group registry, ...) holding the wrong Redis type and wrote nothing. Retrying cannot help until
 * someone repairs the key; the message names it and its type.
 */
public final class WrongKeyTypeException extends JasynqException {
  private static final long serialVersionUID = 1L;

  /** The prefix of the script error reply that becomes this exception. */
  static final String CODE = "WRONGKEY";

  private final String reason;

  WrongKeyTypeException(String operation, String reason, Throwable cause) {
    super(operation + " failed: " + reason + "; nothing was written", cause);
    this.reason = reason;
  }

  /**
   * The key, its type and the type it should have, e.g. {@code asynq:{q}:pending is a string, not a
   * list}.
   */
  public String reason() {
    return reason;
  }
}

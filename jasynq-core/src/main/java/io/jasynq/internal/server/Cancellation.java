package io.jasynq.internal.server;

/**
 * Why an attempt was cancelled. The texts are Asynq's, so Go and jasynq Inspectors show the same
 * last error.
 */
public final class Cancellation extends RuntimeException {
  private static final long serialVersionUID = 1L;

  /** The kinds of cancellation. */
  public enum Kind {
    /** The task's deadline passed: a failure. */
    DEADLINE("context deadline exceeded"),
    /** Cancelled through the Inspector: a failure. */
    CANCELLED("context canceled"),
    /** The local lease expired (Redis unreachable): the recoverer takes over. */
    LEASE_EXPIRED("asynq: task lease expired"),
    /** The server shuts down: the task is requeued, not failed. */
    SHUTDOWN("server is shutting down");

    final String text;

    Kind(String text) {
      this.text = text;
    }
  }

  private final Kind kind;

  /** A cancellation of {@code kind}. */
  public Cancellation(Kind kind) {
    super(kind.text, null, false, false);
    this.kind = kind;
  }

  /** The kind. */
  public Kind kind() {
    return kind;
  }
}

package io.jasynq;

/**
 * A server's status, as Asynq's servers write it and its tools show it.
 *
 * @since 0.1
 */
public enum ServerStatus {
  /** Started and taking tasks. */
  ACTIVE,
  /** Quiet: finishing what runs, taking nothing new ({@link Server#stop()}). */
  STOPPED,
  /** Shutting down, or shut down. */
  CLOSED
}

package io.jasynq.internal.connection;

/**
 * Told what the broker's commands and its connection say about reaching Redis (see {@code
 * Broker.watchReachability}). Called on any thread, Lettuce's event loops included, once per
 * command: both methods must be quick and must not block.
 */
public interface ReachabilityListener {
  /** A command was answered, or the connection (re)connected. */
  void answered();

  /**
   * A command failed for a reason about reaching Redis (timeout, connection refused or reset,
   * LOADING, MASTERDOWN, CLUSTERDOWN), not about the command itself (NOPERM, WRONGTYPE, a script
   * error).
   */
  void unreachable(Throwable cause);

  /** The connection lost its socket; Lettuce is reconnecting. Not called for our own drops. */
  void disconnected();
}

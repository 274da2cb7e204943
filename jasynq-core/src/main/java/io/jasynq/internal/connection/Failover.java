package io.jasynq.internal.connection;

import io.lettuce.core.RedisException;

/**
 * Recognises the replies of a server that is no longer (or not yet) the master: {@code READONLY} (a
 * demoted master), {@code MASTERDOWN} (a replica cut off from its master) and {@code LOADING} (a
 * node loading its data, typically a demoted master re-syncing from the new one). A command that
 * got one of them did not execute, so it is safe to send again once the connection has moved to the
 * master the sentinels name now.
 */
public final class Failover {
  /** How many times one command is re-sent after such a reply before the error is surfaced. */
  public static final int RETRIES = 3;

  private Failover() {}

  /** Whether {@code error} is a refusal by a server that is not the master. */
  public static boolean notMaster(Throwable error) {
    if (!(error instanceof RedisException) || error.getMessage() == null) {
      return false;
    }
    String m = error.getMessage();
    return m.startsWith("READONLY") || m.startsWith("MASTERDOWN") || m.startsWith("LOADING");
  }

  /**
   * Whether {@code error} (unwrapped) says Redis could not be reached or cannot serve now, rather
   * than that it refused the command (NOPERM, WRONGTYPE, a script error, READONLY, which the broker
   * handles by moving to the master).
   */
  public static boolean unreachable(Throwable error) {
    for (Throwable t = error; t != null; t = t.getCause() == t ? null : t.getCause()) {
      if (t instanceof java.util.concurrent.TimeoutException
          || t instanceof io.lettuce.core.RedisCommandTimeoutException
          || t instanceof io.lettuce.core.RedisConnectionException
          || t instanceof java.io.IOException) {
        return true;
      }
      String m = t.getMessage();
      if (t instanceof RedisException && m != null) {
        if (m.startsWith("LOADING") || m.startsWith("MASTERDOWN") || m.startsWith("CLUSTERDOWN")) {
          return true;
        }
        // REJECT_COMMANDS while reconnecting (our Cluster client), or a node that is down.
        if (m.contains("disconnected state") || m.contains("not connected")) {
          return true;
        }
      }
    }
    return false;
  }
}

package io.jasynq.internal.broker;

import io.lettuce.core.RedisException;

/**
 * Recognises the replies of a server that is no longer (or not yet) the master: {@code READONLY} (a
 * demoted master), {@code MASTERDOWN} (a replica cut off from its master) and {@code LOADING} (a
 * node loading its data, typically a demoted master re-syncing from the new one). A command that
 * got one of them did not execute, so it is safe to send again once the connection has moved to the
 * master the sentinels name now.
 */
final class Failover {
  /** How many times one command is re-sent after such a reply before the error is surfaced. */
  static final int RETRIES = 3;

  private Failover() {}

  /** Whether {@code error} is a refusal by a server that is not the master. */
  static boolean notMaster(Throwable error) {
    if (!(error instanceof RedisException) || error.getMessage() == null) {
      return false;
    }
    String m = error.getMessage();
    return m.startsWith("READONLY") || m.startsWith("MASTERDOWN") || m.startsWith("LOADING");
  }
}

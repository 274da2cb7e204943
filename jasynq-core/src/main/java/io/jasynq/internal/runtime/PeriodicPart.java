package io.jasynq.internal.runtime;

import java.time.Instant;

/**
 * A periodic part of a server or scheduler (the forwarder, the heartbeat, a scheduler's loop).
 * {@link PeriodicRunner} calls it; tests call it directly.
 */
public interface PeriodicPart {
  /** Its name, for logs and thread names. */
  String name();

  /** One pass at {@code now}. Throwing is reported and retried at the next interval. */
  void runOnce(Instant now) throws Exception;
}

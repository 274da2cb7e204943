package io.jasynq.internal.server;

import java.time.Instant;

/** A periodic part of the server. {@link PeriodicRunner} calls it; tests call it directly. */
public interface ServerPart {
  /** Its name, for logs and thread names. */
  String name();

  /** One pass at {@code now}. Throwing is reported and retried at the next interval. */
  void runOnce(Instant now) throws Exception;
}

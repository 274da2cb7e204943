package io.jasynq.internal.server;

import io.jasynq.internal.broker.Isolated;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;

/**
 * The WARN lines of a server part about bad records and bad keys (issue 10), written once here so
 * every part says the same things the same way. Confined to the thread of the part that owns it.
 *
 * <ul>
 *   <li>A record set aside by a script is one WARN line with its queue, ID and reason, every one of
 *       them: each is a task that will not run, and its line is the only trace of why.
 *   <li>A key that keeps failing (a queue key of the wrong type) is one WARN when it starts failing
 *       and one INFO when it works again, not a line per poll.
 * </ul>
 */
final class Isolations {
  private final Logger log;
  private final String part;
  private final Map<String, String> failing = new HashMap<>(); // key -> reason

  Isolations(Logger log, String part) {
    this.log = log;
    this.part = part;
  }

  /** Logs each of {@code isolated} at WARN. */
  void report(List<Isolated> isolated) {
    for (Isolated r : isolated) {
      log.warn(
          "{}: set aside bad record {} in queue \"{}\": {}", part, r.id(), r.queue(), r.reason());
    }
  }

  /** {@code key} fails for {@code reason}: a WARN unless it was already failing. */
  void failing(String key, String reason) {
    if (failing.put(key, reason) == null) {
      log.warn("{}: skipping {} until it is repaired: {}", part, key, reason);
    }
  }

  /** {@code key} works: an INFO if it was failing. */
  void working(String key) {
    if (failing.remove(key) != null) {
      log.info("{}: {} works again", part, key);
    }
  }
}

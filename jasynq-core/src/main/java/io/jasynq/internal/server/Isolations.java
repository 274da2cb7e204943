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
 *   <li>A record set aside by a script is one WARN line with its queue, ID and reason; a burst is
 *       capped at {@link #MAX_LINES_PER_CALL} lines plus one summary line.
 *   <li>A key that keeps failing (a queue key of the wrong type) is one WARN when it starts failing
 *       and one INFO when it works again, not a line per poll.
 * </ul>
 */
final class Isolations {
  /** Most isolated records logged one by one per report; the rest are counted in a summary line. */
  static final int MAX_LINES_PER_CALL = 20;

  private final Logger log;
  private final String part;
  private final Map<String, String> failing = new HashMap<>(); // key -> reason

  Isolations(Logger log, String part) {
    this.log = log;
    this.part = part;
  }

  /** Logs each of {@code isolated} at WARN, at most {@link #MAX_LINES_PER_CALL} lines. */
  void report(List<Isolated> isolated) {
    for (int i = 0; i < isolated.size() && i < MAX_LINES_PER_CALL; i++) {
      Isolated r = isolated.get(i);
      log.warn(
          "{}: set aside bad record {} in queue \"{}\": {}", part, r.id(), r.queue(), r.reason());
    }
    if (isolated.size() > MAX_LINES_PER_CALL) {
      log.warn(
          "{}: set aside {} more bad records (not listed one by one)",
          part,
          isolated.size() - MAX_LINES_PER_CALL);
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

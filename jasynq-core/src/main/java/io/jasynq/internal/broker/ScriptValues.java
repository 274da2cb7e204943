package io.jasynq.internal.broker;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;

/** The values the broker's operations pass to scripts and read from their replies. */
final class ScriptValues {
  /** How long daily counters and archived tasks are kept (wire-format §1.2, §4.1). */
  static final Duration STATS_TTL = Duration.ofDays(90);

  /** The archive keeps this many newest tasks (wire-format §3.14, without Asynq's off-by-one). */
  static final int ARCHIVE_MAX_SIZE = 10_000;

  private ScriptValues() {}

  /** {@code n} as a script argument: its decimal digits. */
  static byte[] number(long n) {
    return Keys.bytes(Long.toString(n));
  }

  /** A bulk reply as text. */
  static String text(Object bulk) {
    return new String((byte[]) bulk, StandardCharsets.UTF_8);
  }

  /** The UTC day of {@code now}: the date of the daily counters. */
  static LocalDate day(Instant now) {
    return LocalDate.ofInstant(now, ZoneOffset.UTC);
  }

  /** When a daily counter written at {@code now} expires, unix seconds. */
  static long statsExpiry(Instant now) {
    return now.plus(STATS_TTL).getEpochSecond();
  }

  static long unixNanos(Instant t) {
    return Math.addExact(Math.multiplyExact(t.getEpochSecond(), 1_000_000_000L), t.getNano());
  }

  /** Whole seconds, rounding a fraction up. */
  static long wholeSeconds(Duration d) {
    return d.getNano() > 0 ? d.getSeconds() + 1 : d.getSeconds();
  }

  /** The {id, ...} part of a script reply: dangling IDs removed, each with {@code reason}. */
  static List<Isolated> dangling(String queue, List<?> ids, String reason) {
    return ids.stream().map(id -> new Isolated(queue, text(id), reason)).toList();
  }

  /** The {id, reason, ...} part of a script reply. */
  static List<Isolated> isolated(String queue, List<?> reply) {
    List<Isolated> out = new ArrayList<>(reply.size() / 2);
    for (int k = 0; k + 1 < reply.size(); k += 2) {
      out.add(new Isolated(queue, text(reply.get(k)), text(reply.get(k + 1))));
    }
    return out;
  }
}

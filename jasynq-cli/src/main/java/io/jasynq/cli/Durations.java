package io.jasynq.cli;

import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Parses the duration and time flags as the asynq CLI takes them (Go durations, RFC 3339). */
final class Durations {
  private static final Pattern PART = Pattern.compile("(\\d+(?:\\.\\d+)?)(ns|us|µs|ms|s|m|h)");

  private Durations() {}

  /**
   * A Go duration ({@code 30s}, {@code 1h30m}, {@code 1.5h}, {@code 500ms}) or an ISO-8601 one
   * ({@code PT30S}).
   *
   * @throws UsageException naming the flag and the value
   */
  static Duration parse(String flag, String text) {
    String s = text.strip();
    if (s.equals("0")) {
      return Duration.ZERO;
    }
    if (s.toUpperCase(Locale.ROOT).startsWith("PT") || s.toUpperCase(Locale.ROOT).startsWith("P")) {
      try {
        return Duration.parse(s.toUpperCase(Locale.ROOT));
      } catch (DateTimeParseException e) {
        throw bad(flag, text);
      }
    }
    Matcher m = PART.matcher(s);
    int at = 0;
    BigDecimal nanos = BigDecimal.ZERO;
    while (at < s.length()) {
      if (!m.find(at) || m.start() != at) {
        throw bad(flag, text);
      }
      BigDecimal n = new BigDecimal(m.group(1));
      long unit =
          switch (m.group(2)) {
            case "ns" -> 1L;
            case "us", "µs" -> 1_000L;
            case "ms" -> 1_000_000L;
            case "s" -> 1_000_000_000L;
            case "m" -> 60_000_000_000L;
            default -> 3_600_000_000_000L;
          };
      nanos = nanos.add(n.multiply(BigDecimal.valueOf(unit)));
      at = m.end();
    }
    if (at == 0) {
      throw bad(flag, text);
    }
    return Duration.ofNanos(nanos.longValue());
  }

  /**
   * An RFC 3339 time: {@code 2026-12-02T10:00:00Z} or with an offset.
   *
   * @throws UsageException naming the flag and the value
   */
  static Instant time(String flag, String text) {
    try {
      return OffsetDateTime.parse(text.strip()).toInstant();
    } catch (DateTimeParseException e) {
      throw new UsageException(
          flag + " must be an RFC 3339 time like 2026-12-02T10:00:00Z, was \"" + text + "\"", e);
    }
  }

  private static UsageException bad(String flag, String text) {
    return new UsageException(
        flag + " must be a duration like 30s, 5m or 1h30m, was \"" + text + "\"");
  }
}

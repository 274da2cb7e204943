package io.jasynq.cli;

import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Locale;
import org.jspecify.annotations.Nullable;

/** Formats numbers, sizes, times and payloads for people. */
final class Human {
  private Human() {}

  /** {@code 3 minutes ago}, {@code in 2 hours}, {@code just now}; {@code -} for null. */
  static String relative(Instant time, Instant now) {
    if (time == null) {
      return "-";
    }
    Duration d = Duration.between(time, now);
    boolean past = !d.isNegative();
    Duration abs = d.abs();
    if (abs.compareTo(Duration.ofSeconds(1)) < 0) {
      return "just now";
    }
    String amount = roughly(abs);
    return past ? amount + " ago" : "in " + amount;
  }

  /**
   * {@code 45 seconds}, {@code 3 minutes}, {@code 2 hours}, {@code 5 days}: the largest unit that
   * fits, rounded to the nearest (4m59.9s is "5 minutes").
   */
  static String roughly(Duration d) {
    long s = d.getSeconds();
    if (s < 60) {
      return plural(s, "second");
    }
    long minutes = Math.round(s / 60.0);
    if (minutes < 60) {
      return plural(minutes, "minute");
    }
    long hours = Math.round(s / 3600.0);
    if (hours < 24) {
      return plural(hours, "hour");
    }
    return plural(Math.round(s / 86400.0), "day");
  }

  /** A compact duration: {@code 0s}, {@code 350ms}, {@code 42s}, {@code 3m5s}, {@code 2h0m}. */
  static String duration(Duration d) {
    if (d == null) {
      return "-";
    }
    long ms = d.toMillis();
    if (ms <= 0) {
      return "0s";
    }
    if (ms < 1000) {
      return ms + "ms";
    }
    long s = d.getSeconds();
    if (s < 60) {
      return ms % 1000 == 0 || s >= 10 ? s + "s" : String.format(Locale.ROOT, "%.1fs", ms / 1000.0);
    }
    if (s < 3600) {
      return s / 60 + "m" + s % 60 + "s";
    }
    if (s < 86400) {
      return s / 3600 + "h" + s % 3600 / 60 + "m";
    }
    return s / 86400 + "d" + s % 86400 / 3600 + "h";
  }

  /**
   * {@code 512 B}, {@code 1.5 KB}, {@code 3.2 MB}, {@code 1.0 GB} (1 KB = 1024 bytes); {@code
   * unknown} for a negative value (a memory estimate Redis refused).
   */
  static String bytes(long n) {
    if (n < 0) {
      return "unknown";
    }
    if (n < 1024) {
      return n + " B";
    }
    String[] units = {"KB", "MB", "GB", "TB"};
    double v = n;
    int u = -1;
    while (v >= 1024 && u < units.length - 1) {
      v /= 1024;
      u++;
    }
    return String.format(Locale.ROOT, "%.1f %s", v, units[u]);
  }

  /** {@code 1,234,567}. */
  static String count(long n) {
    return String.format(Locale.ROOT, "%,d", n);
  }

  /** Percent of {@code part} in {@code whole}, one decimal; {@code -} when whole is 0. */
  static String percent(long part, long whole) {
    return whole == 0 ? "-" : String.format(Locale.ROOT, "%.1f%%", 100.0 * part / whole);
  }

  /** A bar of {@code value / max * width} full blocks (at least one for a non-zero value). */
  static String bar(long value, long max, int width) {
    if (value <= 0 || max <= 0) {
      return "";
    }
    long n = Math.max(1, Math.round((double) value * width / max));
    return "█".repeat((int) Math.min(width, n));
  }

  /** The payload as text when it is valid UTF-8, else null. */
  static @Nullable String utf8(byte[] payload) {
    try {
      return StandardCharsets.UTF_8
          .newDecoder()
          .onMalformedInput(CodingErrorAction.REPORT)
          .onUnmappableCharacter(CodingErrorAction.REPORT)
          .decode(ByteBuffer.wrap(payload))
          .toString();
    } catch (CharacterCodingException e) {
      return null;
    }
  }

  /** The payload for a table cell: its text, shortened, {@code <N bytes, binary>} or {@code -}. */
  static String payload(byte[] payload, int max) {
    if (payload.length == 0) {
      return "-";
    }
    String text = utf8(payload);
    if (text == null) {
      return "<" + payload.length + " bytes, binary>";
    }
    text = Table.oneLine(text.length() <= max ? text : text.substring(0, max + 1));
    return text.length() <= max ? text : text.substring(0, Math.max(0, max - 1)) + "…";
  }

  /**
   * The problem column of a bad row: its first problem, shortened, and how many more; null (printed
   * {@code -}) for a good row.
   */
  static @Nullable String problem(java.util.List<String> problems) {
    if (problems.isEmpty()) {
      return null;
    }
    String first = Table.oneLine(problems.get(0));
    if (first.length() > PROBLEM_WIDTH) {
      first = first.substring(0, PROBLEM_WIDTH - 1) + "…";
    }
    return problems.size() == 1 ? first : first + " (+" + (problems.size() - 1) + " more)";
  }

  /** {@code text}, or null (a table prints {@code -}) when it is empty, as in a bad row. */
  static @Nullable String orDash(@Nullable String text) {
    return text == null || text.isEmpty() ? null : text;
  }

  /** The widest problem cell. */
  static final int PROBLEM_WIDTH = 80;

  /** The most characters of a payload or result {@code task inspect} prints. */
  static final int PREVIEW_CHARS = 2000;

  /**
   * A payload or result for a detail view: its text up to {@value #PREVIEW_CHARS} characters, on
   * one line, or {@code <N bytes, binary; see --json for base64>}; {@code (empty)} when empty.
   */
  static String preview(byte[] bytes) {
    if (bytes.length == 0) {
      return "(empty)";
    }
    String text = utf8(bytes);
    if (text == null) {
      return "<" + bytes.length + " bytes, binary; see --json for base64>";
    }
    if (text.length() > PREVIEW_CHARS) {
      return Table.oneLine(text.substring(0, PREVIEW_CHARS))
          + "… ("
          + bytes(bytes.length)
          + " in all; --full or --json shows all)";
    }
    return Table.oneLine(text);
  }

  /**
   * A payload or result in full, as {@code task inspect --full} shows it: all of its text, line
   * breaks kept; {@code <N bytes, binary; see --json for base64>} when it is not UTF-8, {@code
   * (empty)} when empty.
   */
  static String full(byte[] bytes) {
    if (bytes.length == 0) {
      return "(empty)";
    }
    String text = utf8(bytes);
    return text == null ? "<" + bytes.length + " bytes, binary; see --json for base64>" : text;
  }

  private static String plural(long n, String unit) {
    return n + " " + unit + (n == 1 ? "" : "s");
  }
}

package io.jasynq.prometheus;

import java.math.BigDecimal;
import java.time.Duration;

/**
 * Writes metric families in the Prometheus text exposition format 0.0.4: {@code # HELP} and {@code
 * # TYPE} lines, then samples, with the format's escaping. Written by hand because client_java 1.x
 * refuses gauge names ending in {@code _total}, which asynq's metrics have. Confined to one
 * scrape's thread.
 */
final class TextFormat {
  private final StringBuilder out;

  TextFormat(StringBuilder out) {
    this.out = out;
  }

  /** The {@code # HELP} and {@code # TYPE} lines of one family; call once per family. */
  TextFormat family(String name, String help, String type) {
    out.append("# HELP ").append(name).append(' ').append(escapeHelp(help)).append('\n');
    out.append("# TYPE ").append(name).append(' ').append(type).append('\n');
    return this;
  }

  /**
   * One sample line.
   *
   * @param labels label name, value, name, value, ... (names are ours, values are escaped)
   */
  TextFormat sample(String name, String value, String... labels) {
    out.append(name);
    if (labels.length > 0) {
      out.append('{');
      for (int i = 0; i < labels.length; i += 2) {
        if (i > 0) {
          out.append(',');
        }
        out.append(labels[i]).append("=\"").append(escapeLabelValue(labels[i + 1])).append('"');
      }
      out.append('}');
    }
    out.append(' ').append(value).append('\n');
    return this;
  }

  /** A label value as the format wants it: backslash, double quote and line feed escaped. */
  static String escapeLabelValue(String value) {
    return escape(value, true);
  }

  /** A help text as the format wants it: backslash and line feed escaped. */
  static String escapeHelp(String help) {
    return escape(help, false);
  }

  private static String escape(String s, boolean quotes) {
    StringBuilder b = new StringBuilder(s.length());
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      switch (c) {
        case '\\' -> b.append("\\\\");
        case '\n' -> b.append("\\n");
        case '"' -> b.append(quotes ? "\\\"" : "\"");
        default -> b.append(c);
      }
    }
    return b.toString();
  }

  /** A count. */
  static String value(long n) {
    return Long.toString(n);
  }

  /** A duration in seconds, exactly (no overflow for absurd durations, no exponent). */
  static String seconds(Duration d) {
    return BigDecimal.valueOf(d.getSeconds())
        .add(BigDecimal.valueOf(d.getNano(), 9))
        .stripTrailingZeros()
        .toPlainString();
  }
}

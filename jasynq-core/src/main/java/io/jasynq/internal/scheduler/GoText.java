package io.jasynq.internal.scheduler;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Locale;
import java.util.Map;

/**
 * Text as Go writes and reads it, where Asynq readers depend on it: duration text ({@code
 * time.Duration.String} and {@code time.ParseDuration}, wire-format §2.3, §7.2), {@code %q}
 * quoting, the {@code UnixDate} layout and Go's JSON string escaping. Pure functions.
 */
public final class GoText {
  private static final DateTimeFormatter UNIX_DATE =
      DateTimeFormatter.ofPattern("EEE MMM ppd HH:mm:ss 'UTC' uuuu", Locale.ENGLISH)
          .withZone(ZoneOffset.UTC);

  private static final Map<String, Long> UNITS =
      Map.of(
          "ns", 1L,
          "us", 1_000L,
          "\u00b5s", 1_000L,
          "\u03bcs", 1_000L,
          "ms", 1_000_000L,
          "s", 1_000_000_000L,
          "m", 60_000_000_000L,
          "h", 3_600_000_000_000L);

  private static final BigDecimal MAX_NANOS = BigDecimal.valueOf(Long.MAX_VALUE);

  private GoText() {}

  /** Go's duration text: {@code 0s}, {@code 1.5ms}, {@code 1h0m0s}, {@code 2.5s}, {@code -1m0s}. */
  public static String duration(Duration d) {
    if (d.isZero()) {
      return "0s";
    }
    String sign = d.isNegative() ? "-" : "";
    Duration a = d.abs();
    long seconds = a.getSeconds();
    int nanos = a.getNano();
    if (seconds == 0) {
      if (nanos < 1_000) {
        return sign + nanos + "ns";
      }
      if (nanos < 1_000_000) {
        return sign + (nanos / 1_000) + fraction(nanos % 1_000, 3) + "\u00b5s";
      }
      return sign + (nanos / 1_000_000) + fraction(nanos % 1_000_000, 6) + "ms";
    }
    long h = seconds / 3600;
    long m = seconds % 3600 / 60;
    long s = seconds % 60;
    StringBuilder b = new StringBuilder(sign);
    if (h > 0) {
      b.append(h).append('h');
    }
    if (h > 0 || m > 0) {
      b.append(m).append('m');
    }
    return b.append(s).append(fraction(nanos, 9)).append('s').toString();
  }

  private static String fraction(long value, int digits) {
    if (value == 0) {
      return "";
    }
    String f = String.format(Locale.ROOT, "%0" + digits + "d", value);
    int end = f.length();
    while (f.charAt(end - 1) == '0') {
      end--;
    }
    return "." + f.substring(0, end);
  }

  /**
   * Parses Go duration text ({@code time.ParseDuration}): an optional sign, then one or more
   * decimal numbers each with a unit ({@code ns us µs ms s m h}), or a bare {@code 0}.
   *
   * @throws IllegalArgumentException naming the text and the rule it breaks
   */
  public static Duration parseDuration(String text) {
    String s = text;
    boolean negative = false;
    if (!s.isEmpty() && (s.charAt(0) == '-' || s.charAt(0) == '+')) {
      negative = s.charAt(0) == '-';
      s = s.substring(1);
    }
    if (s.equals("0")) {
      return Duration.ZERO;
    }
    if (s.isEmpty()) {
      throw badDuration(text, "expected a number and a unit, like 90s or 1h30m");
    }
    BigDecimal total = BigDecimal.ZERO;
    int i = 0;
    while (i < s.length()) {
      int start = i;
      while (i < s.length() && Character.isDigit(s.charAt(i)) && s.charAt(i) < 128) {
        i++;
      }
      boolean whole = i > start;
      int dot = i;
      if (i < s.length() && s.charAt(i) == '.') {
        i++;
        while (i < s.length() && Character.isDigit(s.charAt(i)) && s.charAt(i) < 128) {
          i++;
        }
      }
      boolean frac = i > dot + 1;
      if (!whole && !frac) {
        throw badDuration(text, "expected a number at \"" + s.substring(start) + "\"");
      }
      BigDecimal number = new BigDecimal(s.substring(start, i).replaceAll("\\.$", ""));
      int unitStart = i;
      while (i < s.length() && s.charAt(i) != '.' && !isAsciiDigit(s.charAt(i))) {
        i++;
      }
      String unit = s.substring(unitStart, i);
      if (unit.isEmpty()) {
        throw badDuration(text, "missing unit after " + number.toPlainString());
      }
      Long scale = UNITS.get(unit);
      if (scale == null) {
        throw badDuration(text, "unknown unit \"" + unit + "\" (use ns, us, ms, s, m or h)");
      }
      total = total.add(number.multiply(BigDecimal.valueOf(scale)));
      if (total.compareTo(MAX_NANOS) > 0) {
        throw badDuration(text, "it is longer than Go's largest duration (about 292 years)");
      }
    }
    BigInteger nanos = total.toBigInteger();
    return Duration.ofNanos(negative ? -nanos.longValueExact() : nanos.longValueExact());
  }

  private static boolean isAsciiDigit(char c) {
    return c >= '0' && c <= '9';
  }

  private static IllegalArgumentException badDuration(String text, String why) {
    return new IllegalArgumentException("invalid Go duration \"" + text + "\": " + why);
  }

  /** Go's {@code %q}: a double-quoted string with Go's backslash escapes. */
  public static String quote(String s) {
    StringBuilder b = new StringBuilder(s.length() + 2).append('"');
    s.codePoints()
        .forEach(
            cp -> {
              switch (cp) {
                case '"' -> b.append("\\\"");
                case '\\' -> b.append("\\\\");
                case 7 -> b.append("\\a");
                case '\b' -> b.append("\\b");
                case '\f' -> b.append("\\f");
                case '\n' -> b.append("\\n");
                case '\r' -> b.append("\\r");
                case '\t' -> b.append("\\t");
                case 11 -> b.append("\\v");
                default -> {
                  if (printable(cp)) {
                    b.appendCodePoint(cp);
                  } else if (cp < 0x80) {
                    b.append(String.format(Locale.ROOT, "\\x%02x", cp));
                  } else if (cp < 0x10000) {
                    b.append(String.format(Locale.ROOT, "\\u%04x", cp));
                  } else {
                    b.append(String.format(Locale.ROOT, "\\U%08x", cp));
                  }
                }
              }
            });
    return b.append('"').toString();
  }

  /** Go's {@code unicode.IsPrint}: letters, marks, numbers, punctuation, symbols and ' '. */
  private static boolean printable(int cp) {
    if (cp == ' ') {
      return true;
    }
    return switch (Character.getType(cp)) {
      case Character.UPPERCASE_LETTER,
          Character.LOWERCASE_LETTER,
          Character.TITLECASE_LETTER,
          Character.MODIFIER_LETTER,
          Character.OTHER_LETTER,
          Character.NON_SPACING_MARK,
          Character.ENCLOSING_MARK,
          Character.COMBINING_SPACING_MARK,
          Character.DECIMAL_DIGIT_NUMBER,
          Character.LETTER_NUMBER,
          Character.OTHER_NUMBER,
          Character.CONNECTOR_PUNCTUATION,
          Character.DASH_PUNCTUATION,
          Character.START_PUNCTUATION,
          Character.END_PUNCTUATION,
          Character.INITIAL_QUOTE_PUNCTUATION,
          Character.FINAL_QUOTE_PUNCTUATION,
          Character.OTHER_PUNCTUATION,
          Character.MATH_SYMBOL,
          Character.CURRENCY_SYMBOL,
          Character.MODIFIER_SYMBOL,
          Character.OTHER_SYMBOL ->
          true;
      default -> false;
    };
  }

  /** Go's {@code time.UnixDate} layout in UTC: {@code Mon Jan 2 15:04:05 UTC 2006}. */
  public static String unixDate(Instant t) {
    return UNIX_DATE.format(t);
  }

  /** A JSON string as Go's encoding/json writes it ({@code <>&} and U+2028/9 escaped). */
  public static String json(String s) {
    StringBuilder b = new StringBuilder(s.length() + 2).append('"');
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      switch (c) {
        case '"' -> b.append("\\\"");
        case '\\' -> b.append("\\\\");
        case '\n' -> b.append("\\n");
        case '\r' -> b.append("\\r");
        case '\t' -> b.append("\\t");
        default -> {
          if (c < 0x20 || c == '<' || c == '>' || c == '&' || c == '\u2028' || c == '\u2029') {
            b.append(String.format(Locale.ROOT, "\\u%04x", (int) c));
          } else {
            b.append(c);
          }
        }
      }
    }
    return b.append('"').toString();
  }
}

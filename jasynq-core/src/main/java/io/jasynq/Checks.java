package io.jasynq;

import java.time.Duration;
import java.util.Objects;

/** Argument checks whose messages name the field, the value and the rule. */
final class Checks {
  private Checks() {}

  /** Non-null, not blank, no control characters, encodable as UTF-8. */
  static String text(String field, String value) {
    Objects.requireNonNull(value, field + " == null");
    if (value.isBlank()) {
      throw new IllegalArgumentException(
          field + " must contain one or more characters, was \"" + value + "\"");
    }
    return encodable(field, value);
  }

  /**
   * Rejects unpaired surrogates and control characters: Go's protobuf refuses invalid UTF-8 and
   * would fail to decode the whole task.
   */
  static String encodable(String field, String value) {
    Objects.requireNonNull(value, field + " == null");
    for (int i = 0; i < value.length(); i++) {
      char c = value.charAt(i);
      if (Character.isISOControl(c)) {
        throw new IllegalArgumentException(
            field + " must not contain control characters, was \"" + printable(value) + "\"");
      }
      if (Character.isHighSurrogate(c)
          && i + 1 < value.length()
          && Character.isLowSurrogate(value.charAt(i + 1))) {
        i++;
      } else if (Character.isSurrogate(c)) {
        throw new IllegalArgumentException(
            field
                + " must be valid Unicode (it is stored as UTF-8), has an unpaired surrogate at index "
                + i);
      }
    }
    return value;
  }

  static String queue(String queue) {
    text("queue", queue);
    if (!queue.equals(queue.strip())) {
      throw new IllegalArgumentException(
          "queue must not start or end with whitespace, was \"" + queue + "\"");
    }
    if (queue.indexOf('{') >= 0 || queue.indexOf('}') >= 0) {
      throw new IllegalArgumentException(
          "queue must not contain '{' or '}' (they delimit the Redis Cluster hash tag), was \""
              + queue
              + "\"");
    }
    return queue;
  }

  /** A duration of at least one second; fractions of a second are rounded up when stored. */
  static Duration atLeastOneSecond(String field, Duration value) {
    Objects.requireNonNull(value, field + " == null");
    if (value.compareTo(Duration.ofSeconds(1)) < 0) {
      throw new IllegalArgumentException(
          field + " must be at least 1s (Redis stores whole seconds), was " + value);
    }
    return value;
  }

  static Duration notNegative(String field, Duration value) {
    Objects.requireNonNull(value, field + " == null");
    if (value.isNegative()) {
      throw new IllegalArgumentException(field + " must not be negative, was " + value);
    }
    return value;
  }

  /** Whole seconds, rounding a fraction up. */
  static long seconds(Duration d) {
    long s = d.getSeconds();
    return d.getNano() > 0 ? s + 1 : s;
  }

  private static String printable(String value) {
    StringBuilder b = new StringBuilder();
    value
        .codePoints()
        .forEach(
            cp -> {
              if (Character.isISOControl(cp)) {
                b.append(String.format("\\u%04x", cp));
              } else {
                b.appendCodePoint(cp);
              }
            });
    return b.toString();
  }
}

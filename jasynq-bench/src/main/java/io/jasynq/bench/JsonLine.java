package io.jasynq.bench;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * One result line: a flat JSON object whose values are strings, numbers, booleans, lists of numbers
 * or maps of string to number, written in insertion order. Not thread-safe.
 */
final class JsonLine {
  private final Map<String, @Nullable Object> fields = new LinkedHashMap<>();

  /** A line that starts with the fields every scenario reports. */
  static JsonLine of(String scenario, long n, double seconds) {
    return new JsonLine()
        .put("scenario", scenario)
        .put("impl", "jasynq")
        .put("n", n)
        .put("seconds", seconds)
        .put("ops_per_sec", seconds > 0 ? n / seconds : 0.0);
  }

  /** Adds or replaces a field; {@code value} must be of a supported kind. */
  JsonLine put(String key, @Nullable Object value) {
    fields.put(key, value);
    return this;
  }

  /** The value of {@code key}, or null. */
  @Nullable Object get(String key) {
    return fields.get(key);
  }

  @Override
  public String toString() {
    StringBuilder out = new StringBuilder(256);
    writeObject(out, fields);
    return out.toString();
  }

  private static void writeObject(StringBuilder out, Map<?, ?> map) {
    out.append('{');
    boolean first = true;
    for (Map.Entry<?, ?> e : map.entrySet()) {
      if (!first) {
        out.append(',');
      }
      first = false;
      writeString(out, String.valueOf(e.getKey()));
      out.append(':');
      writeValue(out, e.getValue());
    }
    out.append('}');
  }

  private static void writeValue(StringBuilder out, Object value) {
    if (value == null) {
      out.append("null");
    } else if (value instanceof String s) {
      writeString(out, s);
    } else if (value instanceof Boolean || value instanceof Integer || value instanceof Long) {
      out.append(value);
    } else if (value instanceof Double d) {
      writeDouble(out, d);
    } else if (value instanceof List<?> list) {
      out.append('[');
      for (int i = 0; i < list.size(); i++) {
        out.append(i == 0 ? "" : ",");
        writeValue(out, list.get(i));
      }
      out.append(']');
    } else if (value instanceof Map<?, ?> map) {
      writeObject(out, map);
    } else {
      throw new IllegalArgumentException("unsupported JSON value: " + value.getClass());
    }
  }

  /** Three decimals are plenty for seconds, rates and milliseconds. */
  private static void writeDouble(StringBuilder out, double d) {
    if (Double.isNaN(d) || Double.isInfinite(d)) {
      out.append("null");
    } else if (d == Math.rint(d) && Math.abs(d) < 1e15) {
      out.append((long) d);
    } else {
      out.append(Math.round(d * 1000) / 1000.0);
    }
  }

  private static void writeString(StringBuilder out, String s) {
    out.append('"');
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      switch (c) {
        case '"' -> out.append("\\\"");
        case '\\' -> out.append("\\\\");
        case '\n' -> out.append("\\n");
        case '\r' -> out.append("\\r");
        case '\t' -> out.append("\\t");
        default -> {
          if (c < 0x20) {
            out.append(String.format("\\u%04x", (int) c));
          } else {
            out.append(c);
          }
        }
      }
    }
    out.append('"');
  }
}

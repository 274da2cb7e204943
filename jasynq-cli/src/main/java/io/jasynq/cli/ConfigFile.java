package io.jasynq.cli;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The connection settings file ({@code ~/.asynq.yaml} and friends). It reads the flat subset of
 * YAML that such files use: {@code key: value} lines, {@code #} comments, values optionally in
 * single or double quotes, and lists either inline ({@code [a, b]}) or as {@code - item} lines
 * under the key (joined with commas, as the asynq CLI's {@code cluster_addrs} flag takes them).
 * Anything else (nesting, anchors, multi-line strings) is rejected with the line number, as is an
 * unknown key, so a typo never silently falls back to a default.
 */
final class ConfigFile {
  /** Keys the file may hold: asynq's flag names plus jasynq's own. */
  static final Set<String> KEYS =
      Set.of(
          "uri",
          "db",
          "username",
          "user",
          "password",
          "tls",
          "tls_server",
          "tls_ca",
          "insecure",
          "cluster",
          "cluster_addrs",
          "sentinel",
          "sentinel_password");

  private final Path path;
  private final Map<String, String> values;

  private ConfigFile(Path path, Map<String, String> values) {
    this.path = path;
    this.values = values;
  }

  /** An empty file (no config file in use). */
  static ConfigFile none() {
    return new ConfigFile(null, Map.of());
  }

  /**
   * Reads and parses {@code path}.
   *
   * @throws IllegalArgumentException naming the file, the line and what is wrong
   */
  static ConfigFile read(Path path) {
    List<String> lines;
    try {
      lines = Files.readAllLines(path, StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new IllegalArgumentException("cannot read config file " + path + ": " + e, e);
    }
    return new ConfigFile(path, parse(path, lines));
  }

  /** A value, or null when the file does not set it. */
  String get(String key) {
    return values.get(key);
  }

  /** The file read, or null. */
  Path path() {
    return path;
  }

  static Map<String, String> parse(Path path, List<String> lines) {
    Map<String, String> values = new LinkedHashMap<>();
    String listKey = null;
    List<String> items = new ArrayList<>();
    for (int i = 0; i < lines.size(); i++) {
      int number = i + 1;
      String line = stripComment(lines.get(i)).stripTrailing();
      if (line.isBlank() || line.equals("---")) {
        continue;
      }
      String trimmed = line.strip();
      if (trimmed.startsWith("- ") || trimmed.equals("-")) {
        if (listKey == null) {
          throw bad(path, number, "a list item without a key above it");
        }
        items.add(unquote(path, number, trimmed.substring(1).strip()));
        continue;
      }
      if (listKey != null) {
        values.put(listKey, String.join(",", items));
        listKey = null;
        items.clear();
      }
      if (Character.isWhitespace(line.charAt(0))) {
        throw bad(path, number, "nested values are not supported (flat key: value only)");
      }
      int colon = line.indexOf(':');
      if (colon <= 0) {
        throw bad(path, number, "expected key: value");
      }
      String key = line.substring(0, colon).strip();
      if (!KEYS.contains(key)) {
        throw bad(path, number, "unknown key \"" + key + "\" (known: " + known() + ")");
      }
      if (values.containsKey(key)) {
        throw bad(path, number, "key \"" + key + "\" given twice");
      }
      String value = line.substring(colon + 1).strip();
      if (value.isEmpty()) {
        listKey = key; // a block list may follow; an empty value otherwise
        values.put(key, "");
      } else if (value.startsWith("[")) {
        if (!value.endsWith("]")) {
          throw bad(path, number, "an inline list must end on the same line with ]");
        }
        List<String> inline = new ArrayList<>();
        for (String item : value.substring(1, value.length() - 1).split(",")) {
          if (!item.isBlank()) {
            inline.add(unquote(path, number, item.strip()));
          }
        }
        values.put(key, String.join(",", inline));
      } else if (value.startsWith("|") || value.startsWith(">") || value.startsWith("&")) {
        throw bad(path, number, "multi-line values and anchors are not supported");
      } else {
        values.put(key, unquote(path, number, value));
      }
    }
    if (listKey != null) {
      values.put(listKey, String.join(",", items));
    }
    return values;
  }

  private static String known() {
    return String.join(", ", KEYS.stream().sorted().toList());
  }

  /** Drops a {@code #} comment that starts a line or follows a space, outside quotes. */
  private static String stripComment(String line) {
    char quote = 0;
    for (int i = 0; i < line.length(); i++) {
      char c = line.charAt(i);
      if (quote != 0) {
        if (c == quote) {
          quote = 0;
        }
      } else if (c == '"' || c == '\'') {
        quote = c;
      } else if (c == '#' && (i == 0 || Character.isWhitespace(line.charAt(i - 1)))) {
        return line.substring(0, i);
      }
    }
    return line;
  }

  private static String unquote(Path path, int number, String value) {
    if (value.length() >= 2
        && (value.charAt(0) == '"' || value.charAt(0) == '\'')
        && value.charAt(value.length() - 1) == value.charAt(0)) {
      String inner = value.substring(1, value.length() - 1);
      if (value.charAt(0) == '"' && inner.contains("\\")) {
        throw bad(path, number, "escapes in double-quoted values are not supported");
      }
      return value.charAt(0) == '\'' ? inner.replace("''", "'") : inner;
    }
    if (value.startsWith("\"") || value.startsWith("'")) {
      throw bad(path, number, "unterminated quote");
    }
    return value;
  }

  private static IllegalArgumentException bad(Path path, int line, String what) {
    return new IllegalArgumentException("config file " + path + " line " + line + ": " + what);
  }
}

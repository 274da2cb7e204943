package io.jasynq.cli;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.jspecify.annotations.Nullable;

/**
 * The connection settings file ({@code ~/.asynq.yaml} and friends), read with Jackson's YAML
 * parser: a flat mapping of {@code key: value}, values scalars (quoted or not) or lists of scalars,
 * inline ({@code [a, b]}) or as {@code - item} lines under the key (joined with commas, as the
 * asynq CLI's {@code cluster_addrs} flag takes them). A nested mapping, an unknown key or a key
 * given twice is rejected with the line number, as is a YAML syntax error, so a typo never silently
 * falls back to a default.
 */
final class ConfigFile {
  private static final YAMLFactory YAML = new YAMLFactory();
  private static final String NESTED = "nested values are not supported (flat key: value only)";

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

  private final @Nullable Path path;
  private final Map<String, String> values;

  private ConfigFile(@Nullable Path path, Map<String, String> values) {
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
  @Nullable String get(String key) {
    return values.get(key);
  }

  /** The file read, or null. */
  @Nullable Path path() {
    return path;
  }

  static Map<String, String> parse(Path path, List<String> lines) {
    Map<String, String> values = new LinkedHashMap<>();
    try (JsonParser parser = YAML.createParser(String.join("\n", lines))) {
      JsonToken token = parser.nextToken();
      if (token == null) {
        return values; // empty, or comments only
      }
      if (token != JsonToken.START_OBJECT) {
        throw bad(path, line(parser), "expected key: value");
      }
      while (parser.nextToken() == JsonToken.FIELD_NAME) {
        int number = line(parser);
        String key = parser.currentName();
        if (!KEYS.contains(key)) {
          throw bad(path, number, "unknown key \"" + key + "\" (known: " + known() + ")");
        }
        if (values.containsKey(key)) {
          throw bad(path, number, "key \"" + key + "\" given twice");
        }
        values.put(key, value(path, parser));
      }
      if (parser.nextToken() != null) {
        throw bad(path, line(parser), "one document only (a second one starts here)");
      }
      return values;
    } catch (JsonProcessingException e) {
      throw syntaxError(path, e);
    } catch (IOException e) {
      throw new IllegalArgumentException("cannot read config file " + path + ": " + e, e);
    }
  }

  /** The value after a key: a scalar as written, empty for none, a list of scalars joined. */
  private static String value(Path path, JsonParser parser) throws IOException {
    JsonToken token = parser.nextToken();
    if (token == JsonToken.VALUE_NULL) {
      return "";
    }
    if (token.isScalarValue()) {
      return parser.getText();
    }
    if (token == JsonToken.START_ARRAY) {
      List<String> items = new ArrayList<>();
      while ((token = parser.nextToken()) != JsonToken.END_ARRAY) {
        if (!token.isScalarValue()) {
          throw bad(path, line(parser), "a list item must be a plain value");
        }
        if (token != JsonToken.VALUE_NULL) {
          items.add(parser.getText());
        }
      }
      return String.join(",", items);
    }
    throw bad(path, line(parser), NESTED);
  }

  private static int line(JsonParser parser) {
    return parser.currentTokenLocation().getLineNr();
  }

  /**
   * A YAML syntax error, with the line where the offending construct starts and, for the errors a
   * flat file's author makes, the words the hand-written reader used.
   */
  private static IllegalArgumentException syntaxError(Path path, JsonProcessingException e) {
    org.yaml.snakeyaml.error.MarkedYAMLException marked = marked(e);
    String problem = marked != null ? marked.getProblem() : e.getOriginalMessage();
    String context = marked != null && marked.getContext() != null ? marked.getContext() : "";
    int number =
        marked != null && marked.getContextMark() != null
            ? marked.getContextMark().getLine() + 1
            : marked != null && marked.getProblemMark() != null
                ? marked.getProblemMark().getLine() + 1
                : e.getLocation() == null ? 0 : e.getLocation().getLineNr();
    if (context.contains("quoted scalar")) {
      return bad(path, number, "unterminated quote");
    }
    if (problem != null && problem.contains("mapping values are not allowed")) {
      if (marked != null) { // the message alone can say it too
        number = marked.getProblemMark().getLine() + 1;
      }
      return bad(path, number, NESTED);
    }
    String what = (context.isEmpty() ? "" : context + ": ") + problem;
    return bad(path, number, "not YAML: " + what.strip());
  }

  private static org.yaml.snakeyaml.error.@Nullable MarkedYAMLException marked(Throwable e) {
    for (Throwable t = e; t != null; t = t.getCause()) {
      if (t instanceof org.yaml.snakeyaml.error.MarkedYAMLException marked) {
        return marked;
      }
    }
    return null;
  }

  private static String known() {
    return String.join(", ", KEYS.stream().sorted().toList());
  }

  private static IllegalArgumentException bad(Path path, int line, String what) {
    return new IllegalArgumentException("config file " + path + " line " + line + ": " + what);
  }
}

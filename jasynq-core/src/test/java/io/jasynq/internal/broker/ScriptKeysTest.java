package io.jasynq.internal.broker;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Redis Cluster rules for every script (wire-format §8.3), checked on the source. Declared keys in
 * different slots fail on a real cluster with CROSSSLOT ({@code BrokerClusterTest}), but a key
 * built inside a script is only caught there when it lands on another node. So: a script builds a
 * key only by appending an ID or name it read to a prefix argument that its header documents as one
 * of the queue's own prefixes ({@code asynq:{Q}:…}), it names no key literally, and every KEYS
 * position it uses is documented with the same hash tag as the others.
 */
class ScriptKeysTest {
  private static final Pattern CONCAT = Pattern.compile("ARGV\\[(\\d+)]\\s*\\.\\.");
  private static final Pattern LITERAL_FIRST_ARG =
      Pattern.compile("redis\\.call\\(\\s*\"(\\w+)\"\\s*,\\s*\"");
  private static final Pattern KEY_USE = Pattern.compile("KEYS\\[(\\d+)]");
  private static final Pattern TAG = Pattern.compile("\\{[^}]*}");

  @ParameterizedTest
  @EnumSource(Script.class)
  void buildsKeysOnlyFromPrefixesOfItsOwnSlot(Script script) {
    String source = new String(script.source(), StandardCharsets.UTF_8);
    List<String> header = new ArrayList<>();
    List<String> code = new ArrayList<>();
    for (String line : source.split("\n")) {
      (line.strip().startsWith("--") ? header : code).add(line);
    }
    String body = String.join("\n", code);

    Matcher concat = CONCAT.matcher(body);
    while (concat.find()) {
      String argv = "ARGV[" + concat.group(1) + "]";
      assertThat(header)
          .as(
              "%s: %s is appended to, so its header must call it a prefix of the queue",
              script, argv)
          .anyMatch(l -> l.contains(argv) && l.contains("prefix") && l.contains("asynq:{Q}:"));
    }

    Matcher literal = LITERAL_FIRST_ARG.matcher(body);
    while (literal.find()) {
      assertThat(literal.group(1))
          .as("%s names a key literally in %s", script, literal.group())
          // PUBLISH names a channel; MEMORY and OBJECT name a subcommand (USAGE, ENCODING, ...).
          .isIn("PUBLISH", "MEMORY", "OBJECT");
    }
    assertThat(body).as("%s: no key name literals", script).doesNotContain("\"asynq:");

    List<String> tags = new ArrayList<>();
    Matcher use = KEY_USE.matcher(body);
    while (use.find()) {
      String key = "KEYS[" + use.group(1) + "]";
      String documented =
          header.stream()
              .filter(l -> l.contains("-- " + key) || l.matches(".*-- KEYS\\[\\d+\\.\\..*"))
              .findFirst()
              .orElse(null);
      assertThat(documented).as("%s uses %s without documenting it", script, key).isNotNull();
      Matcher tag = TAG.matcher(documented);
      if (tag.find()) {
        tags.add(tag.group());
      }
    }
    assertThat(tags.stream().distinct().toList())
        .as("%s: every declared key carries the same hash tag", script)
        .hasSizeLessThanOrEqualTo(1);
  }
}

package io.jasynq.internal.broker;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** A line Redis names in an error is traced back to the file it came from, library or script. */
class ScriptLocateTest {
  @Test
  void aLineOfAPrependedLibraryIsNamedAsTheLibrarysAndTheScriptsOwnLinesAsItsOwn()
      throws IOException {
    String[] sent = new String(Script.ENQUEUE.source(), StandardCharsets.UTF_8).split("\n", -1);
    int firstType = lineOf(sent, "redis.call(\"TYPE\"");
    int lpush = lineOf(sent, "redis.call(\"LPUSH\"");
    String[] own;
    try (InputStream in = Script.class.getResourceAsStream("/io/jasynq/scripts/enqueue.lua")) {
      own = new String(in.readAllBytes(), StandardCharsets.UTF_8).split("\n", -1);
    }

    assertThat(Script.ENQUEUE.commandAt(firstType)).isEqualTo("TYPE");
    assertThat(Script.ENQUEUE.locate(firstType)).startsWith("lib_keys.lua line ");
    assertThat(Script.ENQUEUE.commandAt(lpush)).isEqualTo("LPUSH");
    assertThat(Script.ENQUEUE.locate(lpush))
        .isEqualTo("enqueue.lua line " + lineOf(own, "redis.call(\"LPUSH\""));
  }

  private static int lineOf(String[] lines, String text) {
    for (int i = 0; i < lines.length; i++) {
      if (lines[i].contains(text)) {
        return i + 1;
      }
    }
    throw new AssertionError("no line with " + text);
  }
}

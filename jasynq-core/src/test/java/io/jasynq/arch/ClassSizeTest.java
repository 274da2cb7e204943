package io.jasynq.arch;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * No main source file of any module is over {@value #MAX_LINES} lines: a class that grows past it
 * does more than one job (issue 15 split the Broker, the connector and the Processor for this).
 * Generated sources live under {@code target/} and are not counted.
 */
class ClassSizeTest {
  static final int MAX_LINES = 600;

  @Test
  void noMainSourceFileIsOverTheLimit() throws IOException {
    Path root = Path.of("").toAbsolutePath().getParent();
    List<String> tooLong = new ArrayList<>();
    try (Stream<Path> files = Files.walk(root)) {
      for (Path file :
          files
              .filter(p -> p.toString().endsWith(".java"))
              .filter(p -> p.toString().replace('\\', '/').contains("/src/main/java/"))
              .filter(p -> !p.toString().replace('\\', '/').contains("/target/"))
              .toList()) {
        long lines;
        try (Stream<String> text = Files.lines(file)) {
          lines = text.count();
        }
        if (lines > MAX_LINES) {
          tooLong.add(root.relativize(file) + " (" + lines + " lines)");
        }
      }
    }
    assertThat(tooLong).as("main source files over %d lines", MAX_LINES).isEmpty();
  }
}

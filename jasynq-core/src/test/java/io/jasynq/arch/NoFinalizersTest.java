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
 * Nothing of jasynq runs when objects are collected or the JVM exits behind the user's back: no
 * finalizers, no cleaners, no phantom references. Shutdown hooks exist only while a {@code run()}
 * blocks (Server's and PeriodicTaskManager's), turning SIGTERM into a graceful shutdown, and while
 * a Scheduler is started (so that SIGTERM removes its entries from Redis): all installed by {@code
 * internal.Signals}, the one place that adds them.
 */
class NoFinalizersTest {
  private static final Path MAIN = Path.of("src/main/java/io/jasynq").toAbsolutePath();

  @Test
  void noFinalizersCleanersOrPhantomReferences() throws IOException {
    for (String text : List.of("void finalize(", "java.lang.ref.Cleaner", "PhantomReference")) {
      assertThat(filesContaining(text)).as(text).isEmpty();
    }
  }

  @Test
  void shutdownHooksOnlyWhereRunBlocks() throws IOException {
    assertThat(filesContaining("addShutdownHook")).containsExactly("internal/Signals.java");
  }

  private static List<String> filesContaining(String text) throws IOException {
    List<String> found = new ArrayList<>();
    try (Stream<Path> files = Files.walk(MAIN)) {
      for (Path file : files.filter(p -> p.toString().endsWith(".java")).toList()) {
        if (Files.readString(file).contains(text)) {
          found.add(MAIN.relativize(file).toString().replace('\\', '/'));
        }
      }
    }
    return found;
  }
}

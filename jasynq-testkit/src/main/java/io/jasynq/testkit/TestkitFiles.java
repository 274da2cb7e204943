package io.jasynq.testkit;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;

/** File chores shared by the server harness: recursive delete and reading a log's tail. */
final class TestkitFiles {
  private TestkitFiles() {}

  /** Deletes a directory tree, best effort: a file that cannot be deleted is left behind. */
  static void deleteRecursively(Path root) {
    if (!Files.exists(root)) {
      return;
    }
    try (Stream<Path> paths = Files.walk(root)) {
      paths.sorted(Comparator.reverseOrder()).forEach(TestkitFiles::deleteQuietly);
    } catch (IOException | UncheckedIOException e) {
      // Best effort: a leftover temp directory is not worth failing a test over.
    }
  }

  private static void deleteQuietly(Path path) {
    try {
      Files.deleteIfExists(path);
    } catch (IOException e) {
      // Best effort, see deleteRecursively.
    }
  }

  /** The file's size, or 0 if it does not exist yet. */
  static long sizeOrZero(Path file) {
    try {
      return Files.exists(file) ? Files.size(file) : 0;
    } catch (IOException e) {
      return 0;
    }
  }

  /** The last {@code maxLines} lines written to {@code file} after byte {@code offset}. */
  static String tail(Path file, long offset, int maxLines) {
    if (!Files.exists(file)) {
      return "";
    }
    try {
      byte[] bytes = Files.readAllBytes(file);
      int from = (int) Math.min(Math.max(offset, 0), bytes.length);
      String text = new String(bytes, from, bytes.length - from, StandardCharsets.UTF_8);
      List<String> lines = text.lines().toList();
      return String.join("\n", lines.subList(Math.max(0, lines.size() - maxLines), lines.size()));
    } catch (IOException e) {
      return "(could not read " + file + ": " + e + ")";
    }
  }
}

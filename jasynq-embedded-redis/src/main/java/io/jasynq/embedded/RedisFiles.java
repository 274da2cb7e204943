package io.jasynq.embedded;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;

/**
 * File chores of the redis-server harness (here and in {@code jasynq-testkit}): a temp directory
 * deleted at exit, recursive delete and reading a log's tail. Stateless.
 */
public final class RedisFiles {
  private RedisFiles() {}

  /**
   * Creates a temp directory that the {@link ProcessReaper} deletes at JVM exit unless its owner
   * deletes it first ({@link #deleteOwned(Path)}).
   *
   * @param prefix the directory name's prefix
   * @return the new directory
   * @throws UncheckedIOException if it cannot be created
   */
  public static Path createOwnedDirectory(String prefix) {
    try {
      Path directory = Files.createTempDirectory(prefix);
      ProcessReaper.registerDirectory(directory);
      return directory;
    } catch (IOException e) {
      throw new UncheckedIOException("cannot create a temp directory for redis-server", e);
    }
  }

  /**
   * Deletes a directory made by {@link #createOwnedDirectory(String)} and forgets it.
   *
   * @param directory the directory
   */
  public static void deleteOwned(Path directory) {
    deleteRecursively(directory);
    ProcessReaper.unregisterDirectory(directory);
  }

  /**
   * Deletes a directory tree, best effort: a file that cannot be deleted is left behind.
   *
   * @param root the directory
   */
  public static void deleteRecursively(Path root) {
    if (!Files.exists(root)) {
      return;
    }
    try (Stream<Path> paths = Files.walk(root)) {
      paths.sorted(Comparator.reverseOrder()).forEach(RedisFiles::deleteQuietly);
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

  /**
   * The file's size, or 0 if it does not exist yet.
   *
   * @param file the file
   * @return its size in bytes
   */
  public static long sizeOrZero(Path file) {
    try {
      return Files.exists(file) ? Files.size(file) : 0;
    } catch (IOException e) {
      return 0;
    }
  }

  /**
   * The last {@code maxLines} lines written to {@code file} after byte {@code offset}.
   *
   * @param file a log
   * @param offset where the part of interest begins
   * @param maxLines how many lines at most
   * @return the lines, joined with newlines; empty if the file does not exist
   */
  public static String tail(Path file, long offset, int maxLines) {
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

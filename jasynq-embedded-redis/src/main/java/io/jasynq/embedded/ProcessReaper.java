package io.jasynq.embedded;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

/**
 * The one piece of static mutable state of the embedded Redis (and of the test kit built on it):
 * the redis-server processes (each with its exit grace) and their temp directories still alive in
 * this JVM, so a JVM shutdown hook can kill them when a run ends without closing its servers (a
 * crashed fork, Ctrl-C). Shared by all threads; the collections are concurrent. The hook runs on
 * the thread {@code jasynq-redis-reaper}. Public for {@code jasynq-testkit}'s Sentinel and cluster
 * processes; apps use {@link RedisProcess}, which registers its process here.
 *
 * <p>At exit the hook kills the processes without a grace at once, so a test JVM exits no slower;
 * it gives those with a grace up to the largest grace to be closed by their owner (an app's own
 * shutdown hook closing its context, then its Redis), then kills what is left.
 */
public final class ProcessReaper {
  private static final long POLL_MILLIS = 20;
  private static final Map<Process, Duration> PROCESSES = new ConcurrentHashMap<>();
  private static final Set<Path> DIRECTORIES = ConcurrentHashMap.newKeySet();

  static {
    Runtime.getRuntime().addShutdownHook(new Thread(ProcessReaper::reapAll, "jasynq-redis-reaper"));
  }

  private ProcessReaper() {}

  /**
   * Registers a process to kill at exit, after up to {@code exitGrace} for its owner to close it.
   *
   * @param process the process
   * @param exitGrace zero to kill it at once at exit
   */
  public static void register(Process process, Duration exitGrace) {
    PROCESSES.put(process, exitGrace);
  }

  /**
   * Registers a process to kill at once at exit.
   *
   * @param process the process
   */
  public static void register(Process process) {
    register(process, Duration.ZERO);
  }

  /**
   * Forgets a process its owner has ended.
   *
   * @param process the process
   */
  public static void unregister(Process process) {
    PROCESSES.remove(process);
  }

  /**
   * Registers a temp directory to delete at exit, after the processes are gone.
   *
   * @param directory the directory
   */
  public static void registerDirectory(Path directory) {
    DIRECTORIES.add(directory);
  }

  /**
   * Forgets a directory its owner has deleted.
   *
   * @param directory the directory
   */
  public static void unregisterDirectory(Path directory) {
    DIRECTORIES.remove(directory);
  }

  private static void reapAll() {
    try {
      Duration grace = Duration.ZERO;
      List<Process> killed = new ArrayList<>();
      for (Map.Entry<Process, Duration> entry : PROCESSES.entrySet()) {
        if (entry.getValue().isZero()) {
          entry.getKey().destroyForcibly();
          killed.add(entry.getKey());
        } else if (entry.getValue().compareTo(grace) > 0) {
          grace = entry.getValue();
        }
      }
      awaitGraced(grace);
      for (Map.Entry<Process, Duration> entry : PROCESSES.entrySet()) {
        if (!entry.getValue().isZero()) {
          entry.getKey().destroyForcibly();
          killed.add(entry.getKey());
        }
      }
      for (Process process : killed) {
        process.waitFor(2, TimeUnit.SECONDS);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return;
    }
    for (Path directory : DIRECTORIES) {
      RedisFiles.deleteRecursively(directory);
    }
  }

  /** Waits until every graced process is unregistered (closed by its owner) or the grace passes. */
  private static void awaitGraced(Duration grace) throws InterruptedException {
    if (grace.isZero()) {
      return;
    }
    long deadline = System.nanoTime() + grace.toNanos();
    while (hasGraced() && System.nanoTime() - deadline < 0) {
      // A shutdown hook waiting for other hooks: there is nothing to await but their effect.
      Thread.sleep(POLL_MILLIS);
    }
  }

  private static boolean hasGraced() {
    return PROCESSES.values().stream().anyMatch(grace -> !grace.isZero());
  }
}

package io.jasynq.testkit;

import java.nio.file.Path;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

/**
 * The one piece of static mutable state in the testkit: the redis-server processes (and their temp
 * directories) still alive in this JVM, so a JVM shutdown hook can kill them when a test run ends
 * without closing its servers (a crashed fork, Ctrl-C). Shared by all threads; the sets are
 * concurrent. The hook runs on the thread {@code testkit-redis-reaper}.
 */
final class ProcessReaper {
  private static final Set<Process> PROCESSES = ConcurrentHashMap.newKeySet();
  private static final Set<Path> DIRECTORIES = ConcurrentHashMap.newKeySet();

  static {
    Runtime.getRuntime()
        .addShutdownHook(new Thread(ProcessReaper::reapAll, "testkit-redis-reaper"));
  }

  private ProcessReaper() {}

  static void register(Process process) {
    PROCESSES.add(process);
  }

  static void unregister(Process process) {
    PROCESSES.remove(process);
  }

  static void registerDirectory(Path directory) {
    DIRECTORIES.add(directory);
  }

  static void unregisterDirectory(Path directory) {
    DIRECTORIES.remove(directory);
  }

  private static void reapAll() {
    for (Process process : PROCESSES) {
      process.destroyForcibly();
    }
    for (Process process : PROCESSES) {
      try {
        process.waitFor(2, TimeUnit.SECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return;
      }
    }
    for (Path directory : DIRECTORIES) {
      TestkitFiles.deleteRecursively(directory);
    }
  }
}

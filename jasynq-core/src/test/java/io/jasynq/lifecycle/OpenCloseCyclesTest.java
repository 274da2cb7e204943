package io.jasynq.lifecycle;

import static org.assertj.core.api.Assertions.assertThat;

import io.jasynq.Client;
import io.jasynq.Server;
import io.jasynq.ServerConfig;
import io.jasynq.testkit.RedisServer;
import io.jasynq.testkit.RedisTest;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * 1,000 open/close cycles of an owned Client and of an owned Server leave no thread, file
 * descriptor (socket) or memory growth behind. Prints the measurements.
 */
@RedisTest
class OpenCloseCyclesTest {
  private static final int CYCLES = Integer.getInteger("jasynq.cycles", 1000);
  private static final int WARM_UP = 20;
  private static final long FD_SLACK = 8;
  private static final long HEAP_BOUND = 64L << 20; // generous: a leak of 64 KiB a cycle shows

  private final RedisServer redis;

  OpenCloseCyclesTest(RedisServer redis) {
    this.redis = redis;
  }

  @Test
  void clientCyclesLeaveNothingBehind() throws Exception {
    cycles(
        "Client",
        () -> {
          try (Client client = Client.connect(redis.uri())) {
            client.ping();
          }
        });
  }

  @Test
  void serverCyclesLeaveNothingBehind() throws Exception {
    ServerConfig config =
        ServerConfig.builder()
            .taskCheckInterval(Duration.ofMillis(20))
            .shutdownTimeout(Duration.ofSeconds(1))
            .build();
    cycles(
        "Server",
        () -> {
          try (Server server = Server.connect(redis.uri(), config)) {
            server.start(ctx -> {});
          }
        });
  }

  private void cycles(String what, Runnable cycle) throws Exception {
    for (int i = 0; i < WARM_UP; i++) {
      cycle.run();
    }
    Snapshot before = Snapshot.settled(null);
    long begin = System.nanoTime();
    for (int i = 0; i < CYCLES; i++) {
      cycle.run();
    }
    Duration took = Duration.ofNanos(System.nanoTime() - begin);
    Snapshot after = Snapshot.settled(before);
    System.out.printf(
        "%d %s open/close cycles in %d ms (%.1f ms each): threads %d -> %d, fds %d -> %d,"
            + " heap after GC %.1f MiB -> %.1f MiB%n",
        CYCLES,
        what,
        took.toMillis(),
        took.toNanos() / 1e6 / CYCLES,
        before.threads.size(),
        after.threads.size(),
        before.fds,
        after.fds,
        before.heap / 1048576.0,
        after.heap / 1048576.0);
    System.out.println("threads before: " + new TreeSet<>(before.threads));
    System.out.println("threads after:  " + new TreeSet<>(after.threads));
    Set<String> added = new TreeSet<>(after.threads);
    added.removeAll(before.threads);
    assertThat(added).as("threads that were not there before").isEmpty();
    assertThat(after.threads.size()).isEqualTo(before.threads.size());
    assertThat(after.fds).as("open file descriptors").isLessThanOrEqualTo(before.fds + FD_SLACK);
    assertThat(after.heap).as("heap after GC").isLessThan(before.heap + HEAP_BOUND);
  }

  private record Snapshot(List<String> threads, long fds, long heap) {
    /**
     * Waits (up to 30 s) until the threads that were told to stop have ended and Netty's
     * globalEventExecutor (a JVM-wide thread that ends after a second without work) is gone, and,
     * given a baseline, until the same threads as then are running; then measures.
     */
    static Snapshot settled(Snapshot baseline) throws IOException, InterruptedException {
      long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
      Snapshot s = take();
      while (!s.isSettled(baseline) && System.nanoTime() < deadline) {
        Thread.sleep(100);
        s = take();
      }
      return s;
    }

    private boolean isSettled(Snapshot baseline) {
      boolean quiet =
          threads.stream()
              .noneMatch(t -> t.startsWith("jasynq-") || t.startsWith("globalEventExecutor-"));
      return quiet
          && (baseline == null || new TreeSet<>(threads).equals(new TreeSet<>(baseline.threads)));
    }

    static Snapshot take() throws IOException {
      for (int i = 0; i < 3; i++) {
        System.gc();
      }
      List<String> threads = new ArrayList<>();
      for (Thread t : Thread.getAllStackTraces().keySet()) {
        if (t.isAlive() && !isJdkPoolThread(t.getName())) {
          threads.add(t.getName());
        }
      }
      long fds;
      try (Stream<Path> list = Files.list(Path.of("/proc/self/fd"))) {
        fds = list.count();
      }
      long heap = ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
      return new Snapshot(List.copyOf(threads), fds, heap);
    }

    /** JDK-wide pools that come and go on their own (not ours, bounded by the core count). */
    private static boolean isJdkPoolThread(String name) {
      return name.startsWith("ForkJoinPool.commonPool-worker-");
    }
  }
}

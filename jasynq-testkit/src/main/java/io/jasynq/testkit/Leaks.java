package io.jasynq.testkit;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;

/**
 * Leak checks for tests: {@code jasynq-*} threads and Redis connections still open after the code
 * under test was closed. {@link RedisExtension} runs both after every test; they are public so
 * other harnesses can call them.
 *
 * <pre>{@code
 * Set<Thread> threads = Leaks.jasynqThreads();
 * List<ClientConnection> connections = Leaks.clientConnections(redis);
 * ... start and close a jasynq server ...
 * Leaks.awaitNoNewJasynqThreads(threads, Duration.ofSeconds(5));
 * Leaks.awaitNoNewClientConnections(redis, connections, Duration.ofSeconds(5));
 * }</pre>
 *
 * <p>The checks assume nothing else in the JVM starts jasynq threads or Redis connections while
 * they wait (no parallel test execution against the same server). Thread-safe and stateless.
 *
 * @since 0.1.0
 */
public final class Leaks {
  /** Threads whose name starts with this are checked: {@value}. */
  public static final String THREAD_PREFIX = "jasynq-";

  /** How often the checks look again while waiting: 20 ms. */
  public static final Duration POLL_INTERVAL = Duration.ofMillis(20);

  private static final int STACK_FRAMES = 8;

  private Leaks() {}

  /**
   * The live threads whose name starts with {@value #THREAD_PREFIX}.
   *
   * @return a snapshot (unmodifiable)
   */
  public static Set<Thread> jasynqThreads() {
    Set<Thread> threads = new HashSet<>();
    for (Thread thread : Thread.getAllStackTraces().keySet()) {
      if (thread.isAlive() && thread.getName().startsWith(THREAD_PREFIX)) {
        threads.add(thread);
      }
    }
    return Set.copyOf(threads);
  }

  /**
   * Waits up to {@code wait} for every {@code jasynq-*} thread not in {@code baseline} to end.
   *
   * @param baseline threads that were alive before, from {@link #jasynqThreads()}
   * @param wait how long new threads get to end
   * @throws AssertionError if new threads are still alive after the wait, listing each one's name,
   *     daemon flag, state and top stack frames
   * @throws NullPointerException if an argument is null
   */
  public static void awaitNoNewJasynqThreads(Set<Thread> baseline, Duration wait) {
    Objects.requireNonNull(baseline, "baseline == null");
    Objects.requireNonNull(wait, "wait == null");
    long deadline = System.nanoTime() + wait.toNanos();
    while (true) {
      List<Thread> leaked = new ArrayList<>(jasynqThreads());
      leaked.removeAll(baseline);
      if (leaked.isEmpty()) {
        return;
      }
      long remaining = deadline - System.nanoTime();
      if (remaining <= 0) {
        throw new AssertionError(describeThreads(leaked, wait));
      }
      try {
        // Joining the first leaked thread returns as soon as it ends; the cap makes it a poll.
        leaked.get(0).join(Math.max(1, Math.min(POLL_INTERVAL.toMillis(), remaining / 1_000_000)));
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new AssertionError("interrupted while " + describeThreads(leaked, wait), e);
      }
    }
  }

  /**
   * The connections the server has open, except TestRedis's own ({@value TestRedis#CLIENT_NAME}).
   *
   * @param redis a helper connected to the server
   * @return a snapshot in server order
   */
  public static List<ClientConnection> clientConnections(TestRedis redis) {
    Objects.requireNonNull(redis, "redis == null");
    List<ClientConnection> connections = new ArrayList<>();
    for (ClientConnection connection : redis.clientList()) {
      if (!TestRedis.CLIENT_NAME.equals(connection.name())) {
        connections.add(connection);
      }
    }
    return List.copyOf(connections);
  }

  /**
   * Waits up to {@code wait} until the server has no more connections than in {@code baseline}
   * (TestRedis connections not counted).
   *
   * @param redis a helper connected to the server
   * @param baseline connections open before, from {@link #clientConnections(TestRedis)}
   * @param wait how long the extra connections get to close
   * @throws AssertionError if there are still more connections than before, listing those not in
   *     the baseline (addr, name, age, cmd)
   * @throws NullPointerException if an argument is null
   */
  public static void awaitNoNewClientConnections(
      TestRedis redis, List<ClientConnection> baseline, Duration wait) {
    Objects.requireNonNull(redis, "redis == null");
    Objects.requireNonNull(baseline, "baseline == null");
    Objects.requireNonNull(wait, "wait == null");
    long deadline = System.nanoTime() + wait.toNanos();
    while (true) {
      List<ClientConnection> now = clientConnections(redis);
      if (now.size() <= baseline.size()) {
        return;
      }
      if (System.nanoTime() - deadline >= 0) {
        throw new AssertionError(describeConnections(now, baseline, wait));
      }
      pause();
    }
  }

  private static void pause() {
    try {
      Thread.sleep(POLL_INTERVAL.toMillis());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError("interrupted while waiting for Redis connections to close", e);
    }
  }

  private static String describeThreads(Collection<Thread> leaked, Duration wait) {
    StringBuilder message =
        new StringBuilder()
            .append(leaked.size())
            .append(" jasynq thread(s) still alive ")
            .append(wait.toMillis())
            .append(" ms after the test:");
    for (Thread thread : leaked) {
      message
          .append("\n  ")
          .append(thread.getName())
          .append(" (daemon=")
          .append(thread.isDaemon())
          .append(", state=")
          .append(thread.getState())
          .append(")");
      StackTraceElement[] stack = thread.getStackTrace();
      for (int i = 0; i < Math.min(STACK_FRAMES, stack.length); i++) {
        message.append("\n      at ").append(stack[i]);
      }
    }
    return message.toString();
  }

  private static String describeConnections(
      List<ClientConnection> now, List<ClientConnection> baseline, Duration wait) {
    Set<Long> before = new HashSet<>();
    for (ClientConnection connection : baseline) {
      before.add(connection.id());
    }
    StringBuilder message =
        new StringBuilder()
            .append("Redis still has ")
            .append(now.size())
            .append(" client connection(s) ")
            .append(wait.toMillis())
            .append(" ms after the test; it had ")
            .append(baseline.size())
            .append(" before. New:");
    for (ClientConnection connection : now) {
      if (!before.contains(connection.id())) {
        message.append("\n  ").append(connection.describe());
      }
    }
    return message.toString();
  }
}

package io.jasynq.testkit;

import io.jasynq.embedded.Resp;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.time.Duration;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;
import org.jspecify.annotations.Nullable;

/**
 * Helpers shared by {@link RedisSentinel} and {@link RedisCluster}: one-shot RESP calls, INFO
 * fields and awaiting a condition with a deadline. Stateless.
 */
final class Topology {
  private static final Duration CALL_TIMEOUT = Duration.ofSeconds(2);
  private static final long POLL_MILLIS = 50;

  private Topology() {}

  /** Sends one command on a fresh connection; throws if the server does not answer. */
  static @Nullable String call(int port, String... args) {
    try (Resp resp = Resp.connect(port, CALL_TIMEOUT)) {
      return resp.call(args);
    } catch (IOException e) {
      throw new UncheckedIOException(
          "'" + String.join(" ", args) + "' on 127.0.0.1:" + port + " failed: " + e.getMessage(),
          e);
    }
  }

  /** Like {@link #call}, but returns null instead of throwing if the call fails. */
  static @Nullable String tryCall(int port, String... args) {
    try (Resp resp = Resp.connect(port, CALL_TIMEOUT)) {
      return resp.call(args);
    } catch (IOException e) {
      return null;
    }
  }

  /** One field of an INFO reply, e.g. {@code role}; null if absent or the call failed. */
  static @Nullable String infoField(int port, String section, String field) {
    String info = tryCall(port, "INFO", section);
    return info == null ? null : field(info, field);
  }

  /** One {@code name:value} field of an INFO text; null if absent. */
  static @Nullable String field(String info, String field) {
    for (String line : info.split("\r?\n")) {
      if (line.startsWith(field + ":")) {
        return line.substring(field.length() + 1).strip();
      }
    }
    return null;
  }

  /**
   * Polls {@code condition} until it holds; on timeout throws an IllegalStateException naming what
   * was awaited and the last observed state from {@code state}.
   */
  static void await(
      String what, Duration timeout, BooleanSupplier condition, Supplier<String> state) {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (!condition.getAsBoolean()) {
      if (System.nanoTime() - deadline > 0) {
        throw new IllegalStateException(
            "timed out after "
                + timeout.toSeconds()
                + "s waiting until "
                + what
                + "; last state: "
                + state.get());
      }
      try {
        // A poll interval in test tooling while awaiting a condition, not a sleep-then-assert.
        Thread.sleep(POLL_MILLIS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException("interrupted while waiting until " + what, e);
      }
    }
  }

  /** A free loopback port. */
  static int freePort() {
    try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getByName(RedisServer.HOST))) {
      return socket.getLocalPort();
    } catch (IOException e) {
      throw new UncheckedIOException("cannot find a free port on " + RedisServer.HOST, e);
    }
  }

  /** Whether {@code port} can be bound on loopback right now. */
  static boolean isFree(int port) {
    try (ServerSocket socket = new ServerSocket(port, 1, InetAddress.getByName(RedisServer.HOST))) {
      return socket.getLocalPort() == port;
    } catch (IOException e) {
      return false;
    }
  }

  /** Closes each, keeping the first failure and suppressing the rest. */
  static void closeAll(Iterable<? extends AutoCloseable> closeables) {
    RuntimeException failure = null;
    for (AutoCloseable closeable : closeables) {
      try {
        closeable.close();
      } catch (Exception e) {
        if (failure == null) {
          failure = e instanceof RuntimeException r ? r : new IllegalStateException(e);
        } else {
          failure.addSuppressed(e);
        }
      }
    }
    if (failure != null) {
      throw failure;
    }
  }
}

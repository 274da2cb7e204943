package io.jasynq.internal;

import java.util.ArrayDeque;
import java.util.Deque;
import java.util.Objects;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Closes what was registered, last registered first, once. Register each resource the moment it is
 * acquired; {@link #close()} keeps going past failures so one stuck resource does not leak the
 * rest. Failures are logged at DEBUG: by the time we close, the only thing left to do with an error
 * is to say it happened. Thread-safe.
 */
public final class Closer implements AutoCloseable {
  /** A close action that may throw anything. */
  @FunctionalInterface
  public interface Action {
    /** Releases one resource. */
    void run() throws Exception;
  }

  private static final Logger log = LoggerFactory.getLogger(Closer.class);

  private final Deque<Named> actions = new ArrayDeque<>(); // guarded by this
  private boolean closed; // guarded by this

  private record Named(String name, Action action) {}

  /**
   * Adds a resource to close. If this closer is already closed, closes it at once instead.
   *
   * @param name what it is, for the log
   */
  public void register(String name, Action action) {
    Objects.requireNonNull(action, "action == null");
    synchronized (this) {
      if (!closed) {
        actions.push(new Named(name, action));
        return;
      }
    }
    run(new Named(name, action));
  }

  /** Closes every registered resource in reverse order of registration. Idempotent. */
  @Override
  public void close() {
    while (true) {
      Named next;
      synchronized (this) {
        closed = true;
        next = actions.poll();
      }
      if (next == null) {
        return;
      }
      run(next);
    }
  }

  private static void run(Named named) {
    try {
      named.action().run();
      log.debug("closed {}", named.name());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      log.debug("interrupted while closing {}", named.name(), e);
    } catch (Exception | LinkageError e) {
      log.debug("closing {} failed", named.name(), e);
    }
  }
}

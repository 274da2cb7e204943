package io.jasynq;

import java.util.Locale;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicReference;

/**
 * The states of a startable, closable object (new, running, closing, closed), entered with
 * compare-and-set: one start, one close, later closers wait for the first. Thread-safe.
 */
final class Lifecycle {
  private enum State {
    NEW,
    RUNNING,
    CLOSING,
    CLOSED
  }

  private final String what;
  private final AtomicReference<State> state = new AtomicReference<>(State.NEW);
  private final CountDownLatch closed = new CountDownLatch(1);

  /**
   * @param what the object's name in messages, such as "scheduler"
   */
  Lifecycle(String what) {
    this.what = what;
  }

  /**
   * Moves from new to running.
   *
   * @throws IllegalStateException if already running or closed
   */
  void start() {
    if (!state.compareAndSet(State.NEW, State.RUNNING)) {
      throw new IllegalStateException(
          what + (state.get() == State.RUNNING ? " is already running" : " is closed"));
    }
  }

  /** Undoes a {@link #start()} whose work failed. */
  void startFailed() {
    state.compareAndSet(State.RUNNING, State.NEW);
  }

  /**
   * @throws IllegalStateException if closing or closed
   */
  void ensureOpen() {
    if (isClosed()) {
      throw new IllegalStateException(what + " is closed");
    }
  }

  boolean isClosed() {
    State s = state.get();
    return s == State.CLOSING || s == State.CLOSED;
  }

  /**
   * Runs {@code close} the first time; later callers wait until it has finished. {@code close} must
   * not throw.
   */
  void close(Runnable close) {
    State previous =
        state.getAndUpdate(s -> s == State.CLOSING || s == State.CLOSED ? s : State.CLOSING);
    if (previous == State.CLOSING || previous == State.CLOSED) {
      awaitClosed();
      return;
    }
    try {
      close.run();
    } finally {
      state.set(State.CLOSED);
      closed.countDown();
    }
  }

  /** The latch that opens once closed, for {@code run()}. */
  CountDownLatch closed() {
    return closed;
  }

  private void awaitClosed() {
    try {
      closed.await();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  @Override
  public String toString() {
    return state.get().name().toLowerCase(Locale.ROOT);
  }
}

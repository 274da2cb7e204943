package io.jasynq.internal;

import java.util.Locale;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicReference;

/**
 * The one lifecycle of jasynq's closeable types, entered with compare-and-set: one start, one stop,
 * one close; later closers wait for the first, except on a thread the close itself would wait for
 * (they return at once). Thread-safe.
 *
 * <pre>
 * NEW ──start──▶ RUNNING ──stop──▶ STOPPED
 *  │                │                 │
 *  └────────────────┴──────close──────┴──▶ CLOSING ──▶ CLOSED
 * </pre>
 *
 * <p>A {@link #startable} object (Server, Scheduler, PeriodicTaskManager) begins {@code NEW}; an
 * {@link #open} one (Client, Inspector) is running from construction. Only a Server uses {@code
 * STOPPED} (running, but taking no new tasks). Each type words the states in its {@code toString()}
 * as it always has; {@link #toString()} here gives their lower-case names.
 */
public final class Lifecycle {
  /** The states, in the order they are entered. */
  public enum State {
    NEW,
    RUNNING,
    STOPPED,
    CLOSING,
    CLOSED
  }

  private final String what;
  private final AtomicReference<State> state;
  private final CountDownLatch closed = new CountDownLatch(1);

  private Lifecycle(String what, State initial) {
    this.what = what;
    this.state = new AtomicReference<>(initial);
  }

  /**
   * A lifecycle that begins new, for an object started by {@link #start()}.
   *
   * @param what the object's name in messages, such as "scheduler"
   */
  public static Lifecycle startable(String what) {
    return new Lifecycle(what, State.NEW);
  }

  /**
   * A lifecycle that begins running, for an object usable from construction until closed.
   *
   * @param what the object's name in messages, such as "client"
   */
  public static Lifecycle open(String what) {
    return new Lifecycle(what, State.RUNNING);
  }

  /**
   * Moves from new to running.
   *
   * @throws IllegalStateException if already running (or stopped) or closed
   */
  public void start() {
    if (!state.compareAndSet(State.NEW, State.RUNNING)) {
      State s = state.get();
      throw new IllegalStateException(
          what + (s == State.RUNNING || s == State.STOPPED ? " is already running" : " is closed"));
    }
  }

  /** Undoes a {@link #start()} whose work failed. */
  public void startFailed() {
    state.compareAndSet(State.RUNNING, State.NEW);
  }

  /**
   * Moves from running to stopped.
   *
   * @return whether this call moved it (false if not running: new, already stopped, or closed)
   */
  public boolean stop() {
    return state.compareAndSet(State.RUNNING, State.STOPPED);
  }

  /**
   * @throws IllegalStateException ("… is closed") if closing or closed
   */
  public void ensureOpen() {
    if (isClosed()) {
      throw new IllegalStateException(what + " is closed");
    }
  }

  /** Whether a close has begun (closing or closed). */
  public boolean isClosed() {
    State s = state.get();
    return s == State.CLOSING || s == State.CLOSED;
  }

  /** The current state. */
  public State state() {
    return state.get();
  }

  /**
   * Runs {@code close} the first time; later callers wait until it has finished. {@code close} must
   * not throw.
   */
  public void close(Runnable close) {
    if (!beginClose()) {
      awaitClosed();
      return;
    }
    finishClose(close);
  }

  /**
   * Like {@link #close(Runnable)}, for a caller on a thread that the close copes with but that must
   * not wait for another caller's close (a Server's worker: the close requeues the worker's own
   * task, while another close would wait for that task): the first caller runs {@code close}, later
   * ones return at once.
   */
  public void closeWithoutWaiting(Runnable close) {
    if (beginClose()) {
      finishClose(close);
    }
  }

  /**
   * Like {@link #close(Runnable)}, for a caller on a thread that {@code close} would wait for (a
   * callback of the object's own, a Redis completion): the object counts as closing at once, {@code
   * close} runs on a new daemon thread named {@code threadName}, and no caller waits here.
   */
  public void closeInBackground(Runnable close, String threadName) {
    if (!beginClose()) {
      return;
    }
    Thread closing = new Thread(() -> finishClose(close), threadName);
    closing.setDaemon(true);
    closing.start();
  }

  /** The latch that opens once closed, for {@code run()} methods. */
  public CountDownLatch closed() {
    return closed;
  }

  /** Waits until closed; an interrupt ends the wait early (and stays set). */
  public void awaitClosed() {
    try {
      closed.await();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  /** Moves to closing; whether this caller is the first, the one to run the close. */
  private boolean beginClose() {
    State previous =
        state.getAndUpdate(s -> s == State.CLOSING || s == State.CLOSED ? s : State.CLOSING);
    return previous != State.CLOSING && previous != State.CLOSED;
  }

  private void finishClose(Runnable close) {
    try {
      close.run();
    } finally {
      state.set(State.CLOSED);
      closed.countDown();
    }
  }

  @Override
  public String toString() {
    return state.get().name().toLowerCase(Locale.ROOT);
  }
}

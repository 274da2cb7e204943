package io.jasynq.spring.boot;

import java.util.Locale;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicReference;
import org.jspecify.annotations.Nullable;
import org.springframework.context.SmartLifecycle;

/**
 * What the server's and the scheduler's lifecycles share: the state machine NEW → RUNNING (or IDLE,
 * nothing to run) → STOPPED, entered with compare-and-set so that start and stop run their action
 * once; a stop that runs on a short-lived named thread while Spring waits for the callback; and
 * {@link JasynqServerLifecycle#PHASE}. A stopped lifecycle cannot start again. Thread-safe.
 */
abstract class JasynqLifecycle implements SmartLifecycle {
  private enum State {
    NEW,
    RUNNING,
    IDLE, // started with nothing to run
    STOPPED
  }

  private final String component;
  private final String stopThread;
  private final AtomicReference<State> state = new AtomicReference<>(State.NEW);

  /** {@code component} names it in messages; {@code stopThread} names the thread that stops it. */
  JasynqLifecycle(String component, String stopThread) {
    this.component = component;
    this.stopThread = stopThread;
  }

  /**
   * Starts what it runs, once; returns false when there is nothing to run (the lifecycle is then
   * idle). A failure leaves it stopped.
   */
  abstract boolean startRunning();

  /** Stops what {@link #startRunning()} started; runs at most once, only after it returned true. */
  abstract void stopRunning();

  @Override
  public final void start() {
    if (!state.compareAndSet(State.NEW, State.RUNNING)) {
      if (state.get() == State.STOPPED) {
        throw new IllegalStateException(
            "jasynq " + component + " was stopped; restart the context");
      }
      return;
    }
    try {
      if (!startRunning()) {
        state.compareAndSet(State.RUNNING, State.IDLE);
      }
    } catch (RuntimeException | Error e) {
      state.set(State.STOPPED);
      throw e;
    }
  }

  @Override
  public final void stop() {
    if (state.getAndSet(State.STOPPED) == State.RUNNING) {
      stopRunning();
    }
  }

  @Override
  public final void stop(Runnable callback) {
    if (state.getAndSet(State.STOPPED) != State.RUNNING) {
      callback.run();
      return;
    }
    Thread stopper =
        new Thread(
            () -> {
              try {
                stopRunning();
              } finally {
                callback.run();
              }
            },
            stopThread);
    stopper.setDaemon(true);
    stopper.start();
  }

  @Override
  public final boolean isRunning() {
    return state.get() == State.RUNNING;
  }

  /** The state in lower case: new, running, idle (nothing to run) or stopped. */
  final String state() {
    return Objects.requireNonNull(state.get()).name().toLowerCase(Locale.ROOT);
  }

  @Override
  public final int getPhase() {
    return JasynqServerLifecycle.PHASE;
  }

  /** The state and what it runs, for {@code toString()}. */
  final String describe(@Nullable Object running) {
    return getClass().getSimpleName() + "[" + state.get() + ", " + running + "]";
  }
}

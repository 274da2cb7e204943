package io.jasynq.internal.runtime;

import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Drives the periodic parts, each on a thread of its own ({@code jasynq-<part>}) so a part stuck in
 * a slow Redis call never delays another (a late heartbeat would lose leases), with a fixed delay
 * between passes (a GC pause or a slow Redis does not make passes pile up). The loop, the logging
 * and the error handling live here once: a failing part logs one WARN once two passes in a row
 * failed and one INFO when it recovers, not one line per pass. Also owns {@code jasynq-timer} for
 * one-off delayed actions (task deadlines).
 */
public final class PeriodicRunner {
  private static final Logger log = LoggerFactory.getLogger(PeriodicRunner.class);

  private final Clock clock;
  private final Predicate<Throwable> connectionGone;
  private final java.util.function.BiConsumer<String, Throwable> onFailure;
  private final ThreadFactoryBuilder threads;
  private final ScheduledThreadPoolExecutor timer;
  private final Map<PeriodicPart, ScheduledThreadPoolExecutor> parts =
      new LinkedHashMap<>(); // guarded by this

  private final class Pass implements Runnable {
    final PeriodicPart part;
    // Confined to the part's own thread: consecutive failed passes, and whether a WARN was logged.
    int failures;
    boolean warned;

    Pass(PeriodicPart part) {
      this.part = part;
    }

    @Override
    public void run() {
      try {
        part.runOnce(clock.instant());
        if (warned) {
          log.info("{} works again", part.name());
        }
        failures = 0;
        warned = false;
      } catch (Throwable e) { // a part must never kill its thread
        if (Thread.currentThread().isInterrupted()) { // stopped mid-pass: shutting down
          log.debug("{} interrupted", part.name(), e);
          return;
        }
        if (connectionGone.test(e)) {
          // Closed by whoever owns it, before us (the wrong order): expected until close().
          log.debug("{} failed: the Redis connection is closed", part.name(), e);
          return;
        }
        // The WARN waits for a second failed pass in a row: a single failure may be the owner
        // closing the connection under us (Lettuce marks it closed a moment after the command
        // failed), and then the next pass sees it gone and stays quiet.
        if (++failures == 2 && !warned) {
          warned = true;
          log.warn(
              "{} failed twice; retrying every interval until it works: {}",
              part.name(),
              e.toString());
        }
        log.debug("{} failed", part.name(), e);
        onFailure.accept(part.name(), e);
      }
    }
  }

  /** A runner whose threads come from {@code threads}. */
  public PeriodicRunner(Clock clock, ThreadFactoryBuilder threads) {
    this(clock, threads, failure -> false);
  }

  /**
   * A runner whose threads come from {@code threads}; a failing pass whose failure {@code
   * connectionGone} accepts (the Redis connection was closed for good by its owner) logs at DEBUG
   * only.
   */
  public PeriodicRunner(
      Clock clock, ThreadFactoryBuilder threads, Predicate<Throwable> connectionGone) {
    this(clock, threads, connectionGone, (part, failure) -> {});
  }

  /** As above; {@code onFailure} is told of every failed pass (part name, error), for metrics. */
  public PeriodicRunner(
      Clock clock,
      ThreadFactoryBuilder threads,
      Predicate<Throwable> connectionGone,
      java.util.function.BiConsumer<String, Throwable> onFailure) {
    this.onFailure = onFailure;
    this.connectionGone = connectionGone;
    this.clock = clock;
    this.threads = threads;
    this.timer = executor("jasynq-timer");
  }

  private ScheduledThreadPoolExecutor executor(String name) {
    ScheduledThreadPoolExecutor e = new ScheduledThreadPoolExecutor(1, threads.named(name));
    e.setRemoveOnCancelPolicy(true);
    e.setExecuteExistingDelayedTasksAfterShutdownPolicy(false);
    return e;
  }

  /** Runs {@code part} after {@code initialDelay}, then every {@code interval} after each pass. */
  public synchronized void schedule(PeriodicPart part, Duration initialDelay, Duration interval) {
    ScheduledThreadPoolExecutor e = executor("jasynq-" + part.name().replace(' ', '-'));
    e.scheduleWithFixedDelay(
        new Pass(part), initialDelay.toMillis(), interval.toMillis(), TimeUnit.MILLISECONDS);
    parts.put(part, e);
  }

  /** Runs {@code part} once more, now, on its own thread. */
  public synchronized void runNow(PeriodicPart part) {
    ScheduledThreadPoolExecutor e = parts.get(part);
    if (e != null && !e.isShutdown()) {
      e.execute(new Pass(part));
    }
  }

  /**
   * Runs {@code task} once on {@code part}'s thread after {@code delay}, between its passes; does
   * nothing once the part is stopped. A failing task is logged at DEBUG.
   */
  public synchronized void execute(PeriodicPart part, Runnable task, Duration delay) {
    ScheduledThreadPoolExecutor e = parts.get(part);
    if (e == null || e.isShutdown()) {
      return;
    }
    Runnable guarded =
        () -> {
          try {
            task.run();
          } catch (RuntimeException failure) {
            log.debug("{}: a task failed", part.name(), failure);
          }
        };
    try {
      e.schedule(guarded, delay.toMillis(), TimeUnit.MILLISECONDS);
    } catch (java.util.concurrent.RejectedExecutionException stopping) {
      // stopped meanwhile: nothing to do
    }
  }

  /** Stops {@code part}, waiting up to {@code timeout} for a pass under way. */
  public void cancel(PeriodicPart part, Duration timeout) {
    ScheduledThreadPoolExecutor e;
    synchronized (this) {
      e = parts.remove(part);
    }
    if (e != null) {
      stop(e, timeout);
    }
  }

  /**
   * Stops {@code toStop} together: each part's pass under way gets the same {@code timeout}, not
   * one after the other, so stopping parts stuck on a silent Redis takes {@code timeout} in all.
   */
  public void cancelAll(List<PeriodicPart> toStop, Duration timeout) {
    List<ScheduledThreadPoolExecutor> executors = new ArrayList<>();
    synchronized (this) {
      for (PeriodicPart part : toStop) {
        ScheduledThreadPoolExecutor e = parts.remove(part);
        if (e != null) {
          executors.add(e);
        }
      }
    }
    executors.forEach(ScheduledThreadPoolExecutor::shutdown);
    long end = System.nanoTime() + timeout.toNanos();
    for (ScheduledThreadPoolExecutor e : executors) {
      stop(e, Duration.ofNanos(Math.max(0, end - System.nanoTime())));
    }
  }

  /** Stops every part and the timer. */
  public void shutdown(Duration timeout) {
    Map<PeriodicPart, ScheduledThreadPoolExecutor> left;
    synchronized (this) {
      left = new LinkedHashMap<>(parts);
      parts.clear();
    }
    left.values().forEach(ScheduledThreadPoolExecutor::shutdown);
    left.values().forEach(e -> stop(e, timeout));
    stop(timer, timeout);
  }

  private static void stop(ScheduledThreadPoolExecutor e, Duration timeout) {
    e.shutdown();
    try {
      if (!e.awaitTermination(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
        e.shutdownNow(); // interrupts a pass stuck in a Redis call
        e.awaitTermination(1, TimeUnit.SECONDS);
      }
    } catch (InterruptedException ie) {
      e.shutdownNow();
      Thread.currentThread().interrupt();
    }
  }

  /** The timer, for one-off delayed actions. */
  public ScheduledExecutorService timer() {
    return timer;
  }
}

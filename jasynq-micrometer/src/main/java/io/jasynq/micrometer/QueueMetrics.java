package io.jasynq.micrometer;

import io.jasynq.Inspector;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Queue gauges bound by {@link JasynqMetrics#bindQueues}: sizes by state, latency, paused, memory
 * and Redis's processed and failed totals of every queue, read from a snapshot that one daemon
 * thread, {@code jasynq-metrics}, refreshes through the {@link Inspector} at a fixed delay (the
 * first refresh at once). A scrape never calls Redis.
 *
 * <p>Queues that appear get meters on the next refresh; queues that disappear lose theirs. A queue
 * whose snapshot fails, or a statistic whose Redis key is bad, keeps its last good values, counts
 * {@value MetricNames#QUEUE_REFRESH_ERRORS} and is logged at WARN once until it works again (then
 * INFO). A memory estimate that Redis refuses (some managed services do) is no error: the memory
 * gauge is registered only once an estimate is known.
 *
 * <p>Thread-safe. {@link #close()} stops the thread and removes the queue meters; the {@link
 * Inspector} is borrowed and never closed.
 *
 * @since 0.1
 */
public final class QueueMetrics implements AutoCloseable {
  /** The shortest refresh interval accepted: 1 second. */
  public static final Duration MIN_INTERVAL = Duration.ofSeconds(1);

  /** How long {@link #close()} waits for a refresh in progress to end: 10 seconds. */
  static final Duration CLOSE_WAIT = Duration.ofSeconds(10);

  private static final Logger log = LoggerFactory.getLogger(QueueMetrics.class);

  // Immutable after construction.
  private final Duration interval;
  private final QueueRefresher refresher;
  private final ScheduledExecutorService thread;
  private final Runnable onClose;

  // Shared.
  private final AtomicBoolean closed = new AtomicBoolean();
  private volatile @Nullable Thread worker; // the executor's one thread, joined by close()

  QueueMetrics(
      Inspector inspector,
      Duration interval,
      MeterRegistry registry,
      Tags common,
      Runnable onClose) {
    this.interval = interval;
    this.onClose = onClose;
    this.refresher = new QueueRefresher(inspector, registry, common, closed::get);
    this.thread =
        Executors.newSingleThreadScheduledExecutor(
            r -> {
              Thread t = new Thread(r, "jasynq-metrics");
              t.setDaemon(true);
              worker = t;
              return t;
            });
    // Fixed delay: a slow Redis stretches the period instead of queueing refreshes.
    thread.scheduleWithFixedDelay(
        this::refreshQuietly, 0, interval.toNanos(), TimeUnit.NANOSECONDS);
  }

  static Duration checkInterval(Duration interval) {
    if (interval == null) {
      throw new NullPointerException("interval == null");
    }
    if (interval.compareTo(MIN_INTERVAL) < 0) {
      throw new IllegalArgumentException("interval must be >= 1 s, was " + interval);
    }
    return interval;
  }

  /** Whether {@link #close()} has been called. */
  public boolean isClosed() {
    return closed.get();
  }

  /**
   * Stops the refresh thread (waiting up to 10 seconds for a refresh in progress) and removes the
   * queue meters from the registry. Idempotent and thread-safe; never closes the Inspector.
   */
  @Override
  public void close() {
    if (!closed.compareAndSet(false, true)) {
      return;
    }
    try {
      // No interrupt: an interrupted Inspector call reports (and logs) a bogus problem. A refresh
      // in progress stops after its current queue, since it checks the closed flag.
      thread.shutdown();
      if (!awaitStopped()) {
        thread.shutdownNow();
        log.warn("queue metrics: the refresh thread did not stop within {}", CLOSE_WAIT);
      }
      refresher.removeAll();
    } finally {
      onClose.run();
    }
  }

  /** How many refreshes completed (for tests). */
  long refreshes() {
    return refresher.refreshes();
  }

  @Override
  public String toString() {
    return "QueueMetrics[every " + interval + (closed.get() ? ", closed]" : "]");
  }

  /** Waits for the executor and then its thread, which ends just after the executor does. */
  private boolean awaitStopped() {
    long deadline = System.nanoTime() + CLOSE_WAIT.toNanos();
    try {
      if (!thread.awaitTermination(CLOSE_WAIT.toNanos(), TimeUnit.NANOSECONDS)) {
        return false;
      }
      Thread t = worker;
      if (t != null) {
        t.join(Math.max(1, (deadline - System.nanoTime()) / 1_000_000));
        return !t.isAlive();
      }
      return true;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return false;
    }
  }

  /** A throwing task would cancel the schedule for good: nothing may escape. */
  private void refreshQuietly() {
    try {
      refresher.refresh();
    } catch (RuntimeException | LinkageError e) {
      log.warn("queue metrics: refresh failed", e);
    }
  }
}

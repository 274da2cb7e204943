package io.jasynq.internal.server;

import io.jasynq.Handler;
import io.jasynq.ServerConfig;
import io.jasynq.Task;
import io.jasynq.TaskEvent;
import io.jasynq.internal.broker.Broker;
import io.jasynq.internal.broker.Keys;
import io.jasynq.internal.broker.proto.TaskMessage;
import io.jasynq.internal.runtime.ThreadFactoryBuilder;
import java.time.Duration;
import java.util.Collection;
import java.util.List;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps {@code concurrency} workers busy. One fetch thread ({@code jasynq-processor}, the {@link
 * FetchLoop}) takes a free worker slot, dequeues a task under a 30 s lease and hands it to a worker
 * thread; the worker runs the handler and records the outcome (the {@link TaskRunner}: done,
 * completed, retry, archive, requeue). Outcome writes ({@link OutcomeWriter}) are retried until the
 * lease runs out; after that the recoverer owns the task. This class starts and stops them, cancels
 * tasks (by ID, or when their deadline passes) and shuts the whole down.
 */
public final class Processor {
  /** How long a dequeued task is leased; heartbeats extend it. */
  public static final Duration LEASE = Duration.ofSeconds(30);

  /** How long a cancelled handler may take to stop before its outcome is recorded without it. */
  static final Duration ABANDON_GRACE = Duration.ofSeconds(1);

  /** How often deadlines are checked: the precision of timeouts. */
  static final Duration DEADLINE_SWEEP = Duration.ofMillis(50);

  /**
   * How long a shutdown's final writes (requeuing the tasks still running, recording the outcomes
   * of those that just ended) may take in all while Redis answers. While Redis is unreachable they
   * are not tried at all: the task leases bring the tasks back.
   */
  static final Duration FINAL_WRITES_TIMEOUT = Duration.ofSeconds(5);

  /** How long a shutdown waits for the fetch loop's dequeue in flight while Redis answers. */
  static final Duration FETCHER_STOP_TIMEOUT = Duration.ofSeconds(5);

  private static final Logger log = LoggerFactory.getLogger(Processor.class);

  private final Broker broker;
  private final ScheduledExecutorService timer;
  private final Listeners listeners;
  private final WorkerPool pool;
  private final OutcomeWriter writer;
  private final TaskRunner runner;
  private final Chain chain;
  private final FetchLoop fetchLoop;
  private final KeyWatch keyWatch;

  public Processor(
      Broker broker,
      ServerConfig config,
      Handler handler,
      QueueSelector selector,
      ScheduledExecutorService timer,
      ThreadFactoryBuilder threads,
      Listeners listeners) {
    this.broker = broker;
    this.listeners = listeners;
    this.timer = timer;
    this.pool =
        new WorkerPool(
            config.concurrency(),
            config.threadFactory() != null
                ? config.threadFactory()
                : threads.named("jasynq-worker"));
    this.writer = new OutcomeWriter(broker, config.clock(), pool, listeners);
    Intake intake = new Intake(broker, pool, listeners);
    this.chain =
        new Chain(config.concurrency(), broker, config.clock(), selector, pool, writer, intake);
    this.runner = new TaskRunner(broker, config, handler, pool, writer, chain, listeners);
    this.keyWatch =
        new KeyWatch(broker, config.queues().keySet().stream().map(Keys::pending).toList());
    this.fetchLoop =
        new FetchLoop(
            broker,
            config.clock(),
            config.taskCheckInterval(),
            selector,
            pool,
            runner,
            intake,
            keyWatch,
            listeners,
            threads);
    chain.reportTo(fetchLoop);
  }

  public void start() {
    timer.scheduleWithFixedDelay(
        this::sweepDeadlines,
        DEADLINE_SWEEP.toMillis(),
        DEADLINE_SWEEP.toMillis(),
        TimeUnit.MILLISECONDS);
    fetchLoop.start();
  }

  /** How many tasks workers took with their acknowledgement ({@link Chain}) so far. */
  long chainedTasks() {
    return chain.taken();
  }

  /** Tasks being processed now; a live view. */
  public Collection<ActiveTask> active() {
    return pool.active();
  }

  /** Key tracking of the pending lists while idle; the channel listener gives it its target. */
  KeyWatch keyWatch() {
    return keyWatch;
  }

  /** Wakes an idle fetch loop, e.g. when a task may have become available. */
  public void wakeUp() {
    fetchLoop.wakeUp();
  }

  /** Cancels the running task {@code id}, if this processor runs it. */
  public boolean cancel(String id, Cancellation.Kind kind) {
    ActiveTask t = pool.get(id);
    if (t == null || !t.cancel(new Cancellation(kind))) {
      return false;
    }
    abandonLater(t);
    return true;
  }

  /** Stops taking new tasks (quiet mode); running ones finish. Idempotent. */
  public void stopFetching() {
    chain.stop();
    fetchLoop.stopFetching();
  }

  /**
   * Stops fetching and tells running handlers to stop ({@link io.jasynq.TaskContext#isCancelled()}
   * turns true at once), waits up to {@code timeout} for them, then requeues what still runs and
   * interrupts it; returns once every outcome is written (or given up) and the threads are stopped,
   * except handler threads that ignore interruption (they are daemons).
   *
   * <p>With Redis unreachable, it neither waits for outcomes that cannot be written nor tries to
   * requeue: it takes {@code timeout} at most for handlers still running, plus about a second.
   *
   * @return how many task outcomes (requeues included) it gave up writing; the leases of those
   *     tasks run out within {@link #LEASE} and the recoverer then retries them
   */
  public int shutdown(Duration timeout) {
    pool.beginShutdown();
    stopFetching();
    fetchLoop.awaitStopped(FETCHER_STOP_TIMEOUT);
    // Real time, not the injected clock: a frozen test clock must not stop a shutdown.
    awaitIdle(timeout);
    writer.beginFinalWrites(FINAL_WRITES_TIMEOUT);
    for (ActiveTask t : pool.active()) {
      t.cancel(new Cancellation(Cancellation.Kind.SHUTDOWN));
      if (t.tryFinish()) { // do not wait for a handler that may never return
        TaskRunner.ended(t);
        if (listeners.any()) {
          listeners.interrupted(Event.of(t, TaskEvent.Outcome.REQUEUED, t.cancellation()));
        }
        writer.requeue(t);
        pool.release(t);
      }
    }
    awaitIdle(Duration.ofSeconds(5));
    pool.stopWorkers();
    // Tasks whose outcome is still unwritten: an ack in flight that Redis never answered.
    return writer.unrecorded() + pool.active().size();
  }

  /** Whether no outcome can be written now and every handler has returned. */
  private boolean onlyUnwritableOutcomesLeft() {
    return !broker.isConnected() && pool.active().stream().allMatch(ActiveTask::isFinished);
  }

  private void awaitIdle(Duration timeout) {
    long end = System.nanoTime() + timeout.toNanos();
    // A closed connection never answers the acks in flight, nor does an unreachable Redis soon:
    // then there is nothing to wait for but handlers still running.
    while (!pool.active().isEmpty()
        && System.nanoTime() - end < 0
        && !broker.connectionGone(null)
        && !onlyUnwritableOutcomesLeft()) {
      try {
        fetchLoop.awaitWakeUp(20);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return;
      }
    }
  }

  /**
   * Cancels the tasks whose deadline has passed. One sweep every {@link #DEADLINE_SWEEP} instead of
   * a timer per task: at thousands of tasks a second, per-task timers cost a thread wake-up each.
   */
  private void sweepDeadlines() {
    long now = System.nanoTime();
    for (ActiveTask t : pool.active()) {
      if (now - t.deadlineNanos >= 0
          && !t.isFinished()
          && t.cancel(new Cancellation(Cancellation.Kind.DEADLINE))) {
        abandonLater(t);
      }
    }
  }

  private void abandonLater(ActiveTask t) {
    timer.schedule(
        () -> {
          if (t.tryFinish()) {
            if (t.abandon()) { // its thread stays busy: new tasks get another
              pool.lend();
            }
            log.warn(
                "{} did not stop within {} of being cancelled ({}); recording its outcome without it",
                t,
                ABANDON_GRACE,
                t.cancellation().getMessage());
            pool.execute(() -> TaskLogging.with(t, () -> runner.finish(t, t.cancellation())));
          }
        },
        ABANDON_GRACE.toMillis(),
        TimeUnit.MILLISECONDS);
  }

  static Task toTask(TaskMessage m) {
    Task.Builder b = Task.builder(m.getType()).payload(m.getPayload().toByteArray());
    m.getHeadersMap().forEach(b::header);
    return b.build();
  }

  static String errorText(Throwable error) {
    String message = error.getMessage();
    String text = message == null || message.isBlank() ? error.getClass().getName() : message;
    // Stored in a proto3 string: keep it valid UTF-8 and bounded.
    StringBuilder clean = new StringBuilder(Math.min(text.length(), 4096));
    text.codePoints()
        .limit(4096)
        .forEach(
            cp -> {
              if (Character.getType(cp) != Character.SURROGATE) {
                clean.appendCodePoint(cp);
              }
            });
    return clean.toString();
  }

  static boolean causedBy(Throwable error, Class<? extends Throwable> type) {
    for (Throwable e = error; e != null; e = e.getCause() == e ? null : e.getCause()) {
      if (type.isInstance(e)) {
        return true;
      }
    }
    return false;
  }

  static void sleep(Duration d) {
    try {
      Thread.sleep(d.toMillis());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  static Duration min(Duration a, Duration b) {
    return a.compareTo(b) <= 0 ? a : b;
  }

  /** For tests: the ids being processed. */
  List<String> activeIds() {
    return pool.activeIds();
  }
}

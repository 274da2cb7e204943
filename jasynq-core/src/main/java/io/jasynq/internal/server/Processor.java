package io.jasynq.internal.server;

import io.jasynq.ErrorHandler;
import io.jasynq.Handler;
import io.jasynq.RevokeTaskException;
import io.jasynq.ServerConfig;
import io.jasynq.SkipRetryException;
import io.jasynq.Task;
import io.jasynq.TaskEvent;
import io.jasynq.internal.broker.Broker;
import io.jasynq.internal.broker.DequeueBatch;
import io.jasynq.internal.broker.Dequeued;
import io.jasynq.internal.broker.TaskNotActiveException;
import io.jasynq.internal.broker.proto.TaskMessage;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.Semaphore;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps {@code concurrency} workers busy. One fetch thread ({@code jasynq-processor}) takes a free
 * worker slot, dequeues a task under a 30 s lease and hands it to a worker thread; the worker runs
 * the handler and records the outcome (done, completed, retry, archive, requeue). Outcome writes
 * are retried until the lease runs out; after that the recoverer owns the task.
 */
public final class Processor {
  /** How long a dequeued task is leased; heartbeats extend it. */
  public static final Duration LEASE = Duration.ofSeconds(30);

  /** How long a cancelled handler may take to stop before its outcome is recorded without it. */
  static final Duration ABANDON_GRACE = Duration.ofSeconds(1);

  /** How often deadlines are checked: the precision of timeouts. */
  static final Duration DEADLINE_SWEEP = Duration.ofMillis(50);

  /** Most tasks acknowledged in one call. */
  static final int MAX_ACK_BATCH = 256;

  /**
   * How long a shutdown's final writes (requeuing the tasks still running, recording the outcomes
   * of those that just ended) may take in all while Redis answers. While Redis is unreachable they
   * are not tried at all: the task leases bring the tasks back.
   */
  static final Duration FINAL_WRITES_TIMEOUT = Duration.ofSeconds(5);

  /** How long a shutdown waits for the fetch loop's dequeue in flight while Redis answers. */
  static final Duration FETCHER_STOP_TIMEOUT = Duration.ofSeconds(5);

  /** Most tasks taken in one dequeue round trip. */
  static final int MAX_BATCH = 32;

  private static final Logger log = LoggerFactory.getLogger(Processor.class);

  // Immutable after construction.
  private final Broker broker;
  private final ServerConfig config;
  private final Clock clock;
  private final Handler handler;
  private final QueueSelector selector;
  private final ScheduledExecutorService timer;
  private final ExecutorService workers;
  private final Thread fetcher;
  private final Semaphore slots;
  private final Listeners listeners;

  // Confined to the fetch thread.
  private final Isolations isolations = new Isolations(log, "processor");

  // Shared.
  private final Map<String, ActiveTask> active = new ConcurrentHashMap<>();
  private final Object idle = new Object();
  private final java.util.concurrent.ConcurrentLinkedQueue<ActiveTask> acks =
      new java.util.concurrent.ConcurrentLinkedQueue<>();
  private final java.util.concurrent.atomic.AtomicBoolean ackInFlight =
      new java.util.concurrent.atomic.AtomicBoolean();
  private volatile boolean fetching = true;
  private volatile boolean shuttingDown; // set when shutdown begins: handlers see isCancelled()
  private volatile long giveUpWritesAtNanos = Long.MAX_VALUE; // System.nanoTime(); set at shutdown
  private volatile boolean workersStopped; // set when the shutdown interrupts the workers
  // Outcomes (requeues included) a shutdown gave up writing.
  private final java.util.concurrent.atomic.AtomicInteger unrecorded =
      new java.util.concurrent.atomic.AtomicInteger();

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
    this.config = config;
    this.clock = config.clock();
    this.handler = handler;
    this.selector = selector;
    this.timer = timer;
    this.slots = new Semaphore(config.concurrency());
    this.workers =
        Executors.newCachedThreadPool(
            config.threadFactory() != null
                ? config.threadFactory()
                : threads.named("jasynq-worker"));
    this.fetcher = threads.named("jasynq-processor").newThread(this::fetchLoop);
  }

  public void start() {
    timer.scheduleWithFixedDelay(
        this::sweepDeadlines,
        DEADLINE_SWEEP.toMillis(),
        DEADLINE_SWEEP.toMillis(),
        TimeUnit.MILLISECONDS);
    fetcher.start();
  }

  /** Tasks being processed now; a live view. */
  public Collection<ActiveTask> active() {
    return active.values();
  }

  /** Wakes an idle fetch loop, e.g. when a task may have become available. */
  public void wakeUp() {
    synchronized (idle) {
      idle.notifyAll();
    }
  }

  /** Cancels the running task {@code id}, if this processor runs it. */
  public boolean cancel(String id, Cancellation.Kind kind) {
    ActiveTask t = active.get(id);
    if (t == null || !t.cancel(new Cancellation(kind))) {
      return false;
    }
    abandonLater(t);
    return true;
  }

  /** Stops taking new tasks (quiet mode); running ones finish. Idempotent. */
  public void stopFetching() {
    fetching = false; // no interrupt: a dequeue in flight must complete and be handed over
    wakeUp();
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
    shuttingDown = true;
    stopFetching();
    stopFetcher();
    // Real time, not the injected clock: a frozen test clock must not stop a shutdown.
    awaitIdle(timeout);
    giveUpWritesAtNanos = System.nanoTime() + FINAL_WRITES_TIMEOUT.toNanos();
    for (ActiveTask t : active.values()) {
      t.cancel(new Cancellation(Cancellation.Kind.SHUTDOWN));
      if (t.tryFinish()) { // do not wait for a handler that may never return
        ended(t);
        if (listeners.any()) {
          listeners.interrupted(Event.of(t, TaskEvent.Outcome.REQUEUED, t.cancellation()));
        }
        requeue(t);
        release(t);
      }
    }
    awaitIdle(Duration.ofSeconds(5));
    workersStopped = true;
    workers.shutdownNow();
    try {
      workers.awaitTermination(1, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    // Tasks whose outcome is still unwritten: an ack in flight that Redis never answered.
    return unrecorded.get() + active.size();
  }

  /**
   * Waits for the fetch loop to end; a dequeue in flight is handed over first. While Redis is
   * unreachable no dequeue can complete, so the loop is interrupted at once (a dequeue that did
   * reach Redis leaves its tasks under a lease, which brings them back).
   */
  private void stopFetcher() {
    long end = System.nanoTime() + FETCHER_STOP_TIMEOUT.toNanos();
    while (fetcher.isAlive() && System.nanoTime() - end < 0) {
      if (!broker.isConnected()) {
        fetcher.interrupt();
      }
      joinQuietly(fetcher, Duration.ofMillis(50));
    }
  }

  /** Whether no outcome can be written now and every handler has returned. */
  private boolean onlyUnwritableOutcomesLeft() {
    return !broker.isConnected() && active.values().stream().allMatch(ActiveTask::isFinished);
  }

  private void awaitIdle(Duration timeout) {
    long end = System.nanoTime() + timeout.toNanos();
    // A closed connection never answers the acks in flight, nor does an unreachable Redis soon:
    // then there is nothing to wait for but handlers still running.
    while (!active.isEmpty()
        && System.nanoTime() - end < 0
        && !broker.connectionGone(null)
        && !onlyUnwritableOutcomesLeft()) {
      synchronized (idle) {
        try {
          idle.wait(20);
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          return;
        }
      }
    }
  }

  private void fetchLoop() {
    Duration backoff = Duration.ZERO;
    int failures = 0; // dequeues failed in a row
    while (fetching) {
      int permits;
      try {
        if (!slots.tryAcquire(100, TimeUnit.MILLISECONDS)) {
          continue;
        }
      } catch (InterruptedException e) {
        break;
      }
      // Every free worker is fed by the same round trip (capped, to keep scripts short).
      permits = 1 + slots.drainPermits();
      if (permits > MAX_BATCH) {
        slots.release(permits - MAX_BATCH);
        permits = MAX_BATCH;
      }
      int handedOver = 0;
      try {
        if (!fetching) {
          break;
        }
        Instant now = clock.instant();
        DequeueBatch batch =
            broker.await(broker.dequeue(selector.order(), now, now.plus(LEASE), permits));
        backoff = Duration.ZERO;
        if (failures >= 2) {
          log.info("dequeue works again");
        }
        failures = 0;
        report(batch);
        for (Dequeued d : batch.tasks()) {
          try {
            if (handOver(d, now)) {
              handedOver++;
            }
          } catch (RuntimeException e) { // its lease brings it back; the others still run
            log.warn(
                "could not start task {} in queue \"{}\": {}", d.id(), d.queue(), e.toString());
          }
        }
        if (batch.tasks().isEmpty() && !batch.cleanedUp()) {
          idleWait(); // after a clean-up, tasks may wait right behind the bad IDs: look again now
        }
      } catch (RuntimeException e) {
        if (!fetching) {
          break;
        }
        backoff =
            backoff.isZero()
                ? Duration.ofMillis(100)
                : min(backoff.multipliedBy(2), Duration.ofSeconds(5));
        // As PeriodicRunner does: one WARN once two dequeues in a row failed (a refused command
        // would otherwise stall the server silently), unless the owner closed the connection.
        if (++failures == 2 && !broker.connectionGone(e)) {
          log.warn("dequeue failed twice; retrying with back-off until it works: {}", e.toString());
        }
        log.debug("dequeue failed; retrying in {}", backoff, e);
        listeners.redisError("dequeue", e);
        sleep(backoff);
      } finally {
        if (permits > handedOver) {
          slots.release(permits - handedOver);
        }
      }
    }
    log.debug("fetch loop stopped");
  }

  /** Logs the bad records and the unusable queues a dequeue met, each queue once until repaired. */
  private void report(DequeueBatch batch) {
    isolations.report(batch.isolated());
    isolations.report(batch.dropped());
    batch.unusable().forEach((q, reason) -> isolations.failing("queue \"" + q + "\"", reason));
    batch.served().forEach(q -> isolations.working("queue \"" + q + "\""));
  }

  /**
   * Hands a dequeued task to a worker; false if its message was unusable (undecodable, or not
   * matching its key) and it was archived instead, without running.
   */
  private boolean handOver(Dequeued d, Instant now) {
    Task task = null;
    String problem = d.decodeError();
    if (d.message() != null) {
      try {
        task = toTask(d.message());
      } catch (IllegalArgumentException e) {
        problem = e.getMessage();
      }
    }
    if (task == null) {
      log.warn("archiving malformed task {} in queue \"{}\": {}", d.id(), d.queue(), problem);
      broker.await(broker.archiveMalformed(d.queue(), d.id(), d.rawMessage(), problem, now));
      if (listeners.any()) {
        listeners.archived(
            Event.of(
                d.queue(),
                d.id(),
                d.message(),
                null,
                TaskEvent.Outcome.ARCHIVED,
                new IllegalArgumentException("malformed task: " + problem)));
      }
      return false;
    }
    TaskMessage m = d.message();
    ActiveTask t =
        new ActiveTask(
            m,
            task,
            now,
            d.pendingSince(),
            deadline(m, now),
            now.plus(LEASE),
            broker,
            () -> shuttingDown);
    active.put(t.taskId(), t);
    try {
      workers.execute(() -> run(t));
    } catch (RuntimeException e) { // rejected: shutting down; the lease brings it back
      active.remove(t.taskId());
      throw e;
    }
    return true;
  }

  private void run(ActiveTask t) {
    TaskLogging.with(t, () -> runHandler(t));
  }

  private void runHandler(ActiveTask t) {
    Throwable error = null;
    t.attach(Thread.currentThread());
    t.startNanos = System.nanoTime();
    t.startedAt = clock.instant();
    if (listeners.any()) {
      synchronized (t.events) {
        if (t.eventState == 0) {
          t.eventState = 1;
          listeners.started(Event.of(t, null, null));
        }
      }
    }
    try {
      if (System.nanoTime() - t.deadlineNanos >= 0) {
        t.cancel(new Cancellation(Cancellation.Kind.DEADLINE));
      } else {
        handler.handle(t);
      }
    } catch (Throwable e) { // StackOverflowError and friends fail the task, not the worker
      error = e;
    } finally {
      t.detach();
    }
    Cancellation c = t.cancellation();
    if (c != null) {
      error = c; // cancelled before the handler returned: the cancellation is the outcome
    } else if (error != null && t.stopRequested() && !deliberate(error)) {
      // Asked to stop by a shutdown, it stopped by throwing: requeued, not a failed attempt.
      log.debug("{} stopped for the shutdown ({}); requeuing it", t, error.toString());
      error = new Cancellation(Cancellation.Kind.SHUTDOWN);
    }
    if (t.tryFinish()) {
      finish(t, error);
    }
  }

  /**
   * Cancels the tasks whose deadline has passed. One sweep every {@link #DEADLINE_SWEEP} instead of
   * a timer per task: at thousands of tasks a second, per-task timers cost a thread wake-up each.
   */
  private void sweepDeadlines() {
    long now = System.nanoTime();
    for (ActiveTask t : active.values()) {
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
            log.warn(
                "{} did not stop within {} of being cancelled ({}); recording its outcome without it",
                t,
                ABANDON_GRACE,
                t.cancellation().getMessage());
            workers.execute(() -> TaskLogging.with(t, () -> finish(t, t.cancellation())));
          }
        },
        ABANDON_GRACE.toMillis(),
        TimeUnit.MILLISECONDS);
  }

  private void finish(ActiveTask t, Throwable error) {
    ended(t);
    if (error == null) {
      if (listeners.any()) {
        listeners.succeeded(Event.of(t, TaskEvent.Outcome.SUCCEEDED, null));
      }
      succeedAsync(t); // releases the slot when Redis answers
      return;
    }
    try {
      if (error instanceof Cancellation c && c.kind() == Cancellation.Kind.SHUTDOWN) {
        if (listeners.any()) {
          listeners.interrupted(Event.of(t, TaskEvent.Outcome.REQUEUED, error));
        }
        requeue(t);
      } else if (error instanceof Cancellation c && c.kind() == Cancellation.Kind.LEASE_EXPIRED) {
        if (listeners.any()) {
          listeners.interrupted(Event.of(t, TaskEvent.Outcome.LEASE_LOST, error));
        }
        log.debug("{}: lease expired; the recoverer will retry it", t);
      } else {
        fail(t, error);
      }
    } catch (RuntimeException e) {
      if (broker.connectionGone(e)) { // its owner closed it first: the lease brings the task back
        log.debug("recording the outcome of {} failed: the Redis connection is closed", t, e);
      } else {
        log.warn("recording the outcome of {} failed: {}", t, e.toString());
      }
    } finally {
      release(t);
    }
  }

  /**
   * Acknowledges a success without holding the worker thread; the slot is released when Redis
   * answers. Tasks that keep no result are acknowledged in batches: the first goes at once, and
   * those that succeed while it is in flight go together in the next call, per queue, so a busy
   * server pays far less than a round trip per task and an idle one waits for nothing. A failed
   * write falls back to {@link #succeed}, which retries while the lease lasts.
   */
  private void succeedAsync(ActiveTask t) {
    if (t.message.getRetention() > 0) {
      CompletableFuture<Void> ack;
      try {
        ack = broker.markComplete(t.message, clock.instant());
      } catch (RuntimeException e) {
        ack = CompletableFuture.failedFuture(e);
      }
      ack.whenComplete((ok, error) -> afterAck(t, error));
      return;
    }
    acks.add(t);
    flushAcks();
  }

  private void flushAcks() {
    while (!acks.isEmpty() && ackInFlight.compareAndSet(false, true)) {
      Map<String, List<ActiveTask>> byQueue = new HashMap<>();
      for (int i = 0; i < MAX_ACK_BATCH; i++) {
        ActiveTask t = acks.poll();
        if (t == null) {
          break;
        }
        byQueue.computeIfAbsent(t.queue, q -> new ArrayList<>()).add(t);
      }
      if (byQueue.isEmpty()) {
        ackInFlight.set(false);
        continue;
      }
      Instant now = clock.instant();
      List<CompletableFuture<?>> calls = new ArrayList<>(byQueue.size());
      byQueue.forEach(
          (queue, tasks) -> {
            CompletableFuture<List<Boolean>> call;
            try {
              call = broker.doneMany(queue, tasks.stream().map(t -> t.message).toList(), now);
            } catch (RuntimeException e) {
              call = CompletableFuture.failedFuture(e);
            }
            calls.add(
                call.whenComplete((results, error) -> tasks.forEach(t -> afterAck(t, error))));
          });
      CompletableFuture.allOf(calls.toArray(new CompletableFuture<?>[0]))
          .whenComplete(
              (v, e) -> {
                ackInFlight.set(false);
                flushAcks();
              });
      return; // the completion above sends what accumulated meanwhile
    }
  }

  /** After an acknowledgement: release the slot, or retry the write if Redis failed. */
  private void afterAck(ActiveTask t, Throwable error) {
    if (error == null || causedBy(error, TaskNotActiveException.class)) {
      release(t); // done, or someone else moved it: either way not ours any more
      return;
    }
    listeners.redisError(t.message.getRetention() > 0 ? "mark complete" : "done", error);
    try {
      workers.execute(
          () -> {
            try {
              succeed(t);
            } finally {
              release(t);
            }
          });
    } catch (RuntimeException rejected) { // shutting down: the lease brings it back
      release(t);
    }
  }

  private void release(ActiveTask t) {
    if (active.remove(t.taskId(), t)) {
      // No wake-up: a fetcher waiting for a slot wakes on the semaphore, and one idling has found
      // the queues empty, which a freed slot does not change.
      slots.release();
    }
  }

  private void succeed(ActiveTask t) {
    Instant now = clock.instant();
    if (t.message.getRetention() > 0) {
      write(t, "mark complete", () -> broker.markComplete(t.message, now));
    } else {
      write(t, "done", () -> broker.done(t.message, now));
    }
  }

  private void fail(ActiveTask t, Throwable error) {
    ErrorHandler errorHandler = config.errorHandler();
    if (errorHandler != null) {
      try {
        errorHandler.onError(t, error);
      } catch (RuntimeException e) {
        log.warn("error handler failed for {}: {}", t, e.toString());
      }
    }
    Instant now = clock.instant();
    TaskMessage m = t.message;
    String text = errorText(error);
    if (causedBy(error, RevokeTaskException.class)) {
      reportUnhandled(t, error, "revoked", false);
      tell(t, TaskEvent.Outcome.REVOKED, error);
      write(t, "revoke", () -> broker.done(m, now));
    } else if (m.getRetried() >= m.getRetry() || causedBy(error, SkipRetryException.class)) {
      reportUnhandled(t, error, "archived", true);
      tell(t, TaskEvent.Outcome.ARCHIVED, error);
      write(t, "archive", () -> broker.archive(m, now, text));
    } else {
      boolean failure = config.isFailure().test(error);
      Duration delay = config.retryDelay().delay(m.getRetried(), error, t.task);
      tell(t, TaskEvent.Outcome.RETRY, error);
      reportUnhandled(
          t, error, "retry " + (m.getRetried() + 1) + "/" + m.getRetry() + " in " + delay, false);
      write(t, "retry", () -> broker.retry(m, now, now.plus(delay), text, failure));
    }
  }

  /**
   * Marks the attempt ended for the listeners: a start being told finishes first, and one not told
   * by now never will be, so every start is followed by exactly one end.
   */
  private static void ended(ActiveTask t) {
    synchronized (t.events) {
      t.eventState = 2;
    }
  }

  /** Tells the listeners of a failed attempt (and of the archive, when it is one). */
  private void tell(ActiveTask t, TaskEvent.Outcome outcome, Throwable error) {
    if (!listeners.any()) {
      return;
    }
    Event e = Event.of(t, outcome, error);
    listeners.failed(e);
    if (outcome == TaskEvent.Outcome.ARCHIVED) {
      listeners.archived(e);
    }
  }

  /** Without an ErrorHandler, the failure is logged (or printed, without an SLF4J provider). */
  private void reportUnhandled(ActiveTask t, Throwable error, String outcome, boolean archived) {
    if (config.errorHandler() == null) {
      TaskLogging.failed(t, error, outcome, archived);
    }
  }

  private void requeue(ActiveTask t) {
    write(t, "requeue", () -> broker.requeue(t.message, clock.instant()));
  }

  /**
   * Runs an outcome write, retrying with back-off while the lease allows. Once a shutdown has
   * reached its final writes, each attempt waits only until {@link #FINAL_WRITES_TIMEOUT} is up,
   * and none is made while Redis is unreachable or once the workers are being stopped.
   */
  private void write(ActiveTask t, String what, Supplier<CompletableFuture<Void>> op) {
    Duration backoff = Duration.ofMillis(100);
    while (true) {
      Instant now = clock.instant();
      long left = giveUpWritesAtNanos - System.nanoTime();
      boolean finalWrites = giveUpWritesAtNanos != Long.MAX_VALUE;
      if (!now.isBefore(t.leaseExpiry)
          || (finalWrites && (left <= 0 || !broker.isConnected() || workersStopped))) {
        log.debug("{}: gave up writing {}; its lease brings it back", t, what);
        if (shuttingDown) {
          unrecorded.incrementAndGet();
        }
        return;
      }
      try {
        if (finalWrites) {
          finalWrite(op, Duration.ofNanos(left));
        } else {
          broker.await(op.get());
        }
        return;
      } catch (TaskNotActiveException e) {
        // Someone else moved it (the recoverer after a long outage, an Inspector): not ours now.
        log.debug("{}: not active any more; {} skipped", t, what);
        return;
      } catch (RuntimeException e) {
        if (broker.connectionGone(e)) { // closed for good by its owner: retrying cannot help
          log.debug(
              "{}: writing {} failed on a closed connection; its lease brings it back", t, what);
          return;
        }
        log.debug("{}: writing {} failed; retrying in {}", t, what, backoff, e);
        listeners.redisError(what, e);
        sleep(backoff);
        backoff = min(backoff.multipliedBy(2), Duration.ofSeconds(2));
      }
    }
  }

  /**
   * One attempt of a final write, waiting at most {@code max}. The shutdown may run on a handler's
   * own thread (a handler that closed the server), which cancelling its task has interrupted: the
   * write must still be waited for, so the interrupt is set aside meanwhile.
   */
  private void finalWrite(Supplier<CompletableFuture<Void>> op, Duration max) {
    boolean interrupted = Thread.interrupted();
    try {
      broker.await(op.get(), max);
    } finally {
      if (interrupted) {
        Thread.currentThread().interrupt();
      }
    }
  }

  static Instant deadline(TaskMessage m, Instant now) {
    Instant byTimeout = m.getTimeout() > 0 ? now.plusSeconds(m.getTimeout()) : null;
    Instant byDeadline = m.getDeadline() > 0 ? Instant.ofEpochSecond(m.getDeadline()) : null;
    if (byTimeout != null && byDeadline != null) {
      return byTimeout.isBefore(byDeadline) ? byTimeout : byDeadline;
    }
    if (byTimeout != null) {
      return byTimeout;
    }
    if (byDeadline != null) {
      return byDeadline;
    }
    return now.plus(io.jasynq.TaskOption.DEFAULT_TIMEOUT); // neither: Asynq's fallback
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

  /** Whether the handler decided the task's fate itself: revoke it or archive it at once. */
  private static boolean deliberate(Throwable error) {
    return causedBy(error, RevokeTaskException.class) || causedBy(error, SkipRetryException.class);
  }

  static boolean causedBy(Throwable error, Class<? extends Throwable> type) {
    for (Throwable e = error; e != null; e = e.getCause() == e ? null : e.getCause()) {
      if (type.isInstance(e)) {
        return true;
      }
    }
    return false;
  }

  private void idleWait() {
    long base = config.taskCheckInterval().toMillis();
    long jittered = base / 2 + ThreadLocalRandom.current().nextLong(Math.max(1, base));
    synchronized (idle) {
      if (!fetching) {
        return;
      }
      try {
        idle.wait(jittered);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
  }

  private static void sleep(Duration d) {
    try {
      Thread.sleep(d.toMillis());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private static Duration min(Duration a, Duration b) {
    return a.compareTo(b) <= 0 ? a : b;
  }

  private static void joinQuietly(Thread t, Duration timeout) {
    try {
      t.join(timeout.toMillis());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  /** For tests: the ids being processed. */
  List<String> activeIds() {
    return List.copyOf(active.keySet());
  }
}

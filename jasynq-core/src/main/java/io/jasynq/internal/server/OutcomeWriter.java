package io.jasynq.internal.server;

import io.jasynq.internal.broker.Broker;
import io.jasynq.internal.broker.TaskNotActiveException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Writes the outcomes of the processor's tasks to Redis: successes acknowledged in batches without
 * holding a worker, and every other write (retry, archive, revoke, requeue) retried with back-off
 * until the task's lease runs out, after which the recoverer owns the task. A shutdown's final
 * writes get {@link Processor#FINAL_WRITES_TIMEOUT} in all.
 */
final class OutcomeWriter {
  // The processor's logger: these lines have always been the processor's.
  private static final Logger log = LoggerFactory.getLogger(Processor.class);

  /** Most tasks acknowledged in one call. */
  static final int MAX_ACK_BATCH = 256;

  private final Broker broker;
  private final Clock clock;
  private final WorkerPool pool;
  private final Listeners listeners;
  private final ConcurrentLinkedQueue<ActiveTask> acks = new ConcurrentLinkedQueue<>();
  private final AtomicBoolean ackInFlight = new AtomicBoolean();
  private volatile long giveUpWritesAtNanos = Long.MAX_VALUE; // System.nanoTime(); set at shutdown
  // Outcomes (requeues included) a shutdown gave up writing.
  private final AtomicInteger unrecorded = new AtomicInteger();

  OutcomeWriter(Broker broker, Clock clock, WorkerPool pool, Listeners listeners) {
    this.broker = broker;
    this.clock = clock;
    this.pool = pool;
    this.listeners = listeners;
  }

  /** Starts a shutdown's final writes: from now on they stop after {@code timeout}. */
  void beginFinalWrites(Duration timeout) {
    giveUpWritesAtNanos = System.nanoTime() + timeout.toNanos();
  }

  /** How many outcomes (requeues included) a shutdown gave up writing. */
  int unrecorded() {
    return unrecorded.get();
  }

  /**
   * Acknowledges a success without holding the worker thread; the slot is released when Redis
   * answers. Tasks that keep no result are acknowledged in batches: the first goes at once, and
   * those that succeed while it is in flight go together in the next call, per queue, so a busy
   * server pays far less than a round trip per task and an idle one waits for nothing. A failed
   * write falls back to {@link #succeed}, which retries while the lease lasts.
   */
  void succeedAsync(ActiveTask t) {
    if (t.message.getRetention() > 0) {
      CompletableFuture<Void> ack;
      try {
        ack = broker.outcomes().markComplete(t.message, clock.instant());
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
              call =
                  broker
                      .outcomes()
                      .doneMany(queue, tasks.stream().map(t -> t.message).toList(), now);
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

  /**
   * Whether no acknowledgement is being sent or waiting to be: one written now would go alone, so
   * it may as well carry the next dequeue ({@link Chain}).
   */
  boolean idle() {
    return !ackInFlight.get() && acks.isEmpty();
  }

  /**
   * A success that {@link Chain} could not acknowledge (the call failed, or the script refused the
   * task): as a failed batched acknowledgement, retried while the lease lasts; releases the slot.
   */
  void ackFailed(ActiveTask t, Throwable error) {
    afterAck(t, error);
  }

  /**
   * As {@link #ackFailed}, for a task whose slot already went to the next task: the write is
   * retried on a worker thread of its own, holding no slot.
   */
  void retryDetached(ActiveTask t, Throwable error) {
    listeners.redisError("done", error);
    try {
      pool.executeDetached(() -> succeed(t));
    } catch (RuntimeException rejected) { // shutting down: the lease brings it back
      log.debug("{}: not acknowledged (shutting down); its lease brings it back", t);
    }
  }

  /** After an acknowledgement: release the slot, or retry the write if Redis failed. */
  private void afterAck(ActiveTask t, Throwable error) {
    if (error == null || Processor.causedBy(error, TaskNotActiveException.class)) {
      pool.release(t); // done, or someone else moved it: either way not ours any more
      return;
    }
    listeners.redisError(t.message.getRetention() > 0 ? "mark complete" : "done", error);
    try {
      pool.execute(
          () -> {
            try {
              succeed(t);
            } finally {
              pool.release(t);
            }
          });
    } catch (RuntimeException rejected) { // shutting down: the lease brings it back
      pool.release(t);
    }
  }

  private void succeed(ActiveTask t) {
    Instant now = clock.instant();
    if (t.message.getRetention() > 0) {
      write(t, "mark complete", () -> broker.outcomes().markComplete(t.message, now));
    } else {
      write(t, "done", () -> broker.outcomes().done(t.message, now));
    }
  }

  void requeue(ActiveTask t) {
    write(t, "requeue", () -> broker.outcomes().requeue(t.message, clock.instant()));
  }

  /**
   * Runs an outcome write, retrying with back-off while the lease allows. Once a shutdown has
   * reached its final writes, each attempt waits only until {@link Processor#FINAL_WRITES_TIMEOUT}
   * is up, and none is made while Redis is unreachable or once the workers are being stopped.
   */
  void write(ActiveTask t, String what, Supplier<CompletableFuture<Void>> op) {
    Duration backoff = Duration.ofMillis(100);
    while (true) {
      Instant now = clock.instant();
      long left = giveUpWritesAtNanos - System.nanoTime();
      boolean finalWrites = giveUpWritesAtNanos != Long.MAX_VALUE;
      if (!now.isBefore(t.leaseExpiry)
          || (finalWrites && (left <= 0 || !broker.isConnected() || pool.workersStopped()))) {
        log.debug("{}: gave up writing {}; its lease brings it back", t, what);
        if (pool.isShuttingDown()) {
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
        Processor.sleep(backoff);
        backoff = Processor.min(backoff.multipliedBy(2), Duration.ofSeconds(2));
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
}

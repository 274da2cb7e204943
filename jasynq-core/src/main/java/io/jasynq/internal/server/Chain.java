package io.jasynq.internal.server;

import io.jasynq.internal.broker.Broker;
import io.jasynq.internal.broker.Dequeued;
import io.jasynq.internal.broker.TaskFlow.DoneThenNext;
import io.jasynq.internal.broker.TaskNotActiveException;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Lets a worker whose task succeeded acknowledge it and take its next task in one round trip
 * (done_dequeue.lua), then run that task on the same thread with the same slot: no hop through the
 * fetch thread, and one script call per task instead of two. Used when the acknowledgement would go
 * alone anyway (no batch of acknowledgements is being sent, see {@link OutcomeWriter#idle()}), and
 * only at low concurrency ({@link #MAX_CONCURRENCY}), where a round trip per task is the whole
 * cost; at high concurrency batched acknowledgements and dequeues stay cheaper. The worker takes
 * only from the queue the selector puts first; when that one is empty its slot goes back to the
 * fetch loop, which looks at every queue. Thread-safe.
 */
final class Chain {
  // The processor's logger: these lines have always been the processor's.
  private static final Logger log = LoggerFactory.getLogger(Processor.class);

  private final Broker broker;
  private final Clock clock;
  private final QueueSelector selector;
  private final WorkerPool pool;
  private final OutcomeWriter writer;
  private final Intake intake;
  private volatile FetchLoop fetchLoop; // set once, before the first task runs
  private volatile boolean taking = true;

  /**
   * The highest concurrency at which workers take their next task themselves. Measured with
   * jasynq-bench on 2 cores (no-op tasks, 50,000 per run): at concurrency 1 chaining doubles the
   * rate (2,700 to 5,600 tasks/s) and at 10 it adds half (15,700 to 23,000); at 100 it costs a
   * fifth (34,000 to 27,000), because there the batched acknowledgements and dequeues carry 10 to
   * 30 tasks per script call, and one call per task costs Redis more.
   */
  static final int MAX_CONCURRENCY = 16;

  private final boolean enabled;
  private final AtomicLong taken = new AtomicLong();

  Chain(
      int concurrency,
      Broker broker,
      Clock clock,
      QueueSelector selector,
      WorkerPool pool,
      OutcomeWriter writer,
      Intake intake) {
    this.enabled = concurrency <= MAX_CONCURRENCY;
    this.broker = broker;
    this.clock = clock;
    this.selector = selector;
    this.pool = pool;
    this.writer = writer;
    this.intake = intake;
  }

  /** Where the bad records a worker's dequeue met are logged. */
  void reportTo(FetchLoop loop) {
    this.fetchLoop = loop;
  }

  /** How many tasks workers took this way so far. */
  long taken() {
    return taken.get();
  }

  /** Stops taking next tasks (the server stops fetching). Idempotent. */
  void stop() {
    taking = false;
  }

  /** Whether the success of {@code t} should be written by {@link #succeedAndTakeNext}. */
  boolean applies(ActiveTask t) {
    return enabled
        && taking
        && !pool.isShuttingDown()
        && t.message.getRetention() == 0
        && writer.idle();
  }

  /**
   * Acknowledges the success of {@code t} (which holds a slot) and takes the next task: returns it,
   * holding {@code t}'s slot, for the caller to run; or null, with the slot released. A failed call
   * falls back to the usual acknowledgement, retried while the lease lasts.
   */
  ActiveTask succeedAndTakeNext(ActiveTask t) {
    List<String> order = selector.order();
    String queue = order.isEmpty() ? t.queue : order.get(0);
    if (!broker.tasks().chainable(t.queue, queue)) {
      queue = t.queue;
    }
    Instant now = clock.instant();
    DoneThenNext r;
    try {
      r =
          broker.await(
              broker
                  .tasks()
                  .doneThenDequeue(
                      t.message, broker.outcomes(), queue, now, now.plus(Processor.LEASE), 1));
    } catch (RuntimeException e) { // not known whether it ran: acknowledge as usual
      writer.ackFailed(t, e);
      return null;
    }
    // Refused (a key of the wrong type): written again as a failed acknowledgement is.
    boolean refused = r.doneError() != null && !(r.doneError() instanceof TaskNotActiveException);
    FetchLoop loop = fetchLoop;
    if (loop != null
        && (!r.next().isolated().isEmpty()
            || !r.next().dropped().isEmpty()
            || !r.next().unusable().isEmpty())) {
      loop.report(r.next());
    }
    ActiveTask next = null;
    for (Dequeued d : r.next().tasks()) { // at most one
      try {
        next = intake.activate(d, now);
      } catch (RuntimeException e) { // its lease brings it back
        log.warn("could not start task {} in queue \"{}\": {}", d.id(), d.queue(), e.toString());
      }
    }
    if (next == null) {
      if (refused) {
        writer.ackFailed(t, r.doneError()); // it releases the slot
      } else {
        pool.release(t);
      }
      return null;
    }
    pool.transfer(t, next);
    if (!taking || pool.isShuttingDown()) {
      // The server began to stop during the call: the task taken must not start. Put it back.
      writer.requeue(next);
      pool.release(next);
      next = null;
    } else {
      taken.incrementAndGet();
    }
    if (refused) {
      writer.retryDetached(t, r.doneError());
    }
    return next;
  }
}

package io.jasynq.internal.server;

import io.jasynq.internal.broker.Broker;
import io.jasynq.internal.broker.DequeueBatch;
import io.jasynq.internal.broker.Dequeued;
import io.jasynq.internal.runtime.ThreadFactoryBuilder;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Semaphore;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The processor's fetch thread ({@code jasynq-processor}): takes the free worker slots, dequeues as
 * many tasks in one round trip under a {@link Processor#LEASE}, archives the malformed ones and
 * hands the others to the {@link TaskRunner} on a worker. Idles (jittered around the task check
 * interval) while the queues are empty, backs off while Redis fails.
 *
 * <p>A queue at its fleet-wide concurrency limit yields nothing until one of its active tasks ends.
 * When one of this server's ends, the freed slot wakes the loop at once (this server then takes the
 * queue's room itself); an end elsewhere (another server, a Go server) is seen at the next poll.
 * While some queue is at its limit, key tracking stays off: every enqueue into the waiting backlog
 * would wake the loop for nothing.
 */
final class FetchLoop {
  // The processor's logger: these lines have always been the processor's.
  private static final Logger log = LoggerFactory.getLogger(Processor.class);

  private static final Duration LEASE = Processor.LEASE;

  /** Most tasks taken in one dequeue round trip. */
  static final int MAX_BATCH = 32;

  // Immutable after construction.
  private final Broker broker;
  private final Clock clock;
  private final Duration taskCheckInterval;
  private final QueueSelector selector;
  private final WorkerPool pool;
  private final TaskRunner runner;
  private final Listeners listeners;
  private final Thread fetcher;

  private final Intake intake;
  private final KeyWatch keyWatch;

  // Guarded by this (see report).
  private final Isolations isolations = new Isolations(log, "processor");
  // The queues whose last dequeue found them at their concurrency limit.
  private final Set<String> atLimit = ConcurrentHashMap.newKeySet();

  // Shared.
  private final Object idle = new Object();
  private volatile boolean fetching = true;
  // Guarded by idle: a wake-up came since the last dequeue began. Cleared before each dequeue, not
  // before the wait, so that one arriving in between is not lost.
  private boolean woken;

  FetchLoop(
      Broker broker,
      Clock clock,
      Duration taskCheckInterval,
      QueueSelector selector,
      WorkerPool pool,
      TaskRunner runner,
      Intake intake,
      KeyWatch keyWatch,
      Listeners listeners,
      ThreadFactoryBuilder threads) {
    this.broker = broker;
    this.clock = clock;
    this.taskCheckInterval = taskCheckInterval;
    this.selector = selector;
    this.pool = pool;
    this.runner = runner;
    this.intake = intake;
    this.keyWatch = keyWatch;
    this.listeners = listeners;
    this.fetcher = threads.named("jasynq-processor").newThread(this::loop);
    pool.onRelease(this::released);
  }

  /** A slot of a task of {@code queue} was freed: a queue at its limit may have room now. */
  private void released(String queue) {
    if (!atLimit.isEmpty() && atLimit.contains(queue)) {
      wakeUp();
    }
  }

  void start() {
    fetcher.start();
  }

  /** Wakes an idle loop, e.g. when a task may have become available. */
  void wakeUp() {
    synchronized (idle) {
      woken = true;
      idle.notifyAll();
    }
  }

  /** Waits up to {@code millis} or until {@link #wakeUp()}. */
  void awaitWakeUp(long millis) throws InterruptedException {
    synchronized (idle) {
      idle.wait(millis);
    }
  }

  /** Stops taking new tasks. Idempotent. */
  void stopFetching() {
    fetching = false; // no interrupt: a dequeue in flight must complete and be handed over
    wakeUp();
  }

  /**
   * Waits up to {@code timeout} for the loop to end; a dequeue in flight is handed over first.
   * While Redis is unreachable no dequeue can complete, so the loop is interrupted at once (a
   * dequeue that did reach Redis leaves its tasks under a lease, which brings them back).
   */
  void awaitStopped(Duration timeout) {
    long end = System.nanoTime() + timeout.toNanos();
    while (fetcher.isAlive() && System.nanoTime() - end < 0) {
      if (!broker.isConnected()) {
        fetcher.interrupt();
      }
      joinQuietly(fetcher, Duration.ofMillis(50));
    }
  }

  private void loop() {
    Semaphore slots = pool.slots();
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
        synchronized (idle) {
          woken = false; // what this dequeue sees needs no wake-up; later writes set it again
        }
        DequeueBatch batch =
            broker.await(broker.tasks().dequeue(selector.order(), now, now.plus(LEASE), permits));
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
        if (!batch.tasks().isEmpty()) {
          keyWatch.disarm(); // busy: tracking would cost every dequeue an invalidation
        } else if (!batch.limited().isEmpty() || batch.rateWaitMillis() > 0) {
          keyWatch.disarm(); // see the class comment
          idleWait(batch.rateWaitMillis());
        } else if (!batch.cleanedUp()) { // after a clean-up, tasks may wait behind the bad IDs
          if (!keyWatch.armed() && keyWatch.arm()) {
            continue; // tracking is on now: look once more, for a task that came in before it
          }
          if (!idleWait(0)) {
            keyWatch.refresh(); // nothing woke us: repair tracking a reconnect may have ended
          }
        }
      } catch (RuntimeException e) {
        if (!fetching) {
          break;
        }
        backoff =
            backoff.isZero()
                ? Duration.ofMillis(100)
                : Processor.min(backoff.multipliedBy(2), Duration.ofSeconds(5));
        // As PeriodicRunner does: one WARN once two dequeues in a row failed (a refused command
        // would otherwise stall the server silently), unless the owner closed the connection.
        if (++failures == 2 && !broker.connectionGone(e)) {
          log.warn("dequeue failed twice; retrying with back-off until it works: {}", e.toString());
        }
        log.debug("dequeue failed; retrying in {}", backoff, e);
        listeners.redisError("dequeue", e);
        Processor.sleep(backoff);
      } finally {
        if (permits > handedOver) {
          slots.release(permits - handedOver);
        }
      }
    }
    log.debug("fetch loop stopped");
  }

  /**
   * Logs the bad records and the unusable queues a dequeue met, each queue once until repaired.
   * Called by the fetch thread, and by workers for the tasks they take themselves ({@link Chain}).
   */
  synchronized void report(DequeueBatch batch) {
    isolations.report(batch.isolated());
    isolations.report(batch.dropped());
    batch.unusable().forEach((q, reason) -> isolations.failing("queue \"" + q + "\"", reason));
    batch.served().forEach(q -> isolations.working("queue \"" + q + "\""));
    for (String q : batch.served()) {
      if (batch.limited().contains(q)) {
        atLimit.add(q);
      } else {
        atLimit.remove(q);
      }
    }
  }

  /**
   * Hands a dequeued task to a worker; false if its message was unusable (undecodable, or not
   * matching its key) and it was archived instead, without running.
   */
  private boolean handOver(Dequeued d, Instant now) {
    ActiveTask t = intake.activate(d, now);
    if (t == null) {
      return false;
    }
    pool.start(t, () -> runner.run(t));
    return true;
  }

  /**
   * Waits for the next poll (or {@code atMostMillis}, if positive and sooner) or a wake-up; true if
   * woken (at once if one came since the last dequeue began).
   */
  private boolean idleWait(long atMostMillis) {
    long base = taskCheckInterval.toMillis();
    long jittered = base / 2 + ThreadLocalRandom.current().nextLong(Math.max(1, base));
    if (atMostMillis > 0) {
      jittered = Math.min(jittered, atMostMillis); // a rate limit's next token
    }
    synchronized (idle) {
      if (!fetching || woken) {
        return true;
      }
      try {
        idle.wait(jittered);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
      return woken;
    }
  }

  private static void joinQuietly(Thread t, Duration timeout) {
    try {
      t.join(timeout.toMillis());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}

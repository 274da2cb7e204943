package io.jasynq.internal.server;

import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Semaphore;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;

/**
 * The processor's workers: {@code concurrency} slots, the worker threads, and the tasks that hold a
 * slot ({@link ActiveTask}s by ID) until their outcome is written or given up. The fetch loop takes
 * slots, the workers and outcome writes give them back. Also where a shutdown's two marks live:
 * begun (handlers see {@link io.jasynq.TaskContext#isCancelled()}) and workers stopped (no more
 * outcome writes). Thread-safe.
 */
final class WorkerPool {
  private final Semaphore slots;
  private final ExecutorService workers;
  private final Map<String, ActiveTask> active = new ConcurrentHashMap<>();
  private volatile boolean shuttingDown; // set when shutdown begins: handlers see isCancelled()
  private volatile boolean workersStopped; // set when the shutdown interrupts the workers

  WorkerPool(int concurrency, ThreadFactory threads) {
    this.slots = new Semaphore(concurrency);
    this.workers = Executors.newCachedThreadPool(threads);
  }

  /** The semaphore of free slots, which the fetch loop takes in batches. */
  Semaphore slots() {
    return slots;
  }

  /**
   * Runs {@code t} on a worker, with {@code run}; it holds its slot until {@link #release}.
   *
   * @throws RuntimeException if the workers are stopped (the task is dropped again)
   */
  void start(ActiveTask t, Runnable run) {
    active.put(t.taskId(), t);
    try {
      workers.execute(run);
    } catch (RuntimeException e) { // rejected: shutting down; the lease brings it back
      active.remove(t.taskId());
      throw e;
    }
  }

  /**
   * Runs {@code work} on a worker, for a task that already holds its slot.
   *
   * @throws java.util.concurrent.RejectedExecutionException once the workers are stopped
   */
  void execute(Runnable work) {
    workers.execute(work);
  }

  /** Frees {@code t}'s slot, once. */
  void release(ActiveTask t) {
    if (active.remove(t.taskId(), t)) {
      // No wake-up: a fetcher waiting for a slot wakes on the semaphore, and one idling has found
      // the queues empty, which a freed slot does not change.
      slots.release();
    }
  }

  /**
   * Gives {@code from}'s slot to {@code to}, which its worker runs next (see {@link Chain}): the
   * slot is not released in between.
   */
  void transfer(ActiveTask from, ActiveTask to) {
    active.remove(from.taskId(), from);
    active.put(to.taskId(), to);
  }

  /** Tasks being processed now; a live view. */
  Collection<ActiveTask> active() {
    return active.values();
  }

  /** The task {@code id}, if being processed. */
  ActiveTask get(String id) {
    return active.get(id);
  }

  /** The IDs being processed. */
  List<String> activeIds() {
    return List.copyOf(active.keySet());
  }

  /** Marks the shutdown begun: from now on handlers see themselves cancelled. */
  void beginShutdown() {
    shuttingDown = true;
  }

  boolean isShuttingDown() {
    return shuttingDown;
  }

  /** Interrupts the workers and waits a second for them; outcome writes stop being tried. */
  void stopWorkers() {
    workersStopped = true;
    workers.shutdownNow();
    try {
      workers.awaitTermination(1, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  boolean workersStopped() {
    return workersStopped;
  }
}

package io.jasynq.internal.server;

import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.Semaphore;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * The processor's workers: {@code concurrency} slots, the worker threads, and the tasks that hold a
 * slot ({@link ActiveTask}s by ID) until their outcome is written or given up. The fetch loop takes
 * slots, the workers and outcome writes give them back. Also where a shutdown's two marks live:
 * begun (handlers see {@link io.jasynq.TaskContext#isCancelled()}) and workers stopped (no more
 * outcome writes). Thread-safe.
 *
 * <p>The threads: as many as there are slots, taking their work from a queue (a worker that
 * finishes a task picks up the next one without parking), plus one for each thread that holds no
 * slot but cannot be given back yet ({@link #lend}): a handler abandoned after its cancellation, or
 * an outcome write retried after its slot went to another task. So work never waits behind a thread
 * that is stuck, and the pool never grows past what runs. Measured with jasynq-bench on 2 cores at
 * concurrency 100, this queue is about a fifth faster than handing each task to an idle thread of a
 * cached pool (a rendezvous: park and unpark per task). Idle threads end after a minute.
 */
final class WorkerPool {
  private static final long KEEP_ALIVE_SECONDS = 60;

  private final Semaphore slots;
  private final int concurrency;
  private final ThreadPoolExecutor workers;
  private int lent; // guarded by this: threads running work that holds no slot
  private volatile Consumer<String> onRelease = queue -> {}; // told each freed slot's queue
  private final Map<String, ActiveTask> active = new ConcurrentHashMap<>();
  private volatile boolean shuttingDown; // set when shutdown begins: handlers see isCancelled()
  private volatile boolean workersStopped; // set when the shutdown interrupts the workers

  WorkerPool(int concurrency, ThreadFactory threads) {
    this.slots = new Semaphore(concurrency);
    this.concurrency = concurrency;
    this.workers =
        new ThreadPoolExecutor(
            concurrency,
            concurrency,
            KEEP_ALIVE_SECONDS,
            TimeUnit.SECONDS,
            new LinkedBlockingQueue<>(),
            threads);
    workers.allowCoreThreadTimeOut(true);
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

  /**
   * Runs {@code work}, which holds no slot, on a thread of its own: the pool grows by one until it
   * returns.
   *
   * @throws RejectedExecutionException once the workers are stopped
   */
  void executeDetached(Runnable work) {
    lend();
    try {
      workers.execute(
          () -> {
            try {
              work.run();
            } finally {
              giveBack();
            }
          });
    } catch (RuntimeException e) {
      giveBack();
      throw e;
    }
  }

  /**
   * Grows the pool by one thread, for a thread that keeps running work whose slot was freed (an
   * abandoned handler); {@link #giveBack} when that work returns.
   */
  synchronized void lend() {
    lent++;
    resize();
  }

  /** Shrinks the pool by one again, after {@link #lend}. */
  synchronized void giveBack() {
    lent--;
    resize();
  }

  /** Threads running work that holds no slot now. */
  synchronized int lent() {
    return lent;
  }

  private void resize() {
    int size = concurrency + lent;
    // The core size may never exceed the maximum, so the order depends on the direction.
    if (size > workers.getMaximumPoolSize()) {
      workers.setMaximumPoolSize(size);
      workers.setCorePoolSize(size);
    } else {
      workers.setCorePoolSize(size);
      workers.setMaximumPoolSize(size);
    }
  }

  /** Frees {@code t}'s slot, once. */
  void release(ActiveTask t) {
    if (active.remove(t.taskId(), t)) {
      // A fetcher waiting for a slot wakes on the semaphore; one idling has found the queues empty
      // or at their limits, and the listener wakes it if this task's queue was at its limit.
      slots.release();
      onRelease.accept(t.queue);
    }
  }

  /** Sets what is told the queue of each task whose slot is freed (the fetch loop). */
  void onRelease(Consumer<String> listener) {
    this.onRelease = listener;
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

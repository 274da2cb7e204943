package io.jasynq.internal.server;

import io.jasynq.Task;
import io.jasynq.TaskContext;
import io.jasynq.internal.broker.Broker;
import io.jasynq.internal.broker.proto.TaskMessage;
import java.time.Instant;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * One task being processed: the handler's {@link TaskContext}, plus what the processor and the
 * heartbeater share about it. The worker thread runs the handler; any thread may cancel it; the
 * first to call {@link #tryFinish()} records the outcome.
 */
final class ActiveTask implements TaskContext {
  // Immutable.
  final TaskMessage message;
  final Task task;
  final String queue;
  final Instant started;
  final Instant pendingSince; // null: unknown
  private final Instant deadline;
  private final Broker broker;
  private final java.util.function.BooleanSupplier shuttingDown;

  // Shared.
  final long deadlineNanos; // the deadline on System.nanoTime(), which tests cannot freeze
  volatile Instant leaseExpiry; // written by the heartbeater after each extension
  volatile long startNanos = System.nanoTime(); // reset when the worker starts the handler
  volatile Instant startedAt; // when the worker started the handler (the injected clock)
  // Listener events: the start is told under this lock, and an end takes it before it is told, so
  // an end is never told before (or instead of a completed) start, and a start never after an end.
  final Object events = new Object();
  int eventState; // guarded by events: 0 nothing told, 1 start told, 2 ended
  private final AtomicBoolean finished = new AtomicBoolean();
  private Cancellation cancellation; // guarded by this
  private Thread worker; // guarded by this
  private boolean abandoned; // guarded by this

  ActiveTask(
      TaskMessage message,
      Task task,
      Instant started,
      Instant pendingSince,
      Instant deadline,
      Instant leaseExpiry,
      Broker broker,
      java.util.function.BooleanSupplier shuttingDown) {
    this.message = message;
    this.task = task;
    this.queue = message.getQueue();
    this.started = started;
    this.pendingSince = pendingSince;
    this.deadline = deadline;
    this.deadlineNanos = System.nanoTime() + nanosUntil(started, deadline);
    this.leaseExpiry = leaseExpiry;
    this.broker = broker;
    this.shuttingDown = shuttingDown;
  }

  /** Nanoseconds from {@code from} to {@code to}, saturated for deadlines centuries away. */
  private static long nanosUntil(Instant from, Instant to) {
    try {
      return java.time.Duration.between(from, to).toNanos();
    } catch (ArithmeticException e) {
      return to.isAfter(from) ? Long.MAX_VALUE / 4 : Long.MIN_VALUE / 4;
    }
  }

  /**
   * Binds the handler's thread, so cancelling interrupts it; unless the outcome is already being
   * recorded by another thread (a shutdown requeued the task, or it was abandoned before its worker
   * got to it): then the handler must not run.
   *
   * @return whether the handler may run
   */
  synchronized boolean attach(Thread thread) {
    if (finished.get()) {
      return false;
    }
    this.worker = thread;
    if (cancellation != null) {
      thread.interrupt();
    }
    return true;
  }

  /**
   * Marks the handler abandoned (its outcome is recorded without it) if a thread still runs it.
   *
   * @return whether a thread runs it: the pool lends a thread until that one {@link #detach}es
   */
  synchronized boolean abandon() {
    if (worker == null) {
      return false;
    }
    abandoned = true;
    return true;
  }

  /**
   * Unbinds the thread and clears an interrupt meant for the handler.
   *
   * @return whether the handler had been {@linkplain #abandon abandoned} meanwhile
   */
  synchronized boolean detach() {
    worker = null;
    Thread.interrupted();
    boolean was = abandoned;
    abandoned = false;
    return was;
  }

  /**
   * Cancels the attempt: the first reason wins; the handler's thread is interrupted.
   *
   * @return whether this call set the reason
   */
  synchronized boolean cancel(Cancellation reason) {
    if (cancellation != null) {
      return false;
    }
    cancellation = reason;
    if (worker != null) {
      worker.interrupt();
    }
    return true;
  }

  synchronized Cancellation cancellation() {
    return cancellation;
  }

  /** True for exactly one caller: the one that records the outcome. */
  boolean tryFinish() {
    return finished.compareAndSet(false, true);
  }

  boolean isFinished() {
    return finished.get();
  }

  @Override
  public Task task() {
    return task;
  }

  @Override
  public String taskId() {
    return message.getId();
  }

  @Override
  public String queue() {
    return queue;
  }

  @Override
  public int retryCount() {
    return message.getRetried();
  }

  @Override
  public int maxRetry() {
    return message.getRetry();
  }

  @Override
  public Instant deadline() {
    return deadline;
  }

  @Override
  public boolean isCancelled() {
    return shuttingDown.getAsBoolean() || cancellation() != null;
  }

  /** Whether the server asked the handler to stop (shutdown under way) before it was cancelled. */
  boolean stopRequested() {
    return shuttingDown.getAsBoolean();
  }

  @Override
  public boolean writeResult(byte[] result) {
    java.util.Objects.requireNonNull(result, "result == null");
    if (cancellation() != null || isFinished()) { // still written while a shutdown waits for it
      return false;
    }
    return Boolean.TRUE.equals(
        broker.await(broker.outcomes().writeResult(queue, taskId(), result)));
  }

  @Override
  public String toString() {
    return "ActiveTask[" + taskId() + " " + task.type() + " in " + queue + "]";
  }
}

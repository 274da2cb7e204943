package io.jasynq.bench;

import io.jasynq.BatchResult;
import io.jasynq.Client;
import io.jasynq.Task;
import io.jasynq.TaskOption;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import org.jspecify.annotations.Nullable;

/** The tasks the scenarios enqueue, and the two ways they enqueue them. */
final class Workload {
  /** The type of every no-op task. */
  static final String NOOP = "bench:noop";

  private Workload() {}

  /** A no-op task with a small JSON payload, like the BullMQ side's {@code {i}} job data. */
  static Task noop(long i) {
    return Task.of(NOOP, ("{\"i\":" + i + "}").getBytes(StandardCharsets.US_ASCII));
  }

  /**
   * Enqueues up to {@code n} no-op tasks with {@link Client#enqueueAsync} and at most {@code
   * inFlight} outstanding, stopping early at {@code deadlineNanos}.
   */
  static Outcome enqueueInFlight(
      Client client, String queue, long n, int inFlight, long deadlineNanos)
      throws InterruptedException {
    Semaphore permits = new Semaphore(inFlight);
    AtomicLong failed = new AtomicLong();
    AtomicReference<Throwable> firstError = new AtomicReference<>();
    TaskOption q = TaskOption.queue(queue);
    long sent = 0;
    while (sent < n && permits.tryAcquire(remaining(deadlineNanos), TimeUnit.NANOSECONDS)) {
      client
          .enqueueAsync(noop(sent), q)
          .whenComplete(
              (info, error) -> {
                if (error != null) {
                  failed.incrementAndGet();
                  firstError.compareAndSet(null, error);
                }
                permits.release();
              });
      sent++;
    }
    boolean drained = permits.tryAcquire(inFlight, remaining(deadlineNanos), TimeUnit.NANOSECONDS);
    return new Outcome(sent, failed.get(), firstError.get(), sent < n || !drained);
  }

  /**
   * Enqueues up to {@code n} no-op tasks with {@link Client#enqueueBatch} in batches of {@code
   * batchSize}, stopping early at {@code deadlineNanos}.
   */
  static Outcome enqueueBatches(
      Client client, String queue, long n, int batchSize, long deadlineNanos) {
    TaskOption q = TaskOption.queue(queue);
    long sent = 0;
    long failed = 0;
    Throwable firstError = null;
    while (sent < n && remaining(deadlineNanos) > 0) {
      int size = (int) Math.min(batchSize, n - sent);
      List<Task> tasks = new ArrayList<>(size);
      for (int i = 0; i < size; i++) {
        tasks.add(noop(sent + i));
      }
      for (BatchResult r : client.enqueueBatch(tasks, q)) {
        if (!r.isSuccess()) {
          failed++;
          firstError = firstError == null ? r.error() : firstError;
        }
      }
      sent += size;
    }
    return new Outcome(sent, failed, firstError, sent < n);
  }

  static long remaining(long deadlineNanos) {
    return Math.max(0, deadlineNanos - System.nanoTime());
  }

  static long deadline(Duration timeout) {
    return System.nanoTime() + timeout.toNanos();
  }

  /**
   * What an enqueue loop did.
   *
   * @param sent tasks handed to the client
   * @param failed of those, tasks that were not enqueued
   * @param firstError why the first one failed, or null
   * @param timedOut whether the deadline cut the loop short
   */
  record Outcome(long sent, long failed, @Nullable Throwable firstError, boolean timedOut) {
    long enqueued() {
      return sent - failed;
    }

    /** Adds {@code failed}, {@code timed_out} and the first error (if any) to {@code line}. */
    JsonLine describe(JsonLine line) {
      line.put("failed", failed).put("timed_out", timedOut);
      if (firstError != null) {
        line.put("error", String.valueOf(firstError));
      }
      return line;
    }
  }
}

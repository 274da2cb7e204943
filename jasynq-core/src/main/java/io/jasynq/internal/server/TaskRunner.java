package io.jasynq.internal.server;

import io.jasynq.ErrorHandler;
import io.jasynq.Handler;
import io.jasynq.RevokeTaskException;
import io.jasynq.ServerConfig;
import io.jasynq.SkipRetryException;
import io.jasynq.TaskEvent;
import io.jasynq.internal.broker.Broker;
import io.jasynq.internal.broker.proto.TaskMessage;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs one task on a worker thread: the handler under the task's deadline, then its outcome
 * (succeeded, requeued for a shutdown, lease lost, or failed: revoked, archived or retried after
 * the {@link ServerConfig#retryDelay()}), told to the listeners and the {@link ErrorHandler} and
 * handed to the {@link OutcomeWriter}.
 */
final class TaskRunner {
  // The processor's logger: these lines have always been the processor's.
  private static final Logger log = LoggerFactory.getLogger(Processor.class);

  private final Broker broker;
  private final ServerConfig config;
  private final Clock clock;
  private final Handler handler;
  private final WorkerPool pool;
  private final OutcomeWriter writer;
  private final Listeners listeners;
  private final Chain chain;

  TaskRunner(
      Broker broker,
      ServerConfig config,
      Handler handler,
      WorkerPool pool,
      OutcomeWriter writer,
      Chain chain,
      Listeners listeners) {
    this.broker = broker;
    this.config = config;
    this.clock = config.clock();
    this.handler = handler;
    this.pool = pool;
    this.writer = writer;
    this.chain = chain;
    this.listeners = listeners;
  }

  /**
   * Runs {@code t}'s handler and records its outcome, on the caller's (a worker's) thread; then,
   * while the {@link Chain} hands it a next task with the acknowledgement, runs that one too.
   */
  void run(ActiveTask t) {
    ActiveTask[] next = {t};
    while (next[0] != null) {
      ActiveTask current = next[0];
      TaskLogging.with(current, () -> next[0] = runHandler(current));
    }
  }

  /** Runs the handler and records the outcome; returns the next task to run here, if any. */
  private ActiveTask runHandler(ActiveTask t) {
    if (!t.attach(Thread.currentThread())) {
      return null; // a shutdown requeued it before a worker got to it: not ours to run
    }
    Throwable error = null;
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
      if (t.detach()) { // abandoned: its outcome is recorded, and the pool lent a thread meanwhile
        pool.giveBack();
      }
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
      if (error == null && chain.applies(t)) {
        ended(t);
        if (listeners.any()) {
          listeners.succeeded(Event.of(t, TaskEvent.Outcome.SUCCEEDED, null));
        }
        return chain.succeedAndTakeNext(t);
      }
      finish(t, error);
    }
    return null;
  }

  /**
   * Records the outcome of a finished attempt ({@code error} null: it succeeded) and frees its
   * slot, at once or, for a success, when Redis answers.
   */
  void finish(ActiveTask t, Throwable error) {
    ended(t);
    if (error == null) {
      if (listeners.any()) {
        listeners.succeeded(Event.of(t, TaskEvent.Outcome.SUCCEEDED, null));
      }
      writer.succeedAsync(t); // releases the slot when Redis answers
      return;
    }
    try {
      if (error instanceof Cancellation c && c.kind() == Cancellation.Kind.SHUTDOWN) {
        if (listeners.any()) {
          listeners.interrupted(Event.of(t, TaskEvent.Outcome.REQUEUED, error));
        }
        writer.requeue(t);
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
      pool.release(t);
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
    String text = Processor.errorText(error);
    if (Processor.causedBy(error, RevokeTaskException.class)) {
      reportUnhandled(t, error, "revoked", false);
      tell(t, TaskEvent.Outcome.REVOKED, error);
      writer.write(t, "revoke", () -> broker.outcomes().done(m, now));
    } else if (m.getRetried() >= m.getRetry()
        || Processor.causedBy(error, SkipRetryException.class)) {
      reportUnhandled(t, error, "archived", true);
      tell(t, TaskEvent.Outcome.ARCHIVED, error);
      writer.write(t, "archive", () -> broker.outcomes().archive(m, now, text));
    } else {
      boolean failure = config.isFailure().test(error);
      Duration delay = config.retryDelay().delay(m.getRetried(), error, t.task);
      tell(t, TaskEvent.Outcome.RETRY, error);
      reportUnhandled(
          t, error, "retry " + (m.getRetried() + 1) + "/" + m.getRetry() + " in " + delay, false);
      writer.write(
          t, "retry", () -> broker.outcomes().retry(m, now, now.plus(delay), text, failure));
    }
  }

  /**
   * Marks the attempt ended for the listeners: a start being told finishes first, and one not told
   * by now never will be, so every start is followed by exactly one end.
   */
  static void ended(ActiveTask t) {
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

  /** Whether the handler decided the task's fate itself: revoke it or archive it at once. */
  private static boolean deliberate(Throwable error) {
    return Processor.causedBy(error, RevokeTaskException.class)
        || Processor.causedBy(error, SkipRetryException.class);
  }
}

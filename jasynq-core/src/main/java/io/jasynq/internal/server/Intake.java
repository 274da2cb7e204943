package io.jasynq.internal.server;

import io.jasynq.Task;
import io.jasynq.TaskEvent;
import io.jasynq.internal.broker.Broker;
import io.jasynq.internal.broker.Dequeued;
import io.jasynq.internal.broker.proto.TaskMessage;
import java.time.Instant;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Turns a dequeued task into an {@link ActiveTask} ready to run, or archives it when its message is
 * unusable (undecodable, or not matching its key). Shared by the fetch loop and by a worker that
 * took its next task itself ({@link Chain}). Thread-safe.
 */
final class Intake {
  // The processor's logger: these lines have always been the processor's.
  private static final Logger log = LoggerFactory.getLogger(Processor.class);

  private final Broker broker;
  private final WorkerPool pool;
  private final Listeners listeners;

  Intake(Broker broker, WorkerPool pool, Listeners listeners) {
    this.broker = broker;
    this.pool = pool;
    this.listeners = listeners;
  }

  /**
   * The task to run for {@code d}, dequeued at {@code now} under a lease of {@link
   * Processor#LEASE}; null if its message was unusable and it was archived instead.
   */
  ActiveTask activate(Dequeued d, Instant now) {
    Task task = null;
    String problem = d.decodeError();
    if (d.message() != null) {
      try {
        task = Processor.toTask(d.message());
      } catch (IllegalArgumentException e) {
        problem = e.getMessage();
      }
    }
    if (task == null) {
      log.warn("archiving malformed task {} in queue \"{}\": {}", d.id(), d.queue(), problem);
      broker.await(
          broker.outcomes().archiveMalformed(d.queue(), d.id(), d.rawMessage(), problem, now));
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
      return null;
    }
    TaskMessage m = d.message();
    return new ActiveTask(
        m,
        task,
        now,
        d.pendingSince(),
        deadline(m, now),
        now.plus(Processor.LEASE),
        broker,
        pool::isShuttingDown);
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
}

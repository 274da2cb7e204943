package io.jasynq;

import java.time.Duration;
import java.time.Instant;
import java.util.Optional;

/**
 * What a {@link ServerListener} is told about one task: which task, where it is in its life, and
 * how its attempt ended. Immutable; valid after the call that delivered it.
 *
 * @since 0.1
 */
public interface TaskEvent {
  /** How an attempt (or a recovery) ended. */
  enum Outcome {
    /** The handler returned: the task is done, or completed if it keeps a result. */
    SUCCEEDED,
    /** The attempt failed and the task waits in retry for its next attempt. */
    RETRY,
    /** The task was archived: retries used up, {@link SkipRetryException}, or malformed. */
    ARCHIVED,
    /** The handler threw {@link RevokeTaskException}: the task was dropped. */
    REVOKED,
    /** The server shut down while it ran: the task went back to pending; not an attempt. */
    REQUEUED,
    /**
     * The server lost the task's lease (Redis was unreachable too long) and stopped caring: the
     * recoverer of some server retries it. Nothing was written.
     */
    LEASE_LOST
  }

  /** The task's queue. */
  String queue();

  /** The task's ID. */
  String taskId();

  /** The task's type; empty for a malformed record whose type could not be read. */
  String type();

  /** The task (type, payload, headers), or empty for a malformed record. */
  Optional<Task> task();

  /** How many attempts failed before this one. */
  int retried();

  /** How many retries the task allows. */
  int maxRetry();

  /**
   * When the task last became pending ({@code pending_since}: when it was enqueued, or when its
   * scheduled or retry time came and it was forwarded), if known: the start of its queue wait.
   * Written by the enqueuing client's or forwarding server's clock.
   */
  Optional<Instant> pendingSince();

  /** When this server started the attempt (its clock), or empty for events without one. */
  Optional<Instant> startedAt();

  /**
   * How long the attempt ran, measured with {@link System#nanoTime()}; {@link Duration#ZERO} when
   * it has not finished or there was no attempt.
   */
  Duration elapsed();

  /** The outcome, or empty while the attempt runs ({@link ServerListener#onTaskStarted}). */
  Optional<Outcome> outcome();

  /** Why the attempt failed or the task was archived or recovered, if it did. */
  Optional<Throwable> error();
}

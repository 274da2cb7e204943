package io.jasynq;

import java.time.Duration;
import java.time.Instant;
import java.util.Objects;

/**
 * An option of an enqueued task. Options set on a {@link Task} are its defaults; options given to
 * {@link Client#enqueue(Task, TaskOption...)} are applied after them, and the last one of a kind
 * wins. Each factory checks its argument at once and throws {@link IllegalArgumentException} naming
 * the option, the value and the rule. Durations are stored in whole seconds (as Asynq does); a
 * fraction of a second is rounded up. Immutable and thread-safe.
 *
 * @since 0.1
 */
public sealed interface TaskOption {
  /** Default number of retries: 25. */
  int DEFAULT_MAX_RETRY = 25;

  /** Default queue: {@code "default"}. */
  String DEFAULT_QUEUE = "default";

  /** Timeout used when neither a timeout nor a deadline is given: 30 minutes. */
  Duration DEFAULT_TIMEOUT = Duration.ofMinutes(30);

  /**
   * The queue to enqueue to; default {@link #DEFAULT_QUEUE}. Names are case-sensitive; a blank
   * name, leading or trailing whitespace, control characters and '{' or '}' are rejected.
   */
  static TaskOption queue(String name) {
    return new Queue(name);
  }

  /** How many times a failing task is retried before it is archived; default 25; must be ≥ 0. */
  static TaskOption maxRetry(int retries) {
    return new MaxRetry(retries);
  }

  /**
   * The task ID; default a random UUID. Enqueuing a second task with the same ID in the same queue
   * fails with {@link TaskIdConflictException}.
   */
  static TaskOption taskId(String id) {
    return new TaskId(id);
  }

  /**
   * How long one attempt may run; at least 1 s. Without a timeout or a deadline a task gets {@link
   * #DEFAULT_TIMEOUT}. With both, the earlier end wins.
   */
  static TaskOption timeout(Duration timeout) {
    return new Timeout(timeout);
  }

  /** The instant after which the task must not run; must be in the future when enqueued. */
  static TaskOption deadline(Instant deadline) {
    return new Deadline(deadline);
  }

  /**
   * Makes the task unique by queue, type and payload for {@code ttl} (at least 1 s): while the lock
   * is held, enqueuing an equal task fails with {@link DuplicateTaskException}. The lock is
   * released when the task succeeds or is deleted, or when the TTL ends. For a scheduled task the
   * TTL counts from its process-at time.
   */
  static TaskOption unique(Duration ttl) {
    return new Unique(ttl);
  }

  /**
   * Makes the task unique by queue and a key the caller chooses (a customer, an order, a document)
   * for {@code ttl} (at least 1 s), whatever its type and payload: while the lock is held,
   * enqueuing another task with the same key in the queue fails with {@link
   * DuplicateTaskException}. The lock ({@code asynq:{queue}:unique:key:<key>}) is released as
   * {@link #unique(Duration)}'s is, by Go servers too. The key: 1 to 512 characters, not blank.
   */
  static TaskOption unique(String key, Duration ttl) {
    return new UniqueKey(key, ttl);
  }

  /**
   * Debounces the task by a key the caller chooses (jasynq only): it runs {@code delay} (at least 1
   * s) after it is enqueued, and another enqueue with the same key in the queue before then
   * replaces it (its payload, headers and options, under a new ID) and runs {@code delay} after
   * that enqueue instead; so a burst of events runs once, with the last payload. A burst never
   * holds it back longer than {@code maxWait} (at least {@code delay}) after the burst's first
   * enqueue: an enqueue whose run would fall later starts a new burst, and the task already
   * scheduled runs at its time. The key's lock is {@code unique(key, ...)}'s (a task made unique by
   * that key makes a debounce with it fail with {@link DuplicateTaskException}); it cannot be
   * combined with {@code unique}, {@code processAt}/{@code processIn}, {@code group} or {@code
   * taskId}, nor used by a periodic task.
   */
  static TaskOption debounce(String key, Duration delay, Duration maxWait) {
    return new Debounce(key, delay, maxWait);
  }

  /** Processes the task at {@code time}; a time not after now means at once. */
  static TaskOption processAt(Instant time) {
    return new ProcessAt(time);
  }

  /** Processes the task {@code delay} after it is enqueued; must not be negative. */
  static TaskOption processIn(Duration delay) {
    return new ProcessIn(delay);
  }

  /**
   * Keeps the task as {@linkplain TaskState#COMPLETED completed} for {@code retention} after it
   * succeeds; 0 (the default) deletes it at once. Must be 0 or at least 1 s.
   */
  static TaskOption retention(Duration retention) {
    return new Retention(retention);
  }

  /**
   * Adds the task to a group of its queue, where it waits to be aggregated with the others. With a
   * future process time it is scheduled first and joins the group when due.
   */
  static TaskOption group(String name) {
    return new Group(name);
  }

  /** Adds a header (stored in the task message, as Asynq v0.26+ does); the last value wins. */
  static TaskOption header(String name, String value) {
    return new Header(name, value);
  }

  /** See {@link #queue(String)}. */
  record Queue(String name) implements TaskOption {
    /** Checks the argument; see the factory method. */
    public Queue {
      Checks.queue(name);
    }

    @Override
    public String toString() {
      return "Queue(\"" + name + "\")";
    }
  }

  /** See {@link #maxRetry(int)}. */
  record MaxRetry(int retries) implements TaskOption {
    /** Checks the argument; see the factory method. */
    public MaxRetry {
      if (retries < 0) {
        throw new IllegalArgumentException("maxRetry must be >= 0, was " + retries);
      }
    }

    @Override
    public String toString() {
      return "MaxRetry(" + retries + ")";
    }
  }

  /** See {@link #taskId(String)}. */
  record TaskId(String id) implements TaskOption {
    /** Checks the argument; see the factory method. */
    public TaskId {
      Checks.text("taskId", id);
    }

    @Override
    public String toString() {
      return "TaskID(\"" + id + "\")";
    }
  }

  /** See {@link #timeout(Duration)}. */
  record Timeout(Duration timeout) implements TaskOption {
    /** Checks the argument; see the factory method. */
    public Timeout {
      Checks.atLeastOneSecond("timeout", timeout);
    }

    @Override
    public String toString() {
      return "Timeout(" + timeout + ")";
    }
  }

  /** See {@link #deadline(Instant)}. */
  record Deadline(Instant deadline) implements TaskOption {
    /** Checks the argument; see the factory method. */
    public Deadline {
      Objects.requireNonNull(deadline, "deadline == null");
    }

    @Override
    public String toString() {
      return "Deadline(" + deadline + ")";
    }
  }

  /** See {@link #unique(Duration)}. */
  record Unique(Duration ttl) implements TaskOption {
    /** Checks the argument; see the factory method. */
    public Unique {
      Checks.atLeastOneSecond("unique TTL", ttl);
    }

    @Override
    public String toString() {
      return "Unique(" + ttl + ")";
    }
  }

  /** See {@link #unique(String, Duration)}. */
  record UniqueKey(String key, Duration ttl) implements TaskOption {
    /** Checks the arguments; see the factory method. */
    public UniqueKey {
      Checks.text("unique key", key);
      if (key.length() > 512) {
        throw new IllegalArgumentException(
            "unique key must be at most 512 characters, was " + key.length());
      }
      Checks.atLeastOneSecond("unique TTL", ttl);
    }

    @Override
    public String toString() {
      return "UniqueKey(" + key + ", " + ttl + ")";
    }
  }

  /** See {@link #debounce(String, Duration, Duration)}. */
  record Debounce(String key, Duration delay, Duration maxWait) implements TaskOption {
    /** Checks the arguments; see the factory method. */
    public Debounce {
      Checks.text("debounce key", key);
      if (key.length() > 512) {
        throw new IllegalArgumentException(
            "debounce key must be at most 512 characters, was " + key.length());
      }
      Checks.atLeastOneSecond("debounce delay", delay);
      Objects.requireNonNull(maxWait, "maxWait == null");
      if (maxWait.compareTo(delay) < 0) {
        throw new IllegalArgumentException(
            "debounce maxWait must be at least the delay (" + delay + "), was " + maxWait);
      }
    }

    @Override
    public String toString() {
      return "Debounce(" + key + ", " + delay + ", " + maxWait + ")";
    }
  }

  /** See {@link #processAt(Instant)}. */
  record ProcessAt(Instant time) implements TaskOption {
    /** Checks the argument; see the factory method. */
    public ProcessAt {
      Objects.requireNonNull(time, "processAt == null");
    }

    @Override
    public String toString() {
      return "ProcessAt(" + time + ")";
    }
  }

  /** See {@link #processIn(Duration)}. */
  record ProcessIn(Duration delay) implements TaskOption {
    /** Checks the argument; see the factory method. */
    public ProcessIn {
      Checks.notNegative("processIn", delay);
    }

    @Override
    public String toString() {
      return "ProcessIn(" + delay + ")";
    }
  }

  /** See {@link #retention(Duration)}. */
  record Retention(Duration retention) implements TaskOption {
    /** Checks the argument; see the factory method. */
    public Retention {
      Checks.notNegative("retention", retention);
      if (!retention.isZero()) {
        Checks.atLeastOneSecond("retention", retention);
      }
    }

    @Override
    public String toString() {
      return "Retention(" + retention + ")";
    }
  }

  /** See {@link #group(String)}. */
  record Group(String name) implements TaskOption {
    /** Checks the argument; see the factory method. */
    public Group {
      Checks.text("group", name);
    }

    @Override
    public String toString() {
      return "Group(\"" + name + "\")";
    }
  }

  /** See {@link #header(String, String)}. */
  record Header(String name, String value) implements TaskOption {
    /** Checks the argument; see the factory method. */
    public Header {
      Checks.text("header name", name);
      Checks.encodable("header value", value);
    }

    @Override
    public String toString() {
      return "Header(\"" + name + "\", \"" + value + "\")";
    }
  }
}

package io.jasynq;

import java.util.Locale;

/**
 * The state of a task, stored as the task hash's {@code state} field with exactly these names.
 *
 * @since 0.1
 */
public enum TaskState {
  /** Ready to be processed. */
  PENDING,
  /** Being processed by a worker. */
  ACTIVE,
  /** Waiting for its process-at time. */
  SCHEDULED,
  /** Failed; waiting to be retried. */
  RETRY,
  /** Dead: retries exhausted or skipped; kept for inspection. */
  ARCHIVED,
  /** Succeeded; kept until its retention ends. */
  COMPLETED,
  /** Waiting in a group to be aggregated. */
  AGGREGATING;

  private final String wireName = name().toLowerCase(Locale.ROOT);

  /** The name stored in Redis, e.g. {@code "pending"}. */
  public String wireName() {
    return wireName;
  }

  /**
   * The state stored as {@code name}.
   *
   * @throws IllegalArgumentException for any other string
   */
  public static TaskState fromWireName(String name) {
    for (TaskState s : values()) {
      if (s.wireName.equals(name)) {
        return s;
      }
    }
    throw new IllegalArgumentException("unknown task state \"" + name + "\"");
  }
}

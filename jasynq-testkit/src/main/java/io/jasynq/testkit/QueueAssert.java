package io.jasynq.testkit;

import java.util.List;
import org.assertj.core.api.AbstractAssert;

/**
 * Assertions on one queue's state containers: the {@code pending} and {@code active} lists and the
 * {@code scheduled}, {@code retry}, {@code archived}, {@code completed} sorted sets (wire-format
 * §1.2). Counts are of IDs in a container, whatever their task hashes say; {@link #task} checks one
 * task against its hash too.
 *
 * @since 0.1.0
 */
public final class QueueAssert extends AbstractAssert<QueueAssert, TestRedis> {
  /** The task states with a container of their own, named after the state. */
  static final List<String> STATES =
      List.of("pending", "active", "scheduled", "retry", "archived", "completed");

  private final String queue;

  QueueAssert(TestRedis redis, String queue) {
    super(redis, QueueAssert.class);
    this.queue = queue;
  }

  /** Checks that {@code count} IDs are pending. */
  public QueueAssert hasPending(int count) {
    return hasCount("pending", count);
  }

  /** Checks that each of {@code ids} is pending (others may be too). */
  public QueueAssert hasPending(String... ids) {
    return holds("pending", ids);
  }

  /** Checks that no ID is pending. */
  public QueueAssert hasNoPending() {
    return hasCount("pending", 0);
  }

  /** Checks that {@code count} IDs are active. */
  public QueueAssert hasActive(int count) {
    return hasCount("active", count);
  }

  /** Checks that each of {@code ids} is active (others may be too). */
  public QueueAssert hasActive(String... ids) {
    return holds("active", ids);
  }

  /** Checks that no ID is active and no lease is left. */
  public QueueAssert hasNoActive() {
    hasCount("active", 0);
    long leases = actual.commands().zcard(key("lease"));
    if (leases != 0) {
      failWithMessage("expected no lease in %s but found %s", key("lease"), leases);
    }
    return this;
  }

  /** Checks that {@code count} IDs are scheduled. */
  public QueueAssert hasScheduled(int count) {
    return hasCount("scheduled", count);
  }

  /** Checks that each of {@code ids} is scheduled (others may be too). */
  public QueueAssert hasScheduled(String... ids) {
    return holds("scheduled", ids);
  }

  /** Checks that no ID is scheduled. */
  public QueueAssert hasNoScheduled() {
    return hasCount("scheduled", 0);
  }

  /** Checks that {@code count} IDs wait for a retry. */
  public QueueAssert hasRetry(int count) {
    return hasCount("retry", count);
  }

  /** Checks that each of {@code ids} waits for a retry (others may too). */
  public QueueAssert hasRetry(String... ids) {
    return holds("retry", ids);
  }

  /** Checks that no ID waits for a retry. */
  public QueueAssert hasNoRetry() {
    return hasCount("retry", 0);
  }

  /** Checks that {@code count} IDs are archived. */
  public QueueAssert hasArchived(int count) {
    return hasCount("archived", count);
  }

  /** Checks that each of {@code ids} is archived (others may be too). */
  public QueueAssert hasArchived(String... ids) {
    return holds("archived", ids);
  }

  /** Checks that no ID is archived. */
  public QueueAssert hasNoArchived() {
    return hasCount("archived", 0);
  }

  /** Checks that {@code count} IDs are completed (kept for their retention). */
  public QueueAssert hasCompleted(int count) {
    return hasCount("completed", count);
  }

  /** Checks that each of {@code ids} is completed (others may be too). */
  public QueueAssert hasCompleted(String... ids) {
    return holds("completed", ids);
  }

  /** Checks that no ID is completed. */
  public QueueAssert hasNoCompleted() {
    return hasCount("completed", 0);
  }

  /** Checks that group {@code group} holds {@code count} aggregating IDs. */
  public QueueAssert hasAggregating(String group, int count) {
    long found = actual.commands().zcard(key("g:" + group));
    if (found != count) {
      failWithMessage(
          "expected %s aggregating in %s but found %s: %s",
          count, key("g:" + group), found, actual.zrangeWithScores(key("g:" + group)).keySet());
    }
    return this;
  }

  /** Checks that no state container of the queue holds an ID (groups aside). */
  public QueueAssert isEmpty() {
    for (String state : STATES) {
      hasCount(state, 0);
    }
    return this;
  }

  /** Assertions on task {@code id} of this queue. */
  public TaskAssert task(String id) {
    return new TaskAssert(actual, queue, id);
  }

  private QueueAssert hasCount(String state, int count) {
    List<String> ids = ids(actual, queue, state);
    if (ids.size() != count) {
      failWithMessage(
          "expected %s %s in queue %s but found %s: %s", count, state, queue, ids.size(), ids);
    }
    return this;
  }

  private QueueAssert holds(String state, String... ids) {
    List<String> found = ids(actual, queue, state);
    for (String id : ids) {
      if (!found.contains(id)) {
        failWithMessage(
            "expected task %s to be %s in queue %s, but %s holds %s",
            id, state, queue, key(state), found);
      }
    }
    return this;
  }

  private String key(String suffix) {
    return "asynq:{" + queue + "}:" + suffix;
  }

  /** The IDs in the container of {@code state}: list order for lists, score order for sets. */
  static List<String> ids(TestRedis redis, String queue, String state) {
    String key = "asynq:{" + queue + "}:" + state;
    if (state.equals("pending") || state.equals("active")) {
      return redis.lrange(key);
    }
    return List.copyOf(redis.zrangeWithScores(key).keySet());
  }
}

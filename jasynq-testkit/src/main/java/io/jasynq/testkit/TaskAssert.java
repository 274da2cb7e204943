package io.jasynq.testkit;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.assertj.core.api.AbstractAssert;

/**
 * Assertions on one task: its hash {@code asynq:{Q}:t:<id>} and where its ID is (wire-format §1.3).
 *
 * @since 0.1.0
 */
public final class TaskAssert extends AbstractAssert<TaskAssert, TestRedis> {
  private final String queue;
  private final String id;

  TaskAssert(TestRedis redis, String queue, String id) {
    super(redis, TaskAssert.class);
    this.queue = queue;
    this.id = id;
  }

  /**
   * Checks that the task is in {@code state} as a reader sees it: its hash says so, its ID is in
   * that state's container (for {@code active}, in the lease set too; for {@code aggregating}, in
   * the group its hash names) and in no other state container of the queue.
   *
   * @param state one of {@code pending}, {@code active}, {@code scheduled}, {@code retry}, {@code
   *     archived}, {@code completed}, {@code aggregating}
   */
  public TaskAssert isInState(String state) {
    if (!state.equals("aggregating") && !QueueAssert.STATES.contains(state)) {
      throw new IllegalArgumentException("not an Asynq task state: " + state);
    }
    exists();
    String written = actual.hget(taskKey(), "state");
    if (!state.equals(written)) {
      failWithMessage("expected task %s to be %s but its hash says %s", id, state, written);
    }
    List<String> in = containersHolding();
    List<String> expected = new ArrayList<>();
    if (!state.equals("aggregating")) {
      expected.add(state);
    }
    if (!in.equals(expected)) {
      failWithMessage("expected task %s to be in %s only but it is in %s", id, expected, in);
    }
    if (state.equals("active") && score("lease") == null) {
      failWithMessage("expected active task %s to have a lease in %s", id, key("lease"));
    }
    if (state.equals("aggregating")) {
      String group = actual.hget(taskKey(), "group");
      if (group == null || score("g:" + group) == null) {
        failWithMessage("expected task %s in the set of its group %s", id, group);
      }
    }
    return this;
  }

  /** Checks that its hash exists. */
  public TaskAssert exists() {
    if (actual.hgetAll(taskKey()).isEmpty()) {
      failWithMessage("expected task %s to exist but %s is missing", id, taskKey());
    }
    return this;
  }

  /** Checks that its hash is gone and no state container of the queue holds its ID. */
  public TaskAssert doesNotExist() {
    Map<String, byte[]> hash = actual.hgetAll(taskKey());
    if (!hash.isEmpty()) {
      failWithMessage("expected task %s to be gone but %s has %s", id, taskKey(), hash.keySet());
    }
    List<String> in = containersHolding();
    if (!in.isEmpty()) {
      failWithMessage("expected task %s to be gone but it is still in %s", id, in);
    }
    return this;
  }

  /**
   * Checks when it is due, or kept until: its score in the sorted set of {@code state} ({@code
   * lease} for an active task's lease end), to the second.
   */
  public TaskAssert hasScore(String state, Instant at) {
    Double score = score(state.equals("active") ? "lease" : state);
    if (score == null || score.longValue() != at.getEpochSecond()) {
      failWithMessage(
          "expected task %s scored %s (%s) in %s but found %s",
          id, at.getEpochSecond(), at, key(state), score);
    }
    return this;
  }

  /** Checks a text field of its hash ({@code state}, {@code group}, {@code pending_since}...). */
  public TaskAssert hasField(String field, String value) {
    String found = actual.hget(taskKey(), field);
    if (!value.equals(found)) {
      failWithMessage("expected %s of task %s to be %s but was %s", field, id, value, found);
    }
    return this;
  }

  /** Checks that its hash has no {@code field}. */
  public TaskAssert hasNoField(String field) {
    String found = actual.hget(taskKey(), field);
    if (found != null) {
      failWithMessage("expected task %s to have no %s but it is %s", id, field, found);
    }
    return this;
  }

  private List<String> containersHolding() {
    List<String> in = new ArrayList<>();
    for (String state : QueueAssert.STATES) {
      if (QueueAssert.ids(actual, queue, state).contains(id)) {
        in.add(state);
      }
    }
    return in;
  }

  private Double score(String suffix) {
    return actual
        .commands()
        .zscore(key(suffix), id.getBytes(java.nio.charset.StandardCharsets.UTF_8));
  }

  private String key(String suffix) {
    return "asynq:{" + queue + "}:" + suffix;
  }

  private String taskKey() {
    return key("t:" + id);
  }
}

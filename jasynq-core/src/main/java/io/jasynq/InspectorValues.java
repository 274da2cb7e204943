package io.jasynq;

import io.jasynq.internal.broker.InspectQueries;
import io.jasynq.internal.broker.Keys;
import io.jasynq.internal.broker.LimitStore;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import java.util.OptionalInt;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** The {@link Inspector}'s argument checks and conversions of what the queries found. */
final class InspectorValues {
  private static final Logger log = LoggerFactory.getLogger(Inspector.class);

  private InspectorValues() {}

  /** {@code state}, if it is one of {@code allowed}; else an IllegalArgumentException. */
  static TaskState state(TaskState state, TaskState... allowed) {
    Objects.requireNonNull(state, "state == null");
    for (TaskState a : allowed) {
      if (a == state) {
        return state;
      }
    }
    throw new IllegalArgumentException(
        "state must be one of "
            + Arrays.stream(allowed).map(TaskState::wireName).toList()
            + ", was "
            + state.wireName());
  }

  /** {@code days}, if at least 1; else an IllegalArgumentException. */
  static int days(int days) {
    if (days < 1) {
      throw new IllegalArgumentException("days must be >= 1, was " + days);
    }
    return days;
  }

  static TaskInfo info(InspectQueries.Found f) {
    return new TaskInfo(
        f.message(), f.state(), f.nextProcessAt(), f.orphaned(), f.result(), f.problems());
  }

  static List<TaskInfo> infos(List<InspectQueries.Found> found) {
    return found.stream().map(InspectorValues::info).toList();
  }

  /** A stored concurrency limit as the dequeue reads it; a malformed one is logged. */
  static OptionalInt limit(String queue, @Nullable String stored) {
    Integer n = LimitStore.parse(stored);
    if (n == null && stored != null) {
      log.warn(
          "queue \"{}\": concurrency limit \"{}\" in {} is not a positive integer; no limit holds",
          queue,
          stored,
          Keys.limits(queue));
    }
    return n == null ? OptionalInt.empty() : OptionalInt.of(n);
  }
}

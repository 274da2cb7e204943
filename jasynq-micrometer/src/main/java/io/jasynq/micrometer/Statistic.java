package io.jasynq.micrometer;

import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import org.jspecify.annotations.Nullable;

/**
 * One number of a queue's snapshot, and which of them a {@code QueueInfo} problem makes
 * untrustworthy. A problem line starts with the Redis key it is about ({@code asynq:{q}:pending is
 * a string, not a list}); a line that names no key we know spoils every statistic of the queue.
 */
enum Statistic {
  PENDING("pending"),
  ACTIVE("active"),
  SCHEDULED("scheduled"),
  RETRY("retry"),
  ARCHIVED("archived"),
  COMPLETED("completed"),
  AGGREGATING("aggregating"),
  LATENCY(null),
  PAUSED(null),
  MEMORY(null),
  PROCESSED(null),
  FAILED(null);

  /** The statistics published as {@code jasynq.queue.size{state=...}}. */
  static final List<Statistic> STATES =
      List.of(PENDING, ACTIVE, SCHEDULED, RETRY, ARCHIVED, COMPLETED, AGGREGATING);

  private static final String MEMORY_UNKNOWN = "memory usage unknown";

  private final @Nullable String state; // the state tag value, for STATES

  Statistic(@Nullable String state) {
    this.state = state;
  }

  /** The {@code state} tag value. */
  @Nullable String state() {
    return state;
  }

  /**
   * The statistics of {@code queue} that {@code problems} spoil. A refused memory estimate spoils
   * nothing: the memory gauge follows {@code memoryUsageKnown()} instead.
   */
  static Set<Statistic> spoiledBy(String queue, List<String> problems) {
    Set<Statistic> spoiled = EnumSet.noneOf(Statistic.class);
    String prefix = "asynq:{" + queue + "}:";
    for (String line : problems) {
      if (line.startsWith(MEMORY_UNKNOWN)) {
        continue;
      }
      if (!line.startsWith(prefix)) {
        return EnumSet.allOf(Statistic.class);
      }
      String rest = line.substring(prefix.length());
      int space = rest.indexOf(' ');
      spoiled.addAll(byKey(space < 0 ? rest : rest.substring(0, space)));
    }
    return spoiled;
  }

  /** Whether {@code problems} has a line other than a refused memory estimate. */
  static boolean anyBadKey(List<String> problems) {
    return problems.stream().anyMatch(line -> !line.startsWith(MEMORY_UNKNOWN));
  }

  private static Set<Statistic> byKey(String key) {
    if (key.startsWith("g:")) {
      return EnumSet.of(AGGREGATING);
    }
    if (key.startsWith("processed:") || key.startsWith("failed:")) {
      return EnumSet.noneOf(Statistic.class); // today's counters: not published
    }
    return switch (key) {
      case "pending" -> EnumSet.of(PENDING, LATENCY);
      case "active" -> EnumSet.of(ACTIVE);
      case "scheduled" -> EnumSet.of(SCHEDULED);
      case "retry" -> EnumSet.of(RETRY);
      case "archived" -> EnumSet.of(ARCHIVED);
      case "completed" -> EnumSet.of(COMPLETED);
      case "groups" -> EnumSet.of(AGGREGATING);
      case "paused" -> EnumSet.of(PAUSED);
      case "processed" -> EnumSet.of(PROCESSED);
      case "failed" -> EnumSet.of(FAILED);
      default -> EnumSet.allOf(Statistic.class);
    };
  }
}

package io.jasynq.topology;

import io.jasynq.Inspector;
import io.jasynq.SchedulerEntry;
import io.jasynq.testkit.Eventually;
import io.jasynq.testkit.TestRedis;
import java.time.Duration;
import java.time.Instant;
import java.util.List;

/** What the failover tests look at on either side of a failover. */
final class FailoverChecks {
  private FailoverChecks() {}

  /** The node's replication role as INFO says it: "master", "slave", or "?" if it does not. */
  static String role(TestRedis node) {
    return node.commands()
        .info("replication")
        .lines()
        .filter(l -> l.startsWith("role:"))
        .findFirst()
        .orElse("role:?")
        .substring(5)
        .strip();
  }

  /**
   * Waits up to {@code patience} until {@code inspector} lists two scheduler entries, both with a
   * previous enqueue at {@code last} or later.
   */
  static void awaitBothEntriesEnqueuedAtOrAfter(
      Inspector inspector, Instant last, Duration patience) {
    Eventually.until(
        patience,
        "both entries written with the last tick",
        () -> {
          List<SchedulerEntry> entries = inspector.schedulerEntries();
          return entries.size() == 2
              && entries.stream()
                  .allMatch(e -> e.previous().map(p -> !p.isBefore(last)).orElse(false));
        });
  }
}

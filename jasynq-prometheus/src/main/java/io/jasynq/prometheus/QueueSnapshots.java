package io.jasynq.prometheus;

import io.jasynq.Inspector;
import io.jasynq.QueueInfo;
import java.time.Clock;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reads every queue's stats through the {@link Inspector} and publishes them as one immutable
 * {@link Snapshot}. A queue that cannot be read (the read throws, or its keys are bad) keeps its
 * last good stats, or stays out if it never had any; a failed listing keeps every queue. Each
 * failed read counts one refresh error.
 *
 * <p>{@link #refresh()} runs on the exporter's {@code jasynq-prometheus} thread only; {@link
 * #current()} is safe from any thread and never touches Redis.
 */
final class QueueSnapshots {
  private static final Logger log = LoggerFactory.getLogger(QueueSnapshots.class);

  // Immutable after construction.
  private final Inspector inspector;
  private final Clock clock;

  // Written by the refresh thread only, read by any scrape.
  private volatile Snapshot current = Snapshot.EMPTY;

  // Confined to the refresh thread.
  private boolean failing;

  QueueSnapshots(Inspector inspector, Clock clock) {
    this.inspector = inspector;
    this.clock = clock;
  }

  /** The last published snapshot. */
  Snapshot current() {
    return current;
  }

  /** One pass: lists the queues, reads each, publishes the result. Never throws. */
  void refresh() {
    Snapshot last = current;
    List<String> names;
    try {
      names = inspector.queues();
    } catch (RuntimeException e) {
      failed("listing the queues", e);
      current = new Snapshot(last.queues(), last.refreshErrors() + 1, last.lastRefresh());
      return;
    }
    Map<String, QueueInfo> queues = new LinkedHashMap<>();
    long errors = 0;
    for (String name : names) {
      QueueInfo info = read(name);
      if (info == null) {
        errors++;
        info = last.queues().get(name);
      }
      if (info != null) {
        queues.put(name, info);
      }
    }
    if (errors == 0 && failing) {
      log.info("queue stats are readable again");
      failing = false;
    }
    Instant refreshed = errors == 0 ? clock.instant() : last.lastRefresh();
    current = new Snapshot(queues, last.refreshErrors() + errors, refreshed);
  }

  /** The queue's stats, or null (logged) if they cannot be read or its keys are bad. */
  private @Nullable QueueInfo read(String queue) {
    try {
      QueueInfo info = inspector.queueInfo(queue);
      if (badKeys(info) > 0) {
        failed("reading queue \"" + queue + "\"", info.problems());
        return null;
      }
      return info;
    } catch (RuntimeException e) {
      failed("reading queue \"" + queue + "\"", e);
      return null;
    }
  }

  /**
   * How many of the problems are about the queue's keys. An unknown memory estimate (a Redis that
   * refuses {@code MEMORY USAGE}) is one problem line too, but the counts are still good: then the
   * memory gauge is left out and the rest is served.
   */
  static int badKeys(QueueInfo info) {
    return info.problems().size() - (info.memoryUsageKnown() ? 0 : 1);
  }

  private void failed(String what, Object why) {
    if (!failing) {
      log.warn("Prometheus exporter: {} failed; serving the last good values: {}", what, why);
      failing = true;
    } else {
      log.debug("Prometheus exporter: {} failed again: {}", what, why);
    }
  }
}

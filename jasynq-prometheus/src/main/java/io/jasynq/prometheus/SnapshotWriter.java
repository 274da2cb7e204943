package io.jasynq.prometheus;

import static io.jasynq.prometheus.MetricNames.COUNTER;
import static io.jasynq.prometheus.MetricNames.GAUGE;

import io.jasynq.QueueInfo;
import java.time.Duration;
import java.util.Collection;
import java.util.function.Function;
import java.util.function.ToLongFunction;

/**
 * Writes a {@link Snapshot} as asynq's queue metric families, then the exporter's own two. As
 * client_golang does, families come sorted by name and samples by label values; the memory estimate
 * is written only for queues where it is known. Stateless.
 */
final class SnapshotWriter {
  private SnapshotWriter() {}

  static void write(Snapshot snapshot, TextFormat out) {
    Collection<QueueInfo> queues = snapshot.queues().values();
    perQueue(
        out,
        MetricNames.QUEUE_LATENCY,
        MetricNames.QUEUE_LATENCY_HELP,
        GAUGE,
        queues,
        q -> TextFormat.seconds(q.latency()));
    if (queues.stream().anyMatch(QueueInfo::memoryUsageKnown)) {
      perQueue(
          out,
          MetricNames.QUEUE_MEMORY,
          MetricNames.QUEUE_MEMORY_HELP,
          GAUGE,
          queues.stream().filter(QueueInfo::memoryUsageKnown).toList(),
          q -> TextFormat.value(q.memoryUsageBytes()));
    }
    perQueue(
        out,
        MetricNames.QUEUE_PAUSED,
        MetricNames.QUEUE_PAUSED_HELP,
        GAUGE,
        queues,
        q -> q.paused() ? "1" : "0");
    perQueue(
        out,
        MetricNames.QUEUE_SIZE,
        MetricNames.QUEUE_SIZE_HELP,
        GAUGE,
        queues,
        q -> TextFormat.value(q.size()));
    tasksEnqueued(out, queues);
    perQueue(
        out,
        MetricNames.TASKS_FAILED,
        MetricNames.TASKS_FAILED_HELP,
        COUNTER,
        queues,
        q -> TextFormat.value(q.failedTotal()));
    perQueue(
        out,
        MetricNames.TASKS_PROCESSED,
        MetricNames.TASKS_PROCESSED_HELP,
        COUNTER,
        queues,
        q -> TextFormat.value(q.processedTotal()));
    out.family(MetricNames.LAST_REFRESH, MetricNames.LAST_REFRESH_HELP, GAUGE)
        .sample(MetricNames.LAST_REFRESH, lastRefresh(snapshot));
    out.family(MetricNames.REFRESH_ERRORS, MetricNames.REFRESH_ERRORS_HELP, COUNTER)
        .sample(MetricNames.REFRESH_ERRORS, TextFormat.value(snapshot.refreshErrors()));
  }

  /** One family with one sample per queue; nothing at all when there is no queue. */
  private static void perQueue(
      TextFormat out,
      String name,
      String help,
      String type,
      Collection<QueueInfo> queues,
      Function<QueueInfo, String> value) {
    if (queues.isEmpty()) {
      return;
    }
    out.family(name, help, type);
    for (QueueInfo q : queues) {
      out.sample(name, value.apply(q), "queue", q.queue());
    }
  }

  /** The states asynq's collector reports, in label order; it has no "aggregating". */
  private static void tasksEnqueued(TextFormat out, Collection<QueueInfo> queues) {
    if (queues.isEmpty()) {
      return;
    }
    out.family(MetricNames.TASKS_ENQUEUED, MetricNames.TASKS_ENQUEUED_HELP, GAUGE);
    for (QueueInfo q : queues) {
      state(out, q, "active", QueueInfo::active);
      state(out, q, "archived", QueueInfo::archived);
      state(out, q, "completed", QueueInfo::completed);
      state(out, q, "pending", QueueInfo::pending);
      state(out, q, "retry", QueueInfo::retry);
      state(out, q, "scheduled", QueueInfo::scheduled);
    }
  }

  private static void state(
      TextFormat out, QueueInfo q, String state, ToLongFunction<QueueInfo> n) {
    out.sample(
        MetricNames.TASKS_ENQUEUED,
        TextFormat.value(n.applyAsLong(q)),
        "queue",
        q.queue(),
        "state",
        state);
  }

  private static String lastRefresh(Snapshot snapshot) {
    return snapshot.lastRefresh() == null
        ? "0"
        : TextFormat.seconds(
            Duration.ofSeconds(
                snapshot.lastRefresh().getEpochSecond(), snapshot.lastRefresh().getNano()));
  }
}

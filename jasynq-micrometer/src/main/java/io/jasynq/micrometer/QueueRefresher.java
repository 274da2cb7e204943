package io.jasynq.micrometer;

import io.jasynq.Inspector;
import io.jasynq.QueueInfo;
import io.jasynq.QueueNotFoundException;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.BooleanSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One refresh of every queue's snapshot through the Inspector: adds meters for new queues, removes
 * those of vanished ones, and isolates a queue (or statistic) that fails. Runs on the {@code
 * jasynq-metrics} thread only; {@link #removeAll} runs after that thread has stopped.
 */
final class QueueRefresher {
  private static final Logger log = LoggerFactory.getLogger(QueueRefresher.class);
  private static final String QUEUE_LIST = "(the queue list)";

  // Immutable after construction.
  private final Inspector inspector;
  private final MeterRegistry registry;
  private final Tags common;
  private final Counter errors;
  private final BooleanSupplier closed;

  // Confined to the refresh thread.
  private final Map<String, QueueMeters> queues = new HashMap<>();
  private final Set<String> warned = new HashSet<>();

  // Shared: read by tests.
  private final AtomicLong refreshes = new AtomicLong();

  QueueRefresher(Inspector inspector, MeterRegistry registry, Tags common, BooleanSupplier closed) {
    this.inspector = inspector;
    this.registry = registry;
    this.common = common;
    this.closed = closed;
    this.errors =
        Counter.builder(MetricNames.QUEUE_REFRESH_ERRORS)
            .description("Queue snapshots that failed or had bad keys")
            .tags(common)
            .register(registry);
  }

  /** One pass over every queue. Never throws: a failure is counted and logged. */
  void refresh() {
    List<String> names;
    try {
      names = inspector.queues();
    } catch (RuntimeException e) {
      failed(QUEUE_LIST, e.toString());
      return;
    }
    recovered(QUEUE_LIST);
    Set<String> current = new HashSet<>(names);
    queues.keySet().stream().filter(q -> !current.contains(q)).toList().forEach(this::remove);
    for (String name : names) {
      if (closed.getAsBoolean()) {
        return;
      }
      refresh(name);
    }
    refreshes.incrementAndGet();
  }

  /** How many passes completed (for tests). */
  long refreshes() {
    return refreshes.get();
  }

  /** Removes every queue meter and the error counter. */
  void removeAll() {
    List.copyOf(queues.keySet()).forEach(this::remove);
    registry.remove(errors);
  }

  private void refresh(String queue) {
    QueueInfo info;
    try {
      info = inspector.queueInfo(queue);
    } catch (QueueNotFoundException e) { // deleted since the list was read
      remove(queue);
      return;
    } catch (RuntimeException e) {
      failed(queue, e.toString());
      return;
    }
    if (closed.getAsBoolean()) {
      return;
    }
    QueueMeters meters = queues.computeIfAbsent(queue, q -> new QueueMeters(q, registry, common));
    meters.update(info, Statistic.spoiledBy(queue, info.problems()));
    try {
      meters.updateLimit(inspector.concurrencyLimit(queue));
      meters.updateRate(inspector.rateLimit(queue));
    } catch (RuntimeException e) { // the limits key is not a hash: the last values stay
      failed(queue, "limits: " + e);
      return;
    }
    if (Statistic.anyBadKey(info.problems())) {
      failed(queue, "bad keys " + info.problems() + "; keeping their last good values");
    } else {
      recovered(queue);
    }
  }

  private void remove(String queue) {
    QueueMeters meters = queues.remove(queue);
    if (meters != null) {
      meters.remove();
    }
    warned.remove(queue);
  }

  private void failed(String queue, String why) {
    if (closed.getAsBoolean()) {
      return; // interrupted by close(): not a refresh error
    }
    errors.increment();
    if (warned.add(queue)) {
      log.warn("queue metrics: refreshing {} failed: {} (logged once until it works)", queue, why);
    } else {
      log.debug("queue metrics: refreshing {} failed again: {}", queue, why);
    }
  }

  private void recovered(String queue) {
    if (warned.remove(queue)) {
      log.info("queue metrics: refreshing {} works again", queue);
    }
  }
}

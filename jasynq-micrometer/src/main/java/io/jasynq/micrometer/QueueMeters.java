package io.jasynq.micrometer;

import io.jasynq.QueueInfo;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.TimeGauge;
import io.micrometer.core.instrument.binder.BaseUnits;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.jspecify.annotations.Nullable;

/**
 * The meters of one queue and the last good value of each statistic they read. Gauges only read the
 * cached values (a scrape never calls Redis); the refresh thread publishes a new immutable map per
 * refresh. A statistic never seen good reads NaN.
 */
final class QueueMeters {
  // Immutable after construction.
  private final String queue;
  private final MeterRegistry registry;
  private final Tags tags;

  // Written by the refresh thread only; read by scrapes.
  private volatile Map<Statistic, Double> values = new EnumMap<>(Statistic.class);

  // Confined to the refresh thread (then to close, after it stopped).
  private final List<Meter> meters = new ArrayList<>();
  private boolean memoryRegistered;
  private @Nullable Meter limitGauge; // while the queue has a concurrency limit
  private volatile double limit = Double.NaN;
  private @Nullable Meter rateGauge; // while the queue has a rate limit
  private volatile double rate = Double.NaN;

  QueueMeters(String queue, MeterRegistry registry, Tags common) {
    this.queue = queue;
    this.registry = registry;
    this.tags = common.and(MetricNames.TAG_QUEUE, queue);
    register();
  }

  /** Takes the statistics of {@code info} except the {@code spoiled} ones, which keep theirs. */
  void update(QueueInfo info, Set<Statistic> spoiled) {
    Map<Statistic, Double> next = new EnumMap<>(Statistic.class);
    next.putAll(values);
    put(next, spoiled, Statistic.PENDING, info.pending());
    put(next, spoiled, Statistic.ACTIVE, info.active());
    put(next, spoiled, Statistic.SCHEDULED, info.scheduled());
    put(next, spoiled, Statistic.RETRY, info.retry());
    put(next, spoiled, Statistic.ARCHIVED, info.archived());
    put(next, spoiled, Statistic.COMPLETED, info.completed());
    put(next, spoiled, Statistic.AGGREGATING, info.aggregating());
    put(next, spoiled, Statistic.LATENCY, info.latency().toNanos() / 1e9);
    put(next, spoiled, Statistic.PAUSED, info.paused() ? 1 : 0);
    put(next, spoiled, Statistic.PROCESSED, info.processedTotal());
    put(next, spoiled, Statistic.FAILED, info.failedTotal());
    if (info.memoryUsageKnown()) {
      put(next, spoiled, Statistic.MEMORY, info.memoryUsageBytes());
    }
    values = next;
    if (info.memoryUsageKnown() && !memoryRegistered) {
      memoryRegistered = true;
      meters.add(
          Gauge.builder(MetricNames.QUEUE_MEMORY, this, q -> q.value(Statistic.MEMORY))
              .description("Estimated memory the queue's tasks use")
              .baseUnit(BaseUnits.BYTES)
              .tags(tags)
              .strongReference(true)
              .register(registry));
    }
  }

  /**
   * Takes the queue's concurrency limit: the gauge is registered while there is one and removed
   * when it is cleared.
   */
  void updateLimit(java.util.OptionalInt next) {
    limit = next.isPresent() ? next.getAsInt() : Double.NaN;
    limitGauge =
        gaugeWhile(
            next.isPresent(),
            limitGauge,
            MetricNames.QUEUE_CONCURRENCY_LIMIT,
            "The most of the queue's tasks active at once across the fleet",
            q -> q.limit);
  }

  /**
   * Takes the queue's rate limit, as tasks per second: the gauge is registered while there is one
   * and removed when it is cleared.
   */
  void updateRate(java.util.Optional<io.jasynq.RateLimit> next) {
    rate = next.map(r -> r.tasks() * 1000.0 / r.per().toMillis()).orElse(Double.NaN);
    rateGauge =
        gaugeWhile(
            next.isPresent(),
            rateGauge,
            MetricNames.QUEUE_RATE_LIMIT,
            "The most of the queue's tasks started per second across the fleet",
            q -> q.rate);
  }

  /** {@code current}, registered first if {@code present}, or removed (null) if not. */
  private @Nullable Meter gaugeWhile(
      boolean present,
      @Nullable Meter current,
      String name,
      String description,
      java.util.function.ToDoubleFunction<QueueMeters> value) {
    if (present && current == null) {
      return Gauge.builder(name, this, value)
          .description(description)
          .tags(tags)
          .strongReference(true)
          .register(registry);
    }
    if (!present && current != null) {
      registry.remove(current);
      return null;
    }
    return current;
  }

  /** Removes this queue's meters from the registry. */
  void remove() {
    meters.forEach(registry::remove);
    meters.clear();
    limitGauge = gaugeWhile(false, limitGauge, "", "", q -> 0);
    rateGauge = gaugeWhile(false, rateGauge, "", "", q -> 0);
  }

  double value(Statistic statistic) {
    return values.getOrDefault(statistic, Double.NaN);
  }

  private static void put(
      Map<Statistic, Double> next, Set<Statistic> spoiled, Statistic statistic, double value) {
    if (!spoiled.contains(statistic)) {
      next.put(statistic, value);
    }
  }

  private void register() {
    for (Statistic state : Statistic.STATES) {
      meters.add(
          Gauge.builder(MetricNames.QUEUE_SIZE, this, q -> q.value(state))
              .description("Tasks in the queue, by state")
              .tags(tags)
              .tag(MetricNames.TAG_STATE, Objects.requireNonNull(state.state()))
              .strongReference(true)
              .register(registry));
    }
    meters.add(
        TimeGauge.builder(
                MetricNames.QUEUE_LATENCY, this, TimeUnit.SECONDS, q -> q.value(Statistic.LATENCY))
            .description("How long the oldest pending task has waited")
            .tags(tags)
            .strongReference(true)
            .register(registry));
    meters.add(
        Gauge.builder(MetricNames.QUEUE_PAUSED, this, q -> q.value(Statistic.PAUSED))
            .description("1 when the queue is paused, else 0")
            .tags(tags)
            .strongReference(true)
            .register(registry));
    meters.add(
        FunctionCounter.builder(
                MetricNames.QUEUE_PROCESSED, this, q -> q.value(Statistic.PROCESSED))
            .description("Tasks processed, as Redis counts them")
            .tags(tags)
            .register(registry));
    meters.add(
        FunctionCounter.builder(MetricNames.QUEUE_FAILED, this, q -> q.value(Statistic.FAILED))
            .description("Tasks failed, as Redis counts them")
            .tags(tags)
            .register(registry));
  }

  @Override
  public String toString() {
    return "QueueMeters[" + queue + "]";
  }
}

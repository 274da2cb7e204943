package io.jasynq.micrometer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ch.qos.logback.classic.Level;
import io.jasynq.Client;
import io.jasynq.Inspector;
import io.jasynq.QueueInfo;
import io.jasynq.Task;
import io.jasynq.TaskOption;
import io.jasynq.testkit.Eventually;
import io.jasynq.testkit.RedisServer;
import io.jasynq.testkit.RedisTest;
import io.jasynq.testkit.TestRedis;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.TimeGauge;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Queue gauges over a real Inspector on real Redis, refreshed by the real background thread. */
@RedisTest
class QueueMetricsTest {
  private static final Duration SECOND = Duration.ofSeconds(1);

  private final SimpleMeterRegistry registry = new SimpleMeterRegistry();
  private final JasynqMetrics metrics = JasynqMetrics.builder(registry).build();
  private final TestRedis redis;
  private final Client client;
  private final Inspector inspector;

  QueueMetricsTest(RedisServer server, TestRedis redis) {
    this.redis = redis;
    client = Client.connect(server.uri());
    inspector = Inspector.connect(server.uri());
  }

  @AfterEach
  void close() {
    client.close();
    inspector.close();
  }

  @Test
  void gaugesMatchTheInspectorAndFollowNewPausedAndDeletedQueues() {
    enqueue("alpha", 3);
    client.enqueue(Task.of("later"), TaskOption.queue("beta"), TaskOption.processIn(HOUR));
    client.enqueue(Task.of("later"), TaskOption.queue("beta"), TaskOption.processIn(HOUR));
    inspector.pauseQueue("beta");
    redis.commands().set("asynq:{alpha}:processed", bytes("5"));
    redis.commands().set("asynq:{alpha}:failed", bytes("2"));

    try (QueueMetrics queues = metrics.bindQueues(inspector, SECOND)) {
      Eventually.until("alpha and beta have values", () -> size("alpha", "pending") == 3);
      Eventually.until("beta has values", () -> size("beta", "scheduled") == 2);
      for (String queue : new String[] {"alpha", "beta"}) {
        QueueInfo info = inspector.queueInfo(queue);
        assertThat(size(queue, "pending")).isEqualTo(info.pending());
        assertThat(size(queue, "active")).isEqualTo(info.active());
        assertThat(size(queue, "scheduled")).isEqualTo(info.scheduled());
        assertThat(size(queue, "retry")).isEqualTo(info.retry());
        assertThat(size(queue, "archived")).isEqualTo(info.archived());
        assertThat(size(queue, "completed")).isEqualTo(info.completed());
        assertThat(size(queue, "aggregating")).isEqualTo(info.aggregating());
        assertThat(memory(queue).value()).isPositive(); // real Redis allows MEMORY USAGE
      }
      assertThat(gauge(MetricNames.QUEUE_PAUSED, "beta").value()).isEqualTo(1);
      assertThat(gauge(MetricNames.QUEUE_PAUSED, "alpha").value()).isZero();
      assertThat(latency("alpha").value(TimeUnit.NANOSECONDS)).isPositive();
      assertThat(latency("beta").value(TimeUnit.NANOSECONDS)).isZero();
      assertThat(functionCounter(MetricNames.QUEUE_PROCESSED, "alpha").count()).isEqualTo(5);
      assertThat(functionCounter(MetricNames.QUEUE_FAILED, "alpha").count()).isEqualTo(2);

      enqueue("gamma", 1);
      Eventually.until("gamma gets meters", () -> size("gamma", "pending") == 1);

      inspector.deleteQueue("beta", true);
      Eventually.until(
          "beta's meters are removed",
          () -> registry.find(MetricNames.QUEUE_SIZE).tag("queue", "beta").gauges().isEmpty());
      assertThat(registry.find(MetricNames.QUEUE_PAUSED).tag("queue", "beta").gauge()).isNull();
      assertThat(refreshErrors()).isZero();

      queues.close();

      assertThat(queues.isClosed()).isTrue();
      assertThat(threads("jasynq-metrics")).isZero();
      assertThat(registry.getMeters())
          .noneMatch(m -> m.getId().getName().startsWith("jasynq.queue."));
      queues.close(); // idempotent
      assertThat(inspector.queues()).contains("alpha", "gamma"); // the inspector is borrowed
    }
  }

  @Test
  void theLimitGaugesAreThereWhileALimitIsSet() {
    enqueue("alpha", 1);
    try (QueueMetrics queues = metrics.bindQueues(inspector, SECOND)) {
      Eventually.until("alpha has values", () -> size("alpha", "pending") == 1);
      assertThat(limitGauge("alpha")).isNull();
      inspector.setConcurrencyLimit("alpha", 4);
      Eventually.until("the limit is shown", () -> limitGauge("alpha") != null);
      assertThat(limitGauge("alpha").value()).isEqualTo(4);
      inspector.setConcurrencyLimit("alpha", 7);
      Eventually.until("the new limit is shown", () -> limitGauge("alpha").value() == 7);
      inspector.setConcurrencyLimit("alpha", null);
      Eventually.until("the gauge is gone", () -> limitGauge("alpha") == null);

      inspector.setRateLimit("alpha", io.jasynq.RateLimit.of(600, java.time.Duration.ofMinutes(1)));
      Eventually.until(
          "the rate is shown per second",
          () -> {
            Gauge g = registry.find(MetricNames.QUEUE_RATE_LIMIT).tag("queue", "alpha").gauge();
            return g != null && g.value() == 10.0;
          });
      inspector.setRateLimit("alpha", null);
      Eventually.until(
          "the rate gauge is gone",
          () -> registry.find(MetricNames.QUEUE_RATE_LIMIT).tag("queue", "alpha").gauge() == null);
      assertThat(queues.isClosed()).isFalse();
    }
  }

  private Gauge limitGauge(String queue) {
    return registry.find(MetricNames.QUEUE_CONCURRENCY_LIMIT).tag("queue", queue).gauge();
  }

  @Test
  void aBadKeyKeepsItsLastGoodValueAndDoesNotStopTheRest() {
    enqueue("bad", 2);
    enqueue("good", 1);
    try (LogCapture log = LogCapture.of(QueueRefresher.class);
        QueueMetrics queues = metrics.bindQueues(inspector, SECOND)) {
      Eventually.until(
          "both queues have values",
          () -> size("bad", "pending") == 2 && size("good", "pending") == 1);

      redis.commands().del("asynq:{bad}:pending");
      redis.commands().set("asynq:{bad}:pending", bytes("not a list"));
      client.enqueue(Task.of("later"), TaskOption.queue("bad"), TaskOption.processIn(HOUR));
      enqueue("good", 1);

      Eventually.until(
          "the good queue and the bad queue's good statistics move on",
          () -> size("good", "pending") == 2 && size("bad", "scheduled") == 1);
      Eventually.until("a refresh error is counted", () -> refreshErrors() >= 1);
      assertThat(size("bad", "pending")).isEqualTo(2); // its last good value
      long seen = queues.refreshes();
      Eventually.until("two more refreshes", () -> queues.refreshes() >= seen + 2);
      assertThat(log.at(Level.WARN)).hasSize(1).allMatch(m -> m.contains("bad"));

      redis.commands().del("asynq:{bad}:pending");
      Eventually.until("the repaired queue reads 0 pending", () -> size("bad", "pending") == 0);
      Eventually.until(
          "an INFO says it works again",
          () ->
              log.at(Level.INFO).stream().anyMatch(m -> m.contains("bad") && m.contains("again")));
      assertThat(log.at(Level.WARN)).hasSize(1);
    }
  }

  @Test
  void aFailingInspectorIsCountedAndTheGaugesKeepTheirValues(RedisServer server) {
    enqueue("alpha", 2);
    Inspector own = Inspector.connect(server.uri());
    try (QueueMetrics queues = metrics.bindQueues(own, SECOND)) {
      Eventually.until("alpha has values", () -> size("alpha", "pending") == 2);
      own.close(); // every call now fails
      Eventually.until("a refresh error is counted", () -> refreshErrors() >= 1);
      assertThat(size("alpha", "pending")).isEqualTo(2);
    } finally {
      own.close();
    }
  }

  @Test
  void rejectsBadArguments() {
    assertThatThrownBy(() -> metrics.bindQueues(inspector, Duration.ofMillis(500)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("interval must be >= 1 s, was PT0.5S");
    assertThatThrownBy(() -> metrics.bindQueues(inspector, null))
        .isInstanceOf(NullPointerException.class)
        .hasMessage("interval == null");
    assertThatThrownBy(() -> metrics.bindQueues(null, SECOND))
        .isInstanceOf(NullPointerException.class)
        .hasMessage("inspector == null");
    try (QueueMetrics queues = metrics.bindQueues(inspector, SECOND)) {
      assertThatThrownBy(() -> metrics.bindQueues(inspector, SECOND))
          .isInstanceOf(IllegalStateException.class)
          .hasMessageContaining("already bound");
    }
    metrics.bindQueues(inspector, SECOND).close(); // allowed again after close
    assertThat(threads("jasynq-metrics")).isZero();
  }

  private static final Duration HOUR = Duration.ofHours(1);

  private void enqueue(String queue, int n) {
    for (int i = 0; i < n; i++) {
      client.enqueue(Task.of("work"), TaskOption.queue(queue));
    }
  }

  private double size(String queue, String state) {
    Gauge g = registry.find(MetricNames.QUEUE_SIZE).tags("queue", queue, "state", state).gauge();
    return g == null ? Double.NaN : g.value();
  }

  private Gauge gauge(String name, String queue) {
    return registry.get(name).tag("queue", queue).gauge();
  }

  private Gauge memory(String queue) {
    return gauge(MetricNames.QUEUE_MEMORY, queue);
  }

  private TimeGauge latency(String queue) {
    return registry.get(MetricNames.QUEUE_LATENCY).tag("queue", queue).timeGauge();
  }

  private FunctionCounter functionCounter(String name, String queue) {
    return registry.get(name).tag("queue", queue).functionCounter();
  }

  private double refreshErrors() {
    Counter c = registry.find(MetricNames.QUEUE_REFRESH_ERRORS).counter();
    return c == null ? 0 : c.count();
  }

  private static long threads(String name) {
    return Thread.getAllStackTraces().keySet().stream()
        .filter(t -> t.isAlive() && t.getName().equals(name))
        .count();
  }

  private static byte[] bytes(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }
}

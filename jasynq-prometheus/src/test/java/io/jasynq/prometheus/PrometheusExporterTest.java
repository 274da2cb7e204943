package io.jasynq.prometheus;

import static io.jasynq.TaskOption.maxRetry;
import static io.jasynq.TaskOption.processIn;
import static io.jasynq.TaskOption.queue;
import static io.jasynq.TaskOption.retention;
import static io.jasynq.TaskOption.taskId;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.jasynq.Client;
import io.jasynq.Inspector;
import io.jasynq.RetryDelay;
import io.jasynq.ServeMux;
import io.jasynq.Server;
import io.jasynq.ServerConfig;
import io.jasynq.Task;
import io.jasynq.testkit.Eventually;
import io.jasynq.testkit.FakeClock;
import io.jasynq.testkit.RedisServer;
import io.jasynq.testkit.RedisTest;
import io.jasynq.testkit.TestRedis;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The asynq block against a real Redis: queues filled by a real Client and a real Server, read by a
 * real Inspector, the scrape parsed back as Prometheus would.
 */
@RedisTest
class PrometheusExporterTest {
  private static final Instant T0 = Instant.parse("2026-03-01T12:00:00Z");
  private static final List<String> STATES =
      List.of("active", "archived", "completed", "pending", "retry", "scheduled");

  private final RedisServer server;
  private final TestRedis redis;
  private final FakeClock clock = FakeClock.at(T0);
  private final Client client;
  private final Inspector inspector;
  private PrometheusExporter exporter;

  PrometheusExporterTest(RedisServer server, TestRedis redis) {
    this.server = server;
    this.redis = redis;
    this.client = Client.builder().uri(server.uri()).clock(clock).build();
    this.inspector = Inspector.builder().uri(server.uri()).clock(clock).build();
  }

  @AfterEach
  void tearDown() {
    if (exporter != null) {
      exporter.close();
    }
    inspector.close();
    client.close();
  }

  /** An exporter that refreshes once at start, then only when the test says so. */
  private PrometheusExporter exporter(Inspector from) {
    exporter =
        PrometheusExporter.builder(from).refreshInterval(Duration.ofHours(1)).clock(clock).build();
    return exporter;
  }

  private Map<String, PromText.Family> scrape() {
    return PromText.parse(exporter.scrape());
  }

  @Test
  void exportsAsynqQueueMetricsWithAsynqsNamesLabelsHelpAndTypes() throws Exception {
    // default: 2 pending, 1 scheduled, 1 archived (no server reads it); low: paused, 1 pending.
    client.enqueue(Task.of("t"), queue("default"));
    client.enqueue(Task.of("t"), queue("default"));
    client.enqueue(Task.of("t"), queue("default"), processIn(Duration.ofHours(1)));
    client.enqueue(Task.of("t"), queue("default"), taskId("dead"));
    inspector.archiveTask("default", "dead");
    clock.advance(Duration.ofSeconds(10));
    client.enqueue(Task.of("t"), queue("low"));
    inspector.pauseQueue("low");
    // critical: a real server makes 1 completed, 1 retry (processed 2, failed 1) and 1 active.
    CountDownLatch release = new CountDownLatch(1);
    ServeMux mux =
        new ServeMux()
            .handle("ok", ctx -> {})
            .handle(
                "fail",
                ctx -> {
                  throw new IllegalStateException("fails on purpose");
                })
            .handle("block", ctx -> release.await());
    ServerConfig config =
        ServerConfig.builder()
            .concurrency(3)
            .queue("critical", 1)
            .retryDelay(RetryDelay.constant(Duration.ofHours(1)))
            .build();
    try (Server worker = Server.connect(server.uri(), config)) {
      client.enqueue(Task.of("ok"), queue("critical"), retention(Duration.ofHours(1)));
      client.enqueue(Task.of("fail"), queue("critical"), maxRetry(3));
      client.enqueue(Task.of("block"), queue("critical"));
      worker.start(mux);
      Eventually.until(
          "critical: 1 active, 1 completed, 1 retry",
          () -> {
            var q = inspector.queueInfo("critical");
            return q.active() == 1 && q.completed() == 1 && q.retry() == 1;
          });
      clock.advance(Duration.ofSeconds(32));
      exporter(inspector).refreshNow();
      release.countDown();
    }

    Map<String, PromText.Family> m = scrape();

    assertThat(m.keySet())
        .containsExactly(
            "asynq_queue_latency_seconds",
            "asynq_queue_memory_usage_approx_bytes",
            "asynq_queue_paused_total",
            "asynq_queue_size",
            "asynq_tasks_enqueued_total",
            "asynq_tasks_failed_total",
            "asynq_tasks_processed_total",
            "jasynq_exporter_last_refresh_timestamp_seconds",
            "jasynq_exporter_refresh_errors_total");
    family(
        m,
        "asynq_tasks_enqueued_total",
        "gauge",
        "Number of tasks enqueued; broken down by queue and state.");
    family(m, "asynq_queue_size", "gauge", "Number of tasks in a queue");
    family(
        m,
        "asynq_queue_latency_seconds",
        "gauge",
        "Number of seconds the oldest pending task is waiting in pending state to be processed.");
    family(
        m,
        "asynq_queue_memory_usage_approx_bytes",
        "gauge",
        "Number of memory used by a given queue (approximated number by sampling).");
    family(
        m,
        "asynq_tasks_processed_total",
        "counter",
        "Number of tasks processed (both succeeded and failed); broken down by queue");
    family(
        m, "asynq_tasks_failed_total", "counter", "Number of tasks failed; broken down by queue");
    family(m, "asynq_queue_paused_total", "gauge", "Number of queues paused");

    PromText.Family enqueued = m.get("asynq_tasks_enqueued_total");
    assertThat(enqueued.samples()).hasSize(3 * STATES.size());
    assertThat(enqueued.samples())
        .allSatisfy(
            s -> assertThat(s.labels().keySet()).containsExactlyInAnyOrder("queue", "state"));
    assertStates(enqueued, "default", 0, 1, 0, 2, 0, 1);
    assertStates(enqueued, "critical", 1, 0, 1, 0, 1, 0);
    assertStates(enqueued, "low", 0, 0, 0, 1, 0, 0);
    perQueue(m, "asynq_queue_size", Map.of("default", 4.0, "critical", 3.0, "low", 1.0));
    perQueue(
        m, "asynq_queue_latency_seconds", Map.of("default", 42.0, "critical", 0.0, "low", 32.0));
    perQueue(m, "asynq_queue_paused_total", Map.of("default", 0.0, "critical", 0.0, "low", 1.0));
    perQueue(m, "asynq_tasks_processed_total", Map.of("default", 0.0, "critical", 2.0, "low", 0.0));
    perQueue(m, "asynq_tasks_failed_total", Map.of("default", 0.0, "critical", 1.0, "low", 0.0));
    assertThat(m.get("asynq_queue_memory_usage_approx_bytes").value("queue", "critical"))
        .isPositive();
    for (String q : List.of("default", "low")) { // unchanged since the snapshot
      assertThat(m.get("asynq_queue_memory_usage_approx_bytes").value("queue", q))
          .isEqualTo(inspector.queueInfo(q).memoryUsageBytes())
          .isPositive();
    }
    assertThat(m.get("jasynq_exporter_refresh_errors_total").value()).isZero();
    assertThat(m.get("jasynq_exporter_last_refresh_timestamp_seconds").value())
        .isEqualTo(clock.instant().getEpochSecond());
  }

  @Test
  void leavesOutTheMemoryGaugeWhereRedisRefusesTheEstimate() {
    client.enqueue(Task.of("t"), queue("default"));
    redis.aclSetUser("nomemory", List.of("reset", "on", ">pw", "~*", "&*", "+@all", "-memory"));
    String uri = "redis://nomemory:pw@" + server.host() + ":" + server.port();
    try (Inspector limited = Inspector.builder().uri(uri).clock(clock).build()) {
      exporter(limited).refreshNow();
      Map<String, PromText.Family> m = scrape();

      assertThat(m).doesNotContainKey("asynq_queue_memory_usage_approx_bytes");
      assertThat(m.get("asynq_queue_size").value("queue", "default")).isEqualTo(1);
      assertThat(m.get("jasynq_exporter_refresh_errors_total").value()).isZero();
      exporter.close();
    }
  }

  @Test
  void servesTheLastSnapshotThroughARedisOutageAndCountsTheFailedRefreshes() {
    client.enqueue(Task.of("t"), queue("default"));
    try (var connector =
            io.jasynq.redis.RedisConnector.builder()
                .uri(server.uri())
                .commandTimeout(Duration.ofSeconds(1))
                .build();
        Inspector shortTimeout = Inspector.create(connector)) {
      exporter(shortTimeout).refreshNow();
      String before = asynqBlock(exporter.scrape());
      Instant refreshed = clock.instant();
      clock.advance(Duration.ofMinutes(1));

      server.stop();
      exporter.refreshNow();
      exporter.refreshNow();

      assertThat(asynqBlock(exporter.scrape())).isEqualTo(before).contains("queue=\"default\"");
      Map<String, PromText.Family> m = scrape();
      assertThat(m.get("jasynq_exporter_refresh_errors_total").value()).isEqualTo(2);
      assertThat(m.get("jasynq_exporter_last_refresh_timestamp_seconds").value())
          .isEqualTo(refreshed.getEpochSecond());
      exporter.close();
    }
  }

  @Test
  void aQueueWithBadKeysKeepsItsLastValuesWhileTheOthersMoveOn() {
    client.enqueue(Task.of("t"), queue("good"));
    client.enqueue(Task.of("t"), queue("bad"));
    exporter(inspector).refreshNow();
    redis.commands().del("asynq:{bad}:pending");
    redis.commands().set("asynq:{bad}:pending", "not a list".getBytes());
    client.enqueue(Task.of("t"), queue("good"));

    exporter.refreshNow();

    Map<String, PromText.Family> m = scrape();
    assertThat(m.get("asynq_queue_size").value("queue", "bad")).isEqualTo(1);
    assertThat(m.get("asynq_queue_size").value("queue", "good")).isEqualTo(2);
    assertThat(m.get("jasynq_exporter_refresh_errors_total").value()).isEqualTo(1);
  }

  @Test
  void aQueueUnreadableFromTheStartIsLeftOutAndABadRegistryKeepsEveryQueue() {
    client.enqueue(Task.of("t"), queue("good"));
    client.enqueue(Task.of("t"), queue("bad"));
    redis.commands().del("asynq:{bad}:pending");
    redis.commands().set("asynq:{bad}:pending", "not a list".getBytes());
    exporter(inspector).refreshNow();
    assertThat(scrape().get("asynq_queue_size").samples())
        .extracting(s -> s.labels().get("queue"))
        .containsExactly("good");

    redis.commands().del("asynq:queues");
    redis.commands().set("asynq:queues", "not a set".getBytes());
    exporter.refreshNow();

    Map<String, PromText.Family> m = scrape();
    assertThat(m.get("asynq_queue_size").value("queue", "good")).isEqualTo(1);
    assertThat(m.get("jasynq_exporter_refresh_errors_total").value()).isEqualTo(3);
  }

  @Test
  void refreshesInTheBackgroundAtTheInterval() {
    exporter = PrometheusExporter.builder(inspector).refreshInterval(Duration.ofSeconds(1)).build();
    client.enqueue(Task.of("t"), queue("late"));

    Eventually.until(
        "the background refresh sees the new queue",
        () -> exporter.scrape().contains("asynq_queue_size{queue=\"late\"} 1\n"));
  }

  @Test
  void beforeTheFirstRefreshOnlyTheExporterMetricsAreServed() {
    StringBuilder text = new StringBuilder();
    SnapshotWriter.write(Snapshot.EMPTY, new TextFormat(text));
    Map<String, PromText.Family> m = PromText.parse(text.toString());

    assertThat(m.keySet())
        .containsExactly(
            "jasynq_exporter_last_refresh_timestamp_seconds",
            "jasynq_exporter_refresh_errors_total");
    assertThat(m.get("jasynq_exporter_last_refresh_timestamp_seconds").value()).isZero();
    assertThat(m.get("jasynq_exporter_refresh_errors_total").type()).isEqualTo("counter");
  }

  @Test
  void rejectsARefreshIntervalUnderOneSecondAndNulls() {
    var builder = PrometheusExporter.builder(inspector);
    assertThatThrownBy(() -> builder.refreshInterval(Duration.ofMillis(999)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("refreshInterval must be >= 1 s, was PT0.999S");
    assertThatThrownBy(() -> builder.refreshInterval(null))
        .isInstanceOf(NullPointerException.class)
        .hasMessage("refreshInterval == null");
    assertThatThrownBy(() -> PrometheusExporter.builder(null))
        .isInstanceOf(NullPointerException.class)
        .hasMessage("inspector == null");
    assertThat(builder.refreshInterval(Duration.ofSeconds(1))).isSameAs(builder);
  }

  private static void family(
      Map<String, PromText.Family> m, String name, String type, String help) {
    assertThat(m.get(name).type()).as(name).isEqualTo(type);
    assertThat(m.get(name).help()).as(name).isEqualTo(help);
    assertThat(m.get(name).samples()).allSatisfy(s -> assertThat(s.name()).isEqualTo(name));
  }

  private static void assertStates(PromText.Family f, String queue, long... counts) {
    for (int i = 0; i < STATES.size(); i++) {
      assertThat(f.value("queue", queue, "state", STATES.get(i)))
          .as(queue + " " + STATES.get(i))
          .isEqualTo(counts[i]);
    }
  }

  private static void perQueue(
      Map<String, PromText.Family> m, String name, Map<String, Double> want) {
    assertThat(m.get(name).samples()).hasSize(want.size());
    want.forEach(
        (q, v) -> assertThat(m.get(name).value("queue", q)).as(name + " " + q).isEqualTo(v));
  }

  /** The asynq_* lines of a scrape. */
  static String asynqBlock(String text) {
    return text.lines()
        .filter(l -> l.startsWith("asynq_") || l.matches("# [A-Z]+ asynq_.*"))
        .reduce("", (a, b) -> a + b + "\n");
  }
}

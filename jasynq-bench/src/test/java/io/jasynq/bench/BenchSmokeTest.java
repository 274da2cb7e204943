package io.jasynq.bench;

import static org.assertj.core.api.Assertions.assertThat;

import io.jasynq.testkit.RedisServer;
import io.jasynq.testkit.RedisTest;
import java.io.ByteArrayOutputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Every scenario once, tiny, against a real Redis: the lines parse and the counts add up. */
@RedisTest
class BenchSmokeTest {
  @Test
  void everyScenarioPrintsOneParsableLineWithMatchingCounts(RedisServer server) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    BenchOptions options =
        BenchOptions.parse(
            "--redis",
            server.uri(),
            "--n",
            "200",
            "--latency-n",
            "10",
            "--warmup",
            "100",
            "--dashboard-n",
            "2000",
            "--scenarios",
            String.join(",", Scenarios.names())); // every one, dashboard-1m too

    int failed =
        Bench.run(
            options,
            new PrintStream(out, true, StandardCharsets.UTF_8),
            new PrintStream(OutputStream.nullOutputStream()));

    List<String> lines = out.toString(StandardCharsets.UTF_8).lines().toList();
    assertThat(failed).isZero();
    assertThat(lines).hasSize(Scenarios.names().size());
    for (int i = 0; i < lines.size(); i++) {
      Map<String, Object> line = MiniJson.parseObject(lines.get(i));
      String scenario = Scenarios.names().get(i);
      long expected =
          switch (scenario) {
            case "latency-idle", "latency-idle-go" -> 10;
            case "dashboard-1m" -> 2000; // every archived task scanned by the full search
            default -> 200;
          };
      assertThat(line)
          .containsEntry("scenario", scenario)
          .containsEntry("impl", "jasynq")
          .containsEntry("n", expected)
          .containsKeys("seconds", "ops_per_sec", "redis_calls");
      assertThat(line.get("timed_out")).isEqualTo(false);
      if (scenario.startsWith("enqueue")) {
        assertThat(line).containsEntry("pending_after", 200L).containsEntry("failed", 0L);
      }
      if (scenario.startsWith("process")) {
        assertThat(line).containsEntry("processed_in_redis", 200L);
      }
    }
    Map<String, Object> latency = line(lines, "latency-idle");
    assertThat((Double) latency.get("p50_ms")).isPositive();
    // Written with no wake-up and a 1 s poll: all 10 arrived (n above) well before a poll would
    // have found them is what the scenario measures; here it only has to run.
    assertThat((Double) line(lines, "latency-idle-go").get("p50_ms")).isPositive();
    Map<String, Object> heap = line(lines, "heap-1m");
    assertThat((List<?>) heap.get("samples_mb")).hasSize(10);
    // The observed modes really ran observed: meters registered, spans exported (one create span
    // per preloaded task and one process span per handled task).
    assertThat(line(lines, "process-c100-metrics"))
        .containsEntry("observability", "metrics")
        .doesNotContainKey("spans_exported");
    assertThat((Long) line(lines, "process-c100-metrics").get("meters")).isPositive();
    assertThat(line(lines, "process-c100-tracing")).containsEntry("spans_exported", 400L);
    assertThat(line(lines, "process-c100-observed"))
        .containsEntry("observability", "both")
        .containsEntry("spans_exported", 400L);
    assertThat(line(lines, "process-c100")).containsEntry("observability", "none");
    assertDashboardLine(line(lines, "dashboard-1m"));
  }

  /** The dashboard scenario measured what it says: every endpoint, both sizes, a whole scan. */
  private static void assertDashboardLine(Map<String, Object> dash) {
    assertThat(dash)
        .containsEntry("tasks_per_state", 2000L)
        .containsEntry("baseline_tasks_per_state", 1000L)
        .containsEntry("search_status", "done")
        .containsEntry("search_total", 2000L)
        .containsEntry("search_matches", 0L);
    assertThat(map(dash, "pages"))
        .containsEntry("first", 1L)
        .containsEntry("middle", 20L)
        .containsEntry("last", 40L);
    List<String> endpoints =
        List.of(
            "archived_first",
            "archived_middle",
            "archived_last",
            "pending_middle",
            "pending_last",
            "config",
            "queues",
            "queue");
    for (String key : List.of("http_p50_ms", "http_p99_ms", "baseline_p50_ms", "ratio_p50")) {
      assertThat(map(dash, key)).as(key).containsOnlyKeys(endpoints.toArray(new String[0]));
    }
    assertThat(map(dash, "inspector_p50_ms"))
        .containsOnlyKeys("archived_first", "archived_middle", "archived_last", "queue_info");
    assertThat((Long) (map(dash, "response_bytes")).get("archived_last"))
        .isGreaterThan(50L * 200); // 50 tasks of ~200-byte payloads, previews and all
    assertThat((Double) dash.get("redis_used_memory_mb")).isPositive();
    assertThat((Long) dash.get("ping_during_scan_n")).isPositive();
    // A scan of 2,000 tasks may end before the DELETE lands; either way it stopped.
    assertThat(dash.get("cancel_status")).isIn("cancelled", "done");
  }

  @SuppressWarnings("unchecked")
  private static Map<String, Object> map(Map<String, Object> line, String key) {
    return (Map<String, Object>) line.get(key);
  }

  private static Map<String, Object> line(List<String> lines, String scenario) {
    return lines.stream()
        .map(MiniJson::parseObject)
        .filter(l -> scenario.equals(l.get("scenario")))
        .findFirst()
        .orElseThrow(() -> new AssertionError("no line for " + scenario));
  }

  @Test
  void rejectsUnknownScenariosAndBadNumbersByName() {
    org.assertj.core.api.Assertions.assertThatIllegalArgumentException()
        .isThrownBy(() -> BenchOptions.parse("--scenarios", "nope"))
        .withMessageContaining("unknown scenario 'nope'");
    org.assertj.core.api.Assertions.assertThatIllegalArgumentException()
        .isThrownBy(() -> BenchOptions.parse("--n", "0"))
        .withMessage("--n must be >= 1, was 0");
  }

  @Test
  void theDefaultRunLeavesOutTheTwoMillionTaskDashboardScenario() {
    assertThat(BenchOptions.parse().scenarios())
        .doesNotContain("dashboard-1m")
        .contains("process-c100", "heap-1m");
    assertThat(BenchOptions.parse("--scenarios", "dashboard-1m").scenarios())
        .containsExactly("dashboard-1m");
  }
}

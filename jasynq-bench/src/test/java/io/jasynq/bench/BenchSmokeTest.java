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
            "--redis", server.uri(), "--n", "200", "--latency-n", "10", "--warmup", "100");

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
      long expected = scenario.equals("latency-idle") ? 10 : 200;
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
}

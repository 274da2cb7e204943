package io.jasynq.prometheus;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * docs/grafana/jasynq-dashboard.json imports as a Grafana dashboard and queries only metrics that
 * exist: the exporter's, and jasynq-micrometer's as Prometheus renders them.
 */
class GrafanaDashboardTest {
  private static final Path DASHBOARD = Path.of("..", "docs", "grafana", "jasynq-dashboard.json");

  /** What the exporter writes itself. */
  private static final Set<String> EXPORTER =
      Set.of(
          MetricNames.TASKS_ENQUEUED,
          MetricNames.QUEUE_SIZE,
          MetricNames.QUEUE_LATENCY,
          MetricNames.QUEUE_MEMORY,
          MetricNames.TASKS_PROCESSED,
          MetricNames.TASKS_FAILED,
          MetricNames.QUEUE_PAUSED,
          MetricNames.REFRESH_ERRORS,
          MetricNames.LAST_REFRESH);

  /**
   * jasynq-micrometer's meters in Prometheus form: timers bring _count, _sum and _max, and _bucket
   * once a histogram is enabled.
   */
  private static final Set<String> MICROMETER =
      Stream.concat(
              Stream.of(
                      "jasynq_task_execution_seconds",
                      "jasynq_task_queue_wait_seconds",
                      "jasynq_client_enqueue_seconds")
                  .flatMap(t -> Stream.of(t, t + "_count", t + "_sum", t + "_max", t + "_bucket")),
              Stream.of(
                  "jasynq_task_active_seconds_active_count",
                  "jasynq_tasks_processed_total",
                  "jasynq_tasks_failed_total",
                  "jasynq_tasks_retried_total",
                  "jasynq_tasks_archived_total",
                  "jasynq_tasks_recovered_total",
                  "jasynq_tasks_forwarded_total",
                  "jasynq_redis_errors_total"))
          .collect(Collectors.toSet());

  private static final Set<String> PROMQL_WORDS =
      Set.of(
          "by",
          "without",
          "on",
          "ignoring",
          "group_left",
          "group_right",
          "bool",
          "offset",
          "and",
          "or",
          "unless");
  private static final Pattern IDENTIFIER = Pattern.compile("[a-zA-Z_:][a-zA-Z0-9_:]*");

  private static JsonNode dashboard() throws IOException {
    return new ObjectMapper().readTree(Files.readString(DASHBOARD));
  }

  @Test
  void everyQueryUsesOnlyMetricsThatAreExported() throws IOException {
    List<String> exprs = new ArrayList<>();
    dashboard().findValues("expr").forEach(e -> exprs.add(e.asText()));
    Set<String> used = new TreeSet<>();

    for (String expr : exprs) {
      Set<String> metrics = metrics(expr);
      assertThat(metrics).as(expr).isNotEmpty();
      assertThat(metrics).as(expr).allMatch(n -> EXPORTER.contains(n) || MICROMETER.contains(n));
      used.addAll(metrics);
    }

    assertThat(exprs).hasSizeGreaterThan(20);
    assertThat(used).as("every metric the exporter writes has a panel").containsAll(EXPORTER);
  }

  @Test
  void theDatasourceIsAnInputAndQueueATemplateVariable() throws IOException {
    JsonNode d = dashboard();

    assertThat(d.path("__inputs").get(0).path("name").asText()).isEqualTo("DS_PROMETHEUS");
    assertThat(d.path("__inputs").get(0).path("pluginId").asText()).isEqualTo("prometheus");
    assertThat(d.findValues("datasource"))
        .allSatisfy(ds -> assertThat(ds.path("uid").asText()).isEqualTo("${DS_PROMETHEUS}"));
    JsonNode queue = d.path("templating").path("list").get(0);
    assertThat(queue.path("name").asText()).isEqualTo("queue");
    assertThat(queue.path("query").path("query").asText())
        .isEqualTo("label_values(asynq_queue_size, queue)");
    assertThat(d.path("panels").size()).isGreaterThan(10);
    assertThat(d.path("panels"))
        .allSatisfy(p -> assertThat(p.path("gridPos").path("w").asInt()).isBetween(1, 24));
  }

  @Test
  void theMetricExtractionSeesNamesAndIgnoresLabelsFunctionsAndVariables() {
    assertThat(
            metrics(
                "sum by (queue) (rate(a_total{queue=~\"$queue\", x=\"y{z}\"}[$__rate_interval]))"
                    + " / on (queue) b_count - time() + max without (q) (c) > bool 0.5"))
        .containsExactlyInAnyOrder("a_total", "b_count", "c");
  }

  /** The metric names in a PromQL expression. */
  static Set<String> metrics(String expr) {
    String s =
        expr.replaceAll("\"(\\\\.|[^\"\\\\])*\"", "\"\"")
            .replaceAll("\\{[^}]*}", " ")
            .replaceAll("\\[[^]]*]", " ")
            .replaceAll("\\b(by|without|on|ignoring|group_left|group_right)\\s*\\([^)]*\\)", " ")
            .replaceAll("\\$\\w+", " ");
    Set<String> names = new TreeSet<>();
    Matcher m = IDENTIFIER.matcher(s);
    while (m.find()) {
      String word = m.group();
      boolean call = s.substring(m.end()).stripLeading().startsWith("(");
      boolean number = m.start() > 0 && Character.isDigit(s.charAt(m.start() - 1));
      if (!call && !number && !PROMQL_WORDS.contains(word)) {
        names.add(word);
      }
    }
    return names;
  }
}

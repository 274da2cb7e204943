package io.jasynq.prometheus;

import static io.jasynq.TaskOption.queue;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.jasynq.Client;
import io.jasynq.Inspector;
import io.jasynq.Task;
import io.jasynq.testkit.Leaks;
import io.jasynq.testkit.RedisServer;
import io.jasynq.testkit.RedisTest;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Timer;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.io.IOException;
import java.net.ConnectException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The exporter over HTTP, with a Micrometer registry, and its lifecycle. */
@RedisTest
class ExporterServingTest {
  private final Client client;
  private final Inspector inspector;
  private final HttpClient http = HttpClient.newHttpClient();
  private PrometheusExporter exporter;

  ExporterServingTest(RedisServer server) {
    this.client = Client.connect(server.uri());
    this.inspector = Inspector.connect(server.uri());
  }

  @AfterEach
  void tearDown() {
    if (exporter != null) {
      exporter.close();
    }
    inspector.close();
    client.close();
  }

  private PrometheusExporter.Builder builder() {
    return PrometheusExporter.builder(inspector).refreshInterval(Duration.ofHours(1));
  }

  private HttpResponse<String> send(String method, int port) throws Exception {
    HttpRequest request =
        HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/metrics"))
            .method(method, HttpRequest.BodyPublishers.noBody())
            .build();
    return http.send(request, HttpResponse.BodyHandlers.ofString());
  }

  @Test
  void theStandaloneServerAnswersGetWithTheScrapeAndOtherMethodsWith405() throws Exception {
    client.enqueue(Task.of("t"), queue("default"));
    exporter = builder().build();
    exporter.refreshNow();
    PrometheusExporter.Server server = exporter.serve(new InetSocketAddress("127.0.0.1", 0));

    HttpResponse<String> get = send("GET", server.port());
    HttpResponse<String> post = send("POST", server.port());

    assertThat(server.port()).isPositive();
    assertThat(get.statusCode()).isEqualTo(200);
    assertThat(get.headers().firstValue("Content-Type"))
        .contains("text/plain; version=0.0.4; charset=utf-8");
    assertThat(get.body()).isEqualTo(exporter.scrape());
    assertThat(PromText.parse(get.body()).get("asynq_queue_size").value("queue", "default"))
        .isEqualTo(1);
    assertThat(post.statusCode()).isEqualTo(405);
    assertThat(post.headers().firstValue("Allow")).contains("GET");
    assertThat(Leaks.jasynqThreads())
        .extracting(Thread::getName)
        .contains("jasynq-prometheus", "jasynq-prometheus-http");

    server.close();
    server.close();
    assertThatThrownBy(() -> send("GET", server.port())).isInstanceOf(ConnectException.class);
  }

  @Test
  void appendsTheRegistrysScrapeAndTheWholeTextParses() {
    PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    Counter.builder("jasynq.tasks.processed").tag("queue", "q\"1").register(registry).increment(3);
    Timer.builder("jasynq.task.execution")
        .tag("queue", "default")
        .register(registry)
        .record(Duration.ofMillis(250));
    client.enqueue(Task.of("t"), queue("default"));
    exporter = builder().registry(registry).build();
    exporter.refreshNow();

    Map<String, PromText.Family> m = PromText.parse(exporter.scrape());

    assertThat(m.get("asynq_queue_size").value("queue", "default")).isEqualTo(1);
    assertThat(m.get("jasynq_tasks_processed_total").type()).isEqualTo("counter");
    assertThat(m.get("jasynq_tasks_processed_total").value("queue", "q\"1")).isEqualTo(3);
    assertThat(m.get("jasynq_task_execution_seconds").type()).isEqualTo("summary");
    assertThat(m.get("jasynq_task_execution_seconds").samples())
        .extracting(PromText.Sample::name)
        .contains("jasynq_task_execution_seconds_count", "jasynq_task_execution_seconds_sum");
    exporter.close();
    assertThat(registry.isClosed()).as("the registry is borrowed").isFalse();
    registry.close();
  }

  @Test
  void closeStopsEveryThreadAndServerButNotTheInspector() throws Exception {
    exporter = builder().build();
    PrometheusExporter.Server server = exporter.serve(new InetSocketAddress("127.0.0.1", 0));
    exporter.refreshNow();

    exporter.close();
    exporter.close();

    assertThat(Leaks.jasynqThreads())
        .extracting(Thread::getName)
        .noneMatch(n -> n.startsWith("jasynq-prometheus"));
    assertThatThrownBy(() -> send("GET", server.port())).isInstanceOf(IOException.class);
    assertThatThrownBy(exporter::scrape)
        .isInstanceOf(IllegalStateException.class)
        .hasMessage("Prometheus exporter is closed");
    assertThatThrownBy(() -> exporter.serve(new InetSocketAddress("127.0.0.1", 0)))
        .isInstanceOf(IllegalStateException.class);
    assertThat(exporter.toString()).contains("closed");
    inspector.ping();
    assertThat(inspector.isClosed()).isFalse();
  }
}

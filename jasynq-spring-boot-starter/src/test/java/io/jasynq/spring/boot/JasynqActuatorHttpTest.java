package io.jasynq.spring.boot;

import static org.assertj.core.api.Assertions.assertThat;

import io.jasynq.Inspector;
import io.jasynq.SkipRetryException;
import io.jasynq.TaskOption;
import io.jasynq.testkit.Eventually;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Import;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/** {@code /actuator/jasynq} and {@code /actuator/health} over HTTP, from a real Tomcat. */
class JasynqActuatorHttpTest {
  private static final JsonMapper JSON = JsonMapper.builder().build();

  @RegisterExtension static final BootRedis redis = new BootRedis();

  /** Succeeds on "ok", fails for good on "bad". */
  static class Outcomes {
    final AtomicInteger done = new AtomicInteger();

    @TaskHandler("ok")
    void ok() {
      done.incrementAndGet();
    }

    @TaskHandler("bad")
    void bad() {
      done.incrementAndGet();
      throw new SkipRetryException("bad task");
    }
  }

  @SpringBootConfiguration
  @EnableAutoConfiguration
  @Import(Outcomes.class)
  static class WebApp {}

  private static ConfigurableApplicationContext runWeb() {
    return redis.runWeb(
        WebApp.class,
        "jasynq.server.shutdown-timeout=1s",
        "management.endpoints.web.exposure.include=health,jasynq",
        "management.endpoint.health.show-details=always",
        Apps.WITHOUT_SPRING_SECURITY);
  }

  private static JsonNode get(HttpClient http, String base, String path) throws Exception {
    HttpResponse<String> response =
        http.send(
            HttpRequest.newBuilder(URI.create(base + path)).GET().build(),
            HttpResponse.BodyHandlers.ofString());
    assertThat(response.statusCode()).as("GET %s: %s", path, response.body()).isEqualTo(200);
    assertThat(response.headers().firstValue("Content-Type"))
        .hasValueSatisfying(type -> assertThat(type).contains("json"));
    return JSON.readTree(response.body());
  }

  private static JsonNode queue(JsonNode stats, String name) {
    for (JsonNode q : stats.get("queues")) {
      if (q.get("name").asString().equals(name)) {
        return q;
      }
    }
    throw new AssertionError("no queue " + name + " in " + stats);
  }

  private static JsonNode jasynqStats(HttpClient http, String base) {
    try {
      return get(http, base, "/actuator/jasynq");
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  @Test
  void endpointAndHealthAnswerOverHttp() throws Exception {
    HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    try (var context = runWeb()) {
      String port = context.getEnvironment().getProperty("local.server.port");
      String base = "http://127.0.0.1:" + port;
      JasynqTemplate template = context.getBean(JasynqTemplate.class);
      Inspector inspector = context.getBean(Inspector.class);
      template.enqueue("ok", "1");
      template.enqueue("ok", "2");
      template.enqueue("bad", "3", TaskOption.maxRetry(5));
      Outcomes outcomes = context.getBean(Outcomes.class);
      Eventually.until("three tasks handled", () -> outcomes.done.get() == 3);
      inspector.pauseQueue("waiting");
      template.enqueue("ok", "4", TaskOption.queue("waiting"));
      template.enqueue(
          "ok", "5", TaskOption.queue("waiting"), TaskOption.processIn(Duration.ofHours(1)));

      Eventually.until(
          "the default queue's counters and the waiting queue's latency",
          () -> {
            JsonNode stats = jasynqStats(http, base);
            return queue(stats, "default").get("processedTotal").asLong() == 3
                && queue(stats, "waiting").get("latencyMillis").asLong() > 0;
          });
      JsonNode stats = get(http, base, "/actuator/jasynq");
      JsonNode main = queue(stats, "default");
      assertThat(main.get("size").asLong()).isEqualTo(1);
      assertThat(main.get("archived").asLong()).isEqualTo(1);
      assertThat(main.get("pending").asLong()).isZero();
      assertThat(main.get("active").asLong()).isZero();
      assertThat(main.get("paused").asBoolean()).isFalse();
      assertThat(main.get("processedToday").asLong()).isEqualTo(3);
      assertThat(main.get("failedToday").asLong()).isEqualTo(1);
      assertThat(main.get("processedTotal").asLong()).isEqualTo(3);
      assertThat(main.get("failedTotal").asLong()).isEqualTo(1);
      JsonNode waiting = queue(stats, "waiting");
      assertThat(waiting.get("paused").asBoolean()).isTrue();
      assertThat(waiting.get("size").asLong()).isEqualTo(2);
      assertThat(waiting.get("pending").asLong()).isEqualTo(1);
      assertThat(waiting.get("scheduled").asLong()).isEqualTo(1);
      assertThat(waiting.get("latencyMillis").asLong()).isPositive();
      assertThat(waiting.get("processedTotal").asLong()).isZero();
      for (String field :
          new String[] {"retry", "completed", "aggregating", "processedToday", "failedToday"}) {
        assertThat(waiting.has(field)).as(field).isTrue();
      }

      JsonNode health = get(http, base, "/actuator/health");
      assertThat(health.get("status").asString()).isEqualTo("UP");
      JsonNode jasynq = health.get("components").get("jasynq");
      assertThat(jasynq).as("jasynq health component in %s", health).isNotNull();
      assertThat(jasynq.get("status").asString()).isEqualTo("UP");
      assertThat(JSON.convertValue(jasynq.get("details"), Map.class))
          .containsEntry("redis", "up")
          .containsEntry("server", "running");
    }
  }

  @Test
  void healthIsServiceUnavailableWithJasynqDownWhileRedisIsStopped() throws Exception {
    HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    try (var context = runWeb()) {
      URI health =
          URI.create(
              "http://127.0.0.1:"
                  + context.getEnvironment().getProperty("local.server.port")
                  + "/actuator/health");
      redis.stop();
      try {
        AtomicReference<HttpResponse<String>> last = new AtomicReference<>();
        Eventually.until(
            Duration.ofSeconds(30),
            "health answers 503",
            () -> {
              try {
                last.set(
                    http.send(
                        HttpRequest.newBuilder(health).build(),
                        HttpResponse.BodyHandlers.ofString()));
              } catch (IOException e) {
                throw new UncheckedIOException(e);
              } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
              }
              return last.get().statusCode() == 503;
            });
        JsonNode body = JSON.readTree(last.get().body());
        assertThat(body.get("components").get("jasynq").get("status").asString()).isEqualTo("DOWN");
      } finally {
        redis.restart();
      }
    }
  }
}

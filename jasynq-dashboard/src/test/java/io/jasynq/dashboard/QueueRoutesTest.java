package io.jasynq.dashboard;

import static io.jasynq.TaskOption.processIn;
import static io.jasynq.TaskOption.queue;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.jasynq.Client;
import io.jasynq.Inspector;
import io.jasynq.Task;
import io.jasynq.testkit.RedisServer;
import io.jasynq.testkit.RedisTest;
import io.jasynq.testkit.TestRedis;
import java.time.Duration;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The queue routes: list, detail with history, pause/resume, delete, daily stats, config. */
@RedisTest
class QueueRoutesTest {
  private Dashboard dashboard;
  private DashboardHttp http;
  private Inspector inspector;

  @BeforeEach
  void start(RedisServer server) {
    dashboard = Dashboard.builder().uri(server.uri()).build();
    http = DashboardHttp.start(dashboard);
    inspector = Inspector.connect(server.uri());
  }

  @AfterEach
  void stop() {
    http.close();
    dashboard.close();
    inspector.close();
  }

  private static void seed(RedisServer server) {
    try (Client client = Client.connect(server.uri())) {
      client.enqueue(Task.of("email:welcome", "{\"user\":1}"));
      client.enqueue(Task.of("email:welcome", "{\"user\":2}"));
      client.enqueue(Task.of("report", "r"), processIn(Duration.ofHours(1)));
      client.enqueue(Task.of("charge", "c"), queue("payments"));
    }
  }

  @Test
  void configTellsTheUiTheModeVersionAndCsrfHeader() {
    JsonNode c = http.get("/api/config").json();
    assertThat(c.get("read_only").asBoolean()).isFalse();
    assertThat(c.get("read_only_queues").isArray()).isTrue();
    assertThat(c.get("read_only_queues")).isEmpty();
    assertThat(c.get("version").asText()).isNotBlank().isNotEqualTo("unknown");
    assertThat(c.get("csrf_header").asText()).isEqualTo("X-CSRF-Token");
  }

  @Test
  void listsQueuesWithAsynqmonSnapshots(RedisServer server) {
    seed(server);
    DashboardHttp.Reply r = http.get("/api/queues");
    assertThat(r.status()).isEqualTo(200);
    assertThat(r.header("Content-Type")).containsIgnoringCase("application/json");
    assertThat(r.header("Content-Type")).containsIgnoringCase("charset=utf-8");
    JsonNode queues = r.json().get("queues");
    assertThat(queues).hasSize(2);
    JsonNode d = queues.get(0);
    assertThat(d.get("queue").asText()).isEqualTo("default");
    assertThat(d.get("size").asLong()).isEqualTo(3);
    assertThat(d.get("pending").asLong()).isEqualTo(2);
    assertThat(d.get("scheduled").asLong()).isEqualTo(1);
    assertThat(d.get("paused").asBoolean()).isFalse();
    for (String field :
        List.of(
            "memory_usage_bytes",
            "groups",
            "latency_msec",
            "display_latency",
            "active",
            "aggregating",
            "retry",
            "archived",
            "completed",
            "processed",
            "succeeded",
            "failed",
            "processed_total",
            "failed_total",
            "timestamp",
            "problems")) {
      assertThat(d.has(field)).as(field).isTrue();
    }
    assertThat(queues.get(1).get("queue").asText()).isEqualTo("payments");
  }

  @Test
  void queueDetailHasTheCurrentSnapshotAndDailyHistory(RedisServer server, TestRedis redis) {
    seed(server);
    String today = LocalDate.now(ZoneOffset.UTC).toString();
    redis.commands().set("asynq:{default}:processed:" + today, "7".getBytes());
    redis.commands().set("asynq:{default}:failed:" + today, "2".getBytes());
    JsonNode q = http.get("/api/queues/default?days=3").json();
    assertThat(q.get("current").get("pending").asLong()).isEqualTo(2);
    assertThat(q.get("current").get("processed").asLong()).isEqualTo(7);
    assertThat(q.get("current").get("succeeded").asLong()).isEqualTo(5);
    JsonNode history = q.get("history");
    assertThat(history).hasSize(3);
    assertThat(history.get(0).get("date").asText()).isEqualTo(today);
    assertThat(history.get(0).get("processed").asLong()).isEqualTo(7);
    assertThat(history.get(0).get("succeeded").asLong()).isEqualTo(5);
    assertThat(history.get(0).get("failed").asLong()).isEqualTo(2);

    assertThat(http.get("/api/queues/default").json().get("history")).hasSize(10);
    DashboardHttp.Reply bad = http.get("/api/queues/default?days=0");
    assertThat(bad.status()).isEqualTo(400);
    assertThat(bad.json().get("error").asText()).isEqualTo("days must be 1..90, was 0");
    DashboardHttp.Reply missing = http.get("/api/queues/nope");
    assertThat(missing.status()).isEqualTo(404);
    assertThat(missing.json().get("error").asText()).contains("nope");
  }

  @Test
  void queueStatsGivesEveryQueuesDays(RedisServer server) {
    seed(server);
    JsonNode stats = http.get("/api/queue_stats").json().get("stats");
    assertThat(stats.get("default")).hasSize(90);
    assertThat(stats.get("payments")).hasSize(90);
    assertThat(http.get("/api/queue_stats?days=7").json().get("stats").get("default")).hasSize(7);
    assertThat(http.get("/api/queue_stats?days=30").json().get("stats").get("default")).hasSize(30);
    DashboardHttp.Reply bad = http.get("/api/queue_stats?days=week");
    assertThat(bad.status()).isEqualTo(400);
    assertThat(bad.json().get("error").asText())
        .isEqualTo("days must be an integer 1..90, was \"week\"");
  }

  @Test
  void pauseResumeAndDeleteChangeRedis(RedisServer server) {
    seed(server);
    assertThat(http.post("/api/queues/default:pause", null).status()).isEqualTo(204);
    assertThat(inspector.queueInfo("default").paused()).isTrue();
    assertThat(http.get("/api/queues").json().get("queues").get(0).get("paused").asBoolean())
        .isTrue();
    assertThat(http.post("/api/queues/default:resume", null).status()).isEqualTo(204);
    assertThat(inspector.queueInfo("default").paused()).isFalse();

    DashboardHttp.Reply notEmpty = http.delete("/api/queues/payments");
    assertThat(notEmpty.status()).isEqualTo(400);
    assertThat(inspector.queues()).contains("payments");
    assertThat(http.delete("/api/queues/payments?force=true").status()).isEqualTo(204);
    assertThat(inspector.queues()).containsExactly("default");
    assertThat(http.delete("/api/queues/payments?force=true").status()).isEqualTo(404);
    assertThat(http.post("/api/queues/nope:pause", null).status()).isEqualTo(404);
    DashboardHttp.Reply bad = http.delete("/api/queues/default?force=yes");
    assertThat(bad.status()).isEqualTo(400);
    assertThat(bad.json().get("error").asText())
        .isEqualTo("force must be true or false, was \"yes\"");
  }

  @Test
  void unknownRoutesAre404AndWrongVerbs405() {
    assertThat(http.get("/api/nothing").status()).isEqualTo(404);
    DashboardHttp.Reply r = http.post("/api/queues", "{}");
    assertThat(r.status()).isEqualTo(405);
    assertThat(r.json().get("error").asText()).contains("GET");
    List<String> none = new ArrayList<>();
    assertThat(http.get("/api/queues").json().get("queues")).isEmpty();
    assertThat(none).isEmpty();
  }
}

package io.jasynq.dashboard;

import static io.jasynq.TaskOption.processIn;
import static io.jasynq.TaskOption.queue;
import static io.jasynq.TaskOption.taskId;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.jasynq.Client;
import io.jasynq.Inspector;
import io.jasynq.Task;
import io.jasynq.TaskState;
import io.jasynq.redis.RedisConnector;
import io.jasynq.testkit.Eventually;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The API on a Redis topology other than a standalone server: each subclass gives the topology's
 * URI and two queue names (on a cluster, on different masters) and checks {@code /api/redis_info}.
 * The dashboard borrows a {@link RedisConnector} the test owns, as an application would.
 */
abstract class TopologyRoutesCases {
  private RedisConnector connector;
  private Dashboard dashboard;
  private DashboardHttp http;
  private Inspector inspector;

  /** The topology's Redis URI. */
  protected abstract String uri();

  /** Two queue names; on a cluster their slots are on different masters. */
  protected abstract List<String> queues();

  /** Checks {@code GET /api/redis_info} for this topology, with the two queues registered. */
  protected abstract void checkRedisInfo(JsonNode info, Inspector inspector);

  @BeforeEach
  void start() {
    connector = RedisConnector.create(uri());
    dashboard = Dashboard.builder().connector(connector).build();
    http = DashboardHttp.start(dashboard);
    inspector = Inspector.connect(uri());
    String a = queues().get(0);
    String b = queues().get(1);
    try (Client client = Client.connect(uri())) {
      for (String q : queues()) {
        client.enqueue(Task.of("email:welcome", "{\"q\":\"" + q + "\"}"), queue(q), taskId("p1"));
        client.enqueue(Task.of("report", "r"), queue(q), taskId("p2"));
        client.enqueue(
            Task.of("report", "later"), queue(q), taskId("s1"), processIn(Duration.ofHours(1)));
        client.enqueue(Task.of("cleanup"), queue(q), taskId("a1"));
        inspector.archiveTask(q, "a1");
      }
      client.enqueue(Task.of("only-a", "x"), queue(a), taskId("a-only"));
      client.enqueue(Task.of("only-b", "y"), queue(b), taskId("b-only"));
    }
  }

  @AfterEach
  void stop() {
    http.close();
    dashboard.close();
    inspector.close();
    connector.close();
  }

  private static List<String> ids(JsonNode list, String field) {
    List<String> out = new ArrayList<>();
    list.forEach(t -> out.add(t.get(field).asText()));
    return out;
  }

  @Test
  void listsShowsFindsAndActsOnTasksInBothQueues() {
    String a = queues().get(0);
    String b = queues().get(1);
    JsonNode queues = http.get("/api/queues").json().get("queues");
    assertThat(ids(queues, "queue")).containsExactlyInAnyOrder(a, b);
    for (JsonNode q : queues) {
      assertThat(q.get("pending").asLong()).as(q.toString()).isEqualTo(3);
      assertThat(q.get("scheduled").asLong()).isEqualTo(1);
      assertThat(q.get("archived").asLong()).isEqualTo(1);
      assertThat(q.get("size").asLong()).isEqualTo(5);
      assertThat(q.get("problems")).isEmpty();
    }
    assertThat(http.get("/api/queues/" + b).json().get("current").get("pending").asLong())
        .isEqualTo(3);

    JsonNode pending = http.get("/api/queues/" + a + "/pending_tasks").json();
    assertThat(ids(pending.get("tasks"), "id")).containsExactly("p1", "p2", "a-only");
    assertThat(pending.get("stats").get("queue").asText()).isEqualTo(a);
    JsonNode p1 = pending.get("tasks").get(0);
    assertThat(p1.get("payload_format").asText()).isEqualTo("json");
    assertThat(p1.get("payload").asText()).isEqualTo("{\"q\":\"" + a + "\"}");
    assertThat(p1.get("queue").asText()).isEqualTo(a);
    JsonNode scheduled = http.get("/api/queues/" + b + "/scheduled_tasks").json().get("tasks");
    assertThat(ids(scheduled, "id")).containsExactly("s1");
    assertThat(scheduled.get(0).get("next_process_at").asText()).endsWith("Z");
    assertThat(ids(http.get("/api/queues/" + b + "/archived_tasks").json().get("tasks"), "id"))
        .containsExactly("a1");

    JsonNode one = http.get("/api/queues/" + b + "/tasks/b-only").json();
    assertThat(one.get("type").asText()).isEqualTo("only-b");
    assertThat(one.get("state").asText()).isEqualTo("pending");
    JsonNode matches = http.get("/api/tasks/p1").json().get("matches");
    assertThat(ids(matches, "queue")).containsExactlyInAnyOrder(a, b);
    assertThat(ids(http.get("/api/tasks/a-only").json().get("matches"), "queue"))
        .containsExactly(a);
    assertThat(http.get("/api/tasks/none-such").status()).isEqualTo(404);

    assertThat(http.post("/api/queues/" + a + "/pending_tasks/p2:archive", null).status())
        .isEqualTo(204);
    assertThat(inspector.taskInfo(a, "p2").state()).isEqualTo(TaskState.ARCHIVED);
    assertThat(http.post("/api/queues/" + b + "/archived_tasks/a1:run", null).status())
        .isEqualTo(204);
    assertThat(inspector.taskInfo(b, "a1").state()).isEqualTo(TaskState.PENDING);
    assertThat(http.post("/api/queues/" + b + "/scheduled_tasks/s1:run", null).status())
        .isEqualTo(204);
    assertThat(inspector.taskInfo(b, "s1").state()).isEqualTo(TaskState.PENDING);
    assertThat(http.delete("/api/queues/" + a + "/archived_tasks/a1").status()).isEqualTo(204);
    assertThat(inspector.queueInfo(a).archived()).isEqualTo(1); // p2 only
    assertThat(http.post("/api/queues/" + b + ":pause", null).status()).isEqualTo(204);
    assertThat(inspector.queueInfo(b).paused()).isTrue();

    DashboardHttp.Reply started =
        http.post(
            "/api/queues/" + b + "/searches",
            "{\"state\":\"pending\",\"query\":\"report\",\"in\":\"type\"}");
    assertThat(started.status()).as(started.toString()).isEqualTo(202);
    String path = "/api/searches/" + started.json().get("id").asText();
    Eventually.until(
        path + " to finish", () -> !http.get(path).json().get("status").asText().equals("running"));
    JsonNode search = http.get(path).json();
    assertThat(search.get("status").asText()).as(search.toString()).isEqualTo("done");
    assertThat(search.get("total").asLong()).isEqualTo(5);
    assertThat(ids(search.get("matches"), "id")).containsExactlyInAnyOrder("p2", "s1");
  }

  @Test
  void showsARunningServerAndWhereRedisIs() {
    try (Workers w = Workers.start(uri(), inspector)) {
      JsonNode servers = http.get("/api/servers").json().get("servers");
      assertThat(servers).hasSize(1);
      JsonNode s = servers.get(0);
      assertThat(s.get("queue_priorities").get(Workers.QUEUE).asInt()).isEqualTo(1);
      assertThat(s.get("status").asText()).isEqualTo("active");
      assertThat(s.get("active_workers").get(0).get("task_id").asText()).isEqualTo(Workers.ACTIVE);
      assertThat(s.get("problems")).isEmpty();
      JsonNode active = http.get("/api/queues/" + Workers.QUEUE + "/active_tasks").json();
      assertThat(active.get("tasks").get(0).get("start_time").asText()).endsWith("Z");
      JsonNode done =
          http.get("/api/queues/" + Workers.QUEUE + "/tasks/" + Workers.COMPLETED).json();
      assertThat(done.get("result").asText()).isEqualTo("{\"sent\":true}");

      DashboardHttp.Reply info = http.get("/api/redis_info");
      assertThat(info.status()).as(info.toString()).isEqualTo(200);
      assertThat(info.json().get("address").asText()).isNotBlank();
      checkRedisInfo(info.json(), inspector);
    }
  }
}

package io.jasynq.dashboard;

import static io.jasynq.TaskOption.group;
import static io.jasynq.TaskOption.processIn;
import static io.jasynq.TaskOption.queue;
import static io.jasynq.TaskOption.taskId;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.jasynq.Client;
import io.jasynq.Inspector;
import io.jasynq.Scheduler;
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

  /** What {@code /api/redis_info} and the dashboard's {@code toString()} give as the address. */
  protected abstract String address();

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
        client.enqueue(Task.of("digest", "d"), queue(q), taskId("g1"), group("grp"));
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
      assertThat(q.get("aggregating").asLong()).isEqualTo(1);
      assertThat(q.get("groups").asLong()).isEqualTo(1);
      assertThat(q.get("size").asLong()).isEqualTo(6);
      assertThat(q.get("problems")).isEmpty();
    }
    assertThat(http.get("/api/queues/" + b).json().get("current").get("pending").asLong())
        .isEqualTo(3);
    JsonNode stats = http.get("/api/queue_stats?days=7").json().get("stats");
    assertThat(stats.get(a)).hasSize(7);
    assertThat(stats.get(b)).hasSize(7);
    JsonNode groups = http.get("/api/queues/" + a + "/groups").json().get("groups");
    assertThat(ids(groups, "group")).containsExactly("grp");
    JsonNode aggregating =
        http.get("/api/queues/" + b + "/groups/grp/aggregating_tasks").json().get("tasks");
    assertThat(ids(aggregating, "id")).containsExactly("g1");

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

    JsonNode search =
        http.searchUntilDone(
            "/api/queues/" + b + "/searches",
            "{\"state\":\"pending\",\"query\":\"report\",\"in\":\"type\"}");
    assertThat(search.get("total").asLong()).isEqualTo(5);
    assertThat(ids(search.get("matches"), "id")).containsExactlyInAnyOrder("p2", "s1");

    JsonNode types =
        http.jobUntilDone(
            "/api/queues/" + a + "/type_breakdowns",
            "{\"state\":\"pending\"}",
            "/api/type_breakdowns/");
    assertThat(types.get("types").get("email:welcome").asLong()).isEqualTo(1);
    assertThat(types.get("types").get("only-a").asLong()).isEqualTo(1);
    assertThat(types.get("types").has("report")).isFalse(); // p2 was archived

    assertThat(http.delete("/api/queues/" + a + "?force=true").status()).isEqualTo(204);
    assertThat(inspector.queues()).containsExactly(b);
    assertThat(ids(http.get("/api/queues").json().get("queues"), "queue")).containsExactly(b);
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
      assertThat(info.json().get("address").asText()).isEqualTo(address());
      assertThat(dashboard.toString()).isEqualTo("Dashboard[" + address() + "]");
      // A fresh cluster client learns the replicas at its first topology refresh: until then a
      // queue's nodes are its master alone. Wait until the dashboard's view is whole, then check.
      Eventually.until(
          Duration.ofSeconds(30), // the periodic topology refresh runs every 10 s
          "redis_info shows the whole topology",
          () -> {
            try {
              checkRedisInfo(http.get("/api/redis_info").json(), inspector);
              return true;
            } catch (AssertionError notYet) {
              return false;
            }
          });
      checkRedisInfo(http.get("/api/redis_info").json(), inspector);

      String cancel =
          "/api/queues/" + Workers.QUEUE + "/active_tasks/" + Workers.ACTIVE + ":cancel";
      assertThat(http.post(cancel, null).status()).isEqualTo(204);
      Eventually.until(
          "the cancelled task to leave active",
          () -> inspector.queueInfo(Workers.QUEUE).active() == 0);
    }
  }

  @Test
  void showsARunningSchedulersEntriesAndEvents() {
    try (Scheduler scheduler = Scheduler.connect(uri())) {
      String entry =
          scheduler.register("@every 1s", Task.of("cron:tick", "t"), queue(queues().get(0)));
      scheduler.start();
      http.awaitOneSchedulerEntryWithEvents(entry);
      JsonNode e = http.get("/api/scheduler_entries").json().get("entries").get(0);
      assertThat(e.get("id").asText()).isEqualTo(entry);
      assertThat(e.get("spec").asText()).isEqualTo("@every 1s");
      assertThat(e.get("task_type").asText()).isEqualTo("cron:tick");
      JsonNode event =
          http.get("/api/scheduler_entries/" + entry + "/enqueue_events")
              .json()
              .get("events")
              .get(0);
      String taskId = event.get("task_id").asText();
      JsonNode found = http.get("/api/tasks/" + taskId).json().get("matches").get(0);
      assertThat(found.get("queue").asText()).isEqualTo(queues().get(0));
      assertThat(found.get("type").asText()).isEqualTo("cron:tick");
    }
  }
}

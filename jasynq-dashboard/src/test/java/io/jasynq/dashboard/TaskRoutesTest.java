package io.jasynq.dashboard;

import static io.jasynq.TaskOption.group;
import static io.jasynq.TaskOption.header;
import static io.jasynq.TaskOption.processIn;
import static io.jasynq.TaskOption.queue;
import static io.jasynq.TaskOption.taskId;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.jasynq.Client;
import io.jasynq.Inspector;
import io.jasynq.Page;
import io.jasynq.Task;
import io.jasynq.TaskInfo;
import io.jasynq.TaskNotFoundException;
import io.jasynq.TaskState;
import io.jasynq.testkit.Eventually;
import io.jasynq.testkit.RedisServer;
import io.jasynq.testkit.RedisTest;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.assertj.core.api.Assertions;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Task listings, the single task, and every task action, each checked in Redis. */
@RedisTest
class TaskRoutesTest {
  private Dashboard dashboard;
  private DashboardHttp http;
  private Inspector inspector;

  @BeforeEach
  void start(RedisServer server) {
    dashboard = Dashboard.builder().uri(server.uri()).build();
    http = DashboardHttp.start(dashboard);
    inspector = Inspector.connect(server.uri());
    try (Client client = Client.connect(server.uri())) {
      client.enqueue(
          Task.of("email:welcome", "{\"user\":1,\"tags\":[\"a\"]}"),
          taskId("p1"),
          header("trace", "abc"));
      client.enqueue(Task.of("blob", new byte[] {0, 1, 2, (byte) 0xff}), taskId("p2"));
      client.enqueue(Task.of("report", "plain text"), taskId("s1"), processIn(Duration.ofHours(1)));
      client.enqueue(Task.of("report", "r2"), taskId("s2"), processIn(Duration.ofHours(2)));
      client.enqueue(Task.of("cleanup"), taskId("a1"));
      client.enqueue(Task.of("cleanup"), taskId("a2"));
      client.enqueue(Task.of("digest", "x"), taskId("g1"), group("user-1"));
      client.enqueue(Task.of("digest", "y"), taskId("g2"), group("user-1"));
    }
    inspector.archiveTask("default", "a1");
    inspector.archiveTask("default", "a2");
  }

  @AfterEach
  void stop() {
    http.close();
    dashboard.close();
    inspector.close();
  }

  private List<String> ids(JsonNode list) {
    List<String> out = new ArrayList<>();
    list.get("tasks").forEach(t -> out.add(t.get("id").asText()));
    return out;
  }

  @Test
  void listsEveryStateWithAsynqmonFieldsAndStats(RedisServer server) {
    JsonNode pending = http.get("/api/queues/default/pending_tasks").json();
    assertThat(ids(pending)).containsExactly("p1", "p2");
    assertThat(pending.get("stats").get("pending").asLong()).isEqualTo(2);
    JsonNode p1 = pending.get("tasks").get(0);
    assertThat(p1.get("type").asText()).isEqualTo("email:welcome");
    assertThat(p1.get("state").asText()).isEqualTo("pending");
    assertThat(p1.get("payload").asText()).isEqualTo("{\"user\":1,\"tags\":[\"a\"]}");
    assertThat(p1.get("payload_format").asText()).isEqualTo("json");
    assertThat(p1.get("payload_preview").asText()).contains("\"user\" : 1").contains("\n");
    assertThat(p1.get("payload_size").asInt()).isEqualTo(23);
    assertThat(p1.get("payload_truncated").asBoolean()).isFalse();
    assertThat(p1.get("headers").get("trace").asText()).isEqualTo("abc");
    assertThat(p1.get("start_time").asText()).isEmpty();
    assertThat(p1.get("malformed").asBoolean()).isFalse();
    JsonNode p2 = pending.get("tasks").get(1);
    assertThat(p2.get("payload").asText()).isEqualTo("non-printable bytes");
    assertThat(p2.get("payload_format").asText()).isEqualTo("hex");
    assertThat(p2.get("payload_preview").asText()).startsWith("00000000  00 01 02 ff");

    JsonNode scheduled = http.get("/api/queues/default/scheduled_tasks").json();
    assertThat(ids(scheduled)).containsExactly("s1", "s2");
    assertThat(scheduled.get("tasks").get(0).get("payload_format").asText()).isEqualTo("text");
    assertThat(scheduled.get("tasks").get(0).get("next_process_at").asText()).endsWith("Z");
    assertThat(ids(http.get("/api/queues/default/archived_tasks").json()))
        .containsExactlyInAnyOrder("a1", "a2");

    try (Workers w = Workers.start(server.uri(), inspector)) {
      JsonNode active = http.get("/api/queues/work/active_tasks").json();
      assertThat(ids(active)).containsExactly(Workers.ACTIVE);
      JsonNode a = active.get("tasks").get(0);
      assertThat(a.get("start_time").asText()).isNotIn("", "-").endsWith("Z");
      assertThat(a.get("is_orphaned").asBoolean()).isFalse();
      JsonNode retry = http.get("/api/queues/work/retry_tasks").json().get("tasks").get(0);
      assertThat(retry.get("id").asText()).isEqualTo(Workers.RETRY);
      assertThat(retry.get("error_message").asText()).contains("boom");
      assertThat(retry.get("retried").asInt()).isEqualTo(1);
      assertThat(retry.get("last_failed_at").asText()).endsWith("Z");
      JsonNode done = http.get("/api/queues/work/completed_tasks").json().get("tasks").get(0);
      assertThat(done.get("id").asText()).isEqualTo(Workers.COMPLETED);
      assertThat(done.get("result").asText()).isEqualTo("{\"sent\":true}");
      assertThat(done.get("result_format").asText()).isEqualTo("json");
      assertThat(done.get("ttl_seconds").asLong()).isBetween(1L, 3600L);
      assertThat(done.get("retention_seconds").asLong()).isEqualTo(3600);
      assertThat(done.get("completed_at").asText()).endsWith("Z");

      JsonNode servers = http.get("/api/servers").json().get("servers");
      assertThat(servers).hasSize(1);
      assertThat(servers.get(0).get("queue_priorities").get("work").asInt()).isEqualTo(1);
      assertThat(servers.get(0).get("active_workers").get(0).get("task_id").asText())
          .isEqualTo(Workers.ACTIVE);

      assertThat(
              http.post("/api/queues/work/active_tasks/" + Workers.ACTIVE + ":cancel", null)
                  .status())
          .isEqualTo(204);
      DashboardHttp.Reply batch =
          http.post("/api/queues/work/active_tasks:batch_cancel", "{\"task_ids\":[\"gone\"]}");
      assertThat(batch.json().get("canceled_ids").get(0).asText()).isEqualTo("gone");
      assertThat(batch.json().get("error_ids")).isEmpty();
      assertThat(http.post("/api/queues/default/active_tasks:cancel_all", null).status())
          .isEqualTo(204);
      assertThat(http.post("/api/queues/nope/active_tasks:cancel_all", null).status())
          .isEqualTo(404);
      assertThat(
              http.post("/api/queues/work/retry_tasks/" + Workers.RETRY + ":archive", null)
                  .status())
          .isEqualTo(204);
      assertThat(inspector.taskInfo("work", Workers.RETRY).state()).isEqualTo(TaskState.ARCHIVED);
      assertThat(http.delete("/api/queues/work/completed_tasks/" + Workers.COMPLETED).status())
          .isEqualTo(204);
      assertThat(inspector.queueInfo("work").completed()).isZero();
      Eventually.until(
          "the cancelled task to leave active", () -> inspector.queueInfo("work").active() == 0);
    }
  }

  @Test
  void pagesAndRejectsBadPages() {
    JsonNode page2 = http.get("/api/queues/default/pending_tasks?page_size=1&page=2").json();
    assertThat(ids(page2)).containsExactly("p2");
    DashboardHttp.Reply bad = http.get("/api/queues/default/pending_tasks?page_size=0");
    assertThat(bad.status()).isEqualTo(400);
    assertThat(bad.json().get("error").asText()).isEqualTo("page_size must be 1..1000, was 0");
    assertThat(http.get("/api/queues/default/pending_tasks?page=0").json().get("error").asText())
        .isEqualTo("page must be 1..2147483647, was 0");
    assertThat(http.get("/api/queues/nope/pending_tasks").status()).isEqualTo(404);
    assertThat(http.get("/api/queues/default/weird_tasks").status()).isEqualTo(404);
  }

  @Test
  void oneTaskHasLongPreviewsAndIsFoundByIdAcrossQueues(RedisServer server) {
    StringBuilder big = new StringBuilder("[");
    for (int i = 0; i < 2000; i++) {
      big.append(i).append(',');
    }
    big.append("0]");
    try (Client client = Client.connect(server.uri())) {
      client.enqueue(Task.of("big", big.toString()), taskId("big1"));
      client.enqueue(Task.of("other", "o"), taskId("p1"), queue("second"));
    }
    JsonNode listed = http.get("/api/queues/default/pending_tasks").json().get("tasks").get(2);
    assertThat(listed.get("payload_preview").asText()).hasSize(Payloads.LIST_PREVIEW_CHARS);
    assertThat(listed.get("payload_truncated").asBoolean()).isTrue();
    JsonNode one = http.get("/api/queues/default/tasks/big1").json();
    assertThat(one.get("payload_truncated").asBoolean()).isFalse();
    assertThat(one.get("payload_preview").asText()).contains("1999,").hasSizeGreaterThan(2000);
    assertThat(http.get("/api/queues/default/tasks/nope").status()).isEqualTo(404);

    JsonNode matches = http.get("/api/tasks/p1").json().get("matches");
    assertThat(matches).hasSize(2);
    List<String> queues = new ArrayList<>();
    matches.forEach(m -> queues.add(m.get("queue").asText()));
    assertThat(queues).containsExactlyInAnyOrder("default", "second");
    assertThat(http.get("/api/tasks/none-such").status()).isEqualTo(404);
  }

  @Test
  void singleActionsChangeRedis() {
    assertThat(http.post("/api/queues/default/scheduled_tasks/s1:run", null).status())
        .isEqualTo(204);
    assertThat(inspector.taskInfo("default", "s1").state()).isEqualTo(TaskState.PENDING);
    assertThat(http.post("/api/queues/default/scheduled_tasks/s2:archive", null).status())
        .isEqualTo(204);
    assertThat(inspector.taskInfo("default", "s2").state()).isEqualTo(TaskState.ARCHIVED);
    assertThat(http.post("/api/queues/default/archived_tasks/a1:run", null).status())
        .isEqualTo(204);
    assertThat(inspector.taskInfo("default", "a1").state()).isEqualTo(TaskState.PENDING);
    assertThat(http.delete("/api/queues/default/archived_tasks/a2").status()).isEqualTo(204);
    Assertions.assertThatThrownBy(() -> inspector.taskInfo("default", "a2"))
        .isInstanceOf(TaskNotFoundException.class);
    assertThat(http.post("/api/queues/default/pending_tasks/p1:archive", null).status())
        .isEqualTo(204);
    assertThat(inspector.taskInfo("default", "p1").state()).isEqualTo(TaskState.ARCHIVED);

    DashboardHttp.Reply conflict = http.post("/api/queues/default/archived_tasks/p2:run", null);
    assertThat(conflict.status()).isEqualTo(409);
    assertThat(http.delete("/api/queues/default/pending_tasks/nope").status()).isEqualTo(404);
    assertThat(http.post("/api/queues/default/pending_tasks/p2:run", null).status())
        .isEqualTo(404); // pending tasks have no run route
  }

  @Test
  void batchAndAllActionsChangeRedis() {
    DashboardHttp.Reply r =
        http.post(
            "/api/queues/default/pending_tasks:batch_archive", "{\"task_ids\":[\"p1\",\"nope\"]}");
    assertThat(r.status()).isEqualTo(200);
    assertThat(r.json().get("archived_ids").get(0).asText()).isEqualTo("p1");
    assertThat(r.json().get("error_ids").get(0).asText()).isEqualTo("nope");
    assertThat(inspector.taskInfo("default", "p1").state()).isEqualTo(TaskState.ARCHIVED);

    r = http.post("/api/queues/default/archived_tasks:batch_run", "{\"task_ids\":[\"a1\"]}");
    assertThat(r.json().get("pending_ids").get(0).asText()).isEqualTo("a1");
    assertThat(inspector.taskInfo("default", "a1").state()).isEqualTo(TaskState.PENDING);

    r = http.post("/api/queues/default/archived_tasks:batch_delete", "{\"task_ids\":[\"a2\"]}");
    assertThat(r.json().get("deleted_ids").get(0).asText()).isEqualTo("a2");
    assertThat(r.json().get("failed_ids")).isEmpty();

    assertThat(http.post("/api/queues/default/scheduled_tasks:archive_all", null).status())
        .isEqualTo(204);
    assertThat(inspector.queueInfo("default").scheduled()).isZero();
    assertThat(http.post("/api/queues/default/archived_tasks:run_all", null).status())
        .isEqualTo(204);
    assertThat(inspector.queueInfo("default").archived()).isZero();
    r = http.delete("/api/queues/default/pending_tasks:delete_all");
    assertThat(r.json().get("deleted").asLong()).isEqualTo(5);
    assertThat(inspector.queueInfo("default").pending()).isZero();

    DashboardHttp.Reply bad = http.post("/api/queues/default/pending_tasks:batch_delete", "{}");
    assertThat(bad.status()).isEqualTo(400);
    assertThat(bad.json().get("error").asText()).startsWith("task_ids must be an array of 1..1000");
    bad = http.post("/api/queues/default/pending_tasks:batch_delete", "not json");
    assertThat(bad.status()).isEqualTo(400);
    assertThat(bad.json().get("error").asText()).startsWith("body must be a JSON object");
  }

  @Test
  void groupsAndAggregatingTasks() {
    JsonNode groups = http.get("/api/queues/default/groups").json();
    assertThat(groups.get("groups").get(0).get("group").asText()).isEqualTo("user-1");
    assertThat(groups.get("groups").get(0).get("size").asLong()).isEqualTo(2);
    assertThat(groups.get("stats").get("aggregating").asLong()).isEqualTo(2);
    JsonNode agg = http.get("/api/queues/default/groups/user-1/aggregating_tasks").json();
    assertThat(ids(agg)).containsExactly("g1", "g2");
    assertThat(agg.get("tasks").get(0).get("group").asText()).isEqualTo("user-1");

    String base = "/api/queues/default/groups/user-1/aggregating_tasks";
    assertThat(http.post(base + "/g1:archive", null).status()).isEqualTo(204);
    assertThat(inspector.taskInfo("default", "g1").state()).isEqualTo(TaskState.ARCHIVED);
    assertThat(http.post(base + ":run_all", null).status()).isEqualTo(204);
    assertThat(inspector.taskInfo("default", "g2").state()).isEqualTo(TaskState.PENDING);
    assertThat(http.get("/api/queues/nope/groups").status()).isEqualTo(404);
  }

  @Test
  void pagesBeyondTenThousandTasks(io.jasynq.testkit.TestRedis redis) {
    Seeds.archived(redis, "deep", 10_050);
    JsonNode last = http.get("/api/queues/deep/archived_tasks?page_size=30&page=335").json();
    assertThat(ids(last)).hasSize(30);
    JsonNode tail = http.get("/api/queues/deep/archived_tasks?page_size=30&page=336").json();
    assertThat(ids(tail)).hasSize(0);
    JsonNode after10k = http.get("/api/queues/deep/archived_tasks?page_size=1000&page=11").json();
    assertThat(ids(after10k)).hasSize(50);
    List<TaskInfo> expected = inspector.listTasks("deep", TaskState.ARCHIVED, Page.of(11, 1000));
    assertThat(ids(after10k)).isEqualTo(expected.stream().map(TaskInfo::id).toList());
    assertThat(after10k.get("stats").get("archived").asLong()).isEqualTo(10_050);
  }
}

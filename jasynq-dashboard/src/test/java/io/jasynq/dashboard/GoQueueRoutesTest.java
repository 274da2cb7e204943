package io.jasynq.dashboard;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.jasynq.Inspector;
import io.jasynq.TaskNotFoundException;
import io.jasynq.TaskState;
import io.jasynq.testkit.RedisServer;
import io.jasynq.testkit.RedisTest;
import io.jasynq.testkit.TestRedis;
import io.lettuce.core.SetArgs;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Properties;
import org.assertj.core.api.Assertions;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * A queue written by Go Asynq v0.24.1: the golden dump's queue {@code dump} (its message bytes,
 * hash fields and sorted-set scores, from {@code shared/spec/golden/asynq-v0.24.1-redis-dump.txt}),
 * with the completed task's {@code result} field added as Go's {@code ResultWriter} writes it. The
 * API shows its tasks as asynqmon would, and the actions work on them.
 */
@RedisTest
class GoQueueRoutesTest {
  private static final Properties GOLDEN = golden();

  private static final String PENDING = "bf415da7-1351-4f0f-a141-b79437922470";
  private static final String SCHEDULED = "fixed-id-scheduled";
  private static final String RETRY = "28d03aa4-551d-4ddd-8605-88fa797f6918";
  private static final String ARCHIVED = "ba6d4db5-4f02-45aa-878a-ab02bef29d19";
  private static final String COMPLETED = "a045e926-3086-4f1f-b5db-efbd798ff87e";
  private static final String AGGREGATING = "0f111c92-1eb5-47e3-a453-ac2d01c9df23";
  private static final String ACTIVE = "3449ea8a-3597-4245-a830-507a43b81bcf";
  private static final String SERVER = "vm:4336:665f5675-a670-4507-9f5a-55bf0ef6436b";
  private static final String SCHEDULER = "vm:4373:cbb7062f-16fa-41ac-9e5e-60b1ff02b003";
  private static final String ENTRY = "2758ab45-aaea-4dfb-a92e-fbab690c1fe9";
  private static final String UNIQUE_LOCK =
      "asynq:{dump}:unique:dump:pending:0c821edc24a104d0197c2f87d2fd9383";

  /** When Go's failures and completion happened (the dump's clock). */
  private static final long FAILED_AT = 1795340441L;

  /** The dashboard's "now": ten minutes after the task completed. */
  private static final Instant NOW = Instant.ofEpochSecond(FAILED_AT + 600);

  private final TestRedis redis;
  private Dashboard dashboard;
  private DashboardHttp http;
  private Inspector inspector;

  GoQueueRoutesTest(TestRedis redis) {
    this.redis = redis;
  }

  @BeforeEach
  void start(RedisServer server) {
    seedGoQueue();
    dashboard =
        Dashboard.builder().uri(server.uri()).clock(Clock.fixed(NOW, ZoneOffset.UTC)).build();
    http = DashboardHttp.start(dashboard);
    inspector = Inspector.connect(server.uri());
  }

  @AfterEach
  void stop() {
    http.close();
    dashboard.close();
    inspector.close();
  }

  private static Properties golden() {
    try (InputStream in =
        GoQueueRoutesTest.class.getResourceAsStream("/golden/asynq-v0.24.1.properties")) {
      Properties p = new Properties();
      p.load(in);
      return p;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static byte[] golden(String name) {
    return HexFormat.of().parseHex(GOLDEN.getProperty(name));
  }

  private static byte[] utf8(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }

  /** The task hash as Go left it: msg plus the fields it writes for the state. */
  private void task(String id, String golden, Map<String, String> fields) {
    Map<String, byte[]> hash = new LinkedHashMap<>();
    hash.put("msg", golden(golden));
    fields.forEach((f, v) -> hash.put(f, utf8(v)));
    redis.commands().hset("asynq:{dump}:t:" + id, hash);
  }

  private void seedGoQueue() {
    redis.commands().sadd("asynq:queues", utf8("dump"));
    task(
        PENDING,
        "task.pending_unique",
        Map.of(
            "state", "pending", "pending_since", "1795340445807490227", "unique_key", UNIQUE_LOCK));
    redis.commands().lpush("asynq:{dump}:pending", utf8(PENDING));
    redis.commands().set(UNIQUE_LOCK, utf8(PENDING), SetArgs.Builder.ex(3600));
    task(SCHEDULED, "task.scheduled_custom_id", Map.of("state", "scheduled"));
    redis.commands().zadd("asynq:{dump}:scheduled", 1795344045, utf8(SCHEDULED));
    task(RETRY, "task.retry", Map.of("state", "retry"));
    redis.commands().zadd("asynq:{dump}:retry", 1795344041, utf8(RETRY));
    task(ARCHIVED, "task.archived", Map.of("state", "archived"));
    redis.commands().zadd("asynq:{dump}:archived", FAILED_AT, utf8(ARCHIVED));
    // The dump's handler wrote no result; Go's ResultWriter.Write is HSET <task key> result
    // <bytes>.
    task(
        COMPLETED,
        "task.completed_retention1h",
        Map.of("state", "completed", "result", "{\"ok\":true}"));
    redis.commands().zadd("asynq:{dump}:completed", FAILED_AT + 3600, utf8(COMPLETED));
    task(AGGREGATING, "task.aggregating_grp1", Map.of("state", "aggregating", "group", "grp1"));
    redis.commands().zadd("asynq:{dump}:g:grp1", 1795340445, utf8(AGGREGATING));
    redis.commands().sadd("asynq:{dump}:groups", utf8("grp1"));
    redis.commands().set("asynq:{dump}:processed", utf8("3"));
    redis.commands().set("asynq:{dump}:failed", utf8("2"));
  }

  private JsonNode only(String state) {
    JsonNode tasks = http.get("/api/queues/dump/" + state + "_tasks").json().get("tasks");
    assertThat(tasks).as(state).hasSize(1);
    return tasks.get(0);
  }

  private static void assertCommon(JsonNode t, String id, String state) {
    assertThat(t.get("id").asText()).isEqualTo(id);
    assertThat(t.get("queue").asText()).isEqualTo("dump");
    assertThat(t.get("type").asText()).isEqualTo("dump:" + state);
    assertThat(t.get("state").asText()).isEqualTo(state);
    assertThat(t.get("payload").asText()).isEqualTo("{\"state\":\"" + state + "\"}");
    assertThat(t.get("payload_format").asText()).isEqualTo("json");
    assertThat(t.get("payload_preview").asText()).contains("\"state\" : \"" + state + "\"");
    assertThat(t.get("headers")).as("Go writes no headers").isEmpty();
    assertThat(t.get("malformed").asBoolean()).as(t.toString()).isFalse();
    assertThat(t.get("problems")).isEmpty();
  }

  @Test
  void showsGoTasksInEveryState() {
    JsonNode q = http.get("/api/queues").json().get("queues").get(0);
    assertThat(q.get("queue").asText()).isEqualTo("dump");
    assertThat(q.get("pending").asLong()).isEqualTo(1);
    assertThat(q.get("scheduled").asLong()).isEqualTo(1);
    assertThat(q.get("retry").asLong()).isEqualTo(1);
    assertThat(q.get("archived").asLong()).isEqualTo(1);
    assertThat(q.get("completed").asLong()).isEqualTo(1);
    assertThat(q.get("aggregating").asLong()).isEqualTo(1);
    assertThat(q.get("processed_total").asLong()).isEqualTo(3);
    assertThat(q.get("failed_total").asLong()).isEqualTo(2);
    assertThat(q.get("problems")).isEmpty();

    JsonNode pending = only("pending");
    assertCommon(pending, PENDING, "pending");
    assertThat(pending.get("max_retry").asInt()).isEqualTo(25);
    assertThat(pending.get("timeout_seconds").asLong()).isEqualTo(1800);

    JsonNode scheduled = only("scheduled");
    assertCommon(scheduled, SCHEDULED, "scheduled");
    assertThat(scheduled.get("next_process_at").asText()).isEqualTo("2026-11-22T10:40:45Z");
    assertThat(scheduled.get("error_message").asText()).isEmpty();
    assertThat(scheduled.get("last_failed_at").asText()).isEmpty();

    JsonNode retry = only("retry");
    assertCommon(retry, RETRY, "retry");
    assertThat(retry.get("max_retry").asInt()).isEqualTo(3);
    assertThat(retry.get("retried").asInt()).isEqualTo(1);
    assertThat(retry.get("error_message").asText())
        .isEqualTo("asynqpeer: forced failure for type dump:retry (retry 0)");
    assertThat(retry.get("last_failed_at").asText()).isEqualTo("2026-11-22T09:40:41Z");
    assertThat(retry.get("next_process_at").asText()).isEqualTo("2026-11-22T10:40:41Z");

    JsonNode archived = only("archived");
    assertCommon(archived, ARCHIVED, "archived");
    assertThat(archived.get("max_retry").asInt()).isZero();
    assertThat(archived.get("retried").asInt()).isZero();
    assertThat(archived.get("error_message").asText())
        .isEqualTo("asynqpeer: forced failure for type dump:archived (retry 0)");
    assertThat(archived.get("last_failed_at").asText()).isEqualTo("2026-11-22T09:40:41Z");

    JsonNode completed = http.get("/api/queues/dump/tasks/" + COMPLETED).json();
    assertCommon(completed, COMPLETED, "completed");
    assertThat(completed.get("completed_at").asText()).isEqualTo("2026-11-22T09:40:41Z");
    assertThat(completed.get("retention_seconds").asLong()).isEqualTo(3600);
    assertThat(completed.get("ttl_seconds").asLong()).isEqualTo(3000);
    assertThat(completed.get("result").asText()).isEqualTo("{\"ok\":true}");
    assertThat(completed.get("result_format").asText()).isEqualTo("json");
    assertThat(completed.get("result_size").asInt()).isEqualTo(11);
    assertThat(only("completed").get("id").asText()).isEqualTo(COMPLETED);

    JsonNode agg = http.get("/api/queues/dump/groups/grp1/aggregating_tasks").json();
    assertThat(agg.get("groups").get(0).get("group").asText()).isEqualTo("grp1");
    assertCommon(agg.get("tasks").get(0), AGGREGATING, "aggregating");
    assertThat(agg.get("tasks").get(0).get("group").asText()).isEqualTo("grp1");

    JsonNode found = http.get("/api/tasks/" + RETRY).json().get("matches");
    assertThat(found).hasSize(1);
    assertThat(found.get(0).get("error_message").asText()).contains("forced failure");
    JsonNode search =
        http.searchUntilDone(
            "/api/queues/dump/searches",
            "{\"state\":\"archived\",\"query\":\"\\\"ARCHIVED\\\"\",\"in\":\"payload\"}");
    assertThat(search.get("matches")).hasSize(1);
    assertCommon(search.get("matches").get(0), ARCHIVED, "archived");
  }

  @Test
  void actionsWorkOnGoTasks() {
    assertThat(http.post("/api/queues/dump/archived_tasks/" + ARCHIVED + ":run", null).status())
        .isEqualTo(204);
    assertThat(inspector.taskInfo("dump", ARCHIVED).state()).isEqualTo(TaskState.PENDING);
    assertThat(http.post("/api/queues/dump/retry_tasks/" + RETRY + ":archive", null).status())
        .isEqualTo(204);
    assertThat(inspector.taskInfo("dump", RETRY).state()).isEqualTo(TaskState.ARCHIVED);
    JsonNode archived = only("archived");
    assertThat(archived.get("id").asText()).isEqualTo(RETRY);
    assertThat(archived.get("error_message").asText()).contains("dump:retry");
    assertThat(http.post("/api/queues/dump/scheduled_tasks/" + SCHEDULED + ":run", null).status())
        .isEqualTo(204);
    assertThat(inspector.taskInfo("dump", SCHEDULED).state()).isEqualTo(TaskState.PENDING);
    assertThat(http.delete("/api/queues/dump/completed_tasks/" + COMPLETED).status())
        .isEqualTo(204);
    Assertions.assertThatThrownBy(() -> inspector.taskInfo("dump", COMPLETED))
        .isInstanceOf(TaskNotFoundException.class);
    assertThat(redis.keys("asynq:{dump}:t:" + COMPLETED)).isEmpty();

    assertThat(http.delete("/api/queues/dump/pending_tasks/" + PENDING).status()).isEqualTo(204);
    assertThat(redis.keys("asynq:{dump}:t:" + PENDING)).isEmpty();
    assertThat(redis.keys(UNIQUE_LOCK)).as("Go's unique lock released").isEmpty();

    JsonNode pending = http.get("/api/queues/dump/pending_tasks").json().get("tasks");
    assertThat(pending).hasSize(2);
    pending.forEach(t -> assertThat(t.get("malformed").asBoolean()).isFalse());
  }

  /**
   * The dump's running Go server (holding the active task) and Go scheduler. Go's heartbeats set
   * the expiry scores and the lease to "now + ttl"; here they are set from the test's now.
   */
  private void seedGoServerAndScheduler() {
    long alive = NOW.getEpochSecond() + 30;
    task(ACTIVE, "task.active_timeout10m", Map.of("state", "active"));
    redis.commands().lpush("asynq:{dump}:active", utf8(ACTIVE));
    redis.commands().zadd("asynq:{dump}:lease", alive, utf8(ACTIVE));
    redis.commands().zadd("asynq:servers", alive, utf8("asynq:servers:{" + SERVER + "}"));
    redis.commands().set("asynq:servers:{" + SERVER + "}", golden("server_info"));
    redis.commands().zadd("asynq:workers", alive, utf8("asynq:workers:{" + SERVER + "}"));
    redis.commands().hset("asynq:workers:{" + SERVER + "}", ACTIVE, golden("worker_info"));
    redis.commands().zadd("asynq:schedulers", alive, utf8("asynq:schedulers:{" + SCHEDULER + "}"));
    redis.commands().lpush("asynq:schedulers:{" + SCHEDULER + "}", golden("scheduler_entry"));
    redis
        .commands()
        .zadd("asynq:scheduler_history:" + ENTRY, 1795340446, golden("scheduler_enqueue_event"));
  }

  @Test
  void showsGoServersWorkersAndSchedulers() {
    seedGoServerAndScheduler();
    JsonNode servers = http.get("/api/servers").json().get("servers");
    assertThat(servers).hasSize(1);
    JsonNode s = servers.get(0);
    assertThat(s.get("id").asText()).isEqualTo("665f5675-a670-4507-9f5a-55bf0ef6436b");
    assertThat(s.get("host").asText()).isEqualTo("vm");
    assertThat(s.get("pid").asInt()).isEqualTo(4336);
    assertThat(s.get("concurrency").asInt()).isEqualTo(1);
    assertThat(s.get("queue_priorities").get("dump").asInt()).isEqualTo(1);
    assertThat(s.get("strict_priority_enabled").asBoolean()).isFalse();
    assertThat(s.get("status").asText()).isEqualTo("active");
    assertThat(s.get("start_time").asText()).isEqualTo("2026-11-22T09:40:44.302092478Z");
    assertThat(s.get("active_worker_count").asInt()).isEqualTo(1);
    assertThat(s.get("problems")).isEmpty();
    JsonNode w = s.get("active_workers").get(0);
    assertThat(w.get("task_id").asText()).isEqualTo(ACTIVE);
    assertThat(w.get("queue").asText()).isEqualTo("dump");
    assertThat(w.get("task_type").asText()).isEqualTo("dump:active");
    assertThat(w.get("task_payload").asText()).isEqualTo("{\"state\":\"active\"}");
    assertThat(w.get("start_time").asText()).isEqualTo("2026-11-22T09:40:44.303567458Z");
    assertThat(w.get("deadline").asText()).isEqualTo("2026-11-22T09:50:44.303567348Z");

    JsonNode active = only("active");
    assertCommon(active, ACTIVE, "active");
    assertThat(active.get("start_time").asText()).isEqualTo("2026-11-22T09:40:44.303567458Z");
    assertThat(active.get("deadline").asText()).isEqualTo("2026-11-22T09:50:44.303567348Z");
    assertThat(active.get("timeout_seconds").asLong()).isEqualTo(600);
    assertThat(active.get("is_orphaned").asBoolean()).isFalse();
    assertThat(http.post("/api/queues/dump/active_tasks/" + ACTIVE + ":cancel", null).status())
        .isEqualTo(204);

    JsonNode entries = http.get("/api/scheduler_entries").json().get("entries");
    assertThat(entries).hasSize(1);
    JsonNode e = entries.get(0);
    assertThat(e.get("id").asText()).isEqualTo(ENTRY);
    assertThat(e.get("spec").asText()).isEqualTo("@every 1s");
    assertThat(e.get("task_type").asText()).isEqualTo("dump:cron");
    assertThat(e.get("task_payload").asText()).isEqualTo("tick");
    assertThat(e.get("options").get(0).asText()).isEqualTo("Queue(\"cronq\")");
    assertThat(e.get("next_enqueue_at").asText()).isEqualTo("2026-11-22T09:41:06Z");
    assertThat(e.get("prev_enqueue_at").asText()).isEqualTo("2026-11-22T09:41:05Z");
    assertThat(e.get("problems")).isEmpty();
    JsonNode events =
        http.get("/api/scheduler_entries/" + ENTRY + "/enqueue_events").json().get("events");
    assertThat(events).hasSize(1);
    assertThat(events.get(0).get("task_id").asText())
        .isEqualTo("df5a6f42-a215-4c3b-bbfd-ca48eddcd7c9");
    assertThat(events.get(0).get("enqueued_at").asText()).startsWith("2026-11-22T09:40:46");
    assertThat(events.get(0).get("problems")).isEmpty();
  }
}

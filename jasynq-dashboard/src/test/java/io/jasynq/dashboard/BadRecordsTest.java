package io.jasynq.dashboard;

import static io.jasynq.TaskOption.taskId;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.jasynq.Client;
import io.jasynq.Scheduler;
import io.jasynq.Task;
import io.jasynq.testkit.Poison;
import io.jasynq.testkit.RedisServer;
import io.jasynq.testkit.RedisTest;
import io.jasynq.testkit.TestRedis;
import java.time.Instant;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * A statistic or record that cannot be read never fails a response: hostile records are marked
 * rows, an estimate Redis refuses is null. Plus the scheduler routes.
 */
@RedisTest
class BadRecordsTest {

  @Test
  void hostileRecordsAreMarkedRowsNotFailedPages(RedisServer server, TestRedis redis) {
    try (Client client = Client.connect(server.uri())) {
      client.enqueue(Task.of("good", "{\"ok\":true}"), taskId("good-1"));
    }
    List<Poison.Record> records =
        Poison.into(redis, Instant.now())
            .seed("default", 42, Poison.Kind.values().length, List.of("good-1"));
    Poison.Record noMsg =
        Poison.into(redis, Instant.now())
            .write(Poison.Kind.NO_MSG, "default", 99, "good-1", new Random(1));
    redis.commands().set("asynq:{default}:retry", "not a zset".getBytes());
    try (Dashboard dashboard = Dashboard.builder().uri(server.uri()).build();
        DashboardHttp http = DashboardHttp.start(dashboard)) {
      DashboardHttp.Reply list = http.get("/api/queues/default/pending_tasks?page_size=1000");
      assertThat(list.status()).isEqualTo(200);
      JsonNode tasks = list.json().get("tasks");
      long pendingRecords =
          records.stream()
              .filter(r -> r.id().startsWith("poison-") || r.kind() == Poison.Kind.NON_UTF8_ID)
              .count();
      assertThat(tasks.size()).isGreaterThan(2);
      int malformed = 0;
      for (JsonNode t : tasks) {
        if (t.get("malformed").asBoolean()) {
          malformed++;
          assertThat(t.get("problems")).isNotEmpty();
        }
      }
      assertThat(malformed).isGreaterThanOrEqualTo(5).isLessThanOrEqualTo((int) pendingRecords + 1);
      assertThat(tasks.findValuesAsText("id")).contains("good-1", noMsg.id());

      JsonNode one = http.get("/api/queues/default/tasks/" + noMsg.id()).json();
      assertThat(one.get("malformed").asBoolean()).isTrue();
      assertThat(one.get("problems").get(0).asText()).contains("msg");

      JsonNode q = http.get("/api/queues").json().get("queues").get(0);
      assertThat(q.get("retry").asLong()).isZero();
      assertThat(q.get("problems").toString()).contains("asynq:{default}:retry");
      assertThat(http.get("/api/queues/default/retry_tasks").status()).isEqualTo(200);
      assertThat(http.get("/api/queue_stats?days=7").status()).isEqualTo(200);
    }
  }

  @Test
  void memoryUsageIsNullWhenRedisRefusesMemoryUsage(RedisServer server, TestRedis redis) {
    try (Client client = Client.connect(server.uri())) {
      client.enqueue(Task.of("a", "x"));
    }
    redis.aclSetUser("nomem", List.of("on", ">nomem-pw", "~*", "&*", "+@all", "-memory"));
    String uri = "redis://nomem:nomem-pw@" + server.host() + ":" + server.port();
    try (Dashboard dashboard = Dashboard.builder().uri(uri).build();
        DashboardHttp http = DashboardHttp.start(dashboard)) {
      JsonNode q = http.get("/api/queues").json().get("queues").get(0);
      assertThat(q.get("memory_usage_bytes").isNull()).isTrue();
      assertThat(q.get("pending").asLong()).isEqualTo(1);
      assertThat(q.get("problems")).isNotEmpty();
      assertThat(
              http.get("/api/queues/default")
                  .json()
                  .get("current")
                  .get("memory_usage_bytes")
                  .isNull())
          .isTrue();
    } finally {
      redis.aclDelUser("nomem");
    }
  }

  @Test
  void schedulerEntriesAndTheirEnqueueEvents(RedisServer server) {
    try (Scheduler scheduler = Scheduler.connect(server.uri());
        Dashboard dashboard = Dashboard.builder().uri(server.uri()).build();
        DashboardHttp http = DashboardHttp.start(dashboard)) {
      String entry = scheduler.register("@every 1s", Task.of("tick", "{\"t\":1}"));
      scheduler.start();
      http.awaitOneSchedulerEntryWithEvents(entry);
      JsonNode e = http.get("/api/scheduler_entries").json().get("entries").get(0);
      assertThat(e.get("id").asText()).isEqualTo(entry);
      assertThat(e.get("spec").asText()).isEqualTo("@every 1s");
      assertThat(e.get("task_type").asText()).isEqualTo("tick");
      assertThat(e.get("task_payload").asText()).isEqualTo("{\"t\":1}");
      assertThat(e.get("next_enqueue_at").asText()).endsWith("Z");
      JsonNode ev =
          http.get("/api/scheduler_entries/" + entry + "/enqueue_events?page_size=1")
              .json()
              .get("events");
      assertThat(ev).hasSize(1);
      assertThat(ev.get(0).get("task_id").asText()).isNotBlank();
      assertThat(ev.get(0).get("enqueued_at").asText()).endsWith("Z");
      assertThat(http.get("/api/scheduler_entries/none/enqueue_events").json().get("events"))
          .isEmpty();
    }
  }
}

package io.jasynq.dashboard;

import static io.jasynq.TaskOption.group;
import static io.jasynq.TaskOption.queue;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.jasynq.Client;
import io.jasynq.Inspector;
import io.jasynq.Task;
import io.jasynq.testkit.RedisServer;
import io.jasynq.testkit.RedisTest;
import io.jasynq.testkit.TestRedis;
import java.util.List;
import java.util.Map;
import java.util.OptionalInt;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;

/**
 * A queue's fleet-wide concurrency limit: {@code concurrency_limit} in the one-queue views, and
 * {@code POST /queues/{qname}:limit} to set or clear it, checked in Redis.
 */
@RedisTest
class QueueLimitRoutesTest {
  private static final String KEY = "asynq:{default}:limits";
  private static final String RULE = "concurrency must be an integer 1..2147483647 or null, was ";

  private static void withDashboard(
      RedisServer server, Consumer<Dashboard.Builder> config, Consumer<DashboardHttp> test) {
    Dashboard.Builder b = Dashboard.builder().uri(server.uri());
    config.accept(b);
    try (Dashboard dashboard = b.build();
        DashboardHttp http = DashboardHttp.start(dashboard)) {
      test.accept(http);
    }
  }

  private static void seed(RedisServer server) {
    try (Client client = Client.connect(server.uri())) {
      client.enqueue(Task.of("email:welcome", "{\"user\":1}"));
      client.enqueue(Task.of("digest", "{\"user\":7}"), group("user:7"));
      client.enqueue(Task.of("charge", "c"), queue("payments"));
    }
  }

  /** A snapshot's {@code concurrency_limit} as JSON text ("null" or the number); must be there. */
  private static String limit(JsonNode snapshot) {
    assertThat(snapshot.has("concurrency_limit")).as(snapshot.toString()).isTrue();
    return snapshot.get("concurrency_limit").toString();
  }

  /** {@link #limit} of queue {@code q}'s {@code GET /queues/{qname}}. */
  private static String detailLimit(DashboardHttp http, String q) {
    return limit(http.get("/api/queues/" + q).json().get("current"));
  }

  /** The concurrency_limit of every route that shows queue "default" alone. */
  private static List<String> shownLimits(DashboardHttp http) {
    return List.of(
        detailLimit(http, "default"),
        limit(http.get("/api/queues/default/pending_tasks").json().get("stats")),
        limit(http.get("/api/queues/default/groups").json().get("stats")),
        limit(http.get("/api/queues/default/groups/user:7/aggregating_tasks").json().get("stats")));
  }

  @Test
  void setsShowsAndClearsTheLimitInRedis(RedisServer server, TestRedis redis) {
    seed(server);
    withDashboard(
        server,
        b -> {},
        http -> {
          assertThat(shownLimits(http)).containsExactly("null", "null", "null", "null");

          DashboardHttp.Reply set = http.post("/api/queues/default:limit", "{\"concurrency\":5}");
          assertThat(set.status()).as(set.toString()).isEqualTo(204);
          assertThat(redis.hget(KEY, "concurrency")).isEqualTo("5");
          try (Inspector inspector = Inspector.connect(server.uri())) {
            assertThat(inspector.concurrencyLimit("default")).isEqualTo(OptionalInt.of(5));
          }
          assertThat(shownLimits(http)).containsExactly("5", "5", "5", "5");
          // The overview's list leaves the limit out (one Redis call fewer per queue).
          JsonNode row = http.get("/api/queues").json().get("queues").get(0);
          assertThat(row.get("queue").asText()).isEqualTo("default");
          assertThat(row.has("concurrency_limit")).isFalse();
          // The other queue is not limited.
          assertThat(detailLimit(http, "payments")).isEqualTo("null");

          assertThat(http.post("/api/queues/default:limit", "{\"concurrency\":8}").status())
              .isEqualTo(204);
          assertThat(redis.hget(KEY, "concurrency")).isEqualTo("8");

          DashboardHttp.Reply clear =
              http.post("/api/queues/default:limit", "{\"concurrency\":null}");
          assertThat(clear.status()).as(clear.toString()).isEqualTo(204);
          assertThat(redis.hget(KEY, "concurrency")).isNull();
          assertThat(shownLimits(http)).containsExactly("null", "null", "null", "null");
          // Clearing again is no error.
          assertThat(http.post("/api/queues/default:limit", "{\"concurrency\":null}").status())
              .isEqualTo(204);
        });
  }

  @Test
  void refusesBadLimitsWith400AndChangesNothing(RedisServer server, TestRedis redis) {
    seed(server);
    withDashboard(
        server,
        b -> {},
        http -> {
          assertThat(http.post("/api/queues/default:limit", "{\"concurrency\":3}").status())
              .isEqualTo(204);
          Map<String, String> bad =
              Map.of(
                  "{\"concurrency\":0}", RULE + "0",
                  "{\"concurrency\":-2}", RULE + "-2",
                  "{\"concurrency\":\"x\"}", RULE + "\"x\"",
                  "{\"concurrency\":\"5\"}", RULE + "\"5\"",
                  "{\"concurrency\":2.5}", RULE + "2.5",
                  "{\"concurrency\":3000000000}", RULE + "3000000000",
                  "{\"limit\":5}", RULE + "missing",
                  "{}", RULE + "missing");
          for (Map.Entry<String, String> e : bad.entrySet()) {
            DashboardHttp.Reply r = http.post("/api/queues/default:limit", e.getKey());
            assertThat(r.status()).as(e.getKey() + " -> " + r).isEqualTo(400);
            assertThat(r.json().get("error").asText()).as(e.getKey()).isEqualTo(e.getValue());
          }
          DashboardHttp.Reply empty = http.post("/api/queues/default:limit", null);
          assertThat(empty.status()).isEqualTo(400);
          assertThat(empty.json().get("error").asText()).isEqualTo(RULE + "missing");
          DashboardHttp.Reply malformed =
              http.post("/api/queues/default:limit", "{\"concurrency\":");
          assertThat(malformed.status()).isEqualTo(400);
          assertThat(malformed.json().get("error").asText())
              .startsWith("body must be a JSON object");
          DashboardHttp.Reply array = http.post("/api/queues/default:limit", "[5]");
          assertThat(array.status()).isEqualTo(400);
          assertThat(array.json().get("error").asText()).isEqualTo("body must be a JSON object");

          assertThat(redis.hget(KEY, "concurrency")).isEqualTo("3");
          assertThat(detailLimit(http, "default")).isEqualTo("3");
        });
  }

  @Test
  void anUnknownQueueIs404LikePause(RedisServer server, TestRedis redis) {
    seed(server);
    withDashboard(
        server,
        b -> {},
        http -> {
          DashboardHttp.Reply pause = http.post("/api/queues/nope:pause", null);
          DashboardHttp.Reply limit = http.post("/api/queues/nope:limit", "{\"concurrency\":5}");
          assertThat(limit.status()).as(limit.toString()).isEqualTo(404).isEqualTo(pause.status());
          assertThat(limit.json().get("error").asText())
              .isEqualTo("queue \"nope\" does not exist")
              .isEqualTo(pause.json().get("error").asText());
          assertThat(redis.keys("asynq:{nope}:*")).isEmpty();
          assertThat(http.get("/api/queues/nope").status()).isEqualTo(404);
        });
  }

  @Test
  void readOnlyModeRefusesTheLimit(RedisServer server, TestRedis redis) {
    seed(server);
    withDashboard(
        server,
        b -> b.readOnly(true),
        http -> {
          DashboardHttp.Reply r = http.post("/api/queues/default:limit", "{\"concurrency\":5}");
          assertThat(r.status()).isEqualTo(403);
          assertThat(r.json().get("error").asText())
              .isEqualTo("read-only mode: the dashboard does not change Redis")
              .isEqualTo(http.post("/api/queues/default:pause", null).json().get("error").asText());
          assertThat(redis.hget(KEY, "concurrency")).isNull();
          // Reads still show it.
          assertThat(detailLimit(http, "default")).isEqualTo("null");
        });
  }

  @Test
  void readOnlyQueuesRefuseTheirLimitOnly(RedisServer server, TestRedis redis) {
    seed(server);
    withDashboard(
        server,
        b -> b.readOnlyQueues(List.of("payments")),
        http -> {
          DashboardHttp.Reply r = http.post("/api/queues/payments:limit", "{\"concurrency\":5}");
          assertThat(r.status()).isEqualTo(403);
          assertThat(r.json().get("error").asText())
              .startsWith("read-only queue")
              .contains("payments");
          assertThat(redis.hget("asynq:{payments}:limits", "concurrency")).isNull();
          assertThat(http.post("/api/queues/default:limit", "{\"concurrency\":5}").status())
              .isEqualTo(204);
          assertThat(redis.hget(KEY, "concurrency")).isEqualTo("5");
        });
  }

  @Test
  void aLimitThatCannotBeReadIsAProblemNotAFailure(RedisServer server, TestRedis redis) {
    seed(server);
    redis.commands().set(KEY, "not a hash".getBytes());
    withDashboard(
        server,
        b -> {},
        http -> {
          DashboardHttp.Reply r = http.get("/api/queues/default");
          assertThat(r.status()).as(r.toString()).isEqualTo(200);
          JsonNode current = r.json().get("current");
          assertThat(limit(current)).isEqualTo("null");
          assertThat(current.get("pending").asLong()).isEqualTo(1);
          assertThat(current.get("problems").toString())
              .contains("cannot read the concurrency limit");
        });
  }
}

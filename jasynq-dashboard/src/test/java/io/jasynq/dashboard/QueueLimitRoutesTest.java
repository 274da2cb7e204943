package io.jasynq.dashboard;

import static io.jasynq.TaskOption.group;
import static io.jasynq.TaskOption.queue;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.jasynq.Client;
import io.jasynq.Inspector;
import io.jasynq.RateLimit;
import io.jasynq.Task;
import io.jasynq.testkit.RedisServer;
import io.jasynq.testkit.RedisTest;
import io.jasynq.testkit.TestRedis;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalInt;
import java.util.function.Consumer;
import java.util.function.Function;
import org.junit.jupiter.api.Test;

/**
 * A queue's fleet-wide concurrency and rate limits: {@code concurrency_limit} and {@code
 * rate_limit} in the one-queue views, and {@code POST /queues/{qname}:limit} to set or clear
 * either, checked in Redis.
 */
@RedisTest
class QueueLimitRoutesTest {
  private static final String KEY = "asynq:{default}:limits";
  private static final String RULE = "concurrency must be an integer 1..2147483647 or null, was ";
  private static final String NEITHER =
      "body must have concurrency (an integer 1..2147483647 or null), rate ({\"tasks\": N,"
          + " \"per_ms\": M, \"burst\": B} or null) or both, was ";
  private static final String RATE_RULE =
      "rate must be an object {\"tasks\": N, \"per_ms\": M, \"burst\": B} or null, was ";
  private static final String RATE_50 = "{\"tasks\":50,\"per_ms\":1000,\"burst\":50}";

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
    return shown(http, QueueLimitRoutesTest::limit);
  }

  /** A snapshot's {@code rate_limit} as JSON text ("null" or the object); must be there. */
  private static String rate(JsonNode snapshot) {
    assertThat(snapshot.has("rate_limit")).as(snapshot.toString()).isTrue();
    return snapshot.get("rate_limit").toString();
  }

  /** {@link #rate} of queue {@code q}'s {@code GET /queues/{qname}}. */
  private static String detailRate(DashboardHttp http, String q) {
    return rate(http.get("/api/queues/" + q).json().get("current"));
  }

  /** The rate_limit of every route that shows queue "default" alone. */
  private static List<String> shownRates(DashboardHttp http) {
    return shown(http, QueueLimitRoutesTest::rate);
  }

  /** {@code field} of the snapshot of every route that shows queue "default" alone. */
  private static List<String> shown(DashboardHttp http, Function<JsonNode, String> field) {
    return List.of(
        field.apply(http.get("/api/queues/default").json().get("current")),
        field.apply(http.get("/api/queues/default/pending_tasks").json().get("stats")),
        field.apply(http.get("/api/queues/default/groups").json().get("stats")),
        field.apply(
            http.get("/api/queues/default/groups/user:7/aggregating_tasks").json().get("stats")));
  }

  /** POSTs {@code body} to queue "default"'s limit route and expects a 204. */
  private static void post204(DashboardHttp http, String body) {
    DashboardHttp.Reply r = http.post("/api/queues/default:limit", body);
    assertThat(r.status()).as(body + " -> " + r).isEqualTo(204);
  }

  /** The rate fields of queue "default" in Redis: rate, per_ms, burst (null when absent). */
  private static List<String> storedRate(TestRedis redis) {
    return Arrays.asList(
        redis.hget(KEY, "rate"), redis.hget(KEY, "per_ms"), redis.hget(KEY, "burst"));
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
                  "{\"limit\":5}", NEITHER + "{\"limit\":5}",
                  "{}", NEITHER + "{}",
                  "{\"concurrency\":5,\"limit\":1}",
                      "body has an unknown field \"limit\"; its fields are concurrency, rate");
          for (Map.Entry<String, String> e : bad.entrySet()) {
            DashboardHttp.Reply r = http.post("/api/queues/default:limit", e.getKey());
            assertThat(r.status()).as(e.getKey() + " -> " + r).isEqualTo(400);
            assertThat(r.json().get("error").asText()).as(e.getKey()).isEqualTo(e.getValue());
          }
          DashboardHttp.Reply empty = http.post("/api/queues/default:limit", null);
          assertThat(empty.status()).isEqualTo(400);
          assertThat(empty.json().get("error").asText()).isEqualTo(NEITHER + "{}");
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
  void setsShowsAndClearsTheRateInRedis(RedisServer server, TestRedis redis) {
    seed(server);
    withDashboard(
        server,
        b -> {},
        http -> {
          assertThat(shownRates(http)).containsExactly("null", "null", "null", "null");

          post204(http, "{\"rate\":{\"tasks\":50,\"per_ms\":1000,\"burst\":80}}");
          assertThat(storedRate(redis)).containsExactly("50", "1000", "80");
          try (Inspector inspector = Inspector.connect(server.uri())) {
            assertThat(inspector.rateLimit("default"))
                .contains(new RateLimit(50, Duration.ofSeconds(1), 80));
          }
          String shown = "{\"tasks\":50,\"per_ms\":1000,\"burst\":80}";
          assertThat(shownRates(http)).containsExactly(shown, shown, shown, shown);
          // The overview's list leaves it out, as the concurrency limit.
          JsonNode row = http.get("/api/queues").json().get("queues").get(0);
          assertThat(row.get("queue").asText()).isEqualTo("default");
          assertThat(row.has("rate_limit")).isFalse();
          assertThat(detailRate(http, "payments")).isEqualTo("null");

          // No burst, or a null one: the burst is the tasks.
          post204(http, "{\"rate\":{\"tasks\":10,\"per_ms\":60000}}");
          assertThat(storedRate(redis)).containsExactly("10", "60000", "10");
          assertThat(detailRate(http, "default"))
              .isEqualTo("{\"tasks\":10,\"per_ms\":60000,\"burst\":10}");
          post204(http, "{\"rate\":{\"tasks\":7,\"per_ms\":3600000,\"burst\":null}}");
          assertThat(storedRate(redis)).containsExactly("7", "3600000", "7");

          post204(http, "{\"rate\":null}");
          assertThat(storedRate(redis)).containsExactly(null, null, null);
          assertThat(shownRates(http)).containsExactly("null", "null", "null", "null");
          // Clearing again is no error.
          post204(http, "{\"rate\":null}");
        });
  }

  @Test
  void theRateAndTheConcurrencyLimitChangeApart(RedisServer server, TestRedis redis) {
    seed(server);
    withDashboard(
        server,
        b -> {},
        http -> {
          post204(http, "{\"concurrency\":5}");
          post204(http, "{\"rate\":" + RATE_50 + "}");
          assertThat(redis.hget(KEY, "concurrency")).isEqualTo("5");
          assertThat(detailLimit(http, "default")).isEqualTo("5");

          // A body without rate leaves the rate alone, and the other way round.
          post204(http, "{\"concurrency\":7}");
          assertThat(storedRate(redis)).containsExactly("50", "1000", "50");
          post204(http, "{\"concurrency\":null}");
          assertThat(redis.hget(KEY, "concurrency")).isNull();
          assertThat(storedRate(redis)).containsExactly("50", "1000", "50");
          assertThat(detailRate(http, "default")).isEqualTo(RATE_50);
          post204(http, "{\"concurrency\":4}");
          post204(http, "{\"rate\":null}");
          assertThat(redis.hget(KEY, "concurrency")).isEqualTo("4");
          assertThat(storedRate(redis)).containsExactly(null, null, null);
          assertThat(detailLimit(http, "default")).isEqualTo("4");

          // Both in one body.
          post204(http, "{\"concurrency\":3,\"rate\":{\"tasks\":2,\"per_ms\":500}}");
          assertThat(redis.hget(KEY, "concurrency")).isEqualTo("3");
          assertThat(storedRate(redis)).containsExactly("2", "500", "2");
          post204(http, "{\"concurrency\":null,\"rate\":null}");
          assertThat(redis.hgetAll(KEY)).isEmpty();
          assertThat(shownLimits(http)).containsExactly("null", "null", "null", "null");
          assertThat(shownRates(http)).containsExactly("null", "null", "null", "null");
        });
  }

  @Test
  void refusesBadRatesWith400AndChangesNothing(RedisServer server, TestRedis redis) {
    seed(server);
    withDashboard(
        server,
        b -> {},
        http -> {
          post204(http, "{\"concurrency\":3,\"rate\":" + RATE_50 + "}");
          String tasks = "rate.tasks must be an integer 1..2147483647, was ";
          String perMs = "rate.per_ms must be an integer 1..2147483647, was ";
          String burst = "rate.burst must be an integer 1..2147483647 or absent, was ";
          Map<String, String> bad = new LinkedHashMap<>();
          bad.put("{\"rate\":{\"tasks\":0,\"per_ms\":1000}}", tasks + "0");
          bad.put("{\"rate\":{\"tasks\":-1,\"per_ms\":1000}}", tasks + "-1");
          bad.put("{\"rate\":{\"tasks\":\"5\",\"per_ms\":1000}}", tasks + "\"5\"");
          bad.put("{\"rate\":{\"tasks\":2.5,\"per_ms\":1000}}", tasks + "2.5");
          bad.put("{\"rate\":{\"tasks\":3000000000,\"per_ms\":1000}}", tasks + "3000000000");
          bad.put("{\"rate\":{\"per_ms\":1000}}", tasks + "missing");
          bad.put("{\"rate\":{\"tasks\":null,\"per_ms\":1000}}", tasks + "null");
          bad.put("{\"rate\":{\"tasks\":5,\"per_ms\":0}}", perMs + "0");
          bad.put("{\"rate\":{\"tasks\":5}}", perMs + "missing");
          bad.put("{\"rate\":{\"tasks\":5,\"per_ms\":1.5}}", perMs + "1.5");
          bad.put("{\"rate\":{\"tasks\":5,\"per_ms\":1000,\"burst\":0}}", burst + "0");
          bad.put("{\"rate\":{\"tasks\":5,\"per_ms\":1000,\"burst\":\"x\"}}", burst + "\"x\"");
          bad.put(
              "{\"rate\":{\"tasks\":5,\"per_ms\":1000,\"brust\":9}}",
              "rate has an unknown field \"brust\"; its fields are tasks, per_ms, burst");
          bad.put("{\"rate\":5}", RATE_RULE + "5");
          bad.put("{\"rate\":\"50/s\"}", RATE_RULE + "\"50/s\"");
          bad.put("{\"rate\":[50,1000]}", RATE_RULE + "[50,1000]");
          // Each is checked before either is written.
          bad.put("{\"concurrency\":9,\"rate\":{\"tasks\":0,\"per_ms\":1000}}", tasks + "0");
          bad.put("{\"concurrency\":0,\"rate\":{\"tasks\":9,\"per_ms\":1000}}", RULE + "0");
          for (Map.Entry<String, String> e : bad.entrySet()) {
            DashboardHttp.Reply r = http.post("/api/queues/default:limit", e.getKey());
            assertThat(r.status()).as(e.getKey() + " -> " + r).isEqualTo(400);
            assertThat(r.json().get("error").asText()).as(e.getKey()).isEqualTo(e.getValue());
          }

          assertThat(redis.hget(KEY, "concurrency")).isEqualTo("3");
          assertThat(storedRate(redis)).containsExactly("50", "1000", "50");
          assertThat(detailRate(http, "default")).isEqualTo(RATE_50);
        });
  }

  @Test
  void aMalformedStoredRateReadsAsTheDequeueReadsIt(RedisServer server, TestRedis redis) {
    seed(server);
    withDashboard(
        server,
        b -> {},
        http -> {
          // A burst that is not a positive integer: the rate's tasks, as the dequeue scripts.
          redis.commands().hset(KEY, Map.of("rate", b("5"), "per_ms", b("2000"), "burst", b("0")));
          assertThat(detailRate(http, "default"))
              .isEqualTo("{\"tasks\":5,\"per_ms\":2000,\"burst\":5}");
          // A period that is not: no rate limit holds.
          redis.commands().hset(KEY, "per_ms", b("soon"));
          JsonNode current = http.get("/api/queues/default").json().get("current");
          assertThat(rate(current)).isEqualTo("null");
          assertThat(current.get("problems").toString()).doesNotContain("rate limit");
        });
  }

  private static byte[] b(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
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
          DashboardHttp.Reply rate =
              http.post("/api/queues/nope:limit", "{\"rate\":" + RATE_50 + "}");
          assertThat(rate.status()).as(rate.toString()).isEqualTo(404);
          assertThat(rate.json().get("error").asText())
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
          DashboardHttp.Reply rate =
              http.post("/api/queues/default:limit", "{\"rate\":" + RATE_50 + "}");
          assertThat(rate.status()).isEqualTo(403);
          assertThat(rate.json().get("error").asText()).isEqualTo(r.json().get("error").asText());
          assertThat(redis.keys(KEY)).isEmpty();
          // Reads still show them.
          assertThat(detailLimit(http, "default")).isEqualTo("null");
          assertThat(detailRate(http, "default")).isEqualTo("null");
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
          DashboardHttp.Reply rate =
              http.post("/api/queues/payments:limit", "{\"rate\":" + RATE_50 + "}");
          assertThat(rate.status()).isEqualTo(403);
          assertThat(rate.json().get("error").asText()).isEqualTo(r.json().get("error").asText());
          assertThat(redis.keys("asynq:{payments}:limits")).isEmpty();
          post204(http, "{\"concurrency\":5,\"rate\":" + RATE_50 + "}");
          assertThat(redis.hget(KEY, "concurrency")).isEqualTo("5");
          assertThat(storedRate(redis)).containsExactly("50", "1000", "50");
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
          assertThat(rate(current)).isEqualTo("null");
          assertThat(current.get("pending").asLong()).isEqualTo(1);
          assertThat(current.get("problems").toString())
              .contains("cannot read the concurrency limit")
              .contains("cannot read the rate limit");
        });
  }
}

package io.jasynq.dashboard;

import static io.jasynq.TaskOption.taskId;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.jasynq.Client;
import io.jasynq.Task;
import io.jasynq.testkit.Eventually;
import io.jasynq.testkit.FakeClock;
import io.jasynq.testkit.RedisServer;
import io.jasynq.testkit.RedisTest;
import io.jasynq.testkit.TestRedis;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** Searches and type breakdowns: results, limits, the two-at-once cap, cancel, expiry, close. */
@RedisTest
class ScanJobsTest {

  private static JsonNode awaitFinished(DashboardHttp http, String path) {
    Eventually.until(
        path + " to finish", () -> !http.get(path).json().get("status").asText().equals("running"));
    return http.get(path).json();
  }

  private static String start(DashboardHttp http, String path, String body) {
    DashboardHttp.Reply r = http.post(path, body);
    assertThat(r.status()).as(r.toString()).isEqualTo(202);
    return r.json().get("id").asText();
  }

  @Test
  void searchScansEveryPageAndKeepsMatchesUpToTheLimit(RedisServer server, TestRedis redis) {
    Seeds.archived(redis, "deep", 1_200);
    try (Dashboard dashboard = Dashboard.builder().uri(server.uri()).build();
        DashboardHttp http = DashboardHttp.start(dashboard)) {
      String id =
          start(
              http,
              "/api/queues/deep/searches",
              "{\"state\":\"archived\",\"query\":\"\\\"n\\\":11\",\"in\":\"payload\",\"limit\":1000}");
      JsonNode done = awaitFinished(http, "/api/searches/" + id);
      assertThat(done.get("status").asText()).isEqualTo("done");
      assertThat(done.get("scanned").asLong()).isEqualTo(1_200);
      assertThat(done.get("total").asLong()).isEqualTo(1_200);
      List<String> ids = new ArrayList<>();
      done.get("matches").forEach(m -> ids.add(m.get("id").asText()));
      // "n":11, "n":110..119 and "n":1100..1199
      assertThat(ids).hasSize(111).contains("t-00011", "t-00115", "t-01199");
      assertThat(done.get("capped").asBoolean()).isFalse();

      id =
          start(
              http,
              "/api/queues/deep/searches",
              "{\"state\":\"archived\",\"query\":\"BULK\",\"in\":\"type\",\"limit\":5}");
      done = awaitFinished(http, "/api/searches/" + id);
      assertThat(done.get("matches")).hasSize(5);
      assertThat(done.get("capped").asBoolean()).isTrue();

      id =
          start(http, "/api/queues/deep/searches", "{\"state\":\"archived\",\"query\":\"t-0004\"}");
      assertThat(awaitFinished(http, "/api/searches/" + id).get("matches")).hasSize(10);

      for (String[] bad :
          new String[][] {
            {"{\"state\":\"archived\"}", "query must be 1..1000 characters, was missing"},
            {"{\"state\":\"x\",\"query\":\"a\"}", "state must be one of"},
            {"{\"state\":\"archived\",\"query\":\"a\",\"in\":\"id\"}", "in must be one of"},
            {
              "{\"state\":\"archived\",\"query\":\"a\",\"limit\":0}",
              "limit must be an integer 1..1000, was 0"
            }
          }) {
        DashboardHttp.Reply r = http.post("/api/queues/deep/searches", bad[0]);
        assertThat(r.status()).as(bad[0]).isEqualTo(400);
        assertThat(r.json().get("error").asText()).startsWith(bad[1]);
      }
      assertThat(
              http.post("/api/queues/nope/searches", "{\"state\":\"archived\",\"query\":\"a\"}")
                  .status())
          .isEqualTo(404);
      assertThat(http.get("/api/searches/nope").status()).isEqualTo(404);
    }
  }

  @Test
  void typeBreakdownCountsTasksByType(RedisServer server) {
    try (Client client = Client.connect(server.uri())) {
      for (int i = 0; i < 5; i++) {
        client.enqueue(Task.of("email:welcome"), taskId("e" + i));
      }
      client.enqueue(Task.of("report"), taskId("r0"));
    }
    try (Dashboard dashboard = Dashboard.builder().uri(server.uri()).build();
        DashboardHttp http = DashboardHttp.start(dashboard)) {
      String id = start(http, "/api/queues/default/type_breakdowns", "{\"state\":\"pending\"}");
      JsonNode done = awaitFinished(http, "/api/type_breakdowns/" + id);
      assertThat(done.get("status").asText()).isEqualTo("done");
      assertThat(done.get("types").get("email:welcome").asLong()).isEqualTo(5);
      assertThat(done.get("types").get("report").asLong()).isEqualTo(1);
      assertThat(done.get("types").fieldNames().next()).isEqualTo("email:welcome");
      assertThat(done.get("scanned").asLong()).isEqualTo(6);
      // A breakdown is not a search.
      assertThat(http.get("/api/searches/" + id).status()).isEqualTo(404);
    }
  }

  @Test
  void atMostTwoScansRunAndACancelledOneStops(RedisServer server, TestRedis redis)
      throws InterruptedException {
    Seeds.archived(redis, "deep", 1_200);
    CountDownLatch twoWaiting = new CountDownLatch(2);
    CountDownLatch release = new CountDownLatch(1);
    try (Dashboard dashboard =
            Dashboard.builder()
                .uri(server.uri())
                .beforeScanPage(
                    n -> {
                      if (n == 2) {
                        twoWaiting.countDown();
                        awaitQuietly(release);
                      }
                    })
                .build();
        DashboardHttp http = DashboardHttp.start(dashboard)) {
      String body = "{\"state\":\"archived\",\"query\":\"zzz\"}";
      String first = start(http, "/api/queues/deep/searches", body);
      String second = start(http, "/api/queues/deep/type_breakdowns", "{\"state\":\"archived\"}");
      assertThat(twoWaiting.await(10, TimeUnit.SECONDS)).isTrue();
      DashboardHttp.Reply third = http.post("/api/queues/deep/searches", body);
      assertThat(third.status()).isEqualTo(429);
      assertThat(third.json().get("error").asText()).contains("at most 2");
      assertThat(http.get("/api/searches/" + first).json().get("status").asText())
          .isEqualTo("running");
      assertThat(Thread.getAllStackTraces().keySet().stream().map(Thread::getName))
          .contains("jasynq-dashboard-search-1", "jasynq-dashboard-search-2");

      assertThat(http.delete("/api/searches/" + first).status()).isEqualTo(204);
      release.countDown();
      JsonNode cancelled = awaitFinished(http, "/api/searches/" + first);
      assertThat(cancelled.get("status").asText()).isEqualTo("cancelled");
      assertThat(cancelled.get("scanned").asLong()).isEqualTo(ScanJobs.PAGE_SIZE);
      JsonNode breakdown = awaitFinished(http, "/api/type_breakdowns/" + second);
      assertThat(breakdown.get("status").asText()).isEqualTo("done");
      assertThat(breakdown.get("types").get("bulk").asLong()).isEqualTo(1_200);
      assertThat(http.post("/api/queues/deep/searches", body).status()).isEqualTo(202);
    }
  }

  @Test
  void finishedScansAreForgottenAfterTenMinutes(RedisServer server) {
    FakeClock clock = FakeClock.at("2025-01-01T00:00:00Z");
    try (Client client = Client.connect(server.uri())) {
      client.enqueue(Task.of("a"));
    }
    try (Dashboard dashboard = Dashboard.builder().uri(server.uri()).clock(clock).build();
        DashboardHttp http = DashboardHttp.start(dashboard)) {
      String id =
          start(http, "/api/queues/default/searches", "{\"state\":\"pending\",\"query\":\"a\"}");
      awaitFinished(http, "/api/searches/" + id);
      clock.advance(Duration.ofMinutes(9));
      assertThat(http.get("/api/searches/" + id).status()).isEqualTo(200);
      clock.advance(Duration.ofMinutes(2));
      assertThat(http.get("/api/searches/" + id).status()).isEqualTo(404);
    }
  }

  @Test
  void closeCancelsRunningScansAndLeavesNoThread(RedisServer server, TestRedis redis)
      throws InterruptedException {
    Seeds.archived(redis, "deep", 1_200);
    CountDownLatch waiting = new CountDownLatch(1);
    CountDownLatch release = new CountDownLatch(1);
    AtomicInteger pages = new AtomicInteger();
    Dashboard dashboard =
        Dashboard.builder()
            .uri(server.uri())
            .beforeScanPage(
                n -> {
                  pages.incrementAndGet();
                  if (n == 2) {
                    waiting.countDown();
                    awaitQuietly(release);
                  }
                })
            .build();
    try (DashboardHttp http = DashboardHttp.start(dashboard)) {
      start(http, "/api/queues/deep/searches", "{\"state\":\"archived\",\"query\":\"zzz\"}");
      assertThat(waiting.await(10, TimeUnit.SECONDS)).isTrue();
      Thread closer = new Thread(dashboard::close, "test-closer");
      closer.start();
      Eventually.until("the dashboard to be closing", dashboard::isClosed);
      release.countDown();
      closer.join(TimeUnit.SECONDS.toMillis(20));
      assertThat(closer.isAlive()).isFalse();
      assertThat(pages.get()).isEqualTo(2);
      assertThat(Thread.getAllStackTraces().keySet().stream().map(Thread::getName))
          .noneMatch(n -> n.startsWith("jasynq-dashboard-search"));
      assertThat(http.get("/api/config").status()).isEqualTo(503);
      dashboard.close(); // idempotent
      assertThat(dashboard.toString()).endsWith("closed]");
    }
  }

  private static void awaitQuietly(CountDownLatch latch) {
    try {
      latch.await(20, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}

package io.jasynq.dashboard;

import static io.jasynq.TaskOption.queue;
import static io.jasynq.TaskOption.taskId;
import static org.assertj.core.api.Assertions.assertThat;

import io.jasynq.Client;
import io.jasynq.Inspector;
import io.jasynq.Task;
import io.jasynq.TaskState;
import io.jasynq.testkit.RedisServer;
import io.jasynq.testkit.RedisTest;
import java.net.http.HttpRequest;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;

/** Security headers, CSRF, read-only modes, authentication, secrets, and the page's files. */
@RedisTest
class SecurityTest {

  private static void withDashboard(
      RedisServer server, Consumer<Dashboard.Builder> config, Consumer<DashboardHttp> test) {
    Dashboard.Builder b =
        Dashboard.builder().uri(server.uri()).uiRoot("io/jasynq/dashboard/testui/");
    config.accept(b);
    try (Dashboard dashboard = b.build();
        DashboardHttp http = DashboardHttp.start(dashboard)) {
      test.accept(http);
    }
  }

  private static void seed(RedisServer server) {
    try (Client client = Client.connect(server.uri())) {
      client.enqueue(Task.of("a"), taskId("p1"));
      client.enqueue(Task.of("b"), taskId("q1"), queue("payments"));
    }
  }

  private static TaskState state(RedisServer server, String queue, String id) {
    try (Inspector inspector = Inspector.connect(server.uri())) {
      return inspector.taskInfo(queue, id).state();
    }
  }

  private static void assertSecurityHeaders(DashboardHttp.Reply r) {
    assertThat(r.header("Content-Security-Policy")).isEqualTo(Replies.CONTENT_SECURITY_POLICY);
    assertThat(r.header("X-Content-Type-Options")).isEqualTo("nosniff");
    assertThat(r.header("Referrer-Policy")).isEqualTo("no-referrer");
    assertThat(r.header("X-Frame-Options")).isEqualTo("DENY");
  }

  @Test
  void everyResponseCarriesTheSecurityHeaders(RedisServer server) {
    withDashboard(
        server,
        b -> b.authenticator(BasicAuthenticator.of("admin", "pw")),
        http -> {
          DashboardHttp.Reply unauthenticated = http.get("/api/queues");
          assertThat(unauthenticated.status()).isEqualTo(401);
          assertSecurityHeaders(unauthenticated);
        });
    withDashboard(
        server,
        b -> {},
        http -> {
          for (DashboardHttp.Reply r :
              List.of(
                  http.get("/api/queues"),
                  http.get("/api/queues/nope"),
                  http.get("/"),
                  http.get("/missing.js"),
                  http.post("/api/queues/nope:pause", null),
                  http.send(
                      HttpRequest.newBuilder(http.uri("/api/queues/x:pause"))
                          .POST(DashboardHttp.body(null))))) {
            assertSecurityHeaders(r);
          }
        });
  }

  @Test
  void mutationsNeedTheCsrfTokenAndASameHostOrigin(RedisServer server) {
    seed(server);
    withDashboard(
        server,
        b -> {},
        http -> {
          String path = "/api/queues/default/pending_tasks/p1:archive";
          // No cookie yet, no header.
          DashboardHttp.Reply r =
              http.send(HttpRequest.newBuilder(http.uri(path)).POST(DashboardHttp.body(null)));
          assertThat(r.status()).isEqualTo(403);
          assertThat(r.json().get("error").asText()).contains("CSRF").contains("cookie");

          DashboardHttp.Reply first = http.get("/api/config");
          String setCookie = first.header("Set-Cookie");
          assertThat(setCookie)
              .startsWith("jasynq_csrf=")
              .contains("Path=/jobs")
              .contains("SameSite=Strict")
              .doesNotContainIgnoringCase("HttpOnly")
              .doesNotContain("Secure");
          assertThat(http.get("/api/config").header("Set-Cookie")).isNull();

          r = http.send(HttpRequest.newBuilder(http.uri(path)).POST(DashboardHttp.body(null)));
          assertThat(r.status()).isEqualTo(403);
          assertThat(r.json().get("error").asText()).contains("X-CSRF-Token");
          r =
              http.send(
                  HttpRequest.newBuilder(http.uri(path))
                      .header(Csrf.HEADER, http.token() + "x")
                      .POST(DashboardHttp.body(null)));
          assertThat(r.status()).isEqualTo(403);
          r =
              http.send(
                  http.withToken(HttpRequest.newBuilder(http.uri(path)))
                      .header("Origin", "http://evil.example")
                      .POST(DashboardHttp.body(null)));
          assertThat(r.status()).isEqualTo(403);
          assertThat(r.json().get("error").asText()).contains("Origin");
          assertThat(state(server, "default", "p1")).isEqualTo(TaskState.PENDING);

          r =
              http.send(
                  http.withToken(HttpRequest.newBuilder(http.uri(path)))
                      .header("Origin", "http://" + http.host())
                      .POST(DashboardHttp.body(null)));
          assertThat(r.status()).isEqualTo(204);
          assertThat(state(server, "default", "p1")).isEqualTo(TaskState.ARCHIVED);
        });
  }

  @Test
  void readOnlyModeRefusesEveryMutation(RedisServer server) {
    seed(server);
    withDashboard(
        server,
        b -> b.readOnly(true),
        http -> {
          assertThat(http.get("/api/config").json().get("read_only").asBoolean()).isTrue();
          DashboardHttp.Reply r = http.post("/api/queues/default/pending_tasks/p1:archive", null);
          assertThat(r.status()).isEqualTo(403);
          assertThat(r.json().get("error").asText()).startsWith("read-only mode");
          assertThat(http.delete("/api/queues/default?force=true").status()).isEqualTo(403);
          assertThat(state(server, "default", "p1")).isEqualTo(TaskState.PENDING);
          // Reads and searches still work.
          assertThat(http.get("/api/queues").status()).isEqualTo(200);
          assertThat(
                  http.post(
                          "/api/queues/default/searches", "{\"state\":\"pending\",\"query\":\"a\"}")
                      .status())
              .isEqualTo(202);
        });
  }

  @Test
  void readOnlyQueuesRefuseTheirMutationsOnly(RedisServer server) {
    seed(server);
    withDashboard(
        server,
        b -> b.readOnlyQueues(List.of("payments")),
        http -> {
          assertThat(http.get("/api/config").json().get("read_only_queues").get(0).asText())
              .isEqualTo("payments");
          DashboardHttp.Reply r = http.post("/api/queues/payments/pending_tasks/q1:archive", null);
          assertThat(r.status()).isEqualTo(403);
          assertThat(r.json().get("error").asText())
              .startsWith("read-only queue")
              .contains("payments");
          assertThat(state(server, "payments", "q1")).isEqualTo(TaskState.PENDING);
          assertThat(http.post("/api/queues/payments:pause", null).status()).isEqualTo(403);
          assertThat(http.post("/api/queues/default/pending_tasks/p1:archive", null).status())
              .isEqualTo(204);
          assertThat(state(server, "default", "p1")).isEqualTo(TaskState.ARCHIVED);
        });
  }

  @Test
  void basicAuthenticationChallengesAndLetsTheRightUserIn(RedisServer server) {
    withDashboard(
        server,
        b -> b.authenticator(BasicAuthenticator.of("admin", "s3cret")),
        http -> {
          DashboardHttp.Reply r = http.get("/api/queues");
          assertThat(r.status()).isEqualTo(401);
          assertThat(r.header("WWW-Authenticate")).startsWith("Basic realm=\"jasynq\"");
          assertThat(r.json().get("error").asText()).contains("authentication required");
          assertThat(http.get("/").status()).isEqualTo(401);
          for (String creds : List.of("admin:wrong", "root:s3cret", "admin", "")) {
            assertThat(http.send(basic(http, "/api/queues", creds)).status())
                .as(creds)
                .isEqualTo(401);
          }
          assertThat(http.send(basic(http, "/api/queues", "admin:s3cret")).status()).isEqualTo(200);
        });
    assertThat(BasicAuthenticator.of("admin", "s3cret").toString()).doesNotContain("s3cret");
  }

  private static HttpRequest.Builder basic(DashboardHttp http, String path, String creds) {
    return HttpRequest.newBuilder(http.uri(path))
        .header(
            "Authorization",
            "Basic " + Base64.getEncoder().encodeToString(creds.getBytes(StandardCharsets.UTF_8)));
  }

  @Test
  void noResponseShowsTheRedisPassword() {
    String password = "pw-7Hq2-dashboard";
    try (RedisServer secured = RedisServer.builder().password(password).start()) {
      assertThat(secured.uri()).contains(password);
      try (Client client = Client.connect(secured.uri())) {
        client.enqueue(Task.of("a"), taskId("p1"));
      }
      try (Dashboard dashboard = Dashboard.builder().uri(secured.uri()).build();
          DashboardHttp http = DashboardHttp.start(dashboard)) {
        assertThat(dashboard.toString()).doesNotContain(password);
        DashboardHttp.Reply info = http.get("/api/redis_info");
        assertThat(info.status()).isEqualTo(200);
        assertThat(info.json().get("address").asText()).isEqualTo("127.0.0.1:" + secured.port());
        for (String path :
            List.of(
                "/api/redis_info",
                "/api/config",
                "/api/queues",
                "/api/queues/default",
                "/api/queues/default/pending_tasks",
                "/api/servers",
                "/api/scheduler_entries",
                "/api/queues/nope")) {
          assertThat(http.get(path).text()).as(path).doesNotContain(password);
        }
        dashboard.close();
        assertThat(dashboard.toString()).doesNotContain(password).endsWith("closed]");
        assertThat(http.get("/api/queues").status()).isEqualTo(503);
      }
    }
  }

  @Test
  void servesThePageFilesWithTypesEtagsAndNoTraversal(RedisServer server) {
    withDashboard(
        server,
        b -> {},
        http -> {
          DashboardHttp.Reply index = http.get("/");
          assertThat(index.status()).isEqualTo(200);
          assertThat(index.header("Content-Type")).startsWith("text/html");
          assertThat(index.text()).contains("jasynq test page");
          assertThat(index.header("Cache-Control")).isEqualTo("no-cache");
          String etag = index.header("ETag");
          assertThat(etag).startsWith("\"").endsWith("\"");
          assertThat(
                  http.send(HttpRequest.newBuilder(http.uri("/")).header("If-None-Match", etag))
                      .status())
              .isEqualTo(304);
          assertThat(http.get("/app.js").header("Content-Type")).startsWith("text/javascript");
          assertThat(http.get("/assets/site.css").header("Content-Type")).startsWith("text/css");
          assertThat(http.get("/assets").status()).isEqualTo(404);
          assertThat(http.get("/assets/").status()).isEqualTo(404);
          assertThat(http.get("/missing.js").status()).isEqualTo(404);
          assertThat(http.get("/.hidden.js").status()).isEqualTo(404);
          assertThat(http.get("/assets/..%2F..%2Fui%2Findex.html").status()).isIn(400, 404);
          assertThat(http.get("/%2e%2e/%2e%2e/Dashboard.class").status()).isIn(400, 404);
          DashboardHttp.Reply bare =
              http.send(
                  HttpRequest.newBuilder(
                      java.net.URI.create("http://" + http.host() + DashboardHttp.MOUNT)));
          assertThat(bare.status()).isEqualTo(302);
          assertThat(bare.header("Location")).isEqualTo("/jobs/");
        });
  }
}

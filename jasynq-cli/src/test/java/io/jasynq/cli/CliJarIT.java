package io.jasynq.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.jasynq.testkit.RedisBinary;
import io.jasynq.testkit.RedisServer;
import io.jasynq.testkit.RedisTest;
import io.jasynq.testkit.Seed;
import io.jasynq.testkit.TestRedis;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The packaged {@code jasynq-cli.jar}, which ProGuard shrank (unused library classes and members
 * removed), does what the classes it was made from do: each kind of command is run from the jar in
 * a child JVM, and where the output is stable it must equal the in-process run's byte for byte.
 * What shrinking can break is reflection inside the libraries (Jackson, Netty, Lettuce, Jetty,
 * SLF4J, picocli), so every library path a user reaches is crossed at least once: JSON and text
 * output, the YAML config file, the dashboard's server and page, the Prometheus endpoint, TLS, a
 * Server and Client (the demo), the embedded Redis, error reporting with {@code --debug}.
 */
@RedisTest
class CliJarIT {
  private static final Pattern DASHBOARD = Pattern.compile("jasynq dashboard on (http://\\S+/)");
  private static final Pattern METRICS =
      Pattern.compile("serving Prometheus metrics on (http://\\S+/metrics)");

  private final RedisServer server;
  private final TestRedis redis;
  private final HttpClient http = HttpClient.newHttpClient();

  @TempDir Path home;

  private JarCli jar;
  private Cli inProcess;
  private final Ids ids = new Ids();

  CliJarIT(RedisServer server, TestRedis redis) {
    this.server = server;
    this.redis = redis;
  }

  /** One task of each state in queue "jar", two of them aggregating in group "g1". */
  private static final class Ids {
    String pending;
    String scheduled;
    String retry;
    String archived;
    String completed;
    String active;
  }

  @BeforeEach
  void seed() {
    jar = new JarCli(home).env("REDIS_URL", server.uri());
    inProcess = Cli.redis(home, server.uri());
    Instant now = Instant.now();
    Seed.Queue q = Seed.into(redis).queue("jar");
    ids.pending = q.task("email:welcome").payload("{\"to\":\"ada@example.com\"}").pending();
    ids.scheduled = q.task("report").scheduled(now.plusSeconds(3600));
    ids.retry =
        q.task("charge").retried(2).lastError("card declined", now).retry(now.plusSeconds(600));
    ids.archived = q.task("charge").lastError("gave up", now).archived(now);
    ids.completed = q.task("report").completed(now, Duration.ofHours(1));
    ids.active = q.task("resize").active(now.plusSeconds(30));
    q.task("digest").aggregating("g1", now);
    q.task("digest").aggregating("g1", now);
  }

  @Test
  void listsAndInspectsExactlyAsTheClassesDo() {
    for (String state :
        new String[] {
          "pending", "active", "scheduled", "retry", "archived", "completed", "aggregating"
        }) {
      String[] args =
          state.equals("aggregating")
              ? new String[] {"task", "ls", "-q", "jar", "-s", state, "-g", "g1", "--json"}
              : new String[] {"task", "ls", "-q", "jar", "-s", state, "--json"};
      sameAsInProcess(args);
    }
    sameAsInProcess("task", "inspect", "-q", "jar", "-i", ids.retry, "--json");
    sameAsInProcess("task", "inspect", "-q", "jar", "-i", ids.pending, "--full");
    sameAsInProcess("group", "ls", "-q", "jar", "--json");
    sameAsInProcess("group", "ls", "-q", "jar");
    sameAsInProcess("task", "ls", "-q", "jar", "-s", "pending");
    sameAsInProcess("version");
    sameAsInProcess("--help");
    sameAsInProcess("task", "enqueue", "--help");

    JarCli.Result stats = jar.run("stats");
    assertThat(stats.code()).as(stats.toString()).isZero();
    assertThat(stats.out()).contains("Task Count by State").contains("jar").contains("Redis Info");
    JarCli.Result inspect = jar.run("queue", "inspect", "jar", "--json");
    assertThat(inspect.code()).as(inspect.toString()).isZero();
    assertThat(json(inspect).findValuesAsText("queue")).contains("jar");
    JarCli.Result history = jar.run("queue", "history", "jar");
    assertThat(history.code()).as(history.toString()).isZero();
    JarCli.Result servers = jar.run("server", "ls");
    assertThat(servers.code()).as(servers.toString()).isZero();
    JarCli.Result cron = jar.run("cron", "ls");
    assertThat(cron.code()).as(cron.toString()).isZero();
  }

  @Test
  void changesTasksAndQueues() {
    ok("task", "run", "-q", "jar", "-i", ids.archived);
    ok("task", "archive", "-q", "jar", "-i", ids.scheduled);
    ok("task", "delete", "-q", "jar", "-i", ids.retry);
    ok("task", "enqueue", "-t", "from:jar", "-q", "jar2", "--payload", "{\"n\":1}");
    ok("queue", "pause", "jar");

    JsonNode queues = json(ok("queue", "ls", "--json"));
    JsonNode jarQueue = find(queues, "jar");
    assertThat(jarQueue.get("paused").asBoolean()).isTrue();
    assertThat(jarQueue.get("pending").asLong()).isEqualTo(2); // seeded + run from the archive
    assertThat(jarQueue.get("archived").asLong()).isEqualTo(1); // the scheduled one
    assertThat(jarQueue.get("retry").asLong()).isZero();
    assertThat(find(queues, "jar2").get("pending").asLong()).isEqualTo(1);

    ok("queue", "unpause", "jar");
    ok("task", "deleteall", "-q", "jar", "-s", "archived");
    assertThat(find(json(ok("queue", "ls", "--json")), "jar").get("archived").asLong()).isZero();
  }

  @Test
  void readsTheYamlConfigFileAndReportsErrorsWithStackTracesOnDebug() {
    JarCli noEnv = new JarCli(home);
    noEnv.write(".jasynq.yaml", "uri: " + server.uri() + "\n");
    JarCli.Result fromFile = noEnv.run("queue", "ls", "--json");
    assertThat(fromFile.code()).as(fromFile.toString()).isZero();
    assertThat(fromFile.out()).contains("\"queue\" : \"jar\"");

    JarCli.Result refused =
        noEnv.run("stats", "-u", "redis://127.0.0.1:" + Cli.closedPort(), "--debug");
    assertThat(refused.code()).as(refused.toString()).isNotZero();
    assertThat(refused.err()).contains("127.0.0.1").contains("\tat io.jasynq.");

    JarCli.Result usage = noEnv.run("task", "ls", "-q", "jar");
    assertThat(usage.code()).as(usage.toString()).isEqualTo(2);
    assertThat(usage.err()).contains("Missing required option: '--state=STATE'");
  }

  @Test
  void servesTheDashboardAndItsPage() throws Exception {
    try (JarCli.Serving dashboard = jar.serve(DASHBOARD, "dashboard", "--port", "0")) {
      HttpResponse<String> queues = get(dashboard.url() + "api/queues");
      assertThat(queues.statusCode()).as(queues.body()).isEqualTo(200);
      assertThat(queues.body()).contains("\"queue\":\"jar\"");
      HttpResponse<String> tasks = get(dashboard.url() + "api/queues/jar/retry_tasks");
      assertThat(tasks.statusCode()).as(tasks.body()).isEqualTo(200);
      assertThat(tasks.body()).contains(ids.retry).contains("card declined");
      HttpResponse<String> page = get(dashboard.url());
      assertThat(page.statusCode()).isEqualTo(200);
      assertThat(page.body()).contains("src=\"app.js\"");
      HttpResponse<String> script = get(dashboard.url() + "app.js");
      assertThat(script.statusCode()).isEqualTo(200);
      assertThat(script.headers().firstValue("Content-Type"))
          .hasValueSatisfying(t -> assertThat(t).contains("javascript"));
    }
  }

  @Test
  void servesPrometheusMetrics() throws Exception {
    try (JarCli.Serving metrics =
        jar.serve(METRICS, "metrics", "--listen", "127.0.0.1:0", "--interval", "1s")) {
      HttpResponse<String> scrape = get(metrics.url());
      assertThat(scrape.statusCode()).isEqualTo(200);
      assertThat(scrape.body()).contains("queue=\"jar\"").contains("asynq_tasks_enqueued_total");
    }
  }

  @Test
  void talksTls() {
    RedisBinary binary = RedisBinary.locate();
    assumeTrue(binary.supportsTls(), binary + " was built without TLS");
    try (RedisServer tls = RedisServer.builder().binary(binary).tls().start()) {
      // TLS settings from the YAML config file: both read from the jar.
      JarCli fromConfig = new JarCli(home);
      fromConfig.write(
          ".jasynq.yaml", "uri: " + tls.tlsUri() + "\ntls_ca: " + tls.caCertificate() + "\n");
      ok(fromConfig, "task", "enqueue", "--type", "secure:ping", "--queue", "secure");
      JarCli.Result queues = ok(fromConfig, "queue", "ls", "--json");
      assertThat(find(json(queues), "secure").get("pending").asLong()).isEqualTo(1);
    }
  }

  @Test
  void runsTheDemoOnTheGivenRedisAndOnTheEmbeddedOne() {
    JarCli.Result given = ok("demo");
    assertThat(given.out()).contains("newsletters sent: 100").contains(server.uri());

    // No REDIS_URL and no redis-server on PATH: the binary from lib/embedded-redis-*.jar.
    JarCli.Result embedded = new JarCli(home).env("PATH", "/nonexistent").run("demo");
    assertThat(embedded.code()).as(embedded.toString()).isZero();
    assertThat(embedded.out())
        .contains("starting an embedded Redis")
        .contains("newsletters sent: 100");
  }

  private void sameAsInProcess(String... args) {
    JarCli.Result fromJar = jar.run(args);
    Cli.Result fromClasses = inProcess.run(args);
    assertThat(fromJar.code()).as(fromJar.toString()).isEqualTo(fromClasses.code()).isZero();
    assertThat(stable(fromJar.out()))
        .as(String.join(" ", args))
        .isEqualTo(stable(fromClasses.out()));
    assertThat(fromJar.err()).as(String.join(" ", args)).isEqualTo(fromClasses.err());
  }

  /** A pending task's next process time is the time of reading: it is masked. */
  private static String stable(String out) {
    return out.replaceAll("(\"next_process_at\" : )\"[^\"]*\"", "$1\"(now)\"")
        .replaceAll("(?m)^(Next process: +).*$", "$1(now)");
  }

  private JarCli.Result ok(String... args) {
    return ok(jar, args);
  }

  private static JarCli.Result ok(JarCli cli, String... args) {
    JarCli.Result r = cli.run(args);
    assertThat(r.code()).as(String.join(" ", args) + "\n" + r).isZero();
    return r;
  }

  private static JsonNode json(JarCli.Result r) {
    try {
      return Json.MAPPER.readTree(r.out());
    } catch (IOException e) {
      throw new AssertionError("not JSON: " + r, e);
    }
  }

  private static JsonNode find(JsonNode queues, String name) {
    for (JsonNode q : queues) {
      if (q.get("queue").asText().equals(name)) {
        return q;
      }
    }
    throw new AssertionError("no queue " + name + " in " + queues);
  }

  private HttpResponse<String> get(String url) throws IOException, InterruptedException {
    return http.send(
        HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(30)).GET().build(),
        HttpResponse.BodyHandlers.ofString());
  }
}

package io.jasynq.cli;

import static io.jasynq.TaskOption.queue;
import static org.assertj.core.api.Assertions.assertThat;

import io.jasynq.Client;
import io.jasynq.Task;
import io.jasynq.testkit.ClientConnection;
import io.jasynq.testkit.Eventually;
import io.jasynq.testkit.Leaks;
import io.jasynq.testkit.RedisServer;
import io.jasynq.testkit.RedisTest;
import io.jasynq.testkit.TestRedis;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * {@code jasynq dashboard} in-process over real HTTP: serves the API and the page until stopped,
 * guards itself (Basic auth, read-only, loopback), then closes Jetty, the dashboard and the Redis
 * connection.
 */
@RedisTest
class DashboardCommandTest {
  private static final Pattern READY =
      Pattern.compile("jasynq dashboard on (http://[^/\\s]+/(?:\\S*/)?)(.*)\n");
  private static final Duration WAIT = Duration.ofSeconds(15);

  @TempDir Path home;

  private final HttpClient http = HttpClient.newHttpClient();

  @Test
  void servesTheApiAndThePageOnAFreePortThenClosesEverythingWhenStopped(
      RedisServer server, TestRedis redis) throws Exception {
    try (Client client = Client.connect(server.uri())) {
      client.enqueue(Task.of("email:welcome"), queue("default"));
    }
    Set<Thread> threads = Leaks.jasynqThreads();
    List<ClientConnection> connections = Leaks.clientConnections(redis);

    Running dashboard = start(server, Map.of(), "dashboard", "--port", "0");
    HttpResponse<String> queues;
    HttpResponse<String> page;
    try {
      assertThat(Leaks.clientConnections(redis)).hasSizeGreaterThan(connections.size());
      queues = get(dashboard.url + "api/queues");
      page = get(dashboard.url);
    } finally {
      dashboard.stop();
    }

    assertThat(queues.statusCode()).isEqualTo(200);
    assertThat(queues.body()).contains("\"queue\":\"default\"").contains("\"pending\":1");
    assertThat(page.statusCode()).isEqualTo(200);
    assertThat(page.headers().firstValue("Content-Type"))
        .hasValueSatisfying(t -> assertThat(t).startsWith("text/html"));
    assertThat(page.body()).contains("src=\"app.js\"");
    assertThat(page.headers().firstValue("Server")).isEmpty();
    assertThat(dashboard.out()).isEqualTo("jasynq dashboard on " + dashboard.url + "\n");
    assertThat(dashboard.err()).isEmpty();
    Leaks.awaitNoNewJasynqThreads(threads, WAIT);
    Leaks.awaitNoNewClientConnections(redis, connections, WAIT);
    assertThat(Thread.getAllStackTraces().keySet())
        .extracting(Thread::getName)
        .noneMatch(n -> n.startsWith("jasynq-dashboard"));
  }

  @Test
  void withUserEveryRequestNeedsBasicAuthentication(RedisServer server) throws Exception {
    Path passwordFile = Cli.in(home).write("password", "s3cret pass\n");

    Running dashboard =
        start(
            server,
            Map.of(),
            "dashboard",
            "--port=0",
            "--user",
            "admin",
            "--password-file",
            passwordFile.toString());
    try {
      HttpResponse<String> anonymous = get(dashboard.url + "api/queues");
      HttpResponse<String> anonymousPage = get(dashboard.url);
      HttpResponse<String> wrong = get(dashboard.url + "api/queues", basic("admin", "s3cret"));
      HttpResponse<String> right = get(dashboard.url + "api/queues", basic("admin", "s3cret pass"));

      assertThat(anonymous.statusCode()).isEqualTo(401);
      assertThat(anonymous.headers().firstValue("WWW-Authenticate"))
          .hasValueSatisfying(v -> assertThat(v).startsWith("Basic realm=\"jasynq\""));
      assertThat(anonymousPage.statusCode()).isEqualTo(401);
      assertThat(wrong.statusCode()).isEqualTo(401);
      assertThat(right.statusCode()).isEqualTo(200);
    } finally {
      dashboard.stop();
    }
  }

  @Test
  void thePasswordCanComeFromTheEnvironment(RedisServer server) throws Exception {
    Running dashboard =
        start(
            server,
            Map.of(DashboardCommand.PASSWORD_VARIABLE, "from-env"),
            "dashboard",
            "--port=0",
            "--user=ops");
    try {
      assertThat(get(dashboard.url + "api/queues").statusCode()).isEqualTo(401);
      assertThat(get(dashboard.url + "api/queues", basic("ops", "from-env")).statusCode())
          .isEqualTo(200);
    } finally {
      dashboard.stop();
    }
  }

  @Test
  void readOnlyRefusesChangesThatCarryTheCsrfToken(RedisServer server) throws Exception {
    try (Client client = Client.connect(server.uri())) {
      client.enqueue(Task.of("t"), queue("default"));
      client.enqueue(Task.of("t"), queue("payments"));
    }
    Running readOnly = start(server, Map.of(), "dashboard", "--port=0", "--read-only");
    try {
      HttpResponse<String> pause = post(readOnly.url + "api/queues/default:pause");

      assertThat(pause.statusCode()).isEqualTo(403);
      assertThat(pause.body()).contains("read-only");
      assertThat(readOnly.out()).endsWith("/ (read-only)\n");
    } finally {
      readOnly.stop();
    }

    Running someQueues =
        start(
            server,
            Map.of(),
            "dashboard",
            "--port=0",
            "--path=/jobs",
            "--read-only-queue",
            "payments");
    try {
      assertThat(someQueues.url).endsWith("/jobs/");
      assertThat(someQueues.out()).endsWith("/jobs/ (read-only queues: payments)\n");
      HttpResponse<String> payments = post(someQueues.url + "api/queues/payments:pause");
      HttpResponse<String> other = post(someQueues.url + "api/queues/default:pause");

      assertThat(payments.statusCode()).isEqualTo(403);
      assertThat(payments.body()).contains("read-only");
      assertThat(other.statusCode()).as(other.body()).isEqualTo(204);
    } finally {
      someQueues.stop();
    }
  }

  @Test
  void aNonLoopbackAddressIsRefusedWithoutUser(RedisServer server) {
    Cli.Result r = Cli.redis(home, server.uri()).run("dashboard", "--port=0", "--bind", "0.0.0.0");

    assertThat(r.code()).as(r.toString()).isEqualTo(2);
    assertThat(r.out()).isEmpty();
    assertThat(r.err())
        .startsWith(
            "jasynq: --bind 0.0.0.0 is reachable from the network: give --user and"
                + " --password-file, or --insecure-no-auth");
  }

  @Test
  void aNonLoopbackAddressWithUserWarnsThatItIsReachableFromTheNetwork(RedisServer server)
      throws Exception {
    Running dashboard =
        start(
            server,
            Map.of(DashboardCommand.PASSWORD_VARIABLE, "pw"),
            "dashboard",
            "--port=0",
            "--bind=0.0.0.0",
            "--user=admin");
    try {
      assertThat(dashboard.err())
          .startsWith("jasynq: warning: the dashboard on 0.0.0.0:")
          .contains("is reachable from the network");
    } finally {
      dashboard.stop();
    }
  }

  @Test
  void passwordProblemsAreRefusedNamingTheOptionOrTheFile(RedisServer server) {
    Cli cli = Cli.redis(home, server.uri());
    Path missing = home.resolve("no-such-password");
    Path empty = cli.write("empty", "\nsecond line\n");

    Cli.Result noFile =
        cli.run("dashboard", "--user", "admin", "--password-file", missing.toString());
    Cli.Result emptyFile =
        cli.run("dashboard", "--user", "admin", "--password-file", empty.toString());
    Cli.Result noSource = cli.run("dashboard", "--user", "admin");
    Cli.Result noUser = cli.run("dashboard", "--password-file", empty.toString());

    assertThat(noFile.code()).as(noFile.toString()).isEqualTo(1);
    assertThat(noFile.err()).isEqualTo("jasynq: --password-file " + missing + " does not exist\n");
    assertThat(emptyFile.code()).as(emptyFile.toString()).isEqualTo(1);
    assertThat(emptyFile.err()).contains(empty.toString()).contains("first line is empty");
    assertThat(noSource.code()).isEqualTo(2);
    assertThat(noSource.err())
        .startsWith(
            "jasynq: --user needs a password: give --password-file FILE, or set $"
                + DashboardCommand.PASSWORD_VARIABLE);
    assertThat(noUser.code()).isEqualTo(2);
    assertThat(noUser.err()).startsWith("jasynq: --password-file needs --user");
  }

  @Test
  void aPortInUseIsOneLineNamingTheAddress(RedisServer server) {
    Cli.Result r =
        Cli.redis(home, server.uri()).run("dashboard", "--port", String.valueOf(server.port()));

    assertThat(r.code()).as(r.toString()).isEqualTo(1);
    assertThat(r.err()).startsWith("jasynq: cannot listen on 127.0.0.1:" + server.port() + ": ");
    assertThat(r.err().lines()).hasSize(1);
    assertThat(r.out()).isEmpty();
  }

  @Test
  void badPortPathAndBindAreUsageErrors() {
    Cli cli = Cli.redis(home, "redis://127.0.0.1:" + Cli.closedPort());

    Cli.Result port = cli.run("dashboard", "--port", "70000");
    Cli.Result path = cli.run("dashboard", "--path", "jobs");
    Cli.Result bind = cli.run("dashboard", "--bind", "no-such-host.invalid");

    assertThat(port.code()).isEqualTo(2);
    assertThat(port.err()).startsWith("jasynq: --port must be 0..65535, was \"70000\"");
    assertThat(path.code()).isEqualTo(2);
    assertThat(path.err()).startsWith("jasynq: --path must be / or /NAME");
    assertThat(bind.code()).isEqualTo(2);
    assertThat(bind.err()).startsWith("jasynq: --bind must be an address of this machine");
  }

  @Test
  void helpDocumentsEveryOptionAndKeepsTheRedisUserAsUsername() {
    Cli.Result r = Cli.in(home).run("dashboard", "--help");

    assertThat(r.code()).isZero();
    assertThat(r.out())
        .contains("--port=PORT", "default:", "8080")
        .contains("--bind=ADDRESS", "127.0.0.1")
        .contains("--path=PATH")
        .contains("--read-only ")
        .contains("--read-only-queue=QUEUE")
        .contains("--user=NAME")
        .contains("--password-file=FILE")
        .contains(DashboardCommand.PASSWORD_VARIABLE)
        .contains("--insecure-no-auth")
        .contains("-U, --username=NAME")
        .doesNotContain("--username, --user");
  }

  @Test
  void theGlobalUserOptionStaysTheRedisUserOutsideTheDashboard() {
    CommandLine cli = Main.commandLine(new Environment(Map.of(), home, Clock.systemUTC()));

    assertThat(cli.getCommandSpec().findOption("--user").longestName()).isEqualTo("--username");
    assertThat(cli.getSubcommands().get("stats").getCommandSpec().findOption("--user")).isNotNull();
    assertThat(
            cli.getSubcommands()
                .get("dashboard")
                .getCommandSpec()
                .findOption("--user")
                .paramLabel())
        .isEqualTo("NAME");
    assertThat(cli.getSubcommands().get("dashboard").getCommandSpec().findOption("-U")).isNotNull();
  }

  /** A dashboard command running on another thread, ready (its URL printed). */
  private Running start(RedisServer server, Map<String, String> variables, String... args) {
    Map<String, String> env = new HashMap<>(variables);
    env.put("REDIS_URL", server.uri());
    CommandLine cli = Main.commandLine(new Environment(env, home, Clock.systemUTC()), args);
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    cli.setOut(new PrintWriter(out, true));
    cli.setErr(new PrintWriter(err, true));
    CompletableFuture<Integer> run = CompletableFuture.supplyAsync(() -> cli.execute(args));
    Eventually.until(
        WAIT,
        "the command says where it serves",
        () -> READY.matcher(out.toString()).find() || run.isDone());
    Matcher m = READY.matcher(out.toString());
    assertThat(m.find()).as("stdout: %s, stderr: %s", out, err).isTrue();
    return new Running(cli, out, err, run, m.group(1));
  }

  private record Running(
      CommandLine cli,
      StringWriter stdout,
      StringWriter stderr,
      CompletableFuture<Integer> run,
      String url) {
    String out() {
      return stdout.toString();
    }

    String err() {
      return stderr.toString();
    }

    /** Stops the command as SIGINT would, and checks it exits 0. */
    void stop() throws Exception {
      ((DashboardCommand) cli.getSubcommands().get("dashboard").getCommand()).stop();
      assertThat(run.get(WAIT.toSeconds(), TimeUnit.SECONDS)).as(err()).isZero();
    }
  }

  private HttpResponse<String> get(String url, String... headers) throws Exception {
    HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(url)).GET();
    if (headers.length > 0) {
      request.headers(headers);
    }
    return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
  }

  /** A POST with the CSRF cookie and header, so only the read-only rule can refuse it. */
  private HttpResponse<String> post(String url) throws Exception {
    String cookie =
        get(url.substring(0, url.indexOf("api/") + 4) + "config")
            .headers()
            .firstValue("Set-Cookie")
            .orElseThrow()
            .split(";", 2)[0];
    String token = cookie.substring(cookie.indexOf('=') + 1);
    HttpRequest request =
        HttpRequest.newBuilder(URI.create(url))
            .POST(HttpRequest.BodyPublishers.noBody())
            .header("Cookie", cookie)
            .header("X-CSRF-Token", token)
            .build();
    return http.send(request, HttpResponse.BodyHandlers.ofString());
  }

  private static String[] basic(String user, String password) {
    String credentials =
        Base64.getEncoder()
            .encodeToString((user + ":" + password).getBytes(StandardCharsets.UTF_8));
    return new String[] {"Authorization", "Basic " + credentials};
  }
}

package io.jasynq.cli;

import static io.jasynq.TaskOption.queue;
import static org.assertj.core.api.Assertions.assertThat;

import io.jasynq.Client;
import io.jasynq.Task;
import io.jasynq.testkit.Leaks;
import io.jasynq.testkit.RedisServer;
import io.jasynq.testkit.RedisTest;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** {@code jasynq metrics} in-process: serves /metrics until stopped, then leaves nothing behind. */
@RedisTest
class MetricsCommandTest {
  private static final Pattern SERVING =
      Pattern.compile("serving Prometheus metrics on (http://127\\.0\\.0\\.1:(\\d+)/metrics)\n");

  @TempDir Path home;

  @Test
  void servesTheQueueMetricsUntilStoppedAndStopsEveryThread(RedisServer server) throws Exception {
    try (Client client = Client.connect(server.uri())) {
      client.enqueue(Task.of("t"), queue("default"));
    }
    String[] args = {"metrics", "--listen", "127.0.0.1:0", "--interval", "1s"};
    CommandLine cli =
        Main.commandLine(
            new Environment(Map.of("REDIS_URL", server.uri()), home, Clock.systemUTC()), args);
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    cli.setOut(new PrintWriter(out, true));
    cli.setErr(new PrintWriter(err, true));
    CompletableFuture<Integer> run = CompletableFuture.supplyAsync(() -> cli.execute(args));
    try {
      until("the command says where it serves", () -> SERVING.matcher(out.toString()).find());
      Matcher m = SERVING.matcher(out.toString());
      assertThat(m.find()).isTrue();
      URI metrics = URI.create(m.group(1));
      HttpClient http = HttpClient.newHttpClient();

      until(
          "/metrics shows the queue, in asynq's and in jasynq's own metrics",
          () -> {
            String body = get(http, metrics).body();
            return body.contains("asynq_queue_size{queue=\"default\"} 1\n")
                && body.contains("jasynq_queue_size{queue=\"default\",state=\"pending\"} 1.0\n");
          });
      HttpResponse<String> response = get(http, metrics);

      assertThat(response.statusCode()).isEqualTo(200);
      assertThat(response.headers().firstValue("Content-Type"))
          .contains("text/plain; version=0.0.4; charset=utf-8");
      assertThat(response.body())
          .contains("# TYPE asynq_tasks_enqueued_total gauge\n")
          .contains("asynq_tasks_enqueued_total{queue=\"default\",state=\"pending\"} 1\n");
      assertThat(out.toString()).isEqualTo("serving Prometheus metrics on " + metrics + "\n");
    } finally {
      ((MetricsCommand) cli.getSubcommands().get("metrics").getCommand()).stop();
    }
    assertThat(run.get(30, TimeUnit.SECONDS)).as(err.toString()).isZero();
    assertThat(Leaks.jasynqThreads())
        .extracting(Thread::getName)
        .noneMatch(n -> n.startsWith("jasynq-prometheus"));
  }

  @Test
  void rejectsABadListenAddressOrAnIntervalUnderOneSecond(RedisServer server) {
    Cli cli = Cli.redis(home, server.uri());

    Cli.Result shortInterval = cli.run("metrics", "--interval", "500ms");
    Cli.Result noPort = cli.run("metrics", "--listen", "localhost");
    Cli.Result badPort = cli.run("metrics", "--listen", "127.0.0.1:70000");

    assertThat(shortInterval.code()).as(shortInterval.toString()).isEqualTo(2);
    assertThat(shortInterval.err())
        .startsWith("jasynq: --interval must be at least 1s, was \"500ms\"");
    assertThat(noPort.code()).isEqualTo(2);
    assertThat(noPort.err()).startsWith("jasynq: --listen must be HOST:PORT like 127.0.0.1:9101");
    assertThat(badPort.code()).isEqualTo(2);
  }

  @Test
  void aPortInUseIsOneLineAndExitStatus1(RedisServer server) {
    Cli.Result r =
        Cli.redis(home, server.uri())
            .run("metrics", "--listen", "127.0.0.1:" + server.port(), "--interval", "1s");

    assertThat(r.code()).as(r.toString()).isEqualTo(1);
    assertThat(r.err()).startsWith("jasynq: cannot listen on 127.0.0.1:" + server.port() + ": ");
    assertThat(r.err().lines()).hasSize(1);
  }

  private static HttpResponse<String> get(HttpClient http, URI uri) {
    try {
      return http.send(HttpRequest.newBuilder(uri).build(), HttpResponse.BodyHandlers.ofString());
    } catch (Exception e) {
      throw new AssertionError(e);
    }
  }

  private static void until(String what, BooleanSupplier condition) throws InterruptedException {
    long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(15);
    while (!condition.getAsBoolean()) {
      if (System.nanoTime() > end) {
        throw new AssertionError("not within 15 s: " + what);
      }
      Thread.sleep(20);
    }
  }
}

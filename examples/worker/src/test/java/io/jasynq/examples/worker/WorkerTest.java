package io.jasynq.examples.worker;

import static org.assertj.core.api.Assertions.assertThat;

import io.jasynq.Client;
import io.jasynq.Task;
import io.jasynq.TaskInfo;
import io.jasynq.testkit.RedisServer;
import io.jasynq.testkit.RedisTest;
import io.jasynq.testkit.TestRedis;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

@RedisTest
class WorkerTest {
  /** Port 0: the worker's metrics server picks a free port and names its URL in the events. */
  private static final InetSocketAddress ANY_PORT = new InetSocketAddress("127.0.0.1", 0);

  private static final Pattern PROCESSED_WELCOME =
      Pattern.compile(
          "^jasynq_tasks_processed_total\\{[^}]*queue=\"default\"[^}]*"
              + "task_type=\"email:welcome\"[^}]*} 1\\.0$",
          Pattern.MULTILINE);

  private final List<String> events = new CopyOnWriteArrayList<>();
  private final CountDownLatch stop = new CountDownLatch(1);

  @Test
  void processesAnEnqueuedTaskAndTheSchedulersTicksThenStops(RedisServer redis, TestRedis inspect)
      throws Exception {
    TaskInfo email = enqueueWelcome(redis);
    ExecutorService thread = Executors.newSingleThreadExecutor();
    try {
      Future<?> worker = start(thread, redis);
      await(
          "the e-mail and a tick handled",
          () ->
              events.contains(sent(email)) && events.stream().anyMatch(e -> e.startsWith("tick ")),
          worker);
      stop.countDown();
      worker.get(30, TimeUnit.SECONDS);
    } finally {
      stopAndJoin(thread);
    }
    // Shut down cleanly: the server and the scheduler removed their heartbeat entries.
    assertThat(inspect.keys("asynq:servers*")).isEmpty();
    assertThat(inspect.keys("asynq:schedulers*")).isEmpty();
    assertThat(Long.parseLong(inspect.get("asynq:{default}:processed"))).isGreaterThan(1);
  }

  @Test
  void servesQueueAndTaskMetricsOnceItProcessedATask(RedisServer redis) throws Exception {
    TaskInfo email = enqueueWelcome(redis);
    ExecutorService thread = Executors.newSingleThreadExecutor();
    String metricsUrl;
    try {
      Future<?> worker = start(thread, redis);
      await("the e-mail handled", () -> events.contains(sent(email)), worker);
      metricsUrl = metricsUrl();
      HttpClient http = HttpClient.newHttpClient();
      String[] body = {""};
      await(
          "asynq_queue_size and jasynq_tasks_processed_total at " + metricsUrl,
          () -> {
            body[0] = get(http, metricsUrl);
            return body[0].contains("asynq_queue_size{queue=\"default\"}")
                && PROCESSED_WELCOME.matcher(body[0]).find();
          },
          worker);
      // The exporter's asynq block comes first; the registry's jasynq_* meters follow it.
      assertThat(body[0].indexOf("# TYPE asynq_queue_size gauge"))
          .isNotNegative()
          .isLessThan(body[0].indexOf("jasynq_tasks_processed_total"));
      assertThat(body[0]).contains("jasynq_queue_size{queue=\"default\",state=\"pending\"}");
      stop.countDown();
      worker.get(30, TimeUnit.SECONDS);
    } finally {
      stopAndJoin(thread);
    }
    assertThat(metricsUrl).matches("http://127\\.0\\.0\\.1:[1-9][0-9]*/metrics");
    // Closed with the worker: nothing listens there any more.
    HttpClient http = HttpClient.newHttpClient();
    assertThat(catchGet(http, metricsUrl)).isInstanceOf(IOException.class);
  }

  private static TaskInfo enqueueWelcome(RedisServer redis) {
    try (Client client = Client.connect(redis.uri())) {
      return client.enqueue(Task.of("email:welcome", "{\"user_id\":7}"));
    }
  }

  private static String sent(TaskInfo email) {
    return "sent email:welcome {\"user_id\":7} (task " + email.id() + ")";
  }

  private Future<?> start(ExecutorService thread, RedisServer redis) {
    return thread.submit(
        () -> {
          Worker.run(redis.uri(), ANY_PORT, "@every 1s", stop, events::add);
          return null;
        });
  }

  private String metricsUrl() {
    return events.stream()
        .filter(e -> e.startsWith("metrics at "))
        .map(e -> e.substring("metrics at ".length()))
        .findFirst()
        .orElseThrow(() -> new AssertionError("no metrics URL in " + events));
  }

  private void stopAndJoin(ExecutorService thread) throws InterruptedException {
    stop.countDown();
    thread.shutdownNow();
    assertThat(thread.awaitTermination(30, TimeUnit.SECONDS)).isTrue();
  }

  private static String get(HttpClient http, String url) {
    try {
      HttpResponse<String> response =
          http.send(
              HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(10)).build(),
              HttpResponse.BodyHandlers.ofString());
      assertThat(response.statusCode()).as(url).isEqualTo(200);
      return response.body();
    } catch (IOException e) {
      throw new AssertionError("GET " + url + " failed", e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError("interrupted", e);
    }
  }

  private static Exception catchGet(HttpClient http, String url) throws InterruptedException {
    try {
      http.send(
          HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(10)).build(),
          HttpResponse.BodyHandlers.ofString());
      return null;
    } catch (IOException e) {
      return e;
    }
  }

  private static void await(String what, BooleanSupplier condition, Future<?> worker)
      throws Exception {
    long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
    while (!condition.getAsBoolean()) {
      if (worker.isDone()) {
        worker.get(); // rethrows what stopped it
        throw new AssertionError("the worker returned before: " + what);
      }
      if (System.nanoTime() > deadline) {
        throw new AssertionError("timed out waiting for: " + what);
      }
      Thread.sleep(20);
    }
  }
}

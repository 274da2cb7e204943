package io.jasynq.server;

import static io.jasynq.TaskOption.queue;
import static org.assertj.core.api.Assertions.assertThat;

import io.jasynq.Client;
import io.jasynq.RetryDelay;
import io.jasynq.RevokeTaskException;
import io.jasynq.ServeMux;
import io.jasynq.Server;
import io.jasynq.ServerListener;
import io.jasynq.ServerStatus;
import io.jasynq.SkipRetryException;
import io.jasynq.Task;
import io.jasynq.TaskEvent;
import io.jasynq.TaskOption;
import io.jasynq.support.LogCapture;
import io.jasynq.support.ServerConfigs;
import io.jasynq.testkit.Eventually;
import io.jasynq.testkit.Poison;
import io.jasynq.testkit.RedisServer;
import io.jasynq.testkit.RedisTest;
import io.jasynq.testkit.TestRedis;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** What a ServerListener is told, and that a bad listener changes nothing. */
@RedisTest
class ServerListenerTest {
  private final RedisServer redisServer;
  private final TestRedis redis;

  ServerListenerTest(RedisServer redisServer, TestRedis redis) {
    this.redisServer = redisServer;
    this.redis = redis;
  }

  /** Records every call as "method queue/type outcome". */
  static final class Recorder implements ServerListener {
    final List<String> calls = new CopyOnWriteArrayList<>();
    final List<TaskEvent> events = new CopyOnWriteArrayList<>();

    private void add(String method, TaskEvent e) {
      events.add(e);
      calls.add(
          method
              + " "
              + e.type()
              + " "
              + e.outcome().map(o -> o.name().toLowerCase(java.util.Locale.ROOT)).orElse("-"));
    }

    @Override
    public void onTaskStarted(TaskEvent e) {
      add("started", e);
    }

    @Override
    public void onTaskSucceeded(TaskEvent e) {
      add("succeeded", e);
    }

    @Override
    public void onTaskFailed(TaskEvent e) {
      add("failed", e);
    }

    @Override
    public void onTaskInterrupted(TaskEvent e) {
      add("interrupted", e);
    }

    @Override
    public void onTaskArchived(TaskEvent e) {
      add("archived", e);
    }

    @Override
    public void onTaskRecovered(TaskEvent e) {
      add("recovered", e);
    }

    @Override
    public void onTasksForwarded(String queue, int count) {
      calls.add("forwarded " + queue + " " + count);
    }

    @Override
    public void onServerStatus(String serverId, ServerStatus status) {
      calls.add("status " + status);
    }

    @Override
    public void onHealth(boolean healthy, Throwable error) {
      calls.add("health " + healthy);
    }

    List<String> of(String type) {
      return calls.stream().filter(c -> c.contains(" " + type + " ")).toList();
    }
  }

  @Test
  void eachAttemptIsStartedThenEndedOnceWithItsOutcome() {
    Recorder recorder = new Recorder();
    try (Client client = Client.connect(redisServer.uri());
        Server server =
            Server.connect(
                redisServer.uri(),
                ServerConfigs.fast()
                    .concurrency(2)
                    .retryDelay(RetryDelay.constant(Duration.ofMillis(1)))
                    .listener(recorder)
                    .build())) {
      ServeMux mux = new ServeMux();
      mux.handle("ok", ctx -> {});
      mux.handle(
          "flaky",
          ctx -> {
            if (ctx.retryCount() == 0) {
              throw new IllegalStateException("first attempt fails");
            }
          });
      mux.handle(
          "doomed",
          ctx -> {
            throw new SkipRetryException("never again");
          });
      mux.handle(
          "revoked",
          ctx -> {
            throw new RevokeTaskException("not wanted");
          });
      server.start(mux);
      client.enqueue(Task.of("ok"));
      client.enqueue(Task.of("flaky"), TaskOption.maxRetry(3));
      client.enqueue(Task.of("doomed"));
      client.enqueue(Task.of("revoked"));
      Eventually.until(
          "every task ended",
          () ->
              recorder.of("ok").size() == 2
                  && recorder.of("flaky").size() == 4
                  && recorder.of("doomed").size() == 3
                  && recorder.of("revoked").size() == 2);
    }
    assertThat(recorder.of("ok")).containsExactly("started ok -", "succeeded ok succeeded");
    assertThat(recorder.of("flaky"))
        .containsExactly(
            "started flaky -",
            "failed flaky retry",
            "started flaky -",
            "succeeded flaky succeeded");
    assertThat(recorder.of("doomed"))
        .containsExactly("started doomed -", "failed doomed archived", "archived doomed archived");
    assertThat(recorder.of("revoked"))
        .containsExactly("started revoked -", "failed revoked revoked");
    assertThat(recorder.calls).containsSubsequence("status ACTIVE", "status CLOSED");
    assertThat(recorder.calls).contains("health true");

    TaskEvent failed =
        recorder.events.stream()
            .filter(e -> e.type().equals("flaky") && e.outcome().isPresent())
            .findFirst()
            .orElseThrow();
    assertThat(failed.error())
        .get()
        .hasToString("java.lang.IllegalStateException: first attempt fails");
    assertThat(failed.retried()).isZero();
    assertThat(failed.maxRetry()).isEqualTo(3);
    assertThat(failed.task()).get().extracting(Task::type).isEqualTo("flaky");
    assertThat(failed.queue()).isEqualTo("default");
    assertThat(failed.taskId()).isNotBlank();
    TaskEvent started =
        recorder.events.stream().filter(e -> e.type().equals("ok")).findFirst().orElseThrow();
    assertThat(started.outcome()).isEmpty();
    assertThat(started.elapsed()).isZero();
    assertThat(started.pendingSince()).as("written by enqueue").isPresent();
    assertThat(started.startedAt()).isPresent();
    assertThat(started.pendingSince().get()).isBeforeOrEqualTo(started.startedAt().get());
  }

  @Test
  void elapsedCoversTheHandlerAndStartedPairsWithAFinishEvenWhenTheServerShutsDown()
      throws Exception {
    Recorder recorder = new Recorder();
    CountDownLatch running = new CountDownLatch(1);
    try (Client client = Client.connect(redisServer.uri())) {
      Server server =
          Server.connect(
              redisServer.uri(),
              ServerConfigs.fast().shutdownTimeout(Duration.ZERO).listener(recorder).build());
      server.start(
          ctx -> {
            running.countDown();
            while (!Thread.currentThread().isInterrupted()) {
              Thread.onSpinWait();
            }
          });
      client.enqueue(Task.of("stuck"));
      assertThat(running.await(10, TimeUnit.SECONDS)).isTrue();
      server.stop();
      server.shutdown();
    }
    assertThat(recorder.of("stuck"))
        .containsExactly("started stuck -", "interrupted stuck requeued");
    assertThat(recorder.calls)
        .containsSubsequence("status ACTIVE", "status STOPPED", "status CLOSED");
    assertThat(redis.lrange("asynq:{default}:pending")).hasSize(1);
  }

  @Test
  void aThrowingListenerIsLoggedOncePerMethodAndChangesNoOutcome() {
    ServerListener broken =
        new ServerListener() {
          @Override
          public void onTaskStarted(TaskEvent e) {
            throw new IllegalStateException("listener bug");
          }

          @Override
          public void onTaskSucceeded(TaskEvent e) {
            throw new IllegalStateException("listener bug");
          }
        };
    Recorder after = new Recorder();
    List<String> handled = new CopyOnWriteArrayList<>();
    try (LogCapture logs = LogCapture.start();
        Client client = Client.connect(redisServer.uri());
        Server server =
            Server.connect(
                redisServer.uri(), ServerConfigs.fast().listener(broken).listener(after).build())) {
      server.start(ctx -> handled.add(ctx.taskId()));
      for (int i = 0; i < 5; i++) {
        client.enqueue(Task.of("t"));
      }
      Eventually.until("all five ended", () -> after.of("t").size() == 10);
      Eventually.until(
          "done in Redis",
          () -> redis.lrange("asynq:{default}:active").isEmpty() && handled.size() == 5);
      assertThat(logs.warningsAndErrors())
          .filteredOn(w -> w.contains("listener"))
          .hasSize(2)
          .anySatisfy(w -> assertThat(w).contains("onTaskStarted"))
          .anySatisfy(w -> assertThat(w).contains("onTaskSucceeded"));
    }
    assertThat(redis.get("asynq:{default}:processed")).isEqualTo("5");
    assertThat(redis.get("asynq:{default}:failed")).isNull();
  }

  @Test
  void forwardedScheduledTasksAndArchivedMalformedRecordsAreReported() {
    Recorder recorder = new Recorder();
    Poison poison = Poison.into(redis, Instant.now());
    Poison.Record bad = poison.write(Poison.Kind.UNDECODABLE, "q", 1, null, new Random(1));
    List<String> handled = new CopyOnWriteArrayList<>();
    try (Client client = Client.connect(redisServer.uri());
        Server server =
            Server.connect(
                redisServer.uri(), ServerConfigs.fast().queue("q", 1).listener(recorder).build())) {
      client.enqueue(Task.of("later"), queue("q"), TaskOption.processIn(Duration.ofMillis(300)));
      server.start(ctx -> handled.add(ctx.task().type()));
      Eventually.until("the scheduled task ran", () -> handled.contains("later"));
      Eventually.until(
          "the bad record archived",
          () -> recorder.calls.stream().anyMatch(c -> c.startsWith("archived  ")));
    }
    assertThat(recorder.calls).contains("forwarded q 1");
    TaskEvent archived =
        recorder.events.stream().filter(e -> e.taskId().equals(bad.id())).findFirst().orElseThrow();
    assertThat(archived.task()).isEmpty();
    assertThat(archived.queue()).isEqualTo("q");
    assertThat(archived.outcome()).contains(TaskEvent.Outcome.ARCHIVED);
    assertThat(archived.error()).get().asString().contains("malformed");
    assertThat(recorder.calls.stream().filter(c -> c.startsWith("started  "))).isEmpty();
  }
}

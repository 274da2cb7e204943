package io.jasynq.micrometer;

import static org.assertj.core.api.Assertions.assertThat;

import io.jasynq.Client;
import io.jasynq.RetryDelay;
import io.jasynq.Server;
import io.jasynq.ServerConfig;
import io.jasynq.SkipRetryException;
import io.jasynq.Task;
import io.jasynq.TaskContext;
import io.jasynq.testkit.Eventually;
import io.jasynq.testkit.RedisServer;
import io.jasynq.testkit.RedisTest;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.LongTaskTimer;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** A real server with the listener, processing real tasks from real Redis. */
@RedisTest
class ServerMetricsTest {
  private final SimpleMeterRegistry registry = new SimpleMeterRegistry();
  private final JasynqMetrics metrics = JasynqMetrics.builder(registry).build();
  private final CountDownLatch release = new CountDownLatch(1);
  private final Client client;
  private final Server server;

  ServerMetricsTest(RedisServer redis) {
    client = Client.connect(redis.uri());
    server =
        Server.connect(
            redis.uri(),
            ServerConfig.builder()
                .concurrency(4)
                .taskCheckInterval(Duration.ofMillis(20))
                .delayedTaskCheckInterval(Duration.ofMillis(50))
                .retryDelay(RetryDelay.constant(Duration.ZERO))
                .listener(metrics.serverListener())
                .build());
  }

  @AfterEach
  void close() {
    release.countDown();
    server.close();
    client.close();
  }

  private void handle(TaskContext ctx) throws Exception {
    switch (ctx.task().type()) {
      case "flaky" -> {
        if (ctx.retryCount() == 0) {
          throw new IllegalStateException("first attempt fails");
        }
      }
      case "doomed" -> throw new SkipRetryException("never works");
      case "slow" -> {
        if (!release.await(30, TimeUnit.SECONDS)) {
          throw new IllegalStateException("never released");
        }
      }
      default -> {}
    }
  }

  @Test
  void countsAndTimesSucceededRetriedAndArchivedTasks() {
    client.enqueue(Task.of("ok"));
    client.enqueue(Task.of("flaky"));
    client.enqueue(Task.of("doomed"));
    // Started after the enqueues, so each first attempt starts after its pending_since.
    server.start(this::handle);

    Eventually.until(
        "every task finished",
        () ->
            counter(MetricNames.TASKS_PROCESSED, "ok") == 1
                && counter(MetricNames.TASKS_PROCESSED, "flaky") == 2
                && counter(MetricNames.TASKS_ARCHIVED, "doomed") == 1);

    assertThat(counter(MetricNames.TASKS_PROCESSED, "doomed")).isEqualTo(1);
    assertThat(failed("flaky", "retry")).isEqualTo(1);
    assertThat(failed("doomed", "archived")).isEqualTo(1);
    assertThat(registry.find(MetricNames.TASKS_FAILED).tags("task.type", "ok").counter()).isNull();
    assertThat(counter(MetricNames.TASKS_RETRIED, "flaky")).isEqualTo(1);
    assertThat(registry.find(MetricNames.TASKS_RETRIED).tags("task.type", "doomed").counter())
        .isNull();

    assertThat(execution("ok", "succeeded", "none")).isEqualTo(1);
    assertThat(execution("flaky", "retry", "IllegalStateException")).isEqualTo(1);
    assertThat(execution("flaky", "succeeded", "none")).isEqualTo(1);
    assertThat(execution("doomed", "archived", "SkipRetryException")).isEqualTo(1);

    // Every attempt has a pending_since (the retry's from when it was forwarded), and the start
    // time is taken by the worker, after the dequeue: one wait per attempt.
    assertThat(queueWait("ok")).isEqualTo(1);
    assertThat(queueWait("flaky")).isEqualTo(2);
    assertThat(queueWait("doomed")).isEqualTo(1);
    assertThat(registry.get(MetricNames.TASKS_FORWARDED).tags("queue", "default").counter().count())
        .isGreaterThanOrEqualTo(1);
  }

  @Test
  void activeTimerCountsARunningHandlerAndDropsItWhenItEnds() {
    client.enqueue(Task.of("slow"));
    server.start(this::handle);
    Eventually.until(
        "the slow task runs",
        () -> active("slow") == 1 && ((TaskMeters) metrics.serverListener()).running() == 1);

    release.countDown();

    Eventually.until(
        "the slow task ended", () -> counter(MetricNames.TASKS_PROCESSED, "slow") == 1);
    assertThat(active("slow")).isZero();
    assertThat(((TaskMeters) metrics.serverListener()).running()).isZero();
    assertThat(execution("slow", "succeeded", "none")).isEqualTo(1);
  }

  private double counter(String name, String type) {
    Counter c = registry.find(name).tags("queue", "default", "task.type", type).counter();
    return c == null ? 0 : c.count();
  }

  private double failed(String type, String outcome) {
    return registry
        .get(MetricNames.TASKS_FAILED)
        .tags("queue", "default", "task.type", type, "outcome", outcome)
        .counter()
        .count();
  }

  private long execution(String type, String outcome, String exception) {
    Timer t =
        registry
            .find(MetricNames.TASK_EXECUTION)
            .tags("queue", "default", "task.type", type)
            .tags("outcome", outcome, "exception", exception)
            .timer();
    return t == null ? 0 : t.count();
  }

  private long queueWait(String type) {
    return registry
        .get(MetricNames.TASK_QUEUE_WAIT)
        .tags("queue", "default", "task.type", type)
        .timer()
        .count();
  }

  private int active(String type) {
    LongTaskTimer t =
        registry
            .find(MetricNames.TASK_ACTIVE)
            .tags("queue", "default", "task.type", type)
            .longTaskTimer();
    return t == null ? 0 : t.activeTasks();
  }
}

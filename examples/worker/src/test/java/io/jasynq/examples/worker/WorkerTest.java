package io.jasynq.examples.worker;

import static org.assertj.core.api.Assertions.assertThat;

import io.jasynq.Client;
import io.jasynq.Task;
import io.jasynq.TaskInfo;
import io.jasynq.testkit.RedisServer;
import io.jasynq.testkit.RedisTest;
import io.jasynq.testkit.TestRedis;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.Test;

@RedisTest
class WorkerTest {

  @Test
  void processesAnEnqueuedTaskAndTheSchedulersTicksThenStops(RedisServer redis, TestRedis inspect)
      throws Exception {
    TaskInfo email;
    try (Client client = Client.connect(redis.uri())) {
      email = client.enqueue(Task.of("email:welcome", "{\"user_id\":7}"));
    }
    List<String> events = new CopyOnWriteArrayList<>();
    CountDownLatch stop = new CountDownLatch(1);
    ExecutorService thread = Executors.newSingleThreadExecutor();
    try {
      Future<?> worker =
          thread.submit(
              () -> {
                Worker.run(redis.uri(), "@every 1s", stop, events::add);
                return null;
              });
      await(
          "the e-mail and a tick handled",
          () ->
              events.contains("sent email:welcome {\"user_id\":7} (task " + email.id() + ")")
                  && events.stream().anyMatch(e -> e.startsWith("tick ")),
          worker);
      stop.countDown();
      worker.get(30, TimeUnit.SECONDS);
    } finally {
      stop.countDown();
      thread.shutdownNow();
      assertThat(thread.awaitTermination(30, TimeUnit.SECONDS)).isTrue();
    }
    // Shut down cleanly: the server and the scheduler removed their heartbeat entries.
    assertThat(inspect.keys("asynq:servers*")).isEmpty();
    assertThat(inspect.keys("asynq:schedulers*")).isEmpty();
    assertThat(Long.parseLong(inspect.get("asynq:{default}:processed"))).isGreaterThan(1);
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

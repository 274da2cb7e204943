package io.jasynq.examples.gointerop;

import static org.assertj.core.api.Assertions.assertThat;

import io.jasynq.TaskInfo;
import io.jasynq.testkit.Poison;
import io.jasynq.testkit.RedisServer;
import io.jasynq.testkit.RedisTest;
import io.jasynq.testkit.TestRedis;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

@RedisTest
class GoInteropTest {

  @Test
  void theTaskForGoIsStoredAsAGoClientStoresIt(RedisServer redis, TestRedis inspect) {
    TaskInfo info = GoInterop.enqueueForGo(redis.uri(), 1001);

    String key = "asynq:{orders}:t:" + info.id();
    Map<String, byte[]> hash = inspect.hgetAll(key);
    assertThat(hash).containsOnlyKeys("msg", "state", "pending_since");
    // The protobuf TaskMessage a Go asynq.Client writes for NewTask("order:ship", payload),
    // asynq.Queue("orders"): type, payload, id, queue, retry 25, timeout 1800 s.
    assertThat(hash.get("msg"))
        .isEqualTo(
            Poison.message("order:ship", bytes("{\"order_id\":1001}"), info.id(), "orders", 25));
    assertThat(inspect.hget(key, "state")).isEqualTo("pending");
    assertThat(inspect.lrange("asynq:{orders}:pending")).containsExactly(info.id());
    assertThat(inspect.smembers("asynq:queues")).containsExactly("orders");
  }

  @Test
  void aTaskWrittenTheWayAGoClientWritesItIsProcessed(RedisServer redis, TestRedis inspect)
      throws Exception {
    // What asynq.Client.Enqueue(asynq.NewTask("invoice:render", payload), asynq.Queue("invoices"))
    // leaves in Redis: the queue registered, the task hash, its ID at the head of the pending list.
    String id = UUID.randomUUID().toString();
    byte[] payload = bytes("{\"invoice_id\":77}");
    String key = "asynq:{invoices}:t:" + id;
    var redisCommands = inspect.commands();
    redisCommands.sadd("asynq:queues", bytes("invoices"));
    redisCommands.hset(
        key,
        Map.of(
            "msg", Poison.message("invoice:render", payload, id, "invoices", 25),
            "state", bytes("pending"),
            "pending_since", bytes(Long.toString(nanos(Instant.now())))));
    redisCommands.lpush("asynq:{invoices}:pending", bytes(id));

    List<String> events = new CopyOnWriteArrayList<>();
    CountDownLatch stop = new CountDownLatch(1);
    ExecutorService thread = Executors.newSingleThreadExecutor();
    try {
      Future<?> server =
          thread.submit(
              () -> {
                GoInterop.serveGoTasks(redis.uri(), stop, events::add);
                return null;
              });
      String expected = "rendered invoice {\"invoice_id\":77} (task " + id + ")";
      long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
      while (!events.contains(expected)) {
        if (server.isDone()) {
          server.get();
        }
        assertThat(System.nanoTime())
            .as("handled in time; events: %s", events)
            .isLessThan(deadline);
        Thread.sleep(20);
      }
      stop.countDown();
      server.get(30, TimeUnit.SECONDS);
    } finally {
      stop.countDown();
      thread.shutdownNow();
      assertThat(thread.awaitTermination(30, TimeUnit.SECONDS)).isTrue();
    }
    assertThat(events).hasSize(1);
    assertThat(inspect.keys(key)).isEmpty();
    assertThat(inspect.get("asynq:{invoices}:processed")).isEqualTo("1");
  }

  private static byte[] bytes(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }

  private static long nanos(Instant t) {
    return t.getEpochSecond() * 1_000_000_000L + t.getNano();
  }
}

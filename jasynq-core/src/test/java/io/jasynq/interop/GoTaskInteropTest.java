package io.jasynq.interop;

import static org.assertj.core.api.Assertions.assertThat;

import io.jasynq.RetryDelay;
import io.jasynq.Server;
import io.jasynq.ServerConfig;
import io.jasynq.support.Golden;
import io.jasynq.testkit.Eventually;
import io.jasynq.testkit.RedisServer;
import io.jasynq.testkit.RedisTest;
import io.jasynq.testkit.TestRedis;
import io.lettuce.core.SetArgs;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;

/**
 * Tasks as Go Asynq v0.24.1 stored them (the golden dump's bytes, keys and fields) are processed by
 * a jasynq server: the same state machine on the same data.
 */
@RedisTest
class GoTaskInteropTest {
  private final RedisServer redisServer;
  private final TestRedis redis;

  GoTaskInteropTest(RedisServer redisServer, TestRedis redis) {
    this.redisServer = redisServer;
    this.redis = redis;
  }

  private void seed(String queue, String id, byte[] msg, Map<String, String> fields) {
    String hash = "asynq:{" + queue + "}:t:" + id;
    redis.commands().hset(hash, Map.of("msg", msg));
    fields.forEach((f, v) -> redis.commands().hset(hash, f, v.getBytes(StandardCharsets.UTF_8)));
    redis.commands().sadd("asynq:queues", queue.getBytes(StandardCharsets.UTF_8));
  }

  @Test
  void goEnqueuedUniquePendingTaskIsProcessedAndItsLockReleased() {
    String id = "bf415da7-1351-4f0f-a141-b79437922470";
    String lock = "asynq:{dump}:unique:dump:pending:0c821edc24a104d0197c2f87d2fd9383";
    seed(
        "dump",
        id,
        Golden.bytes("task.pending_unique"),
        Map.of("state", "pending", "pending_since", "1795340445807490227", "unique_key", lock));
    redis.commands().lpush("asynq:{dump}:pending", id.getBytes(StandardCharsets.UTF_8));
    redis.commands().set(lock, id.getBytes(StandardCharsets.UTF_8), SetArgs.Builder.ex(3600));

    List<String> seen = new CopyOnWriteArrayList<>();
    try (Server server =
        Server.connect(
            redisServer.uri(),
            ServerConfig.builder()
                .queue("dump", 1)
                .taskCheckInterval(Duration.ofMillis(20))
                .build())) {
      server.start(
          ctx ->
              seen.add(
                  ctx.task().type()
                      + " "
                      + new String(ctx.task().payload(), StandardCharsets.UTF_8)
                      + " retry="
                      + ctx.maxRetry()
                      + " id="
                      + ctx.taskId()));
      Eventually.until("processed", () -> redis.keys("asynq:{dump}:t:*").isEmpty());
    }
    assertThat(seen).containsExactly("dump:pending {\"state\":\"pending\"} retry=25 id=" + id);
    assertThat(redis.keys(lock)).isEmpty();
    assertThat(redis.get("asynq:{dump}:processed")).isEqualTo("1");
  }

  @Test
  void goRetryTaskKeepsItsRetryCountAndIsArchivedWhenExhausted() throws Exception {
    // Go's retry task: MaxRetry(3), retried once. Make it due and fail it twice more.
    String id = "28d03aa4-551d-4ddd-8605-88fa797f6918";
    seed("dump", id, Golden.bytes("task.retry"), Map.of("state", "retry"));
    redis.commands().zadd("asynq:{dump}:retry", 1, id.getBytes(StandardCharsets.UTF_8));
    List<Integer> retries = new CopyOnWriteArrayList<>();
    try (Server server =
        Server.connect(
            redisServer.uri(),
            ServerConfig.builder()
                .queue("dump", 1)
                .taskCheckInterval(Duration.ofMillis(20))
                .delayedTaskCheckInterval(Duration.ofMillis(50))
                .retryDelay(RetryDelay.constant(Duration.ZERO))
                .build())) {
      server.start(
          ctx -> {
            retries.add(ctx.retryCount());
            throw new IllegalStateException("still failing");
          });
      Eventually.until(
          "archived", () -> "archived".equals(redis.hget("asynq:{dump}:t:" + id, "state")));
    }
    assertThat(retries).containsExactly(1, 2, 3);
    var msg =
        io.jasynq.internal.broker.proto.TaskMessage.parseFrom(
            redis.hgetAll("asynq:{dump}:t:" + id).get("msg"));
    assertThat(msg.getRetried()).isEqualTo(3);
    assertThat(msg.getErrorMsg()).isEqualTo("still failing");
    assertThat(msg.getType()).isEqualTo("dump:retry");
  }
}

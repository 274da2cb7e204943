package io.jasynq.opentelemetry;

import static org.assertj.core.api.Assertions.assertThat;

import io.jasynq.Server;
import io.jasynq.ServerConfig;
import io.jasynq.testkit.RedisServer;
import io.jasynq.testkit.RedisTest;
import io.jasynq.testkit.TestRedis;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.sdk.trace.data.SpanData;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;

/**
 * A task as Go Asynq v0.26 stores it, with a {@code traceparent} header written by a Go producer
 * (TaskMessage field 15), continues the Go trace in jasynq's process span.
 */
@RedisTest
class GoTraceInteropTest {
  private static final String TRACE_ID = "4bf92f3577b34da6a3ce929d0e0e4736";
  private static final String SPAN_ID = "00f067aa0ba902b7";
  private static final String ID = "6c1e5a53-3a55-4cc6-9a0e-1f2d3c4b5a69";

  private final RedisServer redisServer;
  private final TestRedis redis;

  GoTraceInteropTest(RedisServer redisServer, TestRedis redis) {
    this.redisServer = redisServer;
    this.redis = redis;
  }

  @Test
  void goTaskWithTraceparentHeaderIsProcessedAsAChildOfTheGoSpan() {
    byte[] msg =
        new GoTaskMessage()
            .string(1, "report:build")
            .bytes(2, "{\"id\":7}".getBytes(StandardCharsets.UTF_8))
            .string(3, ID)
            .string(4, "go")
            .int64(5, 3)
            .int64(8, 1800)
            .map(15, Map.of("traceparent", "00-" + TRACE_ID + "-" + SPAN_ID + "-01"))
            .encode();
    seedPending("go", ID, msg);

    List<String> seen = new CopyOnWriteArrayList<>();
    try (Tracing tracing = new Tracing()) {
      JasynqTelemetry telemetry = JasynqTelemetry.builder(tracing.sdk).consumerParent(true).build();
      try (Server server =
          Server.connect(
              redisServer.uri(),
              ServerConfig.builder()
                  .queue("go", 1)
                  .taskCheckInterval(Duration.ofMillis(20))
                  .middleware(telemetry.middleware())
                  .build())) {
        server.start(ctx -> seen.add(ctx.task().type() + " " + ctx.task().headers()));
        tracing.await(SpanKind.CONSUMER, 1);
      }
      SpanData process = tracing.spans(SpanKind.CONSUMER).get(0);
      assertThat(process.getName()).isEqualTo("process go");
      assertThat(process.getTraceId()).isEqualTo(TRACE_ID);
      assertThat(process.getParentSpanId()).isEqualTo(SPAN_ID);
      assertThat(process.getParentSpanContext().isRemote()).isTrue();
      assertThat(process.getAttributes().asMap())
          .containsEntry(MessagingAttributes.MESSAGING_MESSAGE_ID, ID)
          .containsEntry(MessagingAttributes.TASK_MAX_RETRY, 3L)
          .containsEntry(MessagingAttributes.MESSAGING_MESSAGE_BODY_SIZE, 8L);
    }
    assertThat(seen)
        .containsExactly("report:build {traceparent=00-" + TRACE_ID + "-" + SPAN_ID + "-01}");
  }

  /** The task hash, pending list and queue registry as Go's enqueue script writes them. */
  private void seedPending(String queue, String id, byte[] msg) {
    String hash = "asynq:{" + queue + "}:t:" + id;
    redis.commands().hset(hash, Map.of("msg", msg));
    redis.commands().hset(hash, "state", bytes("pending"));
    redis.commands().hset(hash, "pending_since", bytes("1795340445807490227"));
    redis.commands().lpush("asynq:{" + queue + "}:pending", bytes(id));
    redis.commands().sadd("asynq:queues", bytes(queue));
  }

  private static byte[] bytes(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }
}

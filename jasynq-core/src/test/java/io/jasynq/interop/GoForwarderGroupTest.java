package io.jasynq.interop;

import static io.jasynq.TaskOption.group;
import static io.jasynq.TaskOption.processIn;
import static io.jasynq.TaskOption.queue;
import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import io.jasynq.Client;
import io.jasynq.GroupInfo;
import io.jasynq.Inspector;
import io.jasynq.QueueInfo;
import io.jasynq.ServerConfig;
import io.jasynq.Task;
import io.jasynq.internal.broker.proto.TaskMessage;
import io.jasynq.support.Batches;
import io.jasynq.support.LogCapture;
import io.jasynq.support.ServerFixture;
import io.jasynq.support.ServerTest;
import io.jasynq.testkit.Eventually;
import io.jasynq.testkit.FakeClock;
import io.jasynq.testkit.RedisServer;
import io.jasynq.testkit.TestRedis;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;

/**
 * Mixed fleets: what a Go Asynq server does to tasks a jasynq client wrote (wire-format §3.15,
 * §3.23, §8.5), replayed here as the exact key writes Go makes, and what jasynq then sees.
 */
@ServerTest
class GoForwarderGroupTest {
  private static final Instant T0 = Instant.parse("2026-11-22T10:00:00Z");

  private final TestRedis redis;
  private final ServerFixture fixture;
  private final FakeClock clock;
  private final Client client;
  private final List<String> handled = new CopyOnWriteArrayList<>();

  GoForwarderGroupTest(TestRedis redis, ServerFixture fixture) {
    this.redis = redis;
    this.fixture = fixture;
    this.clock = fixture.clock();
    this.client = fixture.client();
    clock.set(T0);
  }

  /**
   * Go's forwarder on a due task whose hash has a {@code group} field (wire-format §3.15): ZADD
   * into the group scored now, ZREM from the source, state aggregating, and no SADD to the
   * registry.
   */
  private void goForward(String source, String id) {
    String task = "asynq:{q}:t:" + id;
    String groupKey = "asynq:{q}:g:" + redis.hget(task, "group");
    redis.commands().zadd(groupKey, clock.now().getEpochSecond(), id.getBytes(UTF_8));
    redis.commands().zrem(source, id.getBytes(UTF_8));
    redis.commands().hset(task, "state", "aggregating".getBytes(UTF_8));
  }

  private void startAggregatingServer() {
    ServerConfig config =
        ServerConfig.builder()
            .queue("q", 1)
            .clock(clock)
            .taskCheckInterval(Duration.ofMillis(20))
            .groupGracePeriod(Duration.ofSeconds(1))
            .groupAggregator(Batches.joiningPayloads())
            .build();
    fixture.start(config, ctx -> handled.add(Batches.typeAndPayload(ctx.task())));
  }

  private String scheduleGrouped(String payload) {
    return client
        .enqueue(Task.of("item", payload), queue("q"), group("g"), processIn(Duration.ofMinutes(1)))
        .id();
  }

  @Test
  void aGroupedTaskScheduledByJasynqAndMovedInByAGoForwarderIsVisibleAndAggregated(
      RedisServer redisServer) {
    String id = scheduleGrouped("p1");
    clock.advance(Duration.ofMinutes(1));
    goForward("asynq:{q}:scheduled", id);

    try (Inspector inspector = Inspector.connect(redisServer.uri())) {
      assertThat(inspector.groups("q")).containsExactly(new GroupInfo("g", 1));
      QueueInfo info = inspector.queueInfo("q");
      assertThat(info.aggregating()).isEqualTo(1);
      assertThat(info.groups()).isEqualTo(1);
    }

    clock.advance(Duration.ofSeconds(1)); // the grace period has passed
    startAggregatingServer();
    Eventually.until("the group aggregated", () -> handled.size() == 1);
    assertThat(handled).containsExactly("batch g:p1");
  }

  @Test
  void aGroupAGoAggregatorUnregisteredMeanwhileIsRegisteredAgainAndAggregatedByAJasynqServer() {
    String id = scheduleGrouped("p1");
    clock.advance(Duration.ofMinutes(1));
    // A Go aggregator took the group's last tasks before this one was due (wire-format §3.23) ...
    redis.commands().srem("asynq:{q}:groups", "g".getBytes(UTF_8));
    // ... and a Go forwarder moved it in later: nobody would ever see it.
    goForward("asynq:{q}:scheduled", id);
    clock.advance(Duration.ofSeconds(1));

    try (LogCapture log = LogCapture.start()) {
      startAggregatingServer();
      Eventually.until("the group aggregated", () -> handled.size() == 1);
      assertThat(handled).containsExactly("batch g:p1");
      assertThat(log.warningsAndErrors())
          .anyMatch(w -> w.contains("group \"g\" of queue \"q\" held 1 tasks"));
    }
  }

  @Test
  void headersAreGoneOnceAGoV025ServerReencodedTheTask() throws Exception {
    // Go v0.24 and v0.25 know no field 15: retry, archive and complete write the message again
    // without it (wire-format §8.5). Here, the retry of a task jasynq enqueued with a header.
    client.enqueue(Task.builder("kept").header("trace", "t-1").build());
    String lost = client.enqueue(Task.builder("lost").header("trace", "t-2").build()).id();
    String hash = "asynq:{default}:t:" + lost;
    TaskMessage reencoded =
        TaskMessage.parseFrom(redis.hgetAll(hash).get("msg")).toBuilder()
            .clearHeaders()
            .setRetried(1)
            .setErrorMsg("boom")
            .build();
    redis.commands().hset(hash, "msg", reencoded.toByteArray());

    Map<String, Map<String, String>> seen = new ConcurrentHashMap<>();
    fixture.start(
        ServerConfig.builder().clock(clock).taskCheckInterval(Duration.ofMillis(20)).build(),
        ctx -> seen.put(ctx.task().type(), ctx.task().headers()));

    Eventually.until("both handled", () -> seen.size() == 2);
    assertThat(seen.get("kept")).containsExactly(Map.entry("trace", "t-1"));
    assertThat(seen.get("lost")).isEmpty();
  }
}

package io.jasynq.client;

import static io.jasynq.TaskOption.debounce;
import static io.jasynq.TaskOption.group;
import static io.jasynq.TaskOption.processIn;
import static io.jasynq.TaskOption.queue;
import static io.jasynq.TaskOption.taskId;
import static io.jasynq.TaskOption.unique;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.jasynq.Client;
import io.jasynq.DuplicateTaskException;
import io.jasynq.Scheduler;
import io.jasynq.Server;
import io.jasynq.ServerConfig;
import io.jasynq.Task;
import io.jasynq.TaskInfo;
import io.jasynq.TaskState;
import io.jasynq.internal.broker.proto.TaskMessage;
import io.jasynq.testkit.Eventually;
import io.jasynq.testkit.FakeClock;
import io.jasynq.testkit.RedisServer;
import io.jasynq.testkit.RedisTest;
import io.jasynq.testkit.TestRedis;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * TaskOption.debounce on a real Redis and a fake clock: a burst of enqueues leaves one scheduled
 * task with the last payload, a burst never holds it back past its max wait, and a server runs it
 * once.
 */
@RedisTest
class DebounceTest {
  private static final Instant T0 = Instant.parse("2035-06-01T12:00:00Z");
  private static final String LOCK = "asynq:{d}:unique:key:user-7";

  private final RedisServer server;
  private final TestRedis redis;
  private final FakeClock clock = FakeClock.at(T0);
  private final Client client;

  DebounceTest(RedisServer server, TestRedis redis) {
    this.server = server;
    this.redis = redis;
    this.client = Client.builder().uri(server.uri()).clock(clock).build();
  }

  @AfterEach
  void close() {
    client.close();
  }

  private TaskInfo event(int n) {
    return client.enqueue(
        Task.of("profile:reindex", "{\"n\":" + n + "}"),
        queue("d"),
        debounce("user-7", Duration.ofSeconds(10), Duration.ofSeconds(60)));
  }

  private String payloadOf(String id) throws Exception {
    byte[] msg = redis.hgetAll("asynq:{d}:t:" + id).get("msg");
    return TaskMessage.parseFrom(msg).getPayload().toStringUtf8();
  }

  @Test
  void aBurstOfAHundredLeavesOneScheduledTaskWithTheLastPayload() throws Exception {
    Set<String> ids = new HashSet<>();
    TaskInfo last = null;
    for (int i = 1; i <= 100; i++) {
      last = event(i);
      ids.add(last.id());
      assertThat(last.state()).isEqualTo(TaskState.SCHEDULED);
      assertThat(last.nextProcessAt()).contains(T0.plusSeconds(10));
    }
    assertThat(ids).as("each replacement has its own ID").hasSize(100);
    assertThat(redis.zrangeWithScores("asynq:{d}:scheduled"))
        .containsExactly(
            java.util.Map.entry(last.id(), (double) T0.plusSeconds(10).getEpochSecond()));
    assertThat(redis.keys("asynq:{d}:t:*")).containsExactly("asynq:{d}:t:" + last.id());
    assertThat(payloadOf(last.id())).isEqualTo("{\"n\":100}");
    assertThat(redis.get(LOCK)).isEqualTo(last.id());
    assertThat(redis.hget("asynq:{d}:t:" + last.id(), "unique_key")).isEqualTo(LOCK);
    assertThat(redis.hget("asynq:{d}:t:" + last.id(), "debounce_until"))
        .isEqualTo(Long.toString(T0.plusSeconds(60).getEpochSecond()));
  }

  @Test
  void aBurstNeverHoldsTheTaskPastItsMaxWaitAndALaterEventStartsANewBurst() throws Exception {
    TaskInfo first = event(1);
    clock.set(T0.plusSeconds(30));
    TaskInfo second = event(2); // runs at T0+40, within T0+60: replaces the first
    assertThat(redis.keys("asynq:{d}:t:" + first.id())).isEmpty();
    clock.set(T0.plusSeconds(55));
    TaskInfo third = event(3); // T0+65 would overrun the window: a new burst
    assertThat(third.nextProcessAt()).contains(T0.plusSeconds(65));
    assertThat(redis.zrangeWithScores("asynq:{d}:scheduled"))
        .containsExactly(
            java.util.Map.entry(second.id(), (double) T0.plusSeconds(40).getEpochSecond()),
            java.util.Map.entry(third.id(), (double) T0.plusSeconds(65).getEpochSecond()));
    assertThat(payloadOf(second.id())).isEqualTo("{\"n\":2}");
    assertThat(redis.get(LOCK)).isEqualTo(third.id());
    assertThat(redis.hget("asynq:{d}:t:" + third.id(), "debounce_until"))
        .isEqualTo(Long.toString(T0.plusSeconds(115).getEpochSecond()));
  }

  @Test
  void aServerRunsTheBurstOnceWithTheLastPayloadAndReleasesTheLock() {
    for (int i = 1; i <= 100; i++) {
      event(i);
    }
    List<String> ran = new CopyOnWriteArrayList<>();
    ServerConfig config =
        ServerConfig.builder()
            .clock(clock)
            .queue("d", 1)
            .taskCheckInterval(Duration.ofMillis(20))
            .delayedTaskCheckInterval(Duration.ofMillis(20))
            .build();
    try (Server s = Server.connect(server.uri(), config)) {
      s.start(ctx -> ran.add(new String(ctx.task().payload(), StandardCharsets.UTF_8)));
      clock.set(T0.plusSeconds(11));
      Eventually.until("the debounced task ran", () -> !ran.isEmpty());
      Eventually.until("its lock released", () -> redis.get(LOCK) == null);
      TaskInfo after = event(101); // a new burst
      assertThat(after.nextProcessAt()).contains(T0.plusSeconds(21));
    }
    assertThat(ran).containsExactly("{\"n\":100}");
  }

  @Test
  void aLockNamingAKeyThatIsNotATaskHashStartsANewBurstAndLeavesThatKeyAlone() throws Exception {
    redis.commands().set(LOCK, "junk".getBytes(StandardCharsets.UTF_8));
    redis.commands().set("asynq:{d}:t:junk", "not a hash".getBytes(StandardCharsets.UTF_8));
    TaskInfo info = event(1);
    assertThat(redis.get(LOCK)).isEqualTo(info.id());
    assertThat(redis.get("asynq:{d}:t:junk")).isEqualTo("not a hash");
    assertThat(payloadOf(info.id())).isEqualTo("{\"n\":1}");
  }

  @Test
  void theKeyIsSharedWithUniqueAndBadCombinationsAreRejected() {
    client.enqueue(Task.of("t"), queue("d"), unique("user-7", Duration.ofHours(1)));
    assertThatThrownBy(() -> event(1)).isInstanceOf(DuplicateTaskException.class);
    redis.commands().del(LOCK);
    event(2);
    assertThatThrownBy(
            () -> client.enqueue(Task.of("t"), queue("d"), unique("user-7", Duration.ofHours(1))))
        .isInstanceOf(DuplicateTaskException.class);

    Duration s10 = Duration.ofSeconds(10);
    assertThatThrownBy(() -> debounce("k", s10, Duration.ofSeconds(5)))
        .hasMessage("debounce maxWait must be at least the delay (PT10S), was PT5S");
    assertThatThrownBy(() -> debounce("k", Duration.ofMillis(100), s10))
        .hasMessageContaining("debounce delay");
    assertThatThrownBy(() -> debounce(" ", s10, s10))
        .hasMessage("debounce key must contain one or more characters, was \" \"");
    for (var other :
        List.of(unique(Duration.ofHours(1)), processIn(s10), group("g"), taskId("x"))) {
      assertThatThrownBy(() -> client.enqueue(Task.of("t"), debounce("k", s10, s10), other))
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessageStartingWith("debounce cannot be combined with ");
    }
    try (Scheduler scheduler = Scheduler.connect(server.uri())) {
      assertThatThrownBy(
              () -> scheduler.register("@every 1m", Task.of("t"), debounce("k", s10, s10)))
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessageContaining("not for periodic tasks");
    }
  }
}

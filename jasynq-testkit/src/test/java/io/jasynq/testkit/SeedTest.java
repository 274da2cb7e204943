package io.jasynq.testkit;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.protobuf.UnknownFieldSet;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Each state is written with the keys, fields and message of Asynq's schema (wire-format §1, §2).
 */
@RedisTest
class SeedTest {
  private static final Instant NOW = Instant.parse("2030-01-02T03:04:05Z");
  private static final long NOW_S = NOW.getEpochSecond();

  private final TestRedis redis;
  private final Seed seed;

  SeedTest(TestRedis redis) {
    this.redis = redis;
    this.seed = Seed.into(redis, FakeClock.at(NOW));
  }

  private UnknownFieldSet msg(String queue, String id) throws Exception {
    return UnknownFieldSet.parseFrom(redis.hgetAll("asynq:{" + queue + "}:t:" + id).get("msg"));
  }

  private static String text(UnknownFieldSet m, int field) {
    return m.getField(field).getLengthDelimitedList().get(0).toStringUtf8();
  }

  private static long number(UnknownFieldSet m, int field) {
    var values = m.getField(field).getVarintList();
    return values.isEmpty() ? 0 : values.get(0);
  }

  @Test
  void aPendingTaskIsAtTheHeadOfPendingWithItsMessageAndPendingSince() throws Exception {
    String first = seed.queue("q").pending("email", "{\"to\":1}");
    String second = seed.queue("q").task("email").id("fixed-id").pending();

    assertThat(redis.lrange("asynq:{q}:pending")).containsExactly(second, first);
    assertThat(second).isEqualTo("fixed-id");
    assertThat(redis.smembers("asynq:queues")).containsExactly("q");
    Map<String, byte[]> hash = redis.hgetAll("asynq:{q}:t:" + first);
    assertThat(hash).containsOnlyKeys("msg", "state", "pending_since");
    assertThat(new String(hash.get("state"), UTF_8)).isEqualTo("pending");
    assertThat(new String(hash.get("pending_since"), UTF_8)).isEqualTo(NOW_S + "000000000");
    UnknownFieldSet m = msg("q", first);
    assertThat(text(m, 1)).isEqualTo("email");
    assertThat(text(m, 2)).isEqualTo("{\"to\":1}");
    assertThat(text(m, 3)).isEqualTo(first);
    assertThat(text(m, 4)).isEqualTo("q");
    assertThat(number(m, 5)).isEqualTo(Seed.DEFAULT_MAX_RETRY);
    assertThat(number(m, 8)).isEqualTo(1800);
  }

  @Test
  void anActiveTaskHoldsALease() {
    String id = seed.queue("q").task("t").active(NOW.plusSeconds(30));

    assertThat(redis.lrange("asynq:{q}:active")).containsExactly(id);
    assertThat(redis.zrangeWithScores("asynq:{q}:lease"))
        .containsExactly(Map.entry(id, NOW_S + 30.0));
    assertThat(redis.hget("asynq:{q}:t:" + id, "state")).isEqualTo("active");
    assertThat(redis.hget("asynq:{q}:t:" + id, "pending_since")).isNull();
  }

  @Test
  void scheduledRetryAndArchivedTasksAreScoredWithTheirTime() throws Exception {
    String scheduled = seed.queue("q").task("t").scheduled(NOW.plusSeconds(60));
    String retry =
        seed.queue("q")
            .task("t")
            .maxRetry(5)
            .retried(2)
            .lastError("boom", NOW.minusSeconds(1))
            .retry(NOW.plusSeconds(90));
    String archived = seed.queue("q").task("t").archived(NOW.minusSeconds(10));

    assertThat(redis.zrangeWithScores("asynq:{q}:scheduled"))
        .containsExactly(Map.entry(scheduled, NOW_S + 60.0));
    assertThat(redis.zrangeWithScores("asynq:{q}:retry"))
        .containsExactly(Map.entry(retry, NOW_S + 90.0));
    assertThat(redis.zrangeWithScores("asynq:{q}:archived"))
        .containsExactly(Map.entry(archived, NOW_S - 10.0));
    assertThat(redis.hget("asynq:{q}:t:" + retry, "state")).isEqualTo("retry");
    UnknownFieldSet m = msg("q", retry);
    assertThat(number(m, 5)).isEqualTo(5);
    assertThat(number(m, 6)).isEqualTo(2);
    assertThat(text(m, 7)).isEqualTo("boom");
    assertThat(number(m, 11)).isEqualTo(NOW_S - 1);
  }

  @Test
  void aCompletedTaskIsKeptUntilTheEndOfItsRetention() throws Exception {
    String id = seed.queue("q").task("t").completed(NOW, Duration.ofHours(1));

    assertThat(redis.zrangeWithScores("asynq:{q}:completed"))
        .containsExactly(Map.entry(id, NOW_S + 3600.0));
    UnknownFieldSet m = msg("q", id);
    assertThat(number(m, 12)).isEqualTo(3600);
    assertThat(number(m, 13)).isEqualTo(NOW_S);
    assertThatThrownBy(() -> seed.queue("q").task("t").completed(NOW, Duration.ZERO))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("retention");
  }

  @Test
  void anAggregatingTaskIsInItsGroupAndTheGroupIsKnown() throws Exception {
    String id = seed.queue("q").task("t").aggregating("g1", NOW);

    assertThat(redis.zrangeWithScores("asynq:{q}:g:g1"))
        .containsExactly(Map.entry(id, NOW_S + 0.0));
    assertThat(redis.smembers("asynq:{q}:groups")).containsExactly("g1");
    assertThat(redis.hget("asynq:{q}:t:" + id, "group")).isEqualTo("g1");
    assertThat(redis.hget("asynq:{q}:t:" + id, "state")).isEqualTo("aggregating");
    assertThat(text(msg("q", id), 14)).isEqualTo("g1");
  }

  @Test
  void aScheduledTaskOfAGroupNamesItsGroupAndRetentionIsInTheMessage() throws Exception {
    String id =
        seed.queue("q").task("t").group("g").retention(Duration.ofMinutes(5)).scheduled(NOW);

    assertThat(redis.hget("asynq:{q}:t:" + id, "group")).isEqualTo("g");
    assertThat(redis.smembers("asynq:{q}:groups")).containsExactly("g");
    assertThat(redis.keys("asynq:{q}:g:*")).isEmpty();
    UnknownFieldSet m = msg("q", id);
    assertThat(text(m, 14)).isEqualTo("g");
    assertThat(number(m, 12)).isEqualTo(300);
  }

  @Test
  void aDeadlineReplacesTheDefaultTimeout() throws Exception {
    String id = seed.queue("q").task("t").deadline(NOW.plusSeconds(5)).pending();

    UnknownFieldSet m = msg("q", id);
    assertThat(number(m, 9)).isEqualTo(NOW_S + 5);
    assertThat(m.hasField(8)).isFalse();
  }

  @Test
  void aTaskIsWrittenOnce() {
    Seed.Task task = seed.queue("q").task("t");
    task.pending();

    assertThatThrownBy(() -> task.archived(NOW)).isInstanceOf(IllegalStateException.class);
    assertThat(redis.keys("asynq:{q}:archived")).isEmpty();
  }

  @Test
  void poisonWritesTheSameMessageBytesThroughTheSharedEncoder() {
    WireMessage m = new WireMessage();
    m.type = "a".getBytes(UTF_8);
    m.payload = "p".getBytes(UTF_8);
    m.id = "i".getBytes(UTF_8);
    m.queue = "q".getBytes(UTF_8);
    m.retry = 3;
    m.timeout = 1800;

    assertThat(Poison.message("a", "p".getBytes(UTF_8), "i", "q", 3))
        .containsExactly(
            0x0a, 1, 'a', 0x12, 1, 'p', 0x1a, 1, 'i', 0x22, 1, 'q', 0x28, 3, 0x40, 0x88, 0x0e)
        .isEqualTo(m.encode());
  }
}

package io.jasynq.internal.broker;

import static io.jasynq.TaskOption.maxRetry;
import static io.jasynq.TaskOption.queue;
import static io.jasynq.TaskOption.unique;
import static io.jasynq.internal.broker.BrokerFixture.BAD_MSG;
import static io.jasynq.internal.broker.BrokerFixture.DAY;
import static io.jasynq.internal.broker.BrokerFixture.FAILURE_COUNTERS;
import static io.jasynq.internal.broker.BrokerFixture.LEASE;
import static io.jasynq.internal.broker.BrokerFixture.NOW;
import static io.jasynq.internal.broker.BrokerFixture.NOW_S;
import static org.assertj.core.api.Assertions.assertThat;

import io.jasynq.Task;
import io.jasynq.TaskInfo;
import io.jasynq.internal.broker.proto.TaskMessage;
import io.lettuce.core.ScriptOutputType;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Archive (wire-format §3.14) with exact trimming, and archiving of undecodable messages (§9.7).
 */
@BrokerTest
class BrokerArchiveTest {
  private static final long DAYS_90 = Duration.ofDays(90).toSeconds();

  /** Seeds archived tasks old-1..old-N, scored base+1..base+N, each with a hash. */
  private static final String SEED =
      "for i = 1, tonumber(ARGV[1]) do\n"
          + "  local id = 'old-' .. i\n"
          + "  redis.call('ZADD', KEYS[1], tonumber(ARGV[2]) + i, id)\n"
          + "  redis.call('HSET', ARGV[3] .. id, 'msg', 'x', 'state', 'archived')\n"
          + "end\n"
          + "return 1";

  private final BrokerFixture f;

  BrokerArchiveTest(BrokerFixture f) {
    this.f = f;
  }

  private void seedArchived(int count, long base) {
    f.redis
        .commands()
        .eval(
            SEED,
            ScriptOutputType.INTEGER,
            new String[] {"asynq:{q}:archived"},
            Long.toString(count).getBytes(),
            Long.toString(base).getBytes(),
            "asynq:{q}:t:".getBytes());
  }

  @Test
  void archiveMovesTheTaskToArchivedAndCountsItFailed() throws Exception {
    TaskMessage msg =
        f.active(Task.of("t", "p"), queue("q"), maxRetry(3), unique(Duration.ofHours(1)));

    f.await(f.broker.outcomes().archive(msg, NOW, "gave up"));

    String hash = Keys.task("q", msg.getId());
    List<String> counters = FAILURE_COUNTERS;
    assertThat(f.redis.keys("*"))
        .containsExactlyInAnyOrder(
            "asynq:queues",
            "asynq:{q}:archived",
            hash,
            msg.getUniqueKey(),
            counters.get(0),
            counters.get(1),
            counters.get(2),
            counters.get(3));
    assertThat(f.redis.zrangeWithScores("asynq:{q}:archived"))
        .containsExactly(Map.entry(msg.getId(), (double) NOW_S));
    assertThat(f.redis.hkeys(hash)).containsExactly("msg", "state", "unique_key");
    assertThat(f.redis.hget(hash, "state")).isEqualTo("archived");
    assertThat(f.msg("q", msg.getId()))
        .isEqualTo(msg.toBuilder().setErrorMsg("gave up").setLastFailedAt(NOW_S).build());
    f.assertOneFailureCounted();
    assertThat(f.redis.get(msg.getUniqueKey())).isEqualTo(msg.getId()); // kept until its TTL
  }

  @Test
  void archiveKeepsExactlyTheNewestTenThousandAndDeletesTrimmedHashes() {
    seedArchived(10_005, NOW_S - 100_000);
    TaskMessage msg = f.active(Task.of("t"), queue("q"));

    f.await(f.broker.outcomes().archive(msg, NOW, "boom"));

    assertThat(f.redis.commands().zcard("asynq:{q}:archived")).isEqualTo(10_000L);
    for (int i = 1; i <= 6; i++) {
      assertThat(f.redis.commands().zscore("asynq:{q}:archived", ("old-" + i).getBytes())).isNull();
      assertThat(f.redis.type("asynq:{q}:t:old-" + i)).isEqualTo("none");
    }
    assertThat(f.redis.commands().zscore("asynq:{q}:archived", "old-7".getBytes())).isNotNull();
    assertThat(f.redis.type("asynq:{q}:t:old-7")).isEqualTo("hash");
    assertThat(f.redis.commands().zscore("asynq:{q}:archived", msg.getId().getBytes()))
        .isEqualTo((double) NOW_S);
    assertThat(f.redis.keys("asynq:{q}:t:*")).hasSize(10_000);
  }

  @Test
  void archiveTrimsTasksArchivedNinetyDaysAgoOrEarlier() {
    seedArchived(3, NOW_S - DAYS_90 - 2); // old-1: cutoff - 1, old-2: cutoff, old-3: cutoff + 1
    TaskMessage msg = f.active(Task.of("t"), queue("q"));

    f.await(f.broker.outcomes().archive(msg, NOW, "boom"));

    assertThat(f.redis.zrangeWithScores("asynq:{q}:archived"))
        .containsExactly(
            Map.entry("old-3", (double) (NOW_S - DAYS_90 + 1)),
            Map.entry(msg.getId(), (double) NOW_S));
    assertThat(f.redis.keys("asynq:{q}:t:*"))
        .containsExactlyInAnyOrder("asynq:{q}:t:old-3", Keys.task("q", msg.getId()));
  }

  @Test
  void archiveTrimsAnAgedBacklogLargerThanOneChunk() {
    seedArchived(2_500, NOW_S - DAYS_90 - 5_000);
    TaskMessage msg = f.active(Task.of("t"), queue("q"));

    f.await(f.broker.outcomes().archive(msg, NOW, "boom"));

    assertThat(f.redis.zrangeWithScores("asynq:{q}:archived")).containsOnlyKeys(msg.getId());
    assertThat(f.redis.keys("asynq:{q}:t:*")).containsExactly(Keys.task("q", msg.getId()));
  }

  @Test
  void archiveTrimsAnOversizedArchiveLargerThanOneChunk() {
    seedArchived(11_500, NOW_S - 100_000);
    TaskMessage msg = f.active(Task.of("t"), queue("q"));

    f.await(f.broker.outcomes().archive(msg, NOW, "boom"));

    assertThat(f.redis.commands().zcard("asynq:{q}:archived")).isEqualTo(10_000L);
    assertThat(f.redis.commands().zrange("asynq:{q}:archived", 0, 0))
        .containsExactly("old-1502".getBytes());
    assertThat(f.redis.type("asynq:{q}:t:old-1501")).isEqualTo("none");
    assertThat(f.redis.keys("asynq:{q}:t:*")).hasSize(10_000);
  }

  @Test
  void archiveMalformedLeavesAMessageGoCanDecodeAndKeepsTheOriginalBytes() throws Exception {
    TaskInfo info = f.enqueue(Task.of("t"), queue("q"));
    String hash = Keys.task("q", info.id());
    f.redis.commands().hset(hash, "msg", BAD_MSG);
    Dequeued d = f.await(f.broker.tasks().dequeue(List.of("q"), NOW, LEASE));
    assertThat(d.decodeError()).isNotNull();

    f.await(
        f.broker.outcomes().archiveMalformed("q", d.id(), d.rawMessage(), d.decodeError(), NOW));

    assertThat(f.redis.keys("asynq:{q}:*"))
        .containsExactlyInAnyOrder(
            "asynq:{q}:archived",
            hash,
            "asynq:{q}:processed:" + DAY,
            "asynq:{q}:failed:" + DAY,
            "asynq:{q}:processed",
            "asynq:{q}:failed");
    assertThat(f.redis.zrangeWithScores("asynq:{q}:archived"))
        .containsExactly(Map.entry(info.id(), (double) NOW_S));
    assertThat(f.redis.hkeys(hash)).containsExactly("malformed_msg", "msg", "state");
    assertThat(f.redis.hget(hash, "state")).isEqualTo("archived");
    assertThat(f.redis.hgetAll(hash).get("malformed_msg")).isEqualTo(BAD_MSG);
    TaskMessage replacement = f.msg("q", info.id());
    assertThat(replacement)
        .isEqualTo(
            TaskMessage.newBuilder()
                .setId(info.id())
                .setQueue("q")
                .setType(MalformedTask.TYPE)
                .setErrorMsg("malformed task message: " + d.decodeError())
                .setLastFailedAt(NOW_S)
                .build());
    assertThat(f.redis.get("asynq:{q}:failed")).isEqualTo("1");
  }

  @Test
  void archiveMalformedOfAHashWithoutMsgWritesNoOriginal() throws Exception {
    f.redis.commands().hset(Keys.task("q", "bare"), "state", "pending".getBytes());
    f.redis.commands().lpush("asynq:{q}:pending", "bare".getBytes());
    Dequeued d = f.await(f.broker.tasks().dequeue(List.of("q"), NOW, LEASE));

    f.await(
        f.broker.outcomes().archiveMalformed("q", "bare", d.rawMessage(), d.decodeError(), NOW));

    assertThat(f.redis.hkeys(Keys.task("q", "bare"))).containsExactly("msg", "state");
    assertThat(f.msg("q", "bare").getErrorMsg()).contains("no msg");
  }
}

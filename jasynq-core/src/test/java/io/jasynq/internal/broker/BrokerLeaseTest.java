package io.jasynq.internal.broker;

import static io.jasynq.TaskOption.queue;
import static io.jasynq.internal.broker.BrokerFixture.BAD_MSG;
import static io.jasynq.internal.broker.BrokerFixture.LEASE_S;
import static io.jasynq.internal.broker.BrokerFixture.NOW;
import static io.jasynq.internal.broker.BrokerFixture.NOW_S;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.jasynq.Task;
import io.jasynq.internal.broker.proto.TaskMessage;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The recoverer's ListLeaseExpired (wire-format §3.17) and the heartbeat's ExtendLease (§3.18). */
@BrokerTest
class BrokerLeaseTest {
  private final BrokerFixture f;

  BrokerLeaseTest(BrokerFixture f) {
    this.f = f;
  }

  private TaskMessage activeWithLease(long leaseScore) {
    TaskMessage msg = f.active(Task.of("t"), queue("q"));
    f.redis.commands().zadd("asynq:{q}:lease", (double) leaseScore, msg.getId().getBytes());
    return msg;
  }

  @Test
  void listsTasksWhoseLeaseEndedAtOrBeforeTheCutoffOldestFirst() {
    TaskMessage older = activeWithLease(NOW_S - 40);
    TaskMessage atCutoff = activeWithLease(NOW_S - 30);
    activeWithLease(NOW_S - 29);
    Map<String, String> before = f.snapshot();

    List<Leased> expired =
        f.await(f.broker.tasks().listLeaseExpired("q", NOW.minusSeconds(30))).leased();

    assertThat(expired).extracting(Leased::id).containsExactly(older.getId(), atCutoff.getId());
    assertThat(expired).extracting(Leased::message).containsExactly(older, atCutoff);
    assertThat(expired).extracting(Leased::queue).containsOnly("q");
    assertThat(expired).extracting(Leased::decodeError).containsOnlyNulls();
    assertThat(f.snapshot()).isEqualTo(before);
  }

  @Test
  void aBadMessageComesBackOnItsOwnWithoutFailingTheOthers() {
    TaskMessage bad = activeWithLease(NOW_S - 50);
    TaskMessage good = activeWithLease(NOW_S - 40);
    f.redis.commands().hset(Keys.task("q", bad.getId()), "msg", BAD_MSG);

    List<Leased> expired = f.await(f.broker.tasks().listLeaseExpired("q", NOW)).leased();

    assertThat(expired).hasSize(2);
    assertThat(expired.get(0).id()).isEqualTo(bad.getId());
    assertThat(expired.get(0).message()).isNull();
    assertThat(expired.get(0).rawMessage()).isEqualTo(BAD_MSG);
    assertThat(expired.get(0).decodeError()).containsIgnoringCase("UTF-8");
    assertThat(expired.get(1).message()).isEqualTo(good);
  }

  @Test
  void danglingIdsAreLeftOutAndRemovedFromActiveAndLease() {
    TaskMessage real = activeWithLease(NOW_S - 40);
    f.redis.commands().zadd("asynq:{q}:lease", (double) (NOW_S - 45), "ghost".getBytes());
    f.redis.commands().lpush("asynq:{q}:active", "ghost".getBytes());

    List<Leased> expired = f.await(f.broker.tasks().listLeaseExpired("q", NOW)).leased();

    assertThat(expired).extracting(Leased::id).containsExactly(real.getId());
    assertThat(f.redis.lrange("asynq:{q}:active")).containsExactly(real.getId());
    assertThat(f.redis.zrangeWithScores("asynq:{q}:lease")).containsOnlyKeys(real.getId());
    assertThat(f.redis.keys("*ghost*")).isEmpty();
  }

  @Test
  void aWrongTypedTaskKeyIsRemovedFromLeaseAndActiveAndReportedItsKeyKept() {
    TaskMessage real = activeWithLease(NOW_S - 40);
    f.redis.commands().set("asynq:{q}:t:bad", "x".getBytes());
    f.redis.commands().zadd("asynq:{q}:lease", (double) (NOW_S - 45), "bad".getBytes());
    f.redis.commands().lpush("asynq:{q}:active", "bad".getBytes());

    ExpiredLeases expired = f.await(f.broker.tasks().listLeaseExpired("q", NOW));

    assertThat(expired.leased()).extracting(Leased::id).containsExactly(real.getId());
    assertThat(expired.isolated())
        .containsExactly(
            new Isolated(
                "q",
                "bad",
                "asynq:{q}:t:bad is a string, not a hash; removed from lease and active, key"
                    + " kept"));
    assertThat(f.redis.lrange("asynq:{q}:active")).containsExactly(real.getId());
    assertThat(f.redis.zrangeWithScores("asynq:{q}:lease")).containsOnlyKeys(real.getId());
    assertThat(f.redis.get("asynq:{q}:t:bad")).isEqualTo("x");
  }

  @Test
  void aMessageOfAnotherTaskComesBackUnusableWithTheReason() {
    TaskMessage other = activeWithLease(NOW_S - 40);
    f.redis
        .commands()
        .hset("asynq:{q}:t:x", Map.of("msg", other.toByteArray(), "state", "active".getBytes()));
    f.redis.commands().zadd("asynq:{q}:lease", (double) (NOW_S - 45), "x".getBytes());
    f.redis.commands().lpush("asynq:{q}:active", "x".getBytes());

    List<Leased> expired = f.await(f.broker.tasks().listLeaseExpired("q", NOW)).leased();

    assertThat(expired).extracting(Leased::id).containsExactly("x", other.getId());
    assertThat(expired.get(0).message()).isNull();
    assertThat(expired.get(0).rawMessage()).isEqualTo(other.toByteArray());
    assertThat(expired.get(0).decodeError())
        .isEqualTo("the message's id \"" + other.getId() + "\" is not its key's id \"x\"");
    assertThat(expired.get(1).message()).isEqualTo(other);
  }

  @Test
  void aLeasedTaskMissingFromActiveIsPutBackWhenActiveAndUnleasedOtherwise() {
    TaskMessage half = activeWithLease(NOW_S - 40);
    TaskMessage stale = activeWithLease(NOW_S - 40);
    f.redis.commands().lrem("asynq:{q}:active", 0, half.getId().getBytes());
    f.redis.commands().lrem("asynq:{q}:active", 0, stale.getId().getBytes());
    f.redis.commands().hset(Keys.task("q", stale.getId()), "state", "completed".getBytes());

    ExpiredLeases expired = f.await(f.broker.tasks().listLeaseExpired("q", NOW));

    assertThat(expired.leased()).extracting(Leased::id).containsExactly(half.getId());
    assertThat(f.redis.lrange("asynq:{q}:active")).containsExactly(half.getId());
    assertThat(expired.isolated()).extracting(Isolated::id).containsExactly(stale.getId());
    assertThat(expired.isolated().get(0).reason()).contains("in lease but not active");
    assertThat(f.redis.zrangeWithScores("asynq:{q}:lease")).containsOnlyKeys(half.getId());
    assertThat(f.redis.hget(Keys.task("q", stale.getId()), "state")).isEqualTo("completed");
  }

  @Test
  void aWrongTypedLeaseKeyFailsNamingItAndWritesNothing() {
    f.redis.commands().set("asynq:{q}:lease", "x".getBytes());
    f.redis.commands().lpush("asynq:{q}:active", "ghost".getBytes());
    Map<String, String> before = f.snapshot();

    assertThatThrownBy(() -> f.await(f.broker.tasks().listLeaseExpired("q", NOW)))
        .isInstanceOf(WrongKeyTypeException.class)
        .hasMessageContaining("key \"asynq:{q}:lease\" holds a string where a zset is expected");
    assertThat(f.snapshot()).isEqualTo(before);
  }

  @Test
  void extendLeaseMovesOnlyLeasesThatStillExist() {
    TaskMessage a = f.active(Task.of("t"), queue("q"));
    TaskMessage b = f.active(Task.of("t"), queue("q"));

    f.await(f.broker.tasks().extendLease("q", List.of(a.getId(), "gone"), NOW.plusSeconds(60)));

    assertThat(f.redis.zrangeWithScores("asynq:{q}:lease"))
        .containsOnly(
            Map.entry(a.getId(), (double) (NOW_S + 60)), Map.entry(b.getId(), (double) LEASE_S));
  }

  @Test
  void extendLeaseOfNoIdsWritesNothing() {
    f.active(Task.of("t"), queue("q"));
    Map<String, String> before = f.snapshot();

    f.await(f.broker.tasks().extendLease("q", List.of(), NOW.plusSeconds(60)));

    assertThat(f.snapshot()).isEqualTo(before);
  }
}

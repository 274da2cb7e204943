package io.jasynq.internal.broker;

import static io.jasynq.TaskOption.group;
import static io.jasynq.TaskOption.queue;
import static io.jasynq.TaskOption.unique;
import static io.jasynq.internal.broker.BrokerFixture.BAD_MSG;
import static io.jasynq.internal.broker.BrokerFixture.NOW;
import static io.jasynq.internal.broker.BrokerFixture.NOW_S;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.jasynq.Task;
import io.jasynq.TaskInfo;
import io.jasynq.internal.broker.proto.TaskMessage;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Group aggregation (wire-format §3.23) with the fixes of §9.3, §9.5 and §9.7, on a real Redis. */
@BrokerTest
class BrokerAggregationTest {
  private static final Duration GRACE = Duration.ofSeconds(10);
  private static final Duration NO_DELAY_LIMIT = Duration.ZERO;
  private static final long DEADLINE_S = NOW_S + 120;

  private final BrokerFixture f;

  BrokerAggregationTest(BrokerFixture f) {
    this.f = f;
  }

  /** Adds one task per payload to group g of queue q, the clock one second further each time. */
  private List<String> addToGroup(String... payloads) {
    List<String> ids = new ArrayList<>();
    for (String p : payloads) {
      ids.add(f.enqueue(Task.of("t", p), queue("q"), group("g")).id());
      f.clock.advance(Duration.ofSeconds(1));
    }
    return ids;
  }

  private String check(Instant now, Duration grace, Duration maxDelay, int maxSize) {
    return f.await(f.broker.groups().aggregationCheck("q", "g", now, grace, maxDelay, maxSize));
  }

  private long existing(String... keys) {
    return f.redis.commands().exists(keys);
  }

  private static List<String> payloads(AggregationSet set) {
    return set.messages().stream().map(m -> m.getPayload().toStringUtf8()).toList();
  }

  @Test
  void listGroupsReturnsTheRegisteredGroupsSorted() {
    f.enqueue(Task.of("t"), queue("q"), group("b"));
    f.enqueue(Task.of("t"), queue("q"), group("a:x"));
    f.enqueue(Task.of("t"), queue("other"), group("c"));

    assertThat(f.await(f.broker.groups().listGroups("q"))).containsExactly("a:x", "b");
    assertThat(f.await(f.broker.groups().listGroups("empty"))).isEmpty();
  }

  @Test
  void sizeRuleTakesTheOldestMaxSizeTasksWithTheirScoresAndKeepsTheGroupRegistered() {
    List<String> ids = addToGroup("p1", "p2", "p3", "p4", "p5");

    String setKey = check(NOW, GRACE, NO_DELAY_LIMIT, 3);

    assertThat(setKey).matches("asynq:\\{q\\}:g:g:[0-9a-f-]{36}");
    assertThat(f.redis.zrangeWithScores(setKey))
        .containsExactly(
            Map.entry(ids.get(0), (double) NOW_S),
            Map.entry(ids.get(1), (double) NOW_S + 1),
            Map.entry(ids.get(2), (double) NOW_S + 2));
    assertThat(f.redis.zrangeWithScores("asynq:{q}:g:g")).containsOnlyKeys(ids.get(3), ids.get(4));
    assertThat(f.redis.zrangeWithScores("asynq:{q}:aggregation_sets"))
        .containsExactly(Map.entry(setKey, (double) DEADLINE_S));
    assertThat(f.redis.smembers("asynq:{q}:groups")).containsExactly("g");
    assertThat(f.redis.hget(Keys.task("q", ids.get(0)), "state")).isEqualTo("aggregating");
    // Two left: below the size, and the newest is younger than the grace period.
    assertThat(check(NOW.plusSeconds(5), GRACE, NO_DELAY_LIMIT, 3)).isNull();
  }

  @Test
  void sizeRuleThatTakesTheWholeGroupUnregistersIt() {
    addToGroup("p1", "p2", "p3");

    String setKey = check(NOW, GRACE, NO_DELAY_LIMIT, 3);

    assertThat(f.redis.commands().zcard(setKey)).isEqualTo(3L);
    assertThat(existing("asynq:{q}:g:g", "asynq:{q}:groups")).isZero();
  }

  @Test
  void maxDelayRuleFiresWhenTheOldestTaskWaitedThatLong() {
    addToGroup("p1", "p2", "p3");
    Instant now = NOW.plusSeconds(5); // oldest waited 5 s, newest 3 s
    Duration longGrace = Duration.ofMinutes(1);

    assertThat(check(now, longGrace, NO_DELAY_LIMIT, 0)).as("no delay limit").isNull();
    assertThat(check(now, longGrace, Duration.ofSeconds(6), 0)).as("not yet").isNull();
    String setKey = check(now, longGrace, Duration.ofSeconds(5), 0);

    assertThat(setKey).isNotNull();
    assertThat(f.redis.commands().zcard(setKey)).as("no size limit: all").isEqualTo(3L);
    assertThat(existing("asynq:{q}:g:g", "asynq:{q}:groups")).isZero();
  }

  @Test
  void maxDelayRuleBelowMaxSizeTakesTheWholeGroup() {
    List<String> ids = addToGroup("p1", "p2", "p3");

    String setKey = check(NOW.plusSeconds(5), Duration.ofMinutes(1), Duration.ofSeconds(5), 4);

    assertThat(f.redis.zrangeWithScores(setKey)).containsOnlyKeys(ids.toArray(String[]::new));
    assertThat(existing("asynq:{q}:g:g", "asynq:{q}:groups")).as("emptied").isZero();
  }

  @Test
  void graceRuleFiresWhenTheNewestTaskWaitedTheGracePeriod() {
    addToGroup("p1", "p2"); // newest at NOW+1

    assertThat(check(NOW.plusSeconds(10), GRACE, NO_DELAY_LIMIT, 0)).isNull();
    String setKey = check(NOW.plusSeconds(11), GRACE, NO_DELAY_LIMIT, 0);

    assertThat(f.redis.commands().zcard(setKey)).isEqualTo(2L);
    assertThat(existing("asynq:{q}:g:g", "asynq:{q}:groups")).isZero();
  }

  @Test
  void graceRuleBelowMaxSizeTakesTheWholeGroup() {
    List<String> ids = addToGroup("p1", "p2", "p3");

    String setKey = check(NOW.plusSeconds(20), GRACE, NO_DELAY_LIMIT, 5);

    assertThat(f.redis.zrangeWithScores(setKey)).containsOnlyKeys(ids.toArray(String[]::new));
    assertThat(existing("asynq:{q}:g:g", "asynq:{q}:groups")).isZero();
  }

  @Test
  void anEmptyGroupGivesNoSetAndStaysRegistered() {
    // Registered when a grouped task was scheduled for later; the task enters the group when due,
    // maybe moved by a Go forwarder, which does not register it again (wire-format §3.15, 9.2).
    f.redis.commands().sadd("asynq:{q}:groups", "g".getBytes());

    assertThat(check(NOW, Duration.ZERO, NO_DELAY_LIMIT, 0)).isNull();

    assertThat(f.redis.keys("*")).containsExactly("asynq:{q}:groups");
    assertThat(f.redis.smembers("asynq:{q}:groups")).containsExactly("g");
  }

  @Test
  void aGroupThatIsNotReadyIsNotTouched() {
    addToGroup("p1", "p2");
    Map<String, String> before = f.snapshot();

    assertThat(check(NOW.plusSeconds(2), GRACE, Duration.ofMinutes(1), 3)).isNull();

    assertThat(f.snapshot()).isEqualTo(before);
  }

  @Test
  void aggregationCheckRejectsNegativeSettings() {
    assertThatThrownBy(
            () -> f.broker.groups().aggregationCheck("q", "g", NOW, GRACE, NO_DELAY_LIMIT, -1))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("maxSize");
    assertThatThrownBy(
            () ->
                f.broker
                    .groups()
                    .aggregationCheck("q", "g", NOW, GRACE.negated(), NO_DELAY_LIMIT, 0))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("gracePeriod");
  }

  @Test
  void readAggregationSetReturnsTheMessagesOldestFirstWithItsDeadline() {
    addToGroup("p1", "p2", "p3");
    String setKey = check(NOW, GRACE, NO_DELAY_LIMIT, 3);

    AggregationSet set = f.await(f.broker.groups().readAggregationSet(setKey));

    assertThat(set.queue()).isEqualTo("q");
    assertThat(set.group()).isEqualTo("g");
    assertThat(set.setKey()).isEqualTo(setKey);
    assertThat(set.deadline()).isEqualTo(Instant.ofEpochSecond(DEADLINE_S));
    assertThat(payloads(set)).containsExactly("p1", "p2", "p3");
    assertThat(set.messages().get(0).getGroupKey()).isEqualTo("g");
    assertThat(set.unreadable()).isEmpty();
  }

  @Test
  void readAggregationSetOfAGroupWithColonsAndOfAnUnknownSet() {
    f.enqueue(Task.of("t", "p"), queue("q"), group("a:b"));
    String setKey =
        f.await(f.broker.groups().aggregationCheck("q", "a:b", NOW, GRACE, NO_DELAY_LIMIT, 1));

    assertThat(f.await(f.broker.groups().readAggregationSet(setKey)).group()).isEqualTo("a:b");
    assertThat(
            f.await(f.broker.groups().readAggregationSet(Keys.aggregationSet("q", "a:b", "nope"))))
        .isNull();
    assertThatThrownBy(() -> f.broker.groups().readAggregationSet("asynq:{q}:pending"))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void readAggregationSetReportsUndecodableAndDanglingMembersWithoutFailing() {
    List<String> ids = addToGroup("p1", "p2", "p3", "p4");
    f.redis.commands().hset(Keys.task("q", ids.get(1)), "msg", BAD_MSG);
    f.redis.commands().hdel(Keys.task("q", ids.get(2)), "msg");
    f.redis.commands().del(Keys.task("q", ids.get(3)));
    String setKey = check(NOW, GRACE, NO_DELAY_LIMIT, 4);

    AggregationSet set = f.await(f.broker.groups().readAggregationSet(setKey));

    assertThat(payloads(set)).containsExactly("p1");
    assertThat(set.unreadable()).hasSize(3);
    AggregationSet.Unreadable bad = set.unreadable().get(0);
    assertThat(bad.id()).isEqualTo(ids.get(1));
    assertThat(bad.rawMessage()).isEqualTo(BAD_MSG);
    assertThat(bad.dangling()).isFalse();
    assertThat(set.unreadable().get(1))
        .extracting(u -> u.id(), u -> u.rawMessage(), u -> u.dangling())
        .containsExactly(ids.get(2), null, false);
    assertThat(set.unreadable().get(2))
        .extracting(u -> u.id(), u -> u.dangling())
        .containsExactly(ids.get(3), true);
  }

  @Test
  void anUndecodableMemberIsArchivedAndTheRestOfTheSetIsAggregated() throws Exception {
    List<String> ids = addToGroup("p1", "p2");
    String badHash = Keys.task("q", ids.get(1));
    f.redis.commands().hset(badHash, "msg", BAD_MSG);
    String setKey = check(NOW, GRACE, NO_DELAY_LIMIT, 2);
    AggregationSet set = f.await(f.broker.groups().readAggregationSet(setKey));
    assertThat(set.messages()).hasSize(1);
    assertThat(set.unreadable()).extracting(u -> u.id()).containsExactly(ids.get(1));

    assertThat(
            f.await(
                f.broker
                    .groups()
                    .archiveMalformedMember(setKey, ids.get(1), BAD_MSG, "bad wire type", NOW)))
        .isTrue();

    assertThat(f.redis.zrangeWithScores(setKey)).containsOnlyKeys(ids.get(0));
    assertThat(f.redis.zrangeWithScores("asynq:{q}:archived"))
        .containsExactly(Map.entry(ids.get(1), (double) NOW_S));
    assertThat(f.redis.hget(badHash, "state")).isEqualTo("archived");
    assertThat(f.redis.hgetAll(badHash).get("malformed_msg")).isEqualTo(BAD_MSG);
    TaskMessage replacement = f.msg("q", ids.get(1));
    assertThat(replacement.getType()).isEqualTo(MalformedTask.TYPE);
    assertThat(replacement.getQueue()).isEqualTo("q");
    assertThat(replacement.getErrorMsg()).contains("bad wire type");
    assertThat(f.redis.keys("asynq:{q}:processed*")).isEmpty();
    assertThat(f.redis.keys("asynq:{q}:failed*")).isEmpty();
    assertThat(
            f.await(
                f.broker
                    .groups()
                    .archiveMalformedMember(setKey, ids.get(1), BAD_MSG, "again", NOW)))
        .as("no longer a member")
        .isFalse();

    f.await(f.broker.groups().deleteAggregationSet("q", setKey));
    assertThat(f.redis.keys("asynq:{q}:*"))
        .containsExactlyInAnyOrder("asynq:{q}:archived", badHash);
  }

  @Test
  void deleteAggregationSetDeletesTheTasksTheSetAndItsRegistration() {
    addToGroup("p1", "p2", "p3", "p4");
    String setKey = check(NOW, GRACE, NO_DELAY_LIMIT, 3);

    f.await(f.broker.groups().deleteAggregationSet("q", setKey));

    assertThat(f.redis.keys("asynq:{q}:*"))
        .containsExactlyInAnyOrder(
            "asynq:{q}:g:g",
            "asynq:{q}:groups",
            Keys.task("q", f.redis.zrangeWithScores("asynq:{q}:g:g").keySet().iterator().next()));
    f.await(f.broker.groups().deleteAggregationSet("q", setKey)); // again: nothing to do
    assertThatThrownBy(() -> f.broker.groups().deleteAggregationSet("other", setKey))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void deleteAggregationSetReleasesUniqueLocksHeldByItsMembersOnly() {
    TaskInfo a = f.enqueue(Task.of("t", "a"), queue("q"), group("g"), unique(Duration.ofHours(1)));
    TaskInfo b = f.enqueue(Task.of("t", "b"), queue("q"), group("g"), unique(Duration.ofHours(1)));
    String lockA = Keys.unique("q", "t", "a".getBytes());
    String lockB = Keys.unique("q", "t", "b".getBytes());
    f.redis.commands().set(lockB, "someone-else".getBytes()); // b's lock was taken over
    String setKey = check(NOW, GRACE, NO_DELAY_LIMIT, 2);

    f.await(f.broker.groups().deleteAggregationSet("q", setKey));

    assertThat(f.redis.keys(lockA)).isEmpty();
    assertThat(f.redis.get(lockB)).isEqualTo("someone-else");
    assertThat(existing(Keys.task("q", a.id()), Keys.task("q", b.id()))).isZero();
  }

  @Test
  void reclaimGivesTheTasksOfStaleSetsBackToTheirGroupAndRegistersItAgain() {
    List<String> ids = addToGroup("p1", "p2", "p3");
    String stale = check(NOW, GRACE, NO_DELAY_LIMIT, 3); // takes the whole group
    assertThat(f.redis.keys("asynq:{q}:groups")).isEmpty();
    List<String> later = addToGroup("p4");
    String fresh =
        f.await(
            f.broker
                .groups()
                .aggregationCheck(
                    "q", "g", NOW.plusSeconds(60), GRACE, NO_DELAY_LIMIT, 1)); // deadline NOW+180
    f.redis.commands().del(Keys.task("q", ids.get(2))); // a dangling member is dropped

    assertThat(f.await(f.broker.groups().reclaimStaleAggregationSets("q", NOW.plusSeconds(119))))
        .isZero();
    assertThat(f.await(f.broker.groups().reclaimStaleAggregationSets("q", NOW.plusSeconds(120))))
        .isOne();

    assertThat(f.redis.zrangeWithScores("asynq:{q}:g:g"))
        .containsExactly(
            Map.entry(ids.get(0), (double) NOW_S), Map.entry(ids.get(1), (double) NOW_S + 1));
    assertThat(f.redis.smembers("asynq:{q}:groups")).containsExactly("g");
    assertThat(f.redis.keys(stale)).isEmpty();
    assertThat(f.redis.zrangeWithScores("asynq:{q}:aggregation_sets")).containsOnlyKeys(fresh);
    assertThat(f.redis.zrangeWithScores(fresh)).containsOnlyKeys(later.get(0));
    assertThat(f.redis.hget(Keys.task("q", ids.get(0)), "state")).isEqualTo("aggregating");
  }

  @Test
  void reclaimHandlesMoreThanOneBatchAndDropsForeignRegistrations() {
    for (int i = 0; i < AggregationStore.RECLAIM_BATCH + 5; i++) {
      addToGroup("p" + i);
      assertThat(check(NOW.plusSeconds(1000), Duration.ZERO, NO_DELAY_LIMIT, 0)).isNotNull();
    }
    f.redis
        .commands()
        .zadd("asynq:{q}:aggregation_sets", (double) NOW_S, "asynq:{q}:junk".getBytes());

    assertThat(f.await(f.broker.groups().reclaimStaleAggregationSets("q", NOW.plusSeconds(2000))))
        .isEqualTo(AggregationStore.RECLAIM_BATCH + 6);

    assertThat(f.redis.commands().zcard("asynq:{q}:g:g"))
        .isEqualTo(AggregationStore.RECLAIM_BATCH + 5L);
    assertThat(f.redis.keys("asynq:{q}:aggregation_sets")).isEmpty();
    assertThat(f.redis.keys("asynq:{q}:g:g:*")).isEmpty();
    assertThat(f.redis.smembers("asynq:{q}:groups")).containsExactly("g");
  }
}

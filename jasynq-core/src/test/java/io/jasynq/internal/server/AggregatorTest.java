package io.jasynq.internal.server;

import static io.jasynq.TaskOption.group;
import static io.jasynq.TaskOption.maxRetry;
import static io.jasynq.TaskOption.queue;
import static org.assertj.core.api.Assertions.assertThat;

import io.jasynq.Client;
import io.jasynq.GroupAggregator;
import io.jasynq.ServerConfig;
import io.jasynq.Task;
import io.jasynq.internal.broker.Broker;
import io.jasynq.internal.broker.Keys;
import io.jasynq.internal.broker.proto.TaskMessage;
import io.jasynq.testkit.FakeClock;
import io.jasynq.testkit.TestRedis;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/** One aggregator pass at a time (wire-format §4.9), driven by a fake clock on a real Redis. */
@ServerPartTest
class AggregatorTest {
  private static final Instant T0 = ServerPartFixture.T0;
  private static final byte[] BAD_MSG = {0x0a, 0x01, (byte) 0xff};

  private final TestRedis redis;
  private final FakeClock clock;
  private final Broker broker;
  private final Client client;
  private final List<List<String>> calls = new ArrayList<>();

  AggregatorTest(TestRedis redis, ServerPartFixture parts) {
    this.redis = redis;
    this.clock = parts.clock;
    this.broker = parts.broker;
    this.client = parts.client();
  }

  private Aggregator aggregator(GroupAggregator groupAggregator) {
    ServerConfig config =
        ServerConfig.builder()
            .queue("q", 1)
            .clock(clock)
            .groupGracePeriod(Duration.ofSeconds(5))
            .groupMaxSize(3)
            .groupAggregator(groupAggregator)
            .build();
    return new Aggregator(broker, List.of("q"), config);
  }

  /** Joins the payloads; remembers each call's payloads. */
  private Task join(String group, List<Task> tasks) {
    List<String> payloads =
        tasks.stream().map(t -> new String(t.payload(), StandardCharsets.UTF_8)).toList();
    calls.add(payloads);
    return Task.of("batch:" + group, String.join(",", payloads), queue("elsewhere"), maxRetry(3));
  }

  private List<String> add(String group, String... payloads) {
    List<String> ids = new ArrayList<>();
    for (String p : payloads) {
      ids.add(client.enqueue(Task.of("t", p), queue("q"), group(group)).id());
      clock.advance(Duration.ofSeconds(1));
    }
    return ids;
  }

  private List<TaskMessage> pending() throws Exception {
    List<TaskMessage> messages = new ArrayList<>();
    for (String id : redis.lrange("asynq:{q}:pending")) {
      messages.add(TaskMessage.parseFrom(redis.hgetAll(Keys.task("q", id)).get("msg")));
    }
    return messages;
  }

  @Test
  void intervalIsTheGracePeriodCappedAtSevenSeconds() {
    ServerConfig.Builder b = ServerConfig.builder().groupAggregator(this::join);
    assertThat(Aggregator.interval(b.build())).isEqualTo(Duration.ofSeconds(7));
    assertThat(Aggregator.interval(b.groupGracePeriod(Duration.ofSeconds(2)).build()))
        .isEqualTo(Duration.ofSeconds(2));
  }

  @Test
  void readyGroupsBecomeOneTaskInTheGroupsQueueAndTheirTasksAreDeleted() throws Exception {
    List<String> ids = add("g", "a1", "a2", "a3", "a4", "a5", "a6", "a7");
    add("h", "b1");
    Aggregator part = aggregator(this::join);

    part.runOnce(clock.now()); // g: two sets of 3 by size; a7 and h are within the grace period

    assertThat(calls).containsExactly(List.of("a1", "a2", "a3"), List.of("a4", "a5", "a6"));
    List<TaskMessage> pending = pending();
    assertThat(pending).hasSize(2);
    TaskMessage first = pending.get(1); // LPUSHed: the oldest is at the tail
    assertThat(first.getType()).isEqualTo("batch:g");
    assertThat(first.getPayload().toStringUtf8()).isEqualTo("a1,a2,a3");
    assertThat(first.getQueue()).as("forced to the group's queue").isEqualTo("q");
    assertThat(first.getRetry()).as("the task's own option").isEqualTo(3);
    assertThat(first.getTimeout()).as("the default").isEqualTo(1800);
    assertThat(first.getGroupKey()).isEmpty();
    assertThat(first.getDeadline()).as("the set deadline is not written").isZero();
    for (String id : ids.subList(0, 6)) {
      assertThat(redis.keys(Keys.task("q", id))).isEmpty();
    }
    assertThat(redis.zrangeWithScores("asynq:{q}:g:g")).containsOnlyKeys(ids.get(6));
    assertThat(redis.smembers("asynq:{q}:groups")).containsExactly("g", "h");
    assertThat(redis.keys("asynq:{q}:aggregation_sets")).isEmpty();
    assertThat(redis.keys("asynq:{q}:g:*:*")).isEmpty();

    clock.advance(Duration.ofSeconds(5));
    part.runOnce(clock.now()); // the grace period has passed for both groups

    assertThat(calls).hasSize(4).contains(List.of("a7"), List.of("b1"));
    assertThat(redis.keys("asynq:{q}:g:*")).isEmpty();
    assertThat(redis.keys("asynq:{q}:groups")).isEmpty();
    assertThat(redis.keys("asynq:{q}:t:*")).hasSize(4);
    assertThat(
            pending().stream().map(m -> m.getPayload().toStringUtf8()).collect(Collectors.toSet()))
        .containsExactlyInAnyOrder("a1,a2,a3", "a4,a5,a6", "a7", "b1");
  }

  @Test
  void anUndecodableTaskIsArchivedAndDoesNotBlockItsGroup() throws Exception {
    List<String> ids = add("g", "a1", "a2", "a3");
    redis.commands().hset(Keys.task("q", ids.get(1)), "msg", BAD_MSG);

    aggregator(this::join).runOnce(clock.now());

    assertThat(calls).containsExactly(List.of("a1", "a3"));
    assertThat(pending()).extracting(m -> m.getPayload().toStringUtf8()).containsExactly("a1,a3");
    assertThat(redis.zrangeWithScores("asynq:{q}:archived")).containsOnlyKeys(ids.get(1));
    assertThat(redis.hget(Keys.task("q", ids.get(1)), "state")).isEqualTo("archived");
    assertThat(redis.keys("asynq:{q}:g:*")).isEmpty();
    assertThat(redis.keys("asynq:{q}:groups")).isEmpty();
    assertThat(redis.keys("asynq:{q}:aggregation_sets")).isEmpty();
  }

  @Test
  void aMessageOfAnotherTaskOrAWrongTypedKeyDoesNotBlockItsGroupAndForeignKeysAreKept()
      throws Exception {
    List<String> ids = add("g", "a1", "a2", "a3");
    TaskMessage third = TaskMessage.parseFrom(redis.hgetAll(Keys.task("q", ids.get(2))).get("msg"));
    redis.commands().hset(Keys.task("q", ids.get(1)), "msg", third.toByteArray()); // a3's message
    redis.commands().zadd("asynq:{q}:g:g", (double) T0.getEpochSecond(), "foreign".getBytes());
    redis.commands().set(Keys.task("q", "foreign"), "x".getBytes());
    clock.advance(Duration.ofSeconds(5));

    aggregator(this::join).runOnce(clock.now());

    // Max size 3: {foreign, a1, a2} then {a3}; only a1 and a3 reach the aggregator.
    assertThat(calls).containsExactly(List.of("a1"), List.of("a3"));
    assertThat(redis.zrangeWithScores("asynq:{q}:archived")).containsOnlyKeys(ids.get(1));
    assertThat(redis.get(Keys.task("q", "foreign"))).isEqualTo("x");
    assertThat(redis.keys("asynq:{q}:g:*")).isEmpty();
    assertThat(redis.keys("asynq:{q}:aggregation_sets")).isEmpty();
  }

  @Test
  void aSetOfOnlyUnreadableTasksIsCleanedUpWithoutCallingTheAggregator() {
    List<String> ids = add("g", "a1", "a2", "a3");
    redis.commands().hset(Keys.task("q", ids.get(0)), "msg", BAD_MSG);
    redis.commands().hset(Keys.task("q", ids.get(1)), "msg", BAD_MSG);
    redis.commands().del(Keys.task("q", ids.get(2)));

    aggregator(this::join).runOnce(clock.now());

    assertThat(calls).isEmpty();
    assertThat(redis.keys("asynq:{q}:*"))
        .containsExactlyInAnyOrder(
            "asynq:{q}:archived", Keys.task("q", ids.get(0)), Keys.task("q", ids.get(1)));
  }

  @Test
  void whenTheAggregatorFailsTheSetStaysAndTheRecovererGivesItsTasksBack() {
    List<String> ids = add("g", "a1", "a2", "a3");
    Aggregator failing =
        aggregator(
            (group, tasks) -> {
              throw new IllegalStateException("boom");
            });

    failing.runOnce(clock.now());

    assertThat(redis.keys("asynq:{q}:g:g")).isEmpty();
    assertThat(redis.keys("asynq:{q}:groups")).isEmpty();
    assertThat(redis.keys("asynq:{q}:g:g:*")).hasSize(1);
    assertThat(redis.keys("asynq:{q}:pending")).isEmpty();

    Recoverer recoverer =
        new Recoverer(
            broker,
            List.of("q"),
            ServerConfig.defaults(),
            java.util.Set::of,
            new Listeners(List.of(), null));
    recoverer.runOnce(clock.now().plusSeconds(119));
    assertThat(redis.keys("asynq:{q}:g:g")).as("not yet stale").isEmpty();
    recoverer.runOnce(clock.now().plusSeconds(120));

    assertThat(redis.zrangeWithScores("asynq:{q}:g:g"))
        .containsOnlyKeys(ids.toArray(String[]::new));
    assertThat(redis.smembers("asynq:{q}:groups")).containsExactly("g");
    assertThat(redis.keys("asynq:{q}:aggregation_sets")).isEmpty();

    aggregator(this::join).runOnce(clock.now().plusSeconds(120));
    assertThat(calls).containsExactly(List.of("a1", "a2", "a3"));
    assertThat(redis.keys("asynq:{q}:t:*")).hasSize(1);
  }

  @Test
  void aNullOrUnenqueueableAggregateLeavesTheSetForTheRecoverer() {
    add("g", "a1", "a2", "a3");
    Task pastDeadline = Task.of("batch", io.jasynq.TaskOption.deadline(T0.minusSeconds(1)));

    aggregator((group, tasks) -> null).runOnce(clock.now());
    add("g", "b1", "b2", "b3");
    aggregator((group, tasks) -> pastDeadline).runOnce(clock.now());

    assertThat(redis.keys("asynq:{q}:g:g:*")).hasSize(2);
    assertThat(redis.commands().zcard("asynq:{q}:aggregation_sets")).isEqualTo(2L);
    assertThat(redis.keys("asynq:{q}:pending")).isEmpty();
    assertThat(redis.keys("asynq:{q}:t:*")).hasSize(6);
  }
}

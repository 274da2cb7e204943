package io.jasynq.internal.server;

import static io.jasynq.TaskOption.group;
import static io.jasynq.TaskOption.processIn;
import static io.jasynq.TaskOption.queue;
import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import io.jasynq.Client;
import io.jasynq.ServerConfig;
import io.jasynq.Task;
import io.jasynq.internal.broker.Broker;
import io.jasynq.internal.broker.Keys;
import io.jasynq.internal.broker.RedisNodes;
import io.jasynq.internal.broker.proto.TaskMessage;
import io.jasynq.support.Golden;
import io.jasynq.support.LogCapture;
import io.jasynq.testkit.FakeClock;
import io.jasynq.testkit.TestRedis;
import io.lettuce.core.ScriptOutputType;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The repair of groups that hold tasks but are not registered, as Go Asynq's forwarder and reclaim
 * leave them (wire-format §3.15, §3.23, §9.3): one pass at a time, driven by a fake clock, with
 * Go's writes replayed key by key.
 */
@ServerPartTest
class GroupRegistrarTest {
  private static final Instant T0 = ServerPartFixture.T0;

  private final TestRedis redis;
  private final FakeClock clock;
  private final Broker broker;
  private final Client client;

  GroupRegistrarTest(TestRedis redis, ServerPartFixture parts) {
    this.redis = redis;
    this.clock = parts.clock;
    this.broker = parts.broker;
    this.client = parts.client();
  }

  private GroupRegistrar registrar(String... queues) {
    return new GroupRegistrar(broker, new RedisNodes(broker), List.of(queues));
  }

  /** Go's forwarder on a due task with a {@code group} hash field (wire-format §3.15): no SADD. */
  private void goForward(String queue, String source, String id) {
    String task = Keys.task(queue, id);
    String groupKey = Keys.group(queue, redis.hget(task, "group"));
    redis.commands().zadd(groupKey, clock.now().getEpochSecond(), id.getBytes(UTF_8));
    redis.commands().zrem(source, id.getBytes(UTF_8));
    redis.commands().hset(task, "state", "aggregating".getBytes(UTF_8));
  }

  private String scheduleGrouped(String group) {
    return client
        .enqueue(Task.of("t"), queue("q"), group(group), processIn(Duration.ofMinutes(1)))
        .id();
  }

  @Test
  void registersAGroupAGoForwarderFilledAfterAGoAggregatorUnregisteredIt() {
    String a = scheduleGrouped("g");
    String b = scheduleGrouped("g");
    clock.advance(Duration.ofMinutes(1));
    redis.commands().srem(Keys.groups("q"), "g".getBytes(UTF_8)); // Go took the group's last tasks
    goForward("q", Keys.scheduled("q"), a);
    goForward("q", Keys.scheduled("q"), b);
    GroupRegistrar part = registrar("q");

    try (LogCapture log = LogCapture.start()) {
      part.runOnce(clock.now());
      assertThat(redis.smembers(Keys.groups("q"))).containsExactly("g");
      assertThat(log.warningsAndErrors())
          .singleElement()
          .asString()
          .contains("group \"g\" of queue \"q\" held 2 tasks but was not registered");

      part.runOnce(clock.now());
      assertThat(log.warningsAndErrors()).as("registered once, reported once").hasSize(1);
    }
  }

  @Test
  void registersTheGroupOfAGoStoredRetryTaskAGoForwarderMovedIn() throws Exception {
    // A grouped task as Go v0.24.1 stored it, failed once: RunTask keeps the group field (§9.3).
    byte[] msg = Golden.bytes("task.aggregating_grp1");
    TaskMessage m = TaskMessage.parseFrom(msg);
    String queue = m.getQueue();
    String id = m.getId();
    redis
        .commands()
        .hset(
            Keys.task(queue, id),
            Map.of("msg", msg, "state", "retry".getBytes(UTF_8), "group", bytes(m.getGroupKey())));
    redis.commands().zadd(Keys.retry(queue), T0.getEpochSecond() - 1, id.getBytes(UTF_8));
    goForward(queue, Keys.retry(queue), id);

    registrar(queue).runOnce(clock.now());

    assertThat(redis.smembers(Keys.groups(queue))).containsExactly(m.getGroupKey());
    ServerConfig config =
        ServerConfig.builder()
            .queue(queue, 1)
            .clock(clock)
            .groupGracePeriod(Duration.ofSeconds(1))
            .groupAggregator((group, tasks) -> Task.of("batch:" + group + ":" + tasks.size()))
            .build();
    clock.advance(Duration.ofSeconds(1));
    new Aggregator(broker, List.of(queue), config).runOnce(clock.now());
    List<String> pending = redis.lrange(Keys.pending(queue));
    assertThat(pending).hasSize(1);
    assertThat(TaskMessage.parseFrom(redis.hgetAll(Keys.task(queue, pending.get(0))).get("msg")))
        .extracting(TaskMessage::getType)
        .isEqualTo("batch:" + m.getGroupKey() + ":1");
  }

  @Test
  void leavesAggregationSetsForeignZsetsOtherTypesAndRegisteredGroupsAlone() {
    client.enqueue(Task.of("t", "1"), queue("q"), group("g"));
    client.enqueue(Task.of("t", "2"), queue("q"), group("g"));
    String setKey =
        broker.await(
            broker
                .groups()
                .aggregationCheck("q", "g", T0, Duration.ZERO, Duration.ZERO, 0)); // takes all
    assertThat(redis.smembers(Keys.groups("q"))).isEmpty();
    redis.commands().zadd(Keys.group("q", "foreign"), 1, bytes("not-a-task"));
    redis
        .commands()
        .zadd(Keys.group("q", "plain"), 1, bytes(client.enqueue(Task.of("t"), queue("q")).id()));
    redis.commands().set(Keys.group("q", "text"), bytes("x"));
    redis.commands().sadd(Keys.groups("q"), bytes("empty")); // registered before its first task
    GroupRegistrar part = registrar("q");

    try (LogCapture log = LogCapture.start()) {
      part.runOnce(clock.now());
      // A set that lost its registration: its tasks' group is "g", not "g:<setID>".
      redis.commands().zrem(Keys.aggregationSets("q"), bytes(setKey));
      part.runOnce(clock.now());

      assertThat(redis.smembers(Keys.groups("q"))).containsExactly("empty");
      assertThat(log.warningsAndErrors()).isEmpty();
    }
  }

  @Test
  void coversAKeyspaceLargerThanOnePassOverSeveralPasses() {
    int filler = 3 * GroupRegistrar.KEYS_PER_PASS;
    redis
        .commands()
        .eval(
            "for i = 1, tonumber(ARGV[1]) do redis.call('SET', 'filler:' .. i, 'x') end",
            ScriptOutputType.STATUS,
            new String[0],
            bytes(Integer.toString(filler)));
    String id = scheduleGrouped("g");
    clock.advance(Duration.ofMinutes(1));
    redis.commands().srem(Keys.groups("q"), bytes("g"));
    goForward("q", Keys.scheduled("q"), id);
    GroupRegistrar part = registrar("q");

    part.runOnce(clock.now());
    assertThat(part.cursor("q")).as("a pass stops after its steps").isNotEqualTo("0");
    int passes = 1;
    while (!part.cursor("q").equals("0")) {
      part.runOnce(clock.now());
      passes++;
      assertThat(passes).as("bounded sweep").isLessThanOrEqualTo(10);
    }

    assertThat(redis.smembers(Keys.groups("q"))).containsExactly("g");
  }

  private static byte[] bytes(String s) {
    return s.getBytes(UTF_8);
  }
}

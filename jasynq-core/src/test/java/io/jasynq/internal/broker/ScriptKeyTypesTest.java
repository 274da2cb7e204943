package io.jasynq.internal.broker;

import static io.jasynq.TaskOption.group;
import static io.jasynq.TaskOption.processIn;
import static io.jasynq.TaskOption.queue;
import static io.jasynq.TaskOption.retention;
import static io.jasynq.TaskOption.taskId;
import static io.jasynq.TaskOption.unique;
import static io.jasynq.internal.broker.BrokerFixture.DAY;
import static io.jasynq.internal.broker.BrokerFixture.NOW;
import static io.jasynq.internal.broker.BrokerFixture.NOW_S;
import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.Timestamp;
import io.jasynq.Task;
import io.jasynq.TaskOption;
import io.jasynq.TaskState;
import io.jasynq.internal.broker.proto.SchedulerEnqueueEvent;
import io.jasynq.internal.broker.proto.SchedulerEntry;
import io.jasynq.internal.broker.proto.ServerInfo;
import io.jasynq.internal.broker.proto.TaskMessage;
import io.jasynq.internal.broker.proto.WorkerInfo;
import io.jasynq.internal.enqueue.EnqueueRequests;
import io.jasynq.testkit.RedisServer;
import io.jasynq.testkit.RedisTest;
import io.jasynq.testkit.TestRedis;
import io.lettuce.core.api.sync.RedisCommands;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.Consumer;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every writer script, through the broker operation that runs it, with each key it touches replaced
 * by each Redis type that key must not hold: a string of text, a string holding an integer, a list,
 * a set, a zset, a hash, a stream. The whole key × type matrix runs (plus one untouched run per
 * operation). Each case must end in one of the outcomes the script's header documents for that key:
 *
 * <ul>
 *   <li>refused: {@link WrongKeyTypeException} naming the key, and no key in Redis changed (every
 *       key's TYPE, DUMP and expiry compared before and after);
 *   <li>left alone: the operation succeeds, the task goes on, and that key is exactly as it was (a
 *       counter, a lock, a foreign key where a trimmed or dropped task's hash would be);
 *   <li>replaced: the operation succeeds and rewrites the key (a record the writer owns and
 *       rewrites whole at every beat).
 * </ul>
 *
 * <p>The wrong values are random; {@code -Djasynq.fuzz.seed=N} replays a run, and every failure
 * message names the seed and the case.
 */
@RedisTest
class ScriptKeyTypesTest {
  static final long SEED = Long.getLong("jasynq.fuzz.seed", System.nanoTime());
  private static final String Q = "q";
  private static final String ID = "t1";

  /** What a key may hold in a case. */
  enum Kind {
    TEXT("string"),
    INTEGER("string"),
    LIST("list"),
    SET("set"),
    ZSET("zset"),
    HASH("hash"),
    STREAM("stream");

    final String redisType;

    Kind(String redisType) {
      this.redisType = redisType;
    }
  }

  /** The outcome a script documents for a key of another type. */
  enum Want {
    REFUSED,
    LEFT_ALONE,
    REPLACED
  }

  /** A key an operation touches, the kinds it may rightly hold, and what a wrong one means. */
  record Role(String name, Set<Kind> right, Want want) {}

  private static Role role(String name, Want want, Kind first, Kind... rest) {
    return new Role(name, EnumSet.of(first, rest), want);
  }

  private static final Set<Kind> COUNTER = EnumSet.of(Kind.INTEGER);

  private static Role counter(String name) {
    return new Role(name, COUNTER, Want.LEFT_ALONE);
  }

  /** Seeds a valid state for an operation, naming the keys of its roles; returns the operation. */
  interface Setup {
    Runnable seed(Fx fx) throws Exception;
  }

  /** An operation with its roles, and what must hold after it succeeded. */
  record Scenario(String name, List<Role> roles, Setup setup, Consumer<Fx> wentOn) {}

  /** One cell of the matrix; kind null: the untouched run. */
  record Case(Scenario scenario, Role role, Kind kind) {
    @Override
    public String toString() {
      return scenario.name()
          + (role == null ? " (all keys right)" : " " + role.name() + "=" + kind);
    }
  }

  /** The fixture plus the key of each role, filled by a scenario's setup. */
  static final class Fx {
    final BrokerFixture f;
    final Map<String, String> keys = new LinkedHashMap<>();

    Fx(BrokerFixture f) {
      this.f = f;
    }

    void key(String role, String key) {
      keys.put(role, key);
    }
  }

  private final BrokerFixture f;
  private final TestRedis redis;

  ScriptKeyTypesTest(RedisServer server, TestRedis redis) {
    this.redis = redis;
    this.f = new BrokerFixture(server, redis);
  }

  @AfterEach
  void close() {
    f.close();
  }

  static Stream<Case> matrix() {
    List<Case> cases = new ArrayList<>();
    for (Scenario s : scenarios()) {
      cases.add(new Case(s, null, null));
      for (Role r : s.roles()) {
        for (Kind k : Kind.values()) {
          if (!r.right().contains(k)) {
            cases.add(new Case(s, r, k));
          }
        }
      }
    }
    return cases.stream();
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("matrix")
  void aKeyOfAnotherTypeIsRefusedWithNothingWrittenOrLeftAsItIs(Case c) throws Exception {
    Fx fx = new Fx(f);
    Runnable op = c.scenario().setup().seed(fx);
    String where = "seed " + SEED + " (-Djasynq.fuzz.seed=" + SEED + "), case " + c;
    String key = c.role() == null ? null : fx.keys.get(c.role().name());
    if (c.role() != null) {
      assertThat(key).as("%s: the setup names the role's key", where).isNotNull();
      replace(key, c.kind(), new Random(SEED ^ c.toString().hashCode()));
    }
    Map<String, String> before = snapshot();
    Throwable failure = null;
    try {
      op.run();
    } catch (RuntimeException | AssertionError e) {
      failure = e;
    }
    Map<String, String> after = snapshot();

    Want want = c.role() == null ? Want.LEFT_ALONE : c.role().want();
    switch (want) {
      case REFUSED -> {
        assertThat(failure).as("%s: refused", where).isInstanceOf(WrongKeyTypeException.class);
        WrongKeyTypeException e = (WrongKeyTypeException) failure;
        assertThat(e.key()).as("%s: the key named", where).isEqualTo(key);
        assertThat(e.getMessage()).as(where).contains(key, "nothing was written");
        assertSameKeys(where, before, after);
      }
      case LEFT_ALONE -> {
        assertThat(failure).as("%s: succeeded", where).isNull();
        if (key != null) {
          assertThat(after.get(key))
              .as("%s: the key is as it was", where)
              .isEqualTo(before.get(key));
        }
        c.scenario().wentOn().accept(fx);
      }
      case REPLACED -> assertThat(failure).as("%s: succeeded", where).isNull();
    }
  }

  // ---- the scenarios ----

  static List<Scenario> scenarios() {
    List<Scenario> all = new ArrayList<>();
    Role active = role("active", Want.REFUSED, Kind.LIST);
    Role lease = role("lease", Want.REFUSED, Kind.ZSET);
    Role task = role("task", Want.REFUSED, Kind.HASH);
    Role lock = role("lock", Want.LEFT_ALONE, Kind.TEXT, Kind.INTEGER);
    Consumer<Fx> leftActive = fx -> assertThat(fx.f.redis.lrange("asynq:{q}:active")).isEmpty();

    all.add(
        new Scenario(
            "done",
            List.of(active, lease, task, counter("daily"), counter("total"), lock),
            fx -> {
              TaskMessage m = activeTask(fx, unique(Duration.ofHours(1)));
              finishKeys(fx, m);
              return () -> fx.f.await(fx.f.broker.outcomes().done(m, NOW));
            },
            leftActive));
    all.add(
        new Scenario(
            "doneMany",
            List.of(
                active,
                lease,
                counter("daily"),
                counter("total"),
                role("task", Want.LEFT_ALONE, Kind.HASH),
                lock),
            fx -> {
              TaskMessage m1 = activeTask(fx, unique(Duration.ofHours(1)));
              TaskMessage m2 = fx.f.active(Task.of("t"), queue(Q), taskId("t2"));
              finishKeys(fx, m1);
              return () -> {
                List<Boolean> done =
                    fx.f.await(fx.f.broker.outcomes().doneMany(Q, List.of(m1, m2), NOW));
                assertThat(done.get(1)).isTrue();
              };
            },
            fx -> assertThat(fx.f.redis.lrange("asynq:{q}:active")).doesNotContain("t2")));
    all.add(
        new Scenario(
            "markComplete",
            List.of(
                active,
                lease,
                task,
                role("completed", Want.REFUSED, Kind.ZSET),
                counter("daily"),
                counter("total"),
                lock),
            fx -> {
              TaskMessage m =
                  activeTask(fx, unique(Duration.ofHours(1)), retention(Duration.ofHours(1)));
              finishKeys(fx, m);
              fx.key("completed", Keys.completed(Q));
              return () -> fx.f.await(fx.f.broker.outcomes().markComplete(m, NOW));
            },
            leftActive));
    all.add(
        new Scenario(
            "requeue",
            List.of(active, lease, task, role("pending", Want.REFUSED, Kind.LIST)),
            fx -> {
              TaskMessage m = activeTask(fx);
              finishKeys(fx, m);
              fx.key("pending", Keys.pending(Q));
              return () -> fx.f.await(fx.f.broker.outcomes().requeue(m, NOW));
            },
            leftActive));
    List<Role> failing =
        List.of(counter("daily"), counter("dailyFailed"), counter("total"), counter("totalFailed"));
    List<Role> retryRoles = new ArrayList<>(List.of(active, lease, task));
    retryRoles.add(role("retry", Want.REFUSED, Kind.ZSET));
    retryRoles.addAll(failing);
    all.add(
        new Scenario(
            "retry",
            retryRoles,
            fx -> {
              TaskMessage m = activeTask(fx);
              finishKeys(fx, m);
              failKeys(fx);
              fx.key("retry", Keys.retry(Q));
              return () ->
                  fx.f.await(
                      fx.f.broker.outcomes().retry(m, NOW, NOW.plusSeconds(60), "boom", true));
            },
            leftActive));
    List<Role> archiveRoles = new ArrayList<>(List.of(active, lease, task));
    archiveRoles.add(role("archived", Want.REFUSED, Kind.ZSET));
    archiveRoles.addAll(failing);
    archiveRoles.add(role("trimmedTask", Want.LEFT_ALONE, Kind.HASH));
    all.add(
        new Scenario(
            "archive",
            archiveRoles,
            fx -> {
              TaskMessage m = activeTask(fx);
              finishKeys(fx, m);
              failKeys(fx);
              fx.key("archived", Keys.archived(Q));
              // An archived task older than 90 days: trimmed by the same call.
              bytes(fx).zadd(Keys.archived(Q), 1.0, b("old"));
              bytes(fx).hset(Keys.task(Q, "old"), "state", b("archived"));
              fx.key("trimmedTask", Keys.task(Q, "old"));
              return () -> fx.f.await(fx.f.broker.outcomes().archive(m, NOW, "dead"));
            },
            leftActive));
    all.add(
        new Scenario(
            "archiveMalformed",
            List.of(active, lease, task, role("archived", Want.REFUSED, Kind.ZSET)),
            fx -> {
              TaskMessage m = activeTask(fx);
              finishKeys(fx, m);
              fx.key("archived", Keys.archived(Q));
              return () ->
                  fx.f.await(
                      fx.f
                          .broker
                          .outcomes()
                          .archiveMalformed(Q, m.getId(), BrokerFixture.BAD_MSG, "bad", NOW));
            },
            leftActive));
    all.add(
        new Scenario(
            "writeResult",
            List.of(task),
            fx -> {
              TaskMessage m = activeTask(fx);
              fx.key("task", Keys.task(Q, m.getId()));
              return () ->
                  fx.f.await(fx.f.broker.outcomes().writeResult(Q, m.getId(), b("result")));
            },
            fx -> {}));
    addEnqueues(all);
    addAggregation(all);
    addJanitorAndState(all);
    addInspector(all);
    return all;
  }

  private static void addEnqueues(List<Scenario> all) {
    Role task = role("task", Want.REFUSED, Kind.HASH);
    Role lock = role("lock", Want.REFUSED, Kind.TEXT, Kind.INTEGER);
    Role queues = role("queues", Want.REFUSED, Kind.SET);
    Consumer<Fx> written = fx -> assertThat(fx.f.redis.type(Keys.task(Q, ID))).isEqualTo("hash");
    record Enqueue(String name, Role container, String key, TaskOption[] options) {}
    for (Enqueue e :
        List.of(
            new Enqueue(
                "enqueue", role("pending", Want.REFUSED, Kind.LIST), Keys.pending(Q), opts()),
            new Enqueue(
                "enqueueScheduled",
                role("scheduled", Want.REFUSED, Kind.ZSET),
                Keys.scheduled(Q),
                opts(processIn(Duration.ofHours(1)))),
            new Enqueue(
                "enqueueGrouped",
                role("group", Want.REFUSED, Kind.ZSET),
                Keys.group(Q, "g"),
                opts(group("g"))))) {
      List<Role> roles = new ArrayList<>(List.of(task, e.container(), lock, queues));
      if (e.name().equals("enqueueGrouped")) {
        roles.add(role("groups", Want.REFUSED, Kind.SET));
      }
      all.add(
          new Scenario(
              e.name(),
              roles,
              fx -> {
                TaskOption[] options = withUnique(e.options());
                registered(fx);
                fx.key("task", Keys.task(Q, ID));
                fx.key(e.container().name(), e.key());
                fx.key("lock", uniqueKey(options));
                fx.key("queues", Keys.queues());
                fx.key("groups", Keys.groups(Q));
                return () -> fx.f.client.enqueue(Task.of("t", "p"), options);
              },
              written));
    }
    all.add(
        new Scenario(
            "enqueueOnce",
            List.of(
                task,
                role("pending", Want.REFUSED, Kind.LIST),
                queues,
                role("fireRecord", Want.REFUSED, Kind.INTEGER)),
            fx -> {
              EnqueueRequest request =
                  EnqueueRequests.prepare(
                          Task.of("t", "p"), opts(taskId(ID)), NOW, Integer.MAX_VALUE)
                      .request();
              registered(fx);
              fx.key("task", Keys.task(Q, ID));
              fx.key("pending", Keys.pending(Q));
              fx.key("queues", Keys.queues());
              fx.key("fireRecord", Keys.fireRecord(Q, "entry"));
              SchedulerStore store = new SchedulerStore(fx.f.broker);
              return () ->
                  assertThat(
                          fx.f.await(
                              store.enqueueOnce(request, "entry", NOW_S, 1, Duration.ofHours(1))))
                      .isEqualTo(EnqueueOutcome.ENQUEUED);
            },
            written));
  }

  private static void addAggregation(List<Scenario> all) {
    Role sets = role("aggregationSets", Want.REFUSED, Kind.ZSET);
    Role groups = role("groups", Want.REFUSED, Kind.SET);
    all.add(
        new Scenario(
            "aggregationCheck",
            List.of(role("group", Want.REFUSED, Kind.ZSET), sets, groups),
            fx -> {
              grouped(fx, 2);
              return () ->
                  assertThat(
                          fx.f.await(
                              fx.f
                                  .broker
                                  .groups()
                                  .aggregationCheck(Q, "g", NOW, Duration.ZERO, Duration.ZERO, 2)))
                      .isNotNull();
            },
            fx -> {}));
    all.add(
        new Scenario(
            "archiveMalformedMember",
            List.of(
                role("set", Want.REFUSED, Kind.ZSET),
                role("task", Want.LEFT_ALONE, Kind.HASH),
                role("archived", Want.REFUSED, Kind.ZSET)),
            fx -> {
              String set = aggregated(fx);
              fx.key("archived", Keys.archived(Q));
              return () ->
                  assertThat(
                          fx.f.await(
                              fx.f
                                  .broker
                                  .groups()
                                  .archiveMalformedMember(
                                      set, "m1", BrokerFixture.BAD_MSG, "bad", NOW)))
                      .isTrue();
            },
            fx ->
                assertThat(fx.f.redis.zrangeWithScores(fx.keys.get("set")))
                    .doesNotContainKey("m1")));
    all.add(
        new Scenario(
            "deleteAggregationSet",
            List.of(
                role("set", Want.REFUSED, Kind.ZSET),
                sets,
                role("task", Want.LEFT_ALONE, Kind.HASH),
                role("lock", Want.LEFT_ALONE, Kind.TEXT, Kind.INTEGER)),
            fx -> {
              String set = aggregated(fx);
              return () -> fx.f.await(fx.f.broker.groups().deleteAggregationSet(Q, set));
            },
            fx -> assertThat(fx.f.redis.zrangeWithScores(Keys.aggregationSets(Q))).isEmpty()));
    all.add(
        new Scenario(
            "reclaimStaleAggregationSets",
            List.of(
                sets,
                groups,
                role("set", Want.LEFT_ALONE, Kind.ZSET),
                role("group", Want.LEFT_ALONE, Kind.ZSET),
                role("task", Want.LEFT_ALONE, Kind.HASH)),
            fx -> {
              aggregated(fx);
              fx.key("groups", Keys.groups(Q));
              fx.key("group", Keys.group(Q, "g"));
              return () ->
                  fx.f.await(
                      fx.f
                          .broker
                          .groups()
                          .reclaimStaleAggregationSets(Q, NOW.plus(Duration.ofMinutes(3))));
            },
            fx -> {}));
  }

  private static void addJanitorAndState(List<Scenario> all) {
    all.add(
        new Scenario(
            "deleteExpiredCompleted",
            List.of(
                role("completed", Want.REFUSED, Kind.ZSET),
                role("task", Want.LEFT_ALONE, Kind.HASH)),
            fx -> {
              TaskMessage m = activeTask(fx, retention(Duration.ofSeconds(1)));
              fx.f.await(fx.f.broker.outcomes().markComplete(m, NOW));
              fx.key("completed", Keys.completed(Q));
              fx.key("task", Keys.task(Q, m.getId()));
              return () ->
                  fx.f.await(
                      fx.f
                          .broker
                          .tasks()
                          .deleteExpiredCompleted(Q, NOW.plus(Duration.ofMinutes(1)), 10));
            },
            fx -> assertThat(fx.f.redis.zrangeWithScores(Keys.completed(Q))).isEmpty()));
    ServerInfo info =
        ServerInfo.newBuilder().setHost("h").setPid(1).setServerId("s").setConcurrency(1).build();
    WorkerInfo worker = WorkerInfo.newBuilder().setTaskId(ID).setQueue(Q).build();
    all.add(
        new Scenario(
            "writeServerState",
            List.of(
                role("server", Want.REPLACED, Kind.TEXT, Kind.INTEGER),
                role("workers", Want.REPLACED, Kind.HASH),
                role("servers", Want.REFUSED, Kind.ZSET),
                role("workerRegistry", Want.REFUSED, Kind.ZSET)),
            fx -> {
              fx.key("server", Keys.server("h", 1, "s"));
              fx.key("workers", Keys.workers("h", 1, "s"));
              fx.key("servers", Keys.servers());
              fx.key("workerRegistry", Keys.workers());
              return () ->
                  fx.f.await(
                      fx.f
                          .broker
                          .servers()
                          .writeServerState(info, List.of(worker), NOW, Duration.ofSeconds(30)));
            },
            fx -> {}));
    all.add(
        new Scenario(
            "writeSchedulerEntries",
            List.of(
                role("entries", Want.REPLACED, Kind.LIST),
                role("schedulers", Want.REFUSED, Kind.ZSET)),
            fx -> {
              fx.key("entries", Keys.schedulerEntries("s"));
              fx.key("schedulers", Keys.schedulers());
              SchedulerEntry entry =
                  SchedulerEntry.newBuilder().setId("e").setSpec("@every 1s").build();
              SchedulerStore store = new SchedulerStore(fx.f.broker);
              return () ->
                  fx.f.await(store.writeEntries("s", List.of(entry), NOW, Duration.ofSeconds(30)));
            },
            fx -> {}));
    all.add(
        new Scenario(
            "recordSchedulerEvent",
            List.of(role("history", Want.REFUSED, Kind.ZSET)),
            fx -> {
              fx.key("history", Keys.schedulerHistory("e"));
              SchedulerEnqueueEvent event =
                  SchedulerEnqueueEvent.newBuilder()
                      .setTaskId(ID)
                      .setEnqueueTime(Timestamp.newBuilder().setSeconds(NOW_S))
                      .build();
              SchedulerStore store = new SchedulerStore(fx.f.broker);
              return () -> fx.f.await(store.recordEvent("e", event, Duration.ofHours(1)));
            },
            fx -> {}));
  }

  private static void addInspector(List<Scenario> all) {
    Role pending = role("pending", Want.REFUSED, Kind.LIST);
    Role archived = role("archived", Want.REFUSED, Kind.ZSET);
    Role groups = role("groups", Want.REFUSED, Kind.SET);
    for (TaskMutations.Action action : TaskMutations.Action.values()) {
      all.add(
          new Scenario(
              "manageOne " + action,
              List.of(
                  pending,
                  archived,
                  groups,
                  role("task", Want.REFUSED, Kind.HASH),
                  role("scheduled", Want.REFUSED, Kind.ZSET),
                  role("lock", Want.LEFT_ALONE, Kind.TEXT, Kind.INTEGER)),
              fx -> {
                scheduledTask(fx);
                TaskMutations writes = new TaskMutations(new InspectQueries(fx.f.broker));
                return () -> writes.manageOne(action, Q, ID, NOW);
              },
              fx ->
                  assertThat(fx.f.redis.zrangeWithScores(Keys.scheduled(Q)))
                      .doesNotContainKey(ID)));
    }
    all.add(
        new Scenario(
            "manageAll ARCHIVE",
            List.of(
                pending,
                archived,
                groups,
                role("scheduled", Want.REFUSED, Kind.ZSET),
                role("task", Want.LEFT_ALONE, Kind.HASH)),
            fx -> {
              scheduledTask(fx);
              TaskMutations writes = new TaskMutations(new InspectQueries(fx.f.broker));
              return () ->
                  writes.manageAll(TaskMutations.Action.ARCHIVE, Q, TaskState.SCHEDULED, "", NOW);
            },
            fx -> assertThat(fx.f.redis.zrangeWithScores(Keys.scheduled(Q))).isEmpty()));
    all.add(
        new Scenario(
            "deleteQueue",
            List.of(
                role("task", Want.REPLACED, Kind.HASH),
                role("lock", Want.REPLACED, Kind.TEXT, Kind.INTEGER),
                role("group", Want.REPLACED, Kind.ZSET),
                role("groups", Want.REPLACED, Kind.SET),
                role("archived", Want.REPLACED, Kind.ZSET)),
            fx -> {
              scheduledTask(fx);
              fx.f.client.enqueue(Task.of("g"), queue(Q), group("g"));
              fx.key("group", Keys.group(Q, "g"));
              QueueMutations writes = new QueueMutations(new InspectQueries(fx.f.broker));
              return () -> {
                writes.deleteQueue(Q, true, NOW);
                assertThat(fx.f.redis.keys("asynq:{q}:*")).isEmpty();
              };
            },
            fx -> {}));
  }

  // ---- seeding helpers ----

  private static TaskOption[] opts(TaskOption... more) {
    List<TaskOption> all = new ArrayList<>(List.of(queue(Q), taskId(ID)));
    all.addAll(List.of(more));
    return all.toArray(new TaskOption[0]);
  }

  private static TaskOption[] withUnique(TaskOption[] options) {
    List<TaskOption> all = new ArrayList<>(List.of(options));
    all.add(unique(Duration.ofHours(1)));
    return all.toArray(new TaskOption[0]);
  }

  private static String uniqueKey(TaskOption[] options) {
    return EnqueueRequests.prepare(Task.of("t", "p"), options, NOW, Integer.MAX_VALUE)
        .request()
        .uniqueKey();
  }

  private static TaskMessage activeTask(Fx fx, TaskOption... more) {
    return fx.f.active(Task.of("t", "p"), opts(more));
  }

  /** The keys of a completion write of {@code m}. */
  private static void finishKeys(Fx fx, TaskMessage m) {
    fx.key("active", Keys.active(Q));
    fx.key("lease", Keys.lease(Q));
    fx.key("task", Keys.task(Q, m.getId()));
    fx.key("daily", "asynq:{q}:processed:" + DAY);
    fx.key("total", Keys.processedTotal(Q));
    if (!m.getUniqueKey().isEmpty()) {
      fx.key("lock", m.getUniqueKey());
    }
  }

  private static void failKeys(Fx fx) {
    fx.key("dailyFailed", "asynq:{q}:failed:" + DAY);
    fx.key("totalFailed", Keys.failedTotal(Q));
  }

  private static void grouped(Fx fx, int n) {
    for (int i = 1; i <= n; i++) {
      TaskOption[] options = {queue(Q), taskId("m" + i), group("g")};
      fx.f.client.enqueue(
          Task.of("t", "p"), i == 1 ? withUnique(options) : options); // m1 holds a lock
    }
    fx.key("group", Keys.group(Q, "g"));
    fx.key("aggregationSets", Keys.aggregationSets(Q));
    fx.key("groups", Keys.groups(Q));
  }

  /** A group of two made into an aggregation set; its member m1 holds a unique lock. */
  private static String aggregated(Fx fx) {
    grouped(fx, 2);
    String set =
        fx.f.await(
            fx.f.broker.groups().aggregationCheck(Q, "g", NOW, Duration.ZERO, Duration.ZERO, 2));
    assertThat(set).isNotNull();
    fx.key("set", set);
    fx.key("task", Keys.task(Q, "m1"));
    fx.key("lock", fx.f.redis.hget(Keys.task(Q, "m1"), "unique_key"));
    return set;
  }

  private static void scheduledTask(Fx fx) {
    TaskOption[] options = withUnique(opts(processIn(Duration.ofHours(1))));
    fx.f.client.enqueue(Task.of("t", "p"), options);
    fx.key("pending", Keys.pending(Q));
    fx.key("archived", Keys.archived(Q));
    fx.key("groups", Keys.groups(Q));
    fx.key("task", Keys.task(Q, ID));
    fx.key("scheduled", Keys.scheduled(Q));
    fx.key("lock", uniqueKey(options));
  }

  /**
   * The queue already in {@code asynq:queues}: the SADD an enqueue sends before its script then
   * changes nothing, so a refused enqueue must leave every key as it was.
   */
  private static void registered(Fx fx) {
    bytes(fx).sadd(Keys.queues(), b(Q));
  }

  private static RedisCommands<String, byte[]> bytes(Fx fx) {
    return fx.f.redis.commands();
  }

  private static byte[] b(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }

  // ---- replacing a key, and the snapshot ----

  /** Replaces {@code key} with a random value of {@code kind}. */
  private void replace(String key, Kind kind, Random random) {
    RedisCommands<String, byte[]> c = redis.commands();
    c.del(key);
    int n = 1 + random.nextInt(3);
    switch (kind) {
      case TEXT -> c.set(key, randomText(random));
      case INTEGER -> c.set(key, b(Long.toString(random.nextLong())));
      case LIST -> {
        for (int i = 0; i < n; i++) {
          c.rpush(key, randomText(random));
        }
      }
      case SET -> {
        for (int i = 0; i < n; i++) {
          c.sadd(key, randomText(random));
        }
      }
      case ZSET -> {
        for (int i = 0; i < n; i++) {
          c.zadd(key, random.nextInt(1000), randomText(random));
        }
      }
      case HASH -> {
        // A hash that looks like a task now and then: a "state" field of a live state.
        c.hset(key, "state", b(random.nextBoolean() ? "active" : "pending"));
        c.hset(key, "f" + random.nextInt(100), randomText(random));
      }
      case STREAM -> c.xadd(key, Map.of("f", randomText(random)));
    }
    assertThat(c.type(key)).isEqualTo(kind.redisType);
  }

  /** Text that is not a number, sometimes with bytes that are not UTF-8. */
  private static byte[] randomText(Random random) {
    byte[] bytes = new byte[1 + random.nextInt(12)];
    for (int i = 0; i < bytes.length; i++) {
      bytes[i] =
          random.nextInt(4) == 0
              ? (byte) (0x80 + random.nextInt(128))
              : (byte) ('a' + random.nextInt(26));
    }
    bytes[0] = 'x';
    return bytes;
  }

  /** Every key: type, DUMP and absolute expiry (ms, -1 none), sorted by key. */
  private Map<String, String> snapshot() {
    RedisCommands<String, byte[]> c = redis.commands();
    Map<String, String> all = new TreeMap<>();
    for (String key : c.keys("*")) {
      long pttl = c.pttl(key);
      long expiresAt = pttl < 0 ? pttl : System.currentTimeMillis() + pttl;
      all.put(key, c.type(key) + " " + HexFormat.of().formatHex(c.dump(key)) + " @" + expiresAt);
    }
    return all;
  }

  /** Equal snapshots, allowing an expiry to move by the time between the two reads. */
  private static void assertSameKeys(
      String where, Map<String, String> before, Map<String, String> after) {
    assertThat(after.keySet()).as("%s: the same keys", where).isEqualTo(before.keySet());
    for (String key : before.keySet()) {
      String b = before.get(key);
      String a = after.get(key);
      String bBody = b.substring(0, b.lastIndexOf(" @"));
      String aBody = a.substring(0, a.lastIndexOf(" @"));
      assertThat(aBody).as("%s: %s unchanged", where, key).isEqualTo(bBody);
      long bAt = Long.parseLong(b.substring(b.lastIndexOf(" @") + 2));
      long aAt = Long.parseLong(a.substring(a.lastIndexOf(" @") + 2));
      assertThat(Math.abs(aAt - bAt) <= 2000 && (aAt < 0) == (bAt < 0))
          .as("%s: %s expiry unchanged (%s, %s)", where, key, bAt, aAt)
          .isTrue();
    }
  }
}

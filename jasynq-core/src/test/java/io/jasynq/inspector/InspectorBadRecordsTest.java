package io.jasynq.inspector;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.protobuf.ByteString;
import com.google.protobuf.Timestamp;
import io.jasynq.DailyStats;
import io.jasynq.GroupInfo;
import io.jasynq.Inspector;
import io.jasynq.JasynqException;
import io.jasynq.Page;
import io.jasynq.QueueInfo;
import io.jasynq.SchedulerEnqueueEvent;
import io.jasynq.ServerInfo;
import io.jasynq.TaskInfo;
import io.jasynq.TaskNotFoundException;
import io.jasynq.TaskState;
import io.jasynq.WorkerInfo;
import io.jasynq.internal.broker.proto.TaskMessage;
import io.jasynq.testkit.FakeClock;
import io.jasynq.testkit.RedisServer;
import io.jasynq.testkit.RedisTest;
import io.jasynq.testkit.TestRedis;
import io.lettuce.core.AclSetuserArgs;
import io.lettuce.core.ScriptOutputType;
import io.lettuce.core.protocol.CommandType;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * One bad record is one bad row, never a failed read (STYLE §9): every Inspector read, with each
 * kind of hostile record seeded next to good ones, answers with the good rows, the bad ones marked
 * with their problems, and counts.
 */
@RedisTest
class InspectorBadRecordsTest {
  private static final Instant T0 = Instant.parse("2026-11-22T10:00:00Z");
  private static final String P = "asynq:{default}:";
  private static final byte[] NOT_UTF8_ID = {'n', (byte) 0xff};

  private final RedisServer server;
  private final TestRedis redis;
  private final FakeClock clock = FakeClock.at(T0);
  private final Inspector inspector;

  InspectorBadRecordsTest(RedisServer server, TestRedis redis) {
    this.server = server;
    this.redis = redis;
    this.inspector = Inspector.builder().uri(server.uri()).clock(clock).build();
  }

  @BeforeEach
  void registerQueue() {
    redis.commands().sadd("asynq:queues", "default".getBytes(UTF_8));
  }

  @AfterEach
  void tearDown() {
    inspector.close();
  }

  // --- seeding
  // ------------------------------------------------------------------------------------

  private static TaskMessage message(String queue, String id) {
    return TaskMessage.newBuilder()
        .setId(id)
        .setQueue(queue)
        .setType("type:" + id)
        .setPayload(ByteString.copyFromUtf8("payload " + id))
        .setGroupKey("grp")
        .build();
  }

  private static Map<String, byte[]> hash(TaskMessage msg, TaskState state) {
    Map<String, byte[]> h = new LinkedHashMap<>();
    h.put("msg", msg.toByteArray());
    h.put("state", state.wireName().getBytes(UTF_8));
    return h;
  }

  private static String container(TaskState state) {
    return state == TaskState.AGGREGATING ? P + "g:grp" : P + state.wireName();
  }

  /** Adds {@code id} to the container of {@code state}, at rank {@code rank} (oldest first). */
  private void list(TaskState state, byte[] id, int rank) {
    var c = redis.commands();
    switch (state) {
      case PENDING, ACTIVE -> c.lpush(container(state), id);
      default -> c.zadd(container(state), rank, id);
    }
    if (state == TaskState.AGGREGATING) {
      c.sadd(P + "groups", "grp".getBytes(UTF_8));
    }
  }

  /** Every kind of bad task record, in the order they are listed, between two good tasks. */
  private static final List<String> LISTED =
      List.of(
          "good1", "str", "lst", "set", "zst", "nomsg", "undec", "other", "gone", "n\\xff",
          "good2");

  private void seedHostileListing(TaskState state) {
    var c = redis.commands();
    int rank = 0;
    for (String id : LISTED) {
      rank++;
      if (id.equals("n\\xff")) {
        list(state, NOT_UTF8_ID, rank);
        continue;
      }
      list(state, id.getBytes(UTF_8), rank);
      String key = P + "t:" + id;
      switch (id) {
        case "good1", "good2" -> c.hset(key, hash(message("default", id), state));
        case "str" -> c.set(key, "x".getBytes(UTF_8));
        case "lst" -> c.rpush(key, "x".getBytes(UTF_8));
        case "set" -> c.sadd(key, "x".getBytes(UTF_8));
        case "zst" -> c.zadd(key, 1, "x".getBytes(UTF_8));
        case "nomsg" -> c.hset(key, "state", state.wireName().getBytes(UTF_8));
        case "undec" ->
            c.hset(key, Map.of("msg", new byte[] {(byte) 0xff}, "state", bytes(state.wireName())));
        case "other" -> c.hset(key, hash(message("q2", "elsewhere"), state));
        default -> {} // "gone": listed without a task hash
      }
      if (state == TaskState.ACTIVE) {
        c.zadd(P + "lease", T0.getEpochSecond() + 30, id.getBytes(UTF_8));
      }
    }
  }

  private static byte[] bytes(String s) {
    return s.getBytes(UTF_8);
  }

  private static List<String> ids(List<TaskInfo> tasks) {
    return tasks.stream().map(TaskInfo::id).toList();
  }

  private static Map<String, List<String>> problems(List<TaskInfo> tasks) {
    Map<String, List<String>> m = new LinkedHashMap<>();
    tasks.forEach(t -> m.put(t.id(), t.problems()));
    return m;
  }

  private List<TaskInfo> list(TaskState state, Page page) {
    return state == TaskState.AGGREGATING
        ? inspector.listAggregating("default", "grp", page)
        : inspector.listTasks("default", state, page);
  }

  // --- listings
  // -----------------------------------------------------------------------------------

  @ParameterizedTest
  @EnumSource(TaskState.class)
  void everyListedIdIsARowAndBadOnesCarryTheirProblems(TaskState state) {
    seedHostileListing(state);

    List<TaskInfo> tasks = list(state, Page.all());

    assertThat(ids(tasks)).as("oldest first, bad rows in their place").isEqualTo(LISTED);
    Map<String, List<String>> problems = problems(tasks);
    assertThat(problems.get("good1")).isEmpty();
    assertThat(problems.get("good2")).isEmpty();
    assertThat(problems.get("str")).containsExactly(P + "t:str is a string, not a hash");
    assertThat(problems.get("lst")).containsExactly(P + "t:lst is a list, not a hash");
    assertThat(problems.get("set")).containsExactly(P + "t:set is a set, not a hash");
    assertThat(problems.get("zst")).containsExactly(P + "t:zst is a zset, not a hash");
    assertThat(problems.get("nomsg")).containsExactly("the task hash has no msg field");
    assertThat(problems.get("undec"))
        .singleElement()
        .asString()
        .startsWith("the msg field does not decode: ");
    assertThat(problems.get("other"))
        .containsExactly("the msg field names task \"elsewhere\" in queue \"q2\"");
    assertThat(problems.get("gone"))
        .containsExactly("the ID is listed but " + P + "t:gone does not exist");
    assertThat(problems.get("n\\xff"))
        .containsExactly(
            "the task ID is not valid UTF-8",
            "the ID is listed but " + P + "t:n\\xff does not exist");
    for (TaskInfo t : tasks) {
      assertThat(t.state()).isEqualTo(state);
      assertThat(t.queue()).isEqualTo("default");
    }
    TaskInfo other = tasks.get(LISTED.indexOf("other"));
    assertThat(other.type()).as("what the message says is still shown").isEqualTo("type:elsewhere");
    TaskInfo good = tasks.get(0);
    assertThat(good.type()).isEqualTo("type:good1");
    assertThat(new String(good.payload(), UTF_8)).isEqualTo("payload good1");
    assertThat(tasks.get(LISTED.indexOf("str")).type()).isEmpty();

    assertThat(ids(list(state, Page.of(2, 3))))
        .as("pages keep their ranks")
        .containsExactly("set", "zst", "nomsg");
    QueueInfo info = inspector.queueInfo("default");
    assertThat(StatsCounts.of(info, state)).isEqualTo(LISTED.size());
    assertThat(info.problems()).isEmpty();
    assertThat(info.memoryUsageKnown()).isTrue();
  }

  /** The count of one state in a QueueInfo. */
  private static final class StatsCounts {
    static long of(QueueInfo q, TaskState state) {
      return switch (state) {
        case PENDING -> q.pending();
        case ACTIVE -> q.active();
        case SCHEDULED -> q.scheduled();
        case RETRY -> q.retry();
        case ARCHIVED -> q.archived();
        case COMPLETED -> q.completed();
        case AGGREGATING -> q.aggregating();
      };
    }
  }

  @Test
  void aNonUtf8IdWithATaskHashIsReadThroughItsRawBytes() {
    list(TaskState.PENDING, NOT_UTF8_ID, 1);
    redis
        .commands()
        .eval(
            "return redis.call('HSET', ARGV[1] .. ARGV[2], 'msg', ARGV[3])",
            ScriptOutputType.INTEGER,
            new String[0],
            bytes(P + "t:"),
            NOT_UTF8_ID,
            message("default", "n?").toByteArray());

    TaskInfo t = inspector.listTasks("default", TaskState.PENDING, Page.all()).get(0);

    assertThat(t.id()).isEqualTo("n\\xff");
    assertThat(t.type()).isEqualTo("type:n?");
    assertThat(t.problems())
        .containsExactly(
            "the task ID is not valid UTF-8",
            "the msg field names task \"n?\" in queue \"default\"");
  }

  @Test
  void aStateKeyOfTheWrongTypeCountsZeroIsNamedAndListsAsOneBadRow() {
    var c = redis.commands();
    c.set(P + "pending", bytes("oops"));
    c.hset(P + "archived", "f", bytes("v"));
    c.hset(P + "t:s1", hash(message("default", "s1"), TaskState.SCHEDULED));
    c.zadd(P + "scheduled", T0.getEpochSecond() + 60, bytes("s1"));
    c.hset(P + "t:r1", hash(message("default", "r1"), TaskState.RETRY));
    c.zadd(P + "retry", T0.getEpochSecond() + 60, bytes("r1"));

    QueueInfo info = inspector.queueInfo("default");

    assertThat(info.pending()).isZero();
    assertThat(info.archived()).isZero();
    assertThat(info.scheduled()).isEqualTo(1);
    assertThat(info.retry()).isEqualTo(1);
    assertThat(info.size()).isEqualTo(2);
    assertThat(info.latency()).isZero();
    assertThat(info.problems())
        .containsExactly(
            P + "pending is a string, not a list", P + "archived is a hash, not a zset");
    assertThat(info.memoryUsageKnown()).as("the good keys are still estimated").isTrue();
    assertThat(info.memoryUsageBytes()).isPositive();

    List<TaskInfo> pending = inspector.listTasks("default", TaskState.PENDING, Page.all());
    assertThat(pending).singleElement().satisfies(t -> assertThat(t.id()).isEmpty());
    assertThat(pending.get(0).problems()).containsExactly(P + "pending is a string, not a list");
    assertThat(inspector.listTasks("default", TaskState.PENDING, Page.of(2, 10)))
        .as("only the first page carries it, so paging ends")
        .isEmpty();
    assertThat(inspector.listTasks("default", TaskState.ARCHIVED, Page.first()).get(0).problems())
        .containsExactly(P + "archived is a hash, not a zset");
    assertThat(ids(inspector.listTasks("default", TaskState.RETRY, Page.all())))
        .containsExactly("r1");
  }

  @Test
  void aLeaseKeyOfTheWrongTypeIsABadRowAndActiveTasksStillList() {
    var c = redis.commands();
    c.hset(P + "t:a1", hash(message("default", "a1"), TaskState.ACTIVE));
    c.lpush(P + "active", bytes("a1"));
    c.set(P + "lease", bytes("oops"));

    List<TaskInfo> active = inspector.listTasks("default", TaskState.ACTIVE, Page.all());

    assertThat(ids(active)).containsExactly("", "a1");
    assertThat(active.get(0).problems())
        .containsExactly(P + "lease is a string, not a zset; orphaned tasks cannot be told");
    assertThat(active.get(1).problems()).isEmpty();
    assertThat(active.get(1).orphaned()).isFalse();
  }

  @Test
  void countersThatAreNotNumbersCountZeroAndAreNamed() {
    var c = redis.commands();
    c.set(P + "processed:2026-11-22", bytes("abc"));
    c.hset(P + "failed:2026-11-22", "f", bytes("1"));
    c.set(P + "processed", bytes("5"));
    c.set(P + "failed", bytes("nan"));
    c.set(P + "processed:2026-11-21", bytes("3"));

    QueueInfo info = inspector.queueInfo("default");

    assertThat(info.processedToday()).isZero();
    assertThat(info.failedToday()).isZero();
    assertThat(info.processedTotal()).isEqualTo(5);
    assertThat(info.failedTotal()).isZero();
    assertThat(info.problems())
        .containsExactly(
            P + "processed:2026-11-22 holds \"abc\", not a number",
            P + "failed:2026-11-22 is a hash, not a string",
            P + "failed holds \"nan\", not a number");

    List<DailyStats> history = inspector.history("default", 2);
    assertThat(history.get(0).processed()).isZero();
    assertThat(history.get(0).problems())
        .containsExactly(
            P + "processed:2026-11-22 holds \"abc\", not a number",
            P + "failed:2026-11-22 is a hash, not a string");
    assertThat(history.get(1)).isEqualTo(new DailyStats("default", history.get(1).date(), 3, 0));
  }

  @Test
  void groupKeysOfTheWrongTypeCountZeroAndAreNamed() {
    var c = redis.commands();
    c.sadd(P + "groups", bytes("good"), bytes("listed"));
    c.hset(P + "t:g1", hash(message("default", "g1"), TaskState.AGGREGATING));
    c.zadd(P + "g:good", 1, bytes("g1"));
    c.rpush(P + "g:listed", bytes("x"));
    c.eval(
        "redis.call('SADD', ARGV[1], ARGV[2]) return redis.call('ZADD', ARGV[3] .. ARGV[2], 1, 'g2')",
        ScriptOutputType.INTEGER,
        new String[0],
        bytes(P + "groups"),
        new byte[] {'b', (byte) 0xfe},
        bytes(P + "g:"));

    QueueInfo info = inspector.queueInfo("default");
    assertThat(info.groups()).isEqualTo(3);
    assertThat(info.aggregating()).isEqualTo(2);
    assertThat(info.problems()).containsExactly(P + "g:listed is a list, not a zset");

    assertThat(inspector.groups("default"))
        .containsExactly(
            new GroupInfo("b\\xfe", 1, List.of("the group name is not valid UTF-8")),
            new GroupInfo("good", 1),
            new GroupInfo("listed", 0, List.of(P + "g:listed is a list, not a zset")));
    List<TaskInfo> listed = inspector.listAggregating("default", "listed", Page.all());
    assertThat(listed).singleElement().satisfies(t -> assertThat(t.id()).isEmpty());
    assertThat(listed.get(0).problems()).containsExactly(P + "g:listed is a list, not a zset");
  }

  @Test
  void aGroupRegistryOfTheWrongTypeIsOneBadRow() {
    redis.commands().set(P + "groups", bytes("oops"));

    assertThat(inspector.queueInfo("default").problems())
        .containsExactly(P + "groups is a string, not a set");
    assertThat(inspector.queueInfo("default").groups()).isZero();
    assertThat(inspector.groups("default"))
        .containsExactly(new GroupInfo("", 0, List.of(P + "groups is a string, not a set")));
  }

  @Test
  void aMemoryEstimateRedisRefusesIsUnknownNotAFailure() {
    redis
        .commands()
        .aclSetuser(
            "nomemory",
            AclSetuserArgs.Builder.on()
                .addPassword("pw")
                .allKeys()
                .allChannels()
                .allCommands()
                .removeCommand(CommandType.MEMORY));
    redis.commands().lpush(P + "pending", bytes("p1"));
    String uri = "redis://nomemory:pw@" + server.host() + ":" + server.port();
    try (Inspector limited = Inspector.builder().uri(uri).clock(clock).build()) {
      QueueInfo info = limited.queueInfo("default");

      assertThat(info.pending()).isEqualTo(1);
      assertThat(info.memoryUsageBytes()).isEqualTo(-1);
      assertThat(info.memoryUsageKnown()).isFalse();
      assertThat(info.problems())
          .singleElement()
          .asString()
          .startsWith("memory usage unknown: ")
          .contains("memory");
    }
  }

  // --- one task
  // -----------------------------------------------------------------------------------

  @Test
  void taskInfoOfABadRecordIsTheTaskWithItsProblemsInTheStateThatListsIt() {
    seedHostileListing(TaskState.PENDING);
    var c = redis.commands();
    c.hset(
        P + "t:weird",
        Map.of("msg", message("default", "weird").toByteArray(), "state", bytes("zzz")));
    c.zadd(P + "retry", T0.getEpochSecond() + 60, bytes("weird"));
    c.set(P + "t:stray", bytes("x"));

    Map<String, String> expected = new LinkedHashMap<>();
    expected.put("str", P + "t:str is a string, not a hash");
    expected.put("zst", P + "t:zst is a zset, not a hash");
    expected.put("nomsg", "the task hash has no msg field");
    expected.put("other", "the msg field names task \"elsewhere\" in queue \"q2\"");
    expected.put("gone", "the ID is listed but " + P + "t:gone does not exist");
    expected.forEach(
        (id, problem) -> {
          TaskInfo t = inspector.taskInfo("default", id);
          assertThat(t.id()).isEqualTo(id);
          assertThat(t.state()).as(id).isEqualTo(TaskState.PENDING);
          assertThat(t.problems()).as(id).containsExactly(problem);
        });
    assertThat(inspector.taskInfo("default", "undec").problems())
        .singleElement()
        .asString()
        .startsWith("the msg field does not decode");
    assertThat(inspector.taskInfo("default", "good1").problems()).isEmpty();

    TaskInfo weird = inspector.taskInfo("default", "weird");
    assertThat(weird.state()).isEqualTo(TaskState.RETRY);
    assertThat(weird.nextProcessAt()).contains(T0.plusSeconds(60));
    assertThat(weird.type()).isEqualTo("type:weird");
    assertThat(weird.problems())
        .containsExactly("the task hash's state field \"zzz\" is not a state");

    assertThatThrownBy(() -> inspector.taskInfo("default", "stray"))
        .as("a stray key in no state is no task")
        .isInstanceOf(TaskNotFoundException.class);
    assertThatThrownBy(() -> inspector.taskInfo("default", "nowhere"))
        .isInstanceOf(TaskNotFoundException.class);
  }

  @Test
  void updatingTheMessageOfABadTaskIsRefusedNamingTheProblem() {
    var c = redis.commands();
    c.hset(P + "t:s1", Map.of("msg", new byte[] {(byte) 0xff}, "state", bytes("scheduled")));
    c.zadd(P + "scheduled", T0.getEpochSecond() + 60, bytes("s1"));

    assertThatThrownBy(() -> inspector.updateTaskPayload("default", "s1", bytes("new")))
        .isInstanceOf(JasynqException.class)
        .hasMessageContaining("is malformed: the msg field does not decode");
    assertThat(redis.hgetAll(P + "t:s1").get("msg")).isEqualTo(new byte[] {(byte) 0xff});
  }

  // --- queues
  // -------------------------------------------------------------------------------------

  @Test
  void aRegisteredQueueWhoseKeysAreAllBrokenStillHasItsInfo() {
    var c = redis.commands();
    c.sadd("asynq:queues", bytes("broken"));
    String b = "asynq:{broken}:";
    c.set(b + "pending", bytes("x"));
    c.set(b + "active", bytes("x"));
    c.set(b + "scheduled", bytes("x"));
    c.set(b + "retry", bytes("x"));
    c.set(b + "archived", bytes("x"));
    c.set(b + "completed", bytes("x"));
    c.set(b + "groups", bytes("x"));
    c.hset(b + "processed", "f", bytes("x"));

    assertThat(inspector.queues()).containsExactly("broken", "default");
    QueueInfo info = inspector.queueInfo("broken");
    assertThat(info.size()).isZero();
    assertThat(info.problems()).hasSize(8);
    for (TaskState s : List.of(TaskState.PENDING, TaskState.ACTIVE, TaskState.SCHEDULED)) {
      assertThat(inspector.listTasks("broken", s, Page.all())).hasSize(1);
    }
  }

  @Test
  void aQueueRegistryThatIsNotASetFailsQueuesWithAClearMessage() {
    redis.commands().del("asynq:queues");
    redis.commands().set("asynq:queues", bytes("x"));
    assertThatThrownBy(inspector::queues)
        .isInstanceOf(JasynqException.class)
        .hasMessage("queues failed: asynq:queues is a string, not a set");
  }

  // --- servers and schedulers
  // ----------------------------------------------------------------------

  private static Timestamp ts(Instant t) {
    return Timestamp.newBuilder().setSeconds(t.getEpochSecond()).build();
  }

  private void seedServer(String tag, Object value, Map<String, byte[]> workers) {
    var c = redis.commands();
    long expiry = T0.getEpochSecond() + 30;
    c.zadd("asynq:servers", expiry, bytes("asynq:servers:" + tag));
    c.zadd("asynq:workers", expiry, bytes("asynq:workers:" + tag));
    if (value instanceof byte[] v) {
      c.set("asynq:servers:" + tag, v);
    } else {
      c.rpush("asynq:servers:" + tag, bytes("x"));
    }
    if (!workers.isEmpty()) {
      c.hset("asynq:workers:" + tag, workers);
    }
  }

  private static byte[] serverInfo(String host, int pid, String id) {
    return io.jasynq.internal.broker.proto.ServerInfo.newBuilder()
        .setHost(host)
        .setPid(pid)
        .setServerId(id)
        .setConcurrency(10)
        .setStatus("active")
        .setStartTime(ts(T0))
        .build()
        .toByteArray();
  }

  private static byte[] workerInfo(String serverId, String taskId) {
    return io.jasynq.internal.broker.proto.WorkerInfo.newBuilder()
        .setServerId(serverId)
        .setTaskId(taskId)
        .setTaskType("t")
        .setQueue("default")
        .setStartTime(ts(T0))
        .build()
        .toByteArray();
  }

  @Test
  void badServerAndWorkerRecordsAreMarkedRowsAndProblems() {
    seedServer(
        "{a:1:good}",
        serverInfo("a", 1, "good"),
        Map.of("w1", workerInfo("good", "w1"), "w2", new byte[] {(byte) 0xff}));
    seedServer("{b:2:undec}", new byte[] {(byte) 0xff, 1}, Map.of());
    seedServer("{c:3:listed}", null, Map.of());
    seedServer("{d:4:nohash}", serverInfo("d", 4, "nohash"), Map.of());
    redis.commands().set("asynq:workers:{d:4:nohash}", bytes("x"));

    List<ServerInfo> servers = inspector.servers();

    assertThat(servers)
        .extracting(ServerInfo::id)
        .containsExactly("good", "undec", "listed", "nohash");
    ServerInfo good = servers.get(0);
    assertThat(good.activeWorkers()).extracting(WorkerInfo::taskId).containsExactly("w1");
    assertThat(good.problems())
        .singleElement()
        .asString()
        .startsWith("an entry of asynq:workers:{a:1:good} does not decode");
    ServerInfo undec = servers.get(1);
    assertThat(List.of(undec.host(), undec.pid(), undec.started() == null))
        .containsExactly("b", 2, true);
    assertThat(undec.problems())
        .singleElement()
        .asString()
        .startsWith("asynq:servers:{b:2:undec} does not decode");
    assertThat(servers.get(2).problems())
        .containsExactly("asynq:servers:{c:3:listed} is a list, not a string");
    assertThat(servers.get(3).problems())
        .containsExactly("asynq:workers:{d:4:nohash} is a string, not a hash");
    assertThat(servers.get(3).concurrency()).isEqualTo(10);
  }

  @Test
  void registriesOfTheWrongTypeAreOneBadRowOrAProblem() {
    seedServer("{a:1:good}", serverInfo("a", 1, "good"), Map.of("w1", workerInfo("good", "w1")));
    var c = redis.commands();
    c.del("asynq:workers");
    c.set("asynq:workers", bytes("x"));
    c.set("asynq:schedulers", bytes("x"));

    ServerInfo s = inspector.servers().get(0);
    assertThat(s.activeWorkers()).isEmpty();
    assertThat(s.problems())
        .containsExactly("asynq:workers is a string, not a zset; workers not shown");
    assertThat(inspector.schedulerEntries())
        .singleElement()
        .satisfies(
            e ->
                assertThat(e.problems())
                    .containsExactly("asynq:schedulers is a string, not a zset"));

    c.del("asynq:servers");
    c.hset("asynq:servers", "f", bytes("x"));
    assertThat(inspector.servers())
        .singleElement()
        .satisfies(
            e -> assertThat(e.problems()).containsExactly("asynq:servers is a hash, not a zset"));
  }

  @Test
  void aSchedulerKeyOrHistoryOfTheWrongTypeIsOneBadRow() {
    var c = redis.commands();
    c.zadd("asynq:schedulers", T0.getEpochSecond() + 30, bytes("asynq:schedulers:{h:1:s}"));
    c.set("asynq:schedulers:{h:1:s}", bytes("x"));
    c.set("asynq:scheduler_history:e1", bytes("x"));

    assertThat(inspector.schedulerEntries())
        .singleElement()
        .satisfies(
            e -> {
              assertThat(e.id()).isEmpty();
              assertThat(e.next()).isNull();
              assertThat(e.problems())
                  .containsExactly("asynq:schedulers:{h:1:s} is a string, not a list");
            });
    List<SchedulerEnqueueEvent> events = inspector.schedulerHistory("e1", Page.first());
    assertThat(events).singleElement().satisfies(e -> assertThat(e.taskId()).isEmpty());
    assertThat(events.get(0).problems())
        .containsExactly("asynq:scheduler_history:e1 is a string, not a zset");
    assertThat(inspector.schedulerHistory("e1", Page.of(2, 30))).isEmpty();
  }

  @Test
  void zsetScoresThatAreNotTimesReadAsNone() {
    var c = redis.commands();
    c.hset(P + "t:s1", hash(message("default", "s1"), TaskState.SCHEDULED));
    c.zadd(P + "scheduled", Double.POSITIVE_INFINITY, bytes("s1"));
    List<TaskInfo> tasks =
        new ArrayList<>(inspector.listTasks("default", TaskState.SCHEDULED, Page.all()));
    assertThat(tasks).singleElement().satisfies(t -> assertThat(t.nextProcessAt()).isEmpty());
  }
}

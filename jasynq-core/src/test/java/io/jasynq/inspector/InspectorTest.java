package io.jasynq.inspector;

import static io.jasynq.TaskOption.group;
import static io.jasynq.TaskOption.processAt;
import static io.jasynq.TaskOption.queue;
import static io.jasynq.TaskOption.taskId;
import static io.jasynq.TaskOption.unique;
import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.protobuf.ByteString;
import io.jasynq.BatchResult;
import io.jasynq.Client;
import io.jasynq.DailyStats;
import io.jasynq.GroupInfo;
import io.jasynq.Inspector;
import io.jasynq.Page;
import io.jasynq.QueueInfo;
import io.jasynq.QueueNotEmptyException;
import io.jasynq.QueueNotFoundException;
import io.jasynq.QueueStateException;
import io.jasynq.Task;
import io.jasynq.TaskInfo;
import io.jasynq.TaskNotFoundException;
import io.jasynq.TaskState;
import io.jasynq.TaskStateException;
import io.jasynq.internal.broker.proto.TaskMessage;
import io.jasynq.testkit.FakeClock;
import io.jasynq.testkit.RedisServer;
import io.jasynq.testkit.RedisTest;
import io.jasynq.testkit.TestRedis;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Every Inspector read and write against a real Redis, with the data written by our Client or
 * seeded key by key as wire-format §1 describes it, and the results Go Asynq's Inspector computes
 * (wire-format §6). Time comes from a fake clock.
 */
@RedisTest
class InspectorTest {
  private static final Instant T0 = Instant.parse("2026-11-22T10:00:00Z");

  private final TestRedis redis;
  private final FakeClock clock = FakeClock.at(T0);
  private final Client client;
  private final Inspector inspector;

  InspectorTest(RedisServer server, TestRedis redis) {
    this.redis = redis;
    this.client = Client.builder().uri(server.uri()).clock(clock).build();
    this.inspector = Inspector.builder().uri(server.uri()).clock(clock).build();
  }

  @AfterEach
  void tearDown() {
    inspector.close();
    client.close();
  }

  // --- seeding (wire-format §1: hash + container)
  // ------------------------------------------------------

  private static TaskMessage message(String queue, String id) {
    return TaskMessage.newBuilder()
        .setId(id)
        .setQueue(queue)
        .setType("type:" + id)
        .setPayload(ByteString.copyFromUtf8("payload " + id))
        .setRetry(25)
        .setTimeout(1800)
        .build();
  }

  /** A task in {@code state} with {@code score} (zset score, or lease expiry for active). */
  private void seed(String queue, String id, TaskState state, long score) {
    seed(message(queue, id), state, score, h -> {});
  }

  private void seed(TaskMessage msg, TaskState state, long score, Consumer<Map<String, byte[]>> f) {
    String q = msg.getQueue();
    String p = "asynq:{" + q + "}:";
    Map<String, byte[]> hash = new java.util.HashMap<>();
    hash.put("msg", msg.toByteArray());
    hash.put("state", state.wireName().getBytes(UTF_8));
    f.accept(hash);
    var c = redis.commands();
    c.hset(p + "t:" + msg.getId(), hash);
    byte[] id = msg.getId().getBytes(UTF_8);
    switch (state) {
      case PENDING -> c.lpush(p + "pending", id);
      case ACTIVE -> {
        c.lpush(p + "active", id);
        c.zadd(p + "lease", score, id);
      }
      case AGGREGATING -> {
        c.zadd(p + "g:" + msg.getGroupKey(), score, id);
        c.sadd(p + "groups", msg.getGroupKey().getBytes(UTF_8));
      }
      default -> c.zadd(p + state.wireName(), score, id);
    }
    c.sadd("asynq:queues", q.getBytes(UTF_8));
  }

  private static List<String> ids(List<TaskInfo> tasks) {
    return tasks.stream().map(TaskInfo::id).toList();
  }

  private String state(String queue, String id) {
    return redis.hget("asynq:{" + queue + "}:t:" + id, "state");
  }

  // --- reads -------------------------------------------------------------------------------------

  @Test
  void queuesAreTheRegisteredNamesSorted() {
    client.enqueue(Task.of("t"), queue("zeta"));
    client.enqueue(Task.of("t"), queue("alpha"));
    client.enqueue(Task.of("t"));
    assertThat(inspector.queues()).containsExactly("alpha", "default", "zeta");
  }

  @Test
  void queueInfoCountsEveryStateAndDerivesLatencyAsAsynqDoes() {
    client.enqueue(Task.of("a"), taskId("p1"));
    clock.advance(Duration.ofSeconds(10));
    client.enqueue(Task.of("a"), taskId("p2"));
    seed("default", "a1", TaskState.ACTIVE, T0.getEpochSecond() + 30);
    seed("default", "s1", TaskState.SCHEDULED, T0.getEpochSecond() + 60);
    seed("default", "r1", TaskState.RETRY, T0.getEpochSecond() + 60);
    seed("default", "x1", TaskState.ARCHIVED, T0.getEpochSecond());
    seed("default", "c1", TaskState.COMPLETED, T0.getEpochSecond() + 3600);
    client.enqueue(Task.of("g"), group("g1"));
    client.enqueue(Task.of("g"), group("g1"));
    client.enqueue(Task.of("g"), group("g2"));
    var c = redis.commands();
    c.set("asynq:{default}:processed:2026-11-22", "7".getBytes(UTF_8));
    c.set("asynq:{default}:failed:2026-11-22", "2".getBytes(UTF_8));
    c.set("asynq:{default}:processed", "70".getBytes(UTF_8));
    c.set("asynq:{default}:failed", "20".getBytes(UTF_8));
    clock.set(T0.plusSeconds(90));

    QueueInfo info = inspector.queueInfo("default");

    assertThat(info.queue()).isEqualTo("default");
    assertThat(info.pending()).isEqualTo(2);
    assertThat(info.active()).isEqualTo(1);
    assertThat(info.scheduled()).isEqualTo(1);
    assertThat(info.retry()).isEqualTo(1);
    assertThat(info.archived()).isEqualTo(1);
    assertThat(info.completed()).isEqualTo(1);
    assertThat(info.aggregating()).isEqualTo(3);
    assertThat(info.groups()).isEqualTo(2);
    assertThat(info.size()).as("completed counts, as in Asynq").isEqualTo(10);
    assertThat(info.latency()).as("from the oldest pending task").isEqualTo(Duration.ofSeconds(90));
    assertThat(info.processedToday()).isEqualTo(7);
    assertThat(info.failedToday()).isEqualTo(2);
    assertThat(info.processedTotal()).isEqualTo(70);
    assertThat(info.failedTotal()).isEqualTo(20);
    assertThat(info.paused()).isFalse();
    assertThat(info.timestamp()).isEqualTo(T0.plusSeconds(90));
    assertThat(info.memoryUsageBytes()).isPositive();

    inspector.pauseQueue("default");
    assertThat(inspector.queueInfo("default").paused()).isTrue();
  }

  @Test
  void queueInfoOfAnEmptyQueueIsZeroWithoutLatencyOrMemory() {
    redis.commands().sadd("asynq:queues", "empty".getBytes(UTF_8));
    QueueInfo info = inspector.queueInfo("empty");
    assertThat(info.size()).isZero();
    assertThat(info.latency()).isZero();
    assertThat(info.memoryUsageBytes()).isZero();
  }

  @Test
  void memoryEstimateSkipsDanglingIdsAndEmptyGroupsInsteadOfFailing() {
    seed("default", "s1", TaskState.SCHEDULED, 1);
    var c = redis.commands();
    c.zadd("asynq:{default}:scheduled", 2, "gone".getBytes(UTF_8));
    c.sadd("asynq:{default}:groups", "empty-group".getBytes(UTF_8));
    assertThat(inspector.queueInfo("default").memoryUsageBytes()).isPositive();
  }

  @Test
  void everyPerQueueCallOfAnUnknownQueueThrowsQueueNotFound() {
    List<Runnable> calls =
        List.of(
            () -> inspector.queueInfo("nope"),
            () -> inspector.history("nope", 1),
            () -> inspector.taskInfo("nope", "id"),
            () -> inspector.listTasks("nope", TaskState.PENDING, Page.first()),
            () -> inspector.listAggregating("nope", "g", Page.first()),
            () -> inspector.deleteTask("nope", "id"),
            () -> inspector.runTask("nope", "id"),
            () -> inspector.archiveTask("nope", "id"),
            () -> inspector.updateTaskPayload("nope", "id", new byte[0]),
            () -> inspector.deleteAll("nope", TaskState.ARCHIVED),
            () -> inspector.runAll("nope", TaskState.ARCHIVED),
            () -> inspector.archiveAll("nope", TaskState.PENDING),
            () -> inspector.deleteAllAggregating("nope", "g"),
            () -> inspector.runAllAggregating("nope", "g"),
            () -> inspector.archiveAllAggregating("nope", "g"),
            () -> inspector.deleteQueue("nope", true));
    for (Runnable call : calls) {
      assertThatThrownBy(call::run)
          .isInstanceOf(QueueNotFoundException.class)
          .hasMessage("queue \"nope\" does not exist");
    }
    assertThat(inspector.groups("nope")).as("no check, as in Asynq").isEmpty();
  }

  @Test
  void blankNamesAndBadArgumentsAreRejectedBeforeAnyIo() {
    assertThatThrownBy(() -> inspector.queueInfo(" "))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("queue must contain one or more characters");
    assertThatThrownBy(() -> inspector.history("default", 0))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("days must be >= 1, was 0");
    assertThatThrownBy(() -> inspector.listTasks("default", TaskState.AGGREGATING, Page.first()))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> inspector.runAll("default", TaskState.PENDING))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("state must be one of [scheduled, retry, archived], was pending");
    assertThatThrownBy(() -> inspector.deleteAll("default", TaskState.ACTIVE))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> inspector.archiveAll("default", TaskState.ARCHIVED))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void badPagesAreRejectedInsteadOfReinterpretedAsInAsynq() {
    assertThatThrownBy(() -> Page.of(0, 30))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("page number must be >= 1, was 0");
    assertThatThrownBy(() -> Page.of(1, -1))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("page size must be >= 0 (0 = every entry), was -1");
    assertThat(Page.first()).isEqualTo(Page.of(1, 30));
    assertThat(Page.of(2, 10).next()).isEqualTo(Page.of(3, 10));
    assertThat(Page.all().isAll()).isTrue();
  }

  @Test
  void historyListsTodayFirstAndMissingDaysAsZero() {
    client.enqueue(Task.of("t"));
    var c = redis.commands();
    c.set("asynq:{default}:processed:2026-11-22", "5".getBytes(UTF_8));
    c.set("asynq:{default}:failed:2026-11-22", "1".getBytes(UTF_8));
    c.set("asynq:{default}:processed:2026-11-20", "3".getBytes(UTF_8));

    assertThat(inspector.history("default", 3))
        .containsExactly(
            new DailyStats("default", LocalDate.parse("2026-11-22"), 5, 1),
            new DailyStats("default", LocalDate.parse("2026-11-21"), 0, 0),
            new DailyStats("default", LocalDate.parse("2026-11-20"), 3, 0));
  }

  @Test
  void groupsListsEachRegisteredGroupWithItsSize() {
    client.enqueue(Task.of("t"), group("b"));
    client.enqueue(Task.of("t"), group("a"));
    client.enqueue(Task.of("t"), group("a"));
    redis.commands().sadd("asynq:{default}:groups", "empty".getBytes(UTF_8));
    assertThat(inspector.groups("default"))
        .containsExactly(new GroupInfo("a", 2), new GroupInfo("b", 1), new GroupInfo("empty", 0));
  }

  @Test
  void taskInfoReportsTheHashStateDueTimeAndResult() {
    clock.set(T0.plusMillis(700));
    client.enqueue(Task.of("t", "p"), taskId("pend"));
    client.enqueue(Task.of("t"), taskId("sched"), processAt(T0.plusSeconds(120)));
    seed(
        message("default", "done"),
        TaskState.COMPLETED,
        T0.getEpochSecond() + 60,
        h -> h.put("result", "42".getBytes(UTF_8)));

    TaskInfo pending = inspector.taskInfo("default", "pend");
    assertThat(pending.state()).isEqualTo(TaskState.PENDING);
    assertThat(pending.type()).isEqualTo("t");
    assertThat(pending.payload()).isEqualTo("p".getBytes(UTF_8));
    assertThat(pending.nextProcessAt()).as("now, whole seconds").contains(T0);
    assertThat(inspector.taskInfo("default", "sched").nextProcessAt())
        .contains(T0.plusSeconds(120));
    TaskInfo done = inspector.taskInfo("default", "done");
    assertThat(done.state()).isEqualTo(TaskState.COMPLETED);
    assertThat(done.nextProcessAt()).isEmpty();
    assertThat(done.result())
        .hasValueSatisfying(r -> assertThat(r).isEqualTo("42".getBytes(UTF_8)));

    assertThatThrownBy(() -> inspector.taskInfo("default", "missing"))
        .isInstanceOf(TaskNotFoundException.class)
        .hasMessage("cannot find task with id=missing in queue \"default\"");
  }

  @Test
  void pendingAndActiveListsPageFromTheOldestTask() {
    for (int i = 1; i <= 7; i++) {
      client.enqueue(Task.of("t"), taskId("p" + i));
    }
    assertThat(ids(inspector.listTasks("default", TaskState.PENDING, Page.of(1, 3))))
        .containsExactly("p1", "p2", "p3");
    assertThat(ids(inspector.listTasks("default", TaskState.PENDING, Page.of(3, 3))))
        .containsExactly("p7");
    assertThat(inspector.listTasks("default", TaskState.PENDING, Page.of(4, 3))).isEmpty();
    assertThat(ids(inspector.listTasks("default", TaskState.PENDING, Page.all())))
        .containsExactly("p1", "p2", "p3", "p4", "p5", "p6", "p7");
    List<TaskInfo> page = inspector.listTasks("default", TaskState.PENDING, Page.first(1));
    assertThat(page.get(0).state()).isEqualTo(TaskState.PENDING);
    assertThat(page.get(0).nextProcessAt()).contains(T0);
  }

  @Test
  void sortedSetsListByAscendingScoreWithTiesByIdBytes() {
    seed("default", "b", TaskState.RETRY, 200);
    seed("default", "c", TaskState.RETRY, 100);
    seed("default", "a", TaskState.RETRY, 200);
    seed("default", "B", TaskState.RETRY, 200);
    List<TaskInfo> retry = inspector.listTasks("default", TaskState.RETRY, Page.all());
    assertThat(ids(retry)).containsExactly("c", "B", "a", "b");
    assertThat(retry.get(0).nextProcessAt()).contains(Instant.ofEpochSecond(100));
    assertThat(retry.get(0).state()).isEqualTo(TaskState.RETRY);
    assertThat(ids(inspector.listTasks("default", TaskState.RETRY, Page.of(2, 3))))
        .containsExactly("b");

    seed("default", "x2", TaskState.ARCHIVED, 20);
    seed("default", "x1", TaskState.ARCHIVED, 10);
    List<TaskInfo> archived = inspector.listTasks("default", TaskState.ARCHIVED, Page.first());
    assertThat(ids(archived)).as("ascending, as Asynq's code does").containsExactly("x1", "x2");
    assertThat(archived.get(0).nextProcessAt()).isEmpty();
  }

  @Test
  void listingsMarkIdsWithoutATaskHashAndUndecodableMessagesAsBadRows() {
    seed("default", "s1", TaskState.SCHEDULED, 1);
    var c = redis.commands();
    c.zadd("asynq:{default}:scheduled", 2, "gone".getBytes(UTF_8));
    c.hset(
        "asynq:{default}:t:bad",
        Map.of("msg", new byte[] {(byte) 0xff}, "state", "scheduled".getBytes(UTF_8)));
    c.zadd("asynq:{default}:scheduled", 3, "bad".getBytes(UTF_8));
    List<TaskInfo> tasks = inspector.listTasks("default", TaskState.SCHEDULED, Page.all());
    assertThat(ids(tasks))
        .as("every listed ID is a row, in score order")
        .containsExactly("s1", "gone", "bad");
    assertThat(tasks.get(0).problems()).isEmpty();
    assertThat(tasks.get(1).problems())
        .containsExactly("the ID is listed but asynq:{default}:t:gone does not exist");
    assertThat(tasks.get(2).problems())
        .singleElement()
        .asString()
        .startsWith("the msg field does not decode");
    assertThat(tasks.get(2).nextProcessAt()).contains(Instant.ofEpochSecond(3));
  }

  @Test
  void paginationReachesEveryOneOfTwelveThousandPendingTasks() {
    int n = 12_000;
    List<Task> tasks = new ArrayList<>(n);
    for (int i = 0; i < n; i++) {
      tasks.add(Task.of("bulk", taskId(String.format("t%05d", i))));
    }
    assertThat(client.enqueueBatch(tasks)).allMatch(BatchResult::isSuccess);

    List<String> seen = new ArrayList<>();
    for (Page page = Page.first(1000); ; page = page.next()) {
      List<TaskInfo> tasksOnPage = inspector.listTasks("default", TaskState.PENDING, page);
      if (tasksOnPage.isEmpty()) {
        break;
      }
      seen.addAll(ids(tasksOnPage));
    }
    assertThat(seen).hasSize(n);
    assertThat(seen.get(0)).isEqualTo("t00000");
    assertThat(seen.get(n - 1)).isEqualTo("t11999");
    assertThat(seen).isSorted();
    assertThat(ids(inspector.listTasks("default", TaskState.PENDING, Page.of(400, 30))))
        .containsExactlyElementsOf(seen.subList(n - 30, n));
    assertThat(inspector.listTasks("default", TaskState.PENDING, Page.all())).hasSize(n);
    assertThat(inspector.queueInfo("default").pending()).isEqualTo(n);

    assertThat(inspector.archiveAll("default", TaskState.PENDING)).isEqualTo(n);
    assertThat(inspector.queueInfo("default").archived())
        .as("the archive keeps the newest 10000 and deletes the rest with their hashes")
        .isEqualTo(10_000);
    assertThat(redis.keys("asynq:{default}:t:*")).hasSize(10_000);
  }

  @Test
  void activeTaskWhoseLeaseExpiredIsOrphaned() {
    seed("default", "a1", TaskState.ACTIVE, T0.getEpochSecond() + 30);
    seed("default", "a2", TaskState.ACTIVE, T0.getEpochSecond() + 60);
    assertThat(inspector.listTasks("default", TaskState.ACTIVE, Page.all()))
        .noneMatch(TaskInfo::orphaned);
    clock.set(T0.plusSeconds(30));
    List<TaskInfo> active = inspector.listTasks("default", TaskState.ACTIVE, Page.all());
    assertThat(ids(active)).containsExactly("a1", "a2");
    assertThat(active.get(0).orphaned()).as("lease score <= now").isTrue();
    assertThat(active.get(1).orphaned()).isFalse();
    assertThat(active.get(0).nextProcessAt()).isEmpty();
  }

  @Test
  void aggregatingTasksListInTheOrderTheyJoinedTheirGroup() {
    client.enqueue(Task.of("t"), group("g"), taskId("first"));
    clock.advance(Duration.ofSeconds(1));
    client.enqueue(Task.of("t"), group("g"), taskId("second"));
    client.enqueue(Task.of("t"), group("other"), taskId("elsewhere"));
    List<TaskInfo> tasks = inspector.listAggregating("default", "g", Page.all());
    assertThat(ids(tasks)).containsExactly("first", "second");
    assertThat(tasks.get(0).state()).isEqualTo(TaskState.AGGREGATING);
    assertThat(tasks.get(0).group()).contains("g");
    assertThat(inspector.listAggregating("default", "unknown", Page.all())).isEmpty();
  }

  // --- writes to one task ---------------------------------------------------------------------

  @Test
  void runTaskMakesAnyWaitingTaskPendingWithPendingSince() {
    seed("default", "s", TaskState.SCHEDULED, 100);
    seed("default", "r", TaskState.RETRY, 100);
    seed("default", "x", TaskState.ARCHIVED, 100);
    seed("default", "c", TaskState.COMPLETED, 100);
    client.enqueue(Task.of("t"), group("g"), taskId("g1"));
    clock.set(T0.plusSeconds(5));
    for (String id : List.of("s", "r", "x", "c", "g1")) {
      inspector.runTask("default", id);
      assertThat(state("default", id)).isEqualTo("pending");
      assertThat(redis.hget("asynq:{default}:t:" + id, "pending_since"))
          .isEqualTo(Long.toString(T0.plusSeconds(5).getEpochSecond() * 1_000_000_000L));
    }
    assertThat(redis.lrange("asynq:{default}:pending")).containsExactly("g1", "c", "x", "r", "s");
    assertThat(redis.keys("asynq:{default}:g:g")).isEmpty();
    assertThat(redis.smembers("asynq:{default}:groups")).as("empty group unregistered").isEmpty();
    assertThat(inspector.queueInfo("default").latency()).isZero();
  }

  @Test
  void runTaskRefusesPendingActiveAndUnknownTasks() {
    client.enqueue(Task.of("t"), taskId("p"));
    seed("default", "a", TaskState.ACTIVE, T0.getEpochSecond() + 30);
    assertThatThrownBy(() -> inspector.runTask("default", "p"))
        .isInstanceOfSatisfying(
            TaskStateException.class, e -> assertThat(e.state()).isEqualTo(TaskState.PENDING))
        .hasMessageStartingWith("task is already in pending state");
    assertThatThrownBy(() -> inspector.runTask("default", "a"))
        .isInstanceOfSatisfying(
            TaskStateException.class, e -> assertThat(e.state()).isEqualTo(TaskState.ACTIVE))
        .hasMessageStartingWith("task is already running");
    assertThatThrownBy(() -> inspector.runTask("default", "nope"))
        .isInstanceOf(TaskNotFoundException.class);
    assertThat(redis.lrange("asynq:{default}:pending")).containsExactly("p");
  }

  @Test
  void archiveTaskArchivesAtNowAndRefusesArchivedAndActiveTasks() {
    client.enqueue(Task.of("t"), taskId("p"));
    seed("default", "s", TaskState.SCHEDULED, 100);
    seed("default", "x", TaskState.ARCHIVED, T0.getEpochSecond() - 100);
    seed("default", "a", TaskState.ACTIVE, T0.getEpochSecond() + 30);
    inspector.archiveTask("default", "p");
    inspector.archiveTask("default", "s");
    assertThat(redis.zrangeWithScores("asynq:{default}:archived"))
        .containsExactly(
            Map.entry("x", (double) T0.getEpochSecond() - 100),
            Map.entry("p", (double) T0.getEpochSecond()),
            Map.entry("s", (double) T0.getEpochSecond()));
    assertThat(state("default", "p")).isEqualTo("archived");
    assertThat(redis.lrange("asynq:{default}:pending")).isEmpty();
    assertThatThrownBy(() -> inspector.archiveTask("default", "x"))
        .isInstanceOf(TaskStateException.class)
        .hasMessageStartingWith("task is already archived");
    assertThatThrownBy(() -> inspector.archiveTask("default", "a"))
        .isInstanceOf(TaskStateException.class)
        .hasMessageStartingWith("cannot archive task in active state");
  }

  @Test
  void deleteTaskReleasesItsUniqueLockAndRefusesActiveTasks() {
    TaskInfo info = client.enqueue(Task.of("t", "p"), unique(Duration.ofHours(1)));
    seed("default", "a", TaskState.ACTIVE, T0.getEpochSecond() + 30);
    assertThat(redis.keys("asynq:{default}:unique:*")).hasSize(1);
    inspector.deleteTask("default", info.id());
    assertThat(redis.keys("asynq:{default}:unique:*")).isEmpty();
    assertThat(redis.keys("asynq:{default}:t:" + info.id())).isEmpty();
    assertThat(redis.lrange("asynq:{default}:pending")).isEmpty();
    assertThatThrownBy(() -> inspector.deleteTask("default", "a"))
        .isInstanceOf(TaskStateException.class)
        .hasMessageStartingWith("cannot delete task in active state");
    assertThatThrownBy(() -> inspector.deleteTask("default", info.id()))
        .isInstanceOf(TaskNotFoundException.class);
  }

  @Test
  void updateTaskPayloadRewritesOnlyScheduledTasksKeepingOtherFields() {
    client.enqueue(
        Task.builder("t").payload("old".getBytes(UTF_8)).header("k", "v").build(),
        taskId("s"),
        processAt(T0.plusSeconds(60)));
    client.enqueue(Task.of("t"), taskId("p"));
    TaskInfo updated = inspector.updateTaskPayload("default", "s", "new".getBytes(UTF_8));
    assertThat(updated.payload()).isEqualTo("new".getBytes(UTF_8));
    TaskInfo stored = inspector.taskInfo("default", "s");
    assertThat(stored.payload()).isEqualTo("new".getBytes(UTF_8));
    assertThat(stored.headers()).containsEntry("k", "v");
    assertThat(stored.nextProcessAt()).contains(T0.plusSeconds(60));
    assertThatThrownBy(() -> inspector.updateTaskPayload("default", "p", new byte[0]))
        .isInstanceOf(TaskStateException.class)
        .hasMessageStartingWith("cannot update task that is not in scheduled state");
  }

  // --- writes to many tasks -------------------------------------------------------------------

  @Test
  void bulkWritesReturnCountsAndLeaveNoDanglingData() {
    for (String id : List.of("s1", "s2")) {
      seed("default", id, TaskState.SCHEDULED, 100);
    }
    seed("default", "r1", TaskState.RETRY, 100);
    seed("default", "c1", TaskState.COMPLETED, T0.getEpochSecond());
    client.enqueue(Task.of("t", "u"), unique(Duration.ofHours(1)));
    client.enqueue(Task.of("t", "v"));

    assertThat(inspector.runAll("default", TaskState.SCHEDULED)).isEqualTo(2);
    assertThat(redis.lrange("asynq:{default}:pending")).hasSize(4);
    assertThat(inspector.archiveAll("default", TaskState.RETRY)).isEqualTo(1);
    assertThat(state("default", "r1")).isEqualTo("archived");
    assertThat(inspector.deleteAll("default", TaskState.PENDING)).isEqualTo(4);
    assertThat(redis.keys("asynq:{default}:unique:*")).as("released, unlike Asynq").isEmpty();
    assertThat(inspector.deleteAll("default", TaskState.COMPLETED)).isEqualTo(1);
    assertThat(inspector.runAll("default", TaskState.ARCHIVED)).isEqualTo(1);
    assertThat(inspector.runAll("default", TaskState.RETRY)).isZero();
    assertThat(redis.lrange("asynq:{default}:pending")).containsExactly("r1");
    assertThat(redis.keys("asynq:{default}:t:*")).containsExactly("asynq:{default}:t:r1");
  }

  @Test
  void groupBulkWritesEmptyAndUnregisterTheGroup() {
    for (int i = 0; i < 3; i++) {
      client.enqueue(Task.of("t"), group("g"), taskId("g" + i));
    }
    client.enqueue(Task.of("t"), group("h"), taskId("h0"));
    client.enqueue(Task.of("t"), group("k"), taskId("k0"));
    assertThat(inspector.runAllAggregating("default", "g")).isEqualTo(3);
    assertThat(redis.lrange("asynq:{default}:pending")).containsExactly("g2", "g1", "g0");
    assertThat(inspector.archiveAllAggregating("default", "h")).isEqualTo(1);
    assertThat(state("default", "h0")).isEqualTo("archived");
    assertThat(inspector.deleteAllAggregating("default", "k")).isEqualTo(1);
    assertThat(redis.smembers("asynq:{default}:groups")).isEmpty();
    assertThat(redis.keys("asynq:{default}:g:*")).isEmpty();
    assertThat(inspector.deleteAllAggregating("default", "unknown")).isZero();
  }

  // --- queues ---------------------------------------------------------------------------------

  @Test
  void pauseAndUnpauseRefuseToRepeatThemselves() {
    inspector.pauseQueue("default");
    assertThat(redis.get("asynq:{default}:paused")).isEqualTo(Long.toString(T0.getEpochSecond()));
    assertThatThrownBy(() -> inspector.pauseQueue("default"))
        .isInstanceOf(QueueStateException.class)
        .hasMessage("queue \"default\" is already paused");
    inspector.unpauseQueue("default");
    assertThat(redis.keys("asynq:{default}:paused")).isEmpty();
    assertThatThrownBy(() -> inspector.unpauseQueue("default"))
        .isInstanceOf(QueueStateException.class)
        .hasMessage("queue \"default\" is not paused");
  }

  @Test
  void deleteQueueRefusesANonEmptyQueueUnlessForced() {
    client.enqueue(Task.of("t"), queue("q"));
    assertThatThrownBy(() -> inspector.deleteQueue("q", false))
        .isInstanceOf(QueueNotEmptyException.class)
        .hasMessage("queue \"q\" is not empty");
    assertThat(redis.keys("asynq:{q}:*")).isNotEmpty();
    assertThat(inspector.queues()).contains("q");
  }

  @Test
  void forcedDeleteQueueRemovesEveryKeyOfTheQueueAndOnlyThose() {
    client.enqueue(Task.of("t", "x"), queue("a*b"), unique(Duration.ofHours(1)));
    client.enqueue(Task.of("t"), queue("a*b"), group("g"));
    client.enqueue(Task.of("t"), queue("a*b"), processAt(T0.plusSeconds(60)));
    seed(message("a*b", "c"), TaskState.COMPLETED, 100, h -> {});
    seed(message("a*b", "x"), TaskState.ARCHIVED, 100, h -> {});
    var c = redis.commands();
    c.set("asynq:{a*b}:processed:2026-11-22", "1".getBytes(UTF_8));
    c.set("asynq:{a*b}:paused", "1".getBytes(UTF_8));
    client.enqueue(Task.of("t"), queue("aXb"));
    client.enqueue(Task.of("t"), queue("a*b-other"));
    for (int i = 0; i < 1200; i++) {
      c.set("asynq:{a*b}:filler:" + i, new byte[] {1});
    }

    inspector.deleteQueue("a*b", true);

    assertThat(redis.keys("asynq:{a\\*b}:*")).isEmpty();
    assertThat(redis.smembers("asynq:queues")).containsExactlyInAnyOrder("aXb", "a*b-other");
    assertThat(redis.keys("asynq:{aXb}:*")).isNotEmpty();
    assertThat(redis.keys("asynq:{a\\*b-other}:*")).isNotEmpty();
  }

  @Test
  void deleteQueueOfAQueueWithOnlyCompletedTasksRemovesThemToo() {
    seed("done", "c", TaskState.COMPLETED, 100);
    inspector.deleteQueue("done", false);
    assertThat(redis.keys("asynq:{done}:*")).isEmpty();
    assertThat(inspector.queues()).doesNotContain("done");
  }

  @Test
  void forcedDeleteQueueRefusesAQueueWithActiveTasks() {
    seed("busy", "a", TaskState.ACTIVE, T0.getEpochSecond() + 30);
    assertThatThrownBy(() -> inspector.deleteQueue("busy", true))
        .isInstanceOf(QueueStateException.class)
        .hasMessage("cannot delete queue \"busy\" with active tasks");
    assertThat(inspector.queues()).contains("busy");
  }
}

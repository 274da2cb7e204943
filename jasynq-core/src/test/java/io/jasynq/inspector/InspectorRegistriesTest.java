package io.jasynq.inspector;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.ByteString;
import com.google.protobuf.Timestamp;
import io.jasynq.DailyStats;
import io.jasynq.GroupInfo;
import io.jasynq.Inspector;
import io.jasynq.Page;
import io.jasynq.QueueInfo;
import io.jasynq.SchedulerEnqueueEvent;
import io.jasynq.SchedulerEntry;
import io.jasynq.ServerInfo;
import io.jasynq.TaskInfo;
import io.jasynq.TaskState;
import io.jasynq.WorkerInfo;
import io.jasynq.internal.broker.proto.TaskMessage;
import io.jasynq.support.Golden;
import io.jasynq.testkit.FakeClock;
import io.jasynq.testkit.RedisServer;
import io.jasynq.testkit.RedisTest;
import io.jasynq.testkit.TestRedis;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Servers, scheduler entries and their history as Go Asynq (golden dump, wire-format §11) and
 * wire-format §3.19 and §3.20 say they write them, and one whole queue as Go Asynq v0.24.1 left it,
 * read back with the numbers Go's Inspector reports.
 */
@RedisTest
class InspectorRegistriesTest {
  /** When the golden dump was taken. */
  private static final Instant DUMP = Instant.parse("2026-11-22T09:41:08Z");

  private static final String GO_SERVER = "{vm:4336:665f5675-a670-4507-9f5a-55bf0ef6436b}";
  private static final String GO_SCHEDULER = "{vm:4373:cbb7062f-16fa-41ac-9e5e-60b1ff02b003}";
  private static final String GO_ENTRY = "2758ab45-aaea-4dfb-a92e-fbab690c1fe9";

  private final TestRedis redis;
  private final FakeClock clock = FakeClock.at(DUMP);
  private final Inspector inspector;

  InspectorRegistriesTest(RedisServer server, TestRedis redis) {
    this.redis = redis;
    this.inspector = Inspector.builder().uri(server.uri()).clock(clock).build();
  }

  @AfterEach
  void tearDown() {
    inspector.close();
  }

  private void seedGoServer(long expiry) {
    var c = redis.commands();
    c.zadd("asynq:servers", expiry, ("asynq:servers:" + GO_SERVER).getBytes(UTF_8));
    c.zadd("asynq:workers", expiry, ("asynq:workers:" + GO_SERVER).getBytes(UTF_8));
    c.set("asynq:servers:" + GO_SERVER, Golden.bytes("server_info"));
    c.hset(
        "asynq:workers:" + GO_SERVER,
        "3449ea8a-3597-4245-a830-507a43b81bcf",
        Golden.bytes("worker_info"));
  }

  private static Timestamp ts(Instant t) {
    return Timestamp.newBuilder().setSeconds(t.getEpochSecond()).setNanos(t.getNano()).build();
  }

  @Test
  void serversAreReadFromGoHeartbeatsWithTheirActiveWorkers() {
    seedGoServer(1795340474L);

    List<ServerInfo> servers = inspector.servers();

    assertThat(servers).hasSize(1);
    ServerInfo s = servers.get(0);
    assertThat(s.id()).isEqualTo("665f5675-a670-4507-9f5a-55bf0ef6436b");
    assertThat(s.host()).isEqualTo("vm");
    assertThat(s.pid()).isEqualTo(4336);
    assertThat(s.concurrency()).isEqualTo(1);
    assertThat(s.queues()).isEqualTo(Map.of("dump", 1));
    assertThat(s.strictPriority()).isFalse();
    assertThat(s.status()).isEqualTo("active");
    assertThat(s.started()).isEqualTo(Instant.ofEpochSecond(1795340444, 302092478));
    assertThat(s.activeWorkerCount()).isEqualTo(1);
    assertThat(s.activeWorkers()).hasSize(1);
    WorkerInfo w = s.activeWorkers().get(0);
    assertThat(w.taskId()).isEqualTo("3449ea8a-3597-4245-a830-507a43b81bcf");
    assertThat(w.taskType()).isEqualTo("dump:active");
    assertThat(new String(w.payload(), UTF_8)).isEqualTo("{\"state\":\"active\"}");
    assertThat(w.queue()).isEqualTo("dump");
    assertThat(w.started().getEpochSecond()).isEqualTo(1795340444L);
    assertThat(w.deadline()).isPresent();
  }

  @Test
  void expiredHeartbeatsAreSkippedButLeftInPlaceMissingValuesSkippedAndBadValuesMarked() {
    seedGoServer(DUMP.getEpochSecond() - 1);
    var c = redis.commands();
    c.zadd("asynq:servers", DUMP.getEpochSecond(), "asynq:servers:{h:1:gone}".getBytes(UTF_8));
    c.zadd("asynq:servers", DUMP.getEpochSecond() + 5, "asynq:servers:{h:2:bad}".getBytes(UTF_8));
    c.set("asynq:servers:{h:2:bad}", new byte[] {(byte) 0xff, 1});

    assertThat(inspector.servers())
        .singleElement()
        .satisfies(
            s -> {
              assertThat(List.of(s.host(), s.pid(), s.id())).containsExactly("h", 2, "bad");
              assertThat(s.problems())
                  .singleElement()
                  .asString()
                  .startsWith("asynq:servers:{h:2:bad} does not decode");
            });
    assertThat(redis.zrangeWithScores("asynq:servers"))
        .as("the Inspector only reads (a read-only ACL user suffices); servers prune as they beat")
        .hasSize(3)
        .containsKeys("asynq:servers:{h:1:gone}", "asynq:servers:{h:2:bad}");
    assertThat(redis.zrangeWithScores("asynq:workers")).hasSize(1);
  }

  @Test
  void schedulerEntriesAreReadAsGoAndTheSpecWriteThem() {
    var c = redis.commands();
    c.zadd("asynq:schedulers", 1795340470L, ("asynq:schedulers:" + GO_SCHEDULER).getBytes(UTF_8));
    c.lpush("asynq:schedulers:" + GO_SCHEDULER, Golden.bytes("scheduler_entry"));
    Instant next = DUMP.plusSeconds(30);
    var ours =
        io.jasynq.internal.broker.proto.SchedulerEntry.newBuilder()
            .setId("our-entry")
            .setSpec("*/5 * * * *")
            .setTaskType("report")
            .setTaskPayload(ByteString.copyFromUtf8("p"))
            .addEnqueueOptions("Queue(\"critical\")")
            .addEnqueueOptions("no-parenthesis")
            .addEnqueueOptions("MaxRetry(3)")
            .setNextEnqueueTime(ts(next))
            .setPrevEnqueueTime(Timestamp.newBuilder().setSeconds(-62135596800L))
            .build();
    c.zadd(
        "asynq:schedulers", DUMP.getEpochSecond() + 20, "asynq:schedulers:{h:9:s}".getBytes(UTF_8));
    c.lpush("asynq:schedulers:{h:9:s}", ours.toByteArray(), new byte[] {(byte) 0xff, 2});
    c.zadd(
        "asynq:schedulers",
        DUMP.getEpochSecond() - 1,
        "asynq:schedulers:{h:8:old}".getBytes(UTF_8));

    List<SchedulerEntry> entries = inspector.schedulerEntries();

    assertThat(entries)
        .extracting(SchedulerEntry::id)
        .as("the undecodable entry is a bad row; its empty spec sorts first")
        .containsExactly("", "our-entry", GO_ENTRY);
    assertThat(entries.get(0).problems())
        .singleElement()
        .asString()
        .startsWith("an entry of asynq:schedulers:{h:9:s} does not decode");
    entries = entries.subList(1, 3);
    SchedulerEntry mine = entries.get(0);
    assertThat(mine.spec()).isEqualTo("*/5 * * * *");
    assertThat(mine.taskType()).isEqualTo("report");
    assertThat(mine.payload()).isEqualTo("p".getBytes(UTF_8));
    assertThat(mine.options())
        .as("a string without '(' is skipped (it panics Go's Inspector)")
        .containsExactly("Queue(\"critical\")", "MaxRetry(3)");
    assertThat(mine.next()).isEqualTo(next);
    assertThat(mine.previous()).as("Go's zero time reads as none").isEmpty();
    SchedulerEntry go = entries.get(1);
    assertThat(go.spec()).isEqualTo("@every 1s");
    assertThat(go.taskType()).isEqualTo("dump:cron");
    assertThat(go.options()).containsExactly("Queue(\"cronq\")");
    assertThat(go.previous()).isPresent();
    assertThat(redis.zrangeWithScores("asynq:schedulers"))
        .as("left for schedulers to prune: the Inspector only reads")
        .hasSize(3);
  }

  @Test
  void schedulerHistoryPagesNewestFirstAndMarksBadEvents() {
    String key = "asynq:scheduler_history:" + GO_ENTRY;
    var c = redis.commands();
    c.zadd(key, 1795340446L, Golden.bytes("scheduler_enqueue_event"));
    for (int i = 1; i <= 5; i++) {
      Instant at = DUMP.plusSeconds(i).plusNanos(i * 1000L);
      var event =
          io.jasynq.internal.broker.proto.SchedulerEnqueueEvent.newBuilder()
              .setTaskId("task-" + i)
              .setEnqueueTime(ts(at))
              .build();
      c.zadd(key, at.getEpochSecond(), event.toByteArray());
    }
    c.zadd(key, DUMP.getEpochSecond() + 100, new byte[] {(byte) 0xff, 3});

    List<SchedulerEnqueueEvent> page1 = inspector.schedulerHistory(GO_ENTRY, Page.of(1, 3));
    assertThat(page1)
        .extracting(SchedulerEnqueueEvent::taskId)
        .as("the bad event keeps rank 0, as a bad row")
        .containsExactly("", "task-5", "task-4");
    assertThat(page1.get(0).enqueuedAt()).as("its score").isEqualTo(DUMP.plusSeconds(100));
    assertThat(page1.get(0).problems()).singleElement().asString().contains("does not decode");
    assertThat(page1.get(1).enqueuedAt()).isEqualTo(DUMP.plusSeconds(5).plusNanos(5000));
    List<SchedulerEnqueueEvent> all = inspector.schedulerHistory(GO_ENTRY, Page.all());
    assertThat(all).hasSize(7);
    assertThat(all.get(6).taskId()).isEqualTo("df5a6f42-a215-4c3b-bbfd-ca48eddcd7c9");
    assertThat(inspector.schedulerHistory("unknown", Page.all())).isEmpty();
  }

  @Test
  void aQueueWrittenByGoAsynqReadsWithTheNumbersGosInspectorReports() {
    seedGoldenQueue();

    QueueInfo info = inspector.queueInfo("dump");

    assertThat(info.pending()).isEqualTo(1);
    assertThat(info.active()).isEqualTo(1);
    assertThat(info.scheduled()).isEqualTo(1);
    assertThat(info.retry()).isEqualTo(1);
    assertThat(info.archived()).isEqualTo(1);
    assertThat(info.completed()).isEqualTo(1);
    assertThat(info.aggregating()).isEqualTo(1);
    assertThat(info.size()).isEqualTo(7);
    assertThat(info.groups()).isEqualTo(1);
    assertThat(info.processedToday()).isEqualTo(3);
    assertThat(info.failedToday()).isEqualTo(2);
    assertThat(info.processedTotal()).isEqualTo(3);
    assertThat(info.failedTotal()).isEqualTo(2);
    assertThat(info.latency())
        .isEqualTo(Duration.between(Instant.ofEpochSecond(1795340445L, 807490227L), DUMP));
    assertThat(info.memoryUsageBytes()).isPositive();
    assertThat(inspector.history("dump", 2))
        .containsExactly(
            new DailyStats("dump", LocalDate.parse("2026-11-22"), 3, 2),
            new DailyStats("dump", LocalDate.parse("2026-11-21"), 0, 0));
    assertThat(inspector.groups("dump")).containsExactly(new GroupInfo("grp1", 1));

    Map<TaskState, String> expected =
        Map.of(
            TaskState.PENDING, "dump:pending",
            TaskState.ACTIVE, "dump:active",
            TaskState.SCHEDULED, "dump:scheduled",
            TaskState.RETRY, "dump:retry",
            TaskState.ARCHIVED, "dump:archived",
            TaskState.COMPLETED, "dump:completed");
    expected.forEach(
        (state, type) -> {
          List<TaskInfo> tasks = inspector.listTasks("dump", state, Page.first());
          assertThat(tasks).extracting(TaskInfo::type).as(state.name()).containsExactly(type);
          assertThat(tasks.get(0).state()).isEqualTo(state);
        });
    assertThat(inspector.listAggregating("dump", "grp1", Page.first()))
        .extracting(TaskInfo::type)
        .containsExactly("dump:aggregating");
    TaskInfo retry = inspector.taskInfo("dump", "28d03aa4-551d-4ddd-8605-88fa797f6918");
    assertThat(retry.retried()).isEqualTo(1);
    assertThat(retry.lastError())
        .contains("asynqpeer: forced failure for type dump:retry (retry 0)");
    assertThat(retry.nextProcessAt()).contains(Instant.ofEpochSecond(1795344041L));
    assertThat(inspector.listTasks("dump", TaskState.ACTIVE, Page.first()).get(0).orphaned())
        .isFalse();
    clock.set(Instant.ofEpochSecond(1795340499L));
    assertThat(inspector.listTasks("dump", TaskState.ACTIVE, Page.first()).get(0).orphaned())
        .isTrue();

    inspector.deleteTask("dump", "bf415da7-1351-4f0f-a141-b79437922470");
    assertThat(redis.keys("asynq:{dump}:unique:*")).as("Go's unique lock released").isEmpty();
  }

  private void seedGoldenQueue() {
    var c = redis.commands();
    c.sadd("asynq:queues", "dump".getBytes(UTF_8));
    task("task.pending_unique", "pending", Optional.empty());
    c.hset(
        "asynq:{dump}:t:bf415da7-1351-4f0f-a141-b79437922470",
        Map.of(
            "pending_since",
            "1795340445807490227".getBytes(UTF_8),
            "unique_key",
            "asynq:{dump}:unique:dump:pending:0c821edc24a104d0197c2f87d2fd9383".getBytes(UTF_8)));
    c.set(
        "asynq:{dump}:unique:dump:pending:0c821edc24a104d0197c2f87d2fd9383",
        "bf415da7-1351-4f0f-a141-b79437922470".getBytes(UTF_8));
    task("task.active_timeout10m", "active", Optional.of(1795340499L));
    task("task.scheduled_custom_id", "scheduled", Optional.of(1795344045L));
    task("task.retry", "retry", Optional.of(1795344041L));
    task("task.archived", "archived", Optional.of(1795340441L));
    task("task.completed_retention1h", "completed", Optional.of(1795344041L));
    task("task.aggregating_grp1", "aggregating", Optional.of(1795340445L));
    c.set("asynq:{dump}:processed", "3".getBytes(UTF_8));
    c.set("asynq:{dump}:failed", "2".getBytes(UTF_8));
    c.set("asynq:{dump}:processed:2026-11-22", "3".getBytes(UTF_8));
    c.set("asynq:{dump}:failed:2026-11-22", "2".getBytes(UTF_8));
  }

  private void task(String golden, String state, Optional<Long> score) {
    byte[] raw = Golden.bytes(golden);
    TaskMessage msg;
    try {
      msg = TaskMessage.parseFrom(raw);
    } catch (com.google.protobuf.InvalidProtocolBufferException e) {
      throw new AssertionError(e);
    }
    String p = "asynq:{dump}:";
    byte[] id = msg.getId().getBytes(UTF_8);
    var c = redis.commands();
    c.hset(p + "t:" + msg.getId(), Map.of("msg", raw, "state", state.getBytes(UTF_8)));
    switch (state) {
      case "pending" -> c.lpush(p + "pending", id);
      case "active" -> {
        c.lpush(p + "active", id);
        c.zadd(p + "lease", score.orElseThrow(), id);
      }
      case "aggregating" -> {
        c.hset(p + "t:" + msg.getId(), "group", "grp1".getBytes(UTF_8));
        c.zadd(p + "g:grp1", score.orElseThrow(), id);
        c.sadd(p + "groups", "grp1".getBytes(UTF_8));
      }
      default -> c.zadd(p + state, score.orElseThrow(), id);
    }
  }
}

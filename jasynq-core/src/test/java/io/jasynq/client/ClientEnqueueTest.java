package io.jasynq.client;

import static io.jasynq.TaskOption.deadline;
import static io.jasynq.TaskOption.group;
import static io.jasynq.TaskOption.header;
import static io.jasynq.TaskOption.processAt;
import static io.jasynq.TaskOption.processIn;
import static io.jasynq.TaskOption.queue;
import static io.jasynq.TaskOption.retention;
import static io.jasynq.TaskOption.taskId;
import static io.jasynq.TaskOption.unique;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import io.jasynq.BatchResult;
import io.jasynq.Client;
import io.jasynq.DuplicateTaskException;
import io.jasynq.Task;
import io.jasynq.TaskIdConflictException;
import io.jasynq.TaskInfo;
import io.jasynq.TaskOption;
import io.jasynq.TaskState;
import io.jasynq.internal.broker.proto.TaskMessage;
import io.jasynq.testkit.Eventually;
import io.jasynq.testkit.FakeClock;
import io.jasynq.testkit.RedisServer;
import io.jasynq.testkit.RedisTest;
import io.jasynq.testkit.TestRedis;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * After every kind of enqueue, Redis holds exactly the keys, types, fields, scores and TTLs that Go
 * Asynq writes (wire-format §1–§3, §10 "key level"); rejected enqueues write nothing.
 */
@RedisTest
class ClientEnqueueTest {
  private static final Instant NOW = Instant.parse("2026-11-22T09:40:45.807490227Z");
  private static final long NOW_S = NOW.getEpochSecond();

  private final TestRedis redis;
  private final FakeClock clock = FakeClock.at(NOW);
  private Client client;

  ClientEnqueueTest(RedisServer server, TestRedis redis) {
    this.redis = redis;
    this.client = Client.builder().uri(server.uri()).clock(clock).maxPayloadSize(64).build();
  }

  @BeforeEach
  void ping() {
    client.ping();
  }

  @AfterEach
  void close() {
    client.close();
  }

  private TaskMessage msg(String key) throws Exception {
    return TaskMessage.parseFrom(redis.hgetAll(key).get("msg"));
  }

  @Test
  void pendingTaskIsAHashPlusTheHeadOfThePendingListAndARegisteredQueue() throws Exception {
    TaskInfo info = client.enqueue(Task.of("email:send", "{\"to\":1}"), queue("q"));
    String hash = "asynq:{q}:t:" + info.id();

    assertThat(redis.keys("*")).containsExactly("asynq:queues", "asynq:{q}:pending", hash);
    assertThat(redis.smembers("asynq:queues")).containsExactly("q");
    assertThat(redis.type("asynq:{q}:pending")).isEqualTo("list");
    assertThat(redis.lrange("asynq:{q}:pending")).containsExactly(info.id());
    assertThat(redis.type(hash)).isEqualTo("hash");
    assertThat(redis.hkeys(hash)).containsExactly("msg", "pending_since", "state");
    assertThat(redis.hget(hash, "state")).isEqualTo("pending");
    assertThat(redis.hget(hash, "pending_since")).isEqualTo("1795340445807490227");
    assertThat(redis.ttl(hash)).isEqualTo(-1);
    TaskMessage m = msg(hash);
    assertThat(m.getType()).isEqualTo("email:send");
    assertThat(m.getPayload().toStringUtf8()).isEqualTo("{\"to\":1}");
    assertThat(m.getQueue()).isEqualTo("q");
    assertThat(m.getRetry()).isEqualTo(25);
    assertThat(m.getTimeout()).isEqualTo(1800);

    assertThat(info.state()).isEqualTo(TaskState.PENDING);
    assertThat(info.queue()).isEqualTo("q");
    assertThat(info.nextProcessAt()).contains(NOW);
    assertThat(info.maxRetry()).isEqualTo(25);
    assertThat(info.timeout()).isEqualTo(Duration.ofMinutes(30));
  }

  @Test
  void pendingListIsFifoFromTheTail() {
    TaskInfo first = client.enqueue(Task.of("t"));
    TaskInfo second = client.enqueue(Task.of("t"));
    // New tasks go to the head; workers pop the tail, so the first is next.
    assertThat(redis.lrange("asynq:{default}:pending")).containsExactly(second.id(), first.id());
  }

  @Test
  void uniqueTaskHoldsALockNamingItselfUntilTheTtl() throws Exception {
    TaskInfo info =
        client.enqueue(
            Task.of("dump:pending", "{\"state\":\"pending\"}"),
            queue("dump"),
            unique(Duration.ofHours(1)));
    String lock = "asynq:{dump}:unique:dump:pending:0c821edc24a104d0197c2f87d2fd9383";
    String hash = "asynq:{dump}:t:" + info.id();

    assertThat(redis.get(lock)).isEqualTo(info.id());
    assertThat(redis.ttl(lock)).isCloseTo(3600, within(2L));
    assertThat(redis.hkeys(hash)).containsExactly("msg", "pending_since", "state", "unique_key");
    assertThat(redis.hget(hash, "unique_key")).isEqualTo(lock);
    assertThat(msg(hash).getUniqueKey()).isEqualTo(lock);

    Map<String, String> before = redis.snapshot();
    assertThatThrownBy(
            () ->
                client.enqueue(
                    Task.of("dump:pending", "{\"state\":\"pending\"}"),
                    queue("dump"),
                    unique(Duration.ofMinutes(5))))
        .isInstanceOf(DuplicateTaskException.class)
        .hasMessageContaining(lock);
    assertThat(redis.snapshot()).isEqualTo(before);

    // Another payload, type or queue is another lock.
    client.enqueue(Task.of("dump:pending", "{}"), queue("dump"), unique(Duration.ofHours(1)));
    client.enqueue(
        Task.of("dump:pending", "{\"state\":\"pending\"}"),
        queue("other"),
        unique(Duration.ofHours(1)));
    assertThat(redis.keys("asynq:*:unique:*")).hasSize(3);
  }

  @Test
  void scheduledTaskIsAHashPlusAScoreInTheScheduledSet() throws Exception {
    TaskInfo info =
        client.enqueue(Task.of("t"), processIn(Duration.ofHours(1)), taskId("fixed-id"));
    String hash = "asynq:{default}:t:fixed-id";
    assertThat(redis.keys("*")).containsExactly("asynq:queues", "asynq:{default}:scheduled", hash);
    assertThat(redis.zrangeWithScores("asynq:{default}:scheduled"))
        .containsExactly(Map.entry("fixed-id", (double) NOW_S + 3600));
    assertThat(redis.hkeys(hash)).containsExactly("msg", "state");
    assertThat(redis.hget(hash, "state")).isEqualTo("scheduled");
    assertThat(info.state()).isEqualTo(TaskState.SCHEDULED);
    assertThat(info.nextProcessAt()).contains(NOW.plusSeconds(3600));
  }

  @Test
  void aCallerChosenUniqueKeyLocksWhateverTheTypeAndPayload() {
    TaskInfo first =
        client.enqueue(
            Task.of("invoice:send", "{\"v\":1}"),
            queue("billing"),
            unique("customer-42", Duration.ofHours(1)));
    String lock = "asynq:{billing}:unique:key:customer-42";
    assertThat(redis.get(lock)).isEqualTo(first.id());
    assertThat(redis.ttl(lock)).isCloseTo(3600, within(2L));
    assertThat(redis.hget("asynq:{billing}:t:" + first.id(), "unique_key")).isEqualTo(lock);

    Map<String, String> before = redis.snapshot();
    assertThatThrownBy(
            () ->
                client.enqueue(
                    Task.of("invoice:remind", "{\"v\":2}"),
                    queue("billing"),
                    unique("customer-42", Duration.ofMinutes(5))))
        .isInstanceOf(DuplicateTaskException.class)
        .hasMessageContaining(lock);
    assertThat(redis.snapshot()).isEqualTo(before);

    // Another key, another queue, or the type-and-payload lock are other locks.
    client.enqueue(
        Task.of("invoice:send", "{\"v\":1}"),
        queue("billing"),
        unique("customer-7", Duration.ofHours(1)));
    client.enqueue(
        Task.of("invoice:send", "{\"v\":1}"),
        queue("other"),
        unique("customer-42", Duration.ofHours(1)));
    client.enqueue(
        Task.of("invoice:send", "{\"v\":1}"), queue("billing"), unique(Duration.ofHours(1)));
    assertThat(redis.keys("asynq:{billing}:unique:*")).hasSize(3);

    assertThatThrownBy(() -> unique(" ", Duration.ofHours(1)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("unique key must contain one or more characters, was \" \"");
    assertThatThrownBy(() -> unique("x".repeat(513), Duration.ofHours(1)))
        .hasMessage("unique key must be at most 512 characters, was 513");
    assertThatThrownBy(() -> unique("k", Duration.ofMillis(10))).hasMessageContaining("unique TTL");
  }

  @Test
  void scheduledUniqueLockCoversTheWait() {
    client.enqueue(Task.of("t"), processAt(NOW.plusSeconds(600)), unique(Duration.ofSeconds(60)));
    assertThat(redis.ttl("asynq:{default}:unique:t:")).isCloseTo(660, within(2L));
    assertThat(redis.hget(redis.keys("asynq:{default}:t:*").get(0), "unique_key"))
        .isEqualTo("asynq:{default}:unique:t:");
  }

  @Test
  void groupedTaskWaitsInItsGroupAndTheGroupIsRegistered() throws Exception {
    TaskInfo info = client.enqueue(Task.of("t", "x"), group("grp1"));
    String hash = "asynq:{default}:t:" + info.id();
    assertThat(redis.keys("*"))
        .containsExactly("asynq:queues", "asynq:{default}:g:grp1", "asynq:{default}:groups", hash);
    assertThat(redis.zrangeWithScores("asynq:{default}:g:grp1"))
        .containsExactly(Map.entry(info.id(), (double) NOW_S));
    assertThat(redis.smembers("asynq:{default}:groups")).containsExactly("grp1");
    assertThat(redis.hkeys(hash)).containsExactly("group", "msg", "state");
    assertThat(redis.hget(hash, "state")).isEqualTo("aggregating");
    assertThat(redis.hget(hash, "group")).isEqualTo("grp1");
    assertThat(msg(hash).getGroupKey()).isEqualTo("grp1");
    assertThat(info.state()).isEqualTo(TaskState.AGGREGATING);
    assertThat(info.nextProcessAt()).isEmpty();
    assertThat(info.group()).contains("grp1");
  }

  @Test
  void uniqueGroupedTaskRecordsItsLockSoDeletingItCanReleaseIt() {
    TaskInfo info = client.enqueue(Task.of("t", "x"), group("g"), unique(Duration.ofMinutes(1)));
    String hash = "asynq:{default}:t:" + info.id();
    assertThat(redis.hget(hash, "unique_key"))
        .isEqualTo("asynq:{default}:unique:t:9dd4e461268c8034f5c8564e155c67a6");
    assertThat(redis.get("asynq:{default}:unique:t:9dd4e461268c8034f5c8564e155c67a6"))
        .isEqualTo(info.id());
    assertThatThrownBy(
            () -> client.enqueue(Task.of("t", "x"), group("g"), unique(Duration.ofMinutes(1))))
        .isInstanceOf(DuplicateTaskException.class);
  }

  @Test
  void groupedTaskScheduledForLaterKeepsItsGroupAndRegistersItAtOnce() {
    TaskInfo info = client.enqueue(Task.of("t"), group("g"), processIn(Duration.ofMinutes(1)));
    String hash = "asynq:{default}:t:" + info.id();
    assertThat(redis.hget(hash, "state")).isEqualTo("scheduled");
    assertThat(redis.hget(hash, "group")).isEqualTo("g");
    // A Go forwarder moves the task into the group without registering it (wire-format §3.15, 9.2).
    assertThat(redis.smembers("asynq:{default}:groups")).containsExactly("g");
    assertThat(redis.keys("asynq:{default}:g:*")).as("empty until the task is due").isEmpty();
  }

  @Test
  void retentionAndHeadersAreStoredInTheMessage() throws Exception {
    TaskInfo info =
        client.enqueue(
            Task.builder("t").header("trace", "t-1").build(),
            retention(Duration.ofHours(24)),
            header("tenant", "acme"));
    TaskMessage m = msg("asynq:{default}:t:" + info.id());
    assertThat(m.getRetention()).isEqualTo(86400);
    assertThat(m.getCompletedAt()).isZero();
    assertThat(m.getHeadersMap())
        .containsExactlyInAnyOrderEntriesOf(Map.of("trace", "t-1", "tenant", "acme"));
    assertThat(info.retention()).isEqualTo(Duration.ofHours(24));
    assertThat(info.headers()).containsEntry("tenant", "acme");
  }

  @Test
  void deadlineIsStoredInUnixSecondsAndNoDefaultTimeoutIsAdded() throws Exception {
    Instant deadline = NOW.plusSeconds(120);
    TaskInfo info = client.enqueue(Task.of("t"), deadline(deadline));
    TaskMessage m = msg("asynq:{default}:t:" + info.id());
    assertThat(m.getDeadline()).isEqualTo(NOW_S + 120);
    assertThat(m.getTimeout()).isZero();
    assertThat(info.deadline()).contains(Instant.ofEpochSecond(NOW_S + 120));
  }

  @Test
  void taskIdConflictWritesNothingWhateverStateTheOtherTaskIsIn() {
    client.enqueue(Task.of("t"), taskId("same"), processIn(Duration.ofMinutes(1)));
    Map<String, String> before = redis.snapshot();
    assertThatThrownBy(() -> client.enqueue(Task.of("t"), taskId("same")))
        .isInstanceOf(TaskIdConflictException.class)
        .hasMessageContaining("\"same\"");
    assertThatThrownBy(() -> client.enqueue(Task.of("t"), taskId("same"), group("g")))
        .isInstanceOf(TaskIdConflictException.class);
    // Asynq would leave this unique lock held until its TTL (wire-format §9.4); we take it only on
    // success.
    assertThatThrownBy(
            () -> client.enqueue(Task.of("t", "u"), taskId("same"), unique(Duration.ofHours(1))))
        .isInstanceOf(TaskIdConflictException.class);
    assertThat(redis.snapshot()).isEqualTo(before);
    // The same ID in another queue is another task.
    client.enqueue(Task.of("t"), taskId("same"), queue("other"));
  }

  @Test
  void rejectedEnqueueWritesNothingAtAll() {
    assertThatThrownBy(() -> client.enqueue(Task.of("t"), deadline(NOW.minusSeconds(1))))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> client.enqueue(Task.of("t", new byte[65]), queue("big")))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("65 bytes");
    assertThatThrownBy(() -> client.enqueueAsync(Task.of("t"), deadline(NOW)))
        .isInstanceOf(IllegalArgumentException.class);
    assertThat(redis.keys("*")).isEmpty();
  }

  @Test
  void asyncEnqueueCompletesWithTheSameOutcomes() throws Exception {
    TaskInfo info = client.enqueueAsync(Task.of("t"), taskId("a")).get();
    assertThat(redis.lrange("asynq:{default}:pending")).containsExactly(info.id());
    assertThat(client.enqueueAsync(Task.of("t"), taskId("a")))
        .failsWithin(Duration.ofSeconds(5))
        .withThrowableOfType(java.util.concurrent.ExecutionException.class)
        .withCauseInstanceOf(TaskIdConflictException.class);
  }

  @Test
  void enqueueWorksWhenTheScriptCacheIsEmpty() {
    redis.scriptFlush();
    TaskInfo info = client.enqueue(Task.of("t"));
    redis.scriptFlush();
    client.enqueue(Task.of("t"), processIn(Duration.ofSeconds(30)));
    redis.scriptFlush();
    client.enqueue(Task.of("t"), group("g"));
    assertThat(redis.lrange("asynq:{default}:pending")).containsExactly(info.id());
    assertThat(redis.keys("asynq:{default}:t:*")).hasSize(3);
  }

  @Test
  void batchWritesEveryValidTaskAndReportsEachOutcomeInOrder() {
    redis.scriptFlush(); // the batch must load its scripts itself (wire-format §3.8)
    client.enqueue(Task.of("t"), taskId("taken"));
    client.enqueue(Task.of("u", "dup"), unique(Duration.ofMinutes(1)));
    List<Task> tasks =
        List.of(
            Task.of("a"),
            Task.of("b", TaskOption.processIn(Duration.ofMinutes(1))),
            Task.of("c", TaskOption.group("g")),
            Task.of("d", TaskOption.taskId("taken")),
            Task.of("u", "dup", TaskOption.unique(Duration.ofMinutes(1))),
            Task.of("e", TaskOption.deadline(NOW.minusSeconds(5))),
            Task.of("f", TaskOption.queue("other")));

    List<BatchResult> results = client.enqueueBatch(tasks, retention(Duration.ofMinutes(1)));

    assertThat(results).hasSize(7);
    assertThat(results.get(0).info().state()).isEqualTo(TaskState.PENDING);
    assertThat(results.get(1).info().state()).isEqualTo(TaskState.SCHEDULED);
    assertThat(results.get(2).info().state()).isEqualTo(TaskState.AGGREGATING);
    assertThat(results.get(3).error()).isInstanceOf(TaskIdConflictException.class);
    assertThat(results.get(4).error()).isInstanceOf(DuplicateTaskException.class);
    assertThat(results.get(5).error()).isInstanceOf(IllegalArgumentException.class);
    assertThat(results.get(6).info().queue()).isEqualTo("other");
    assertThat(results.get(0).info().retention()).isEqualTo(Duration.ofMinutes(1));
    for (int i : new int[] {0, 1, 2, 6}) {
      assertThat(redis.keys("asynq:*:t:" + results.get(i).info().id())).hasSize(1);
    }
    assertThat(redis.keys("asynq:{default}:t:*")).hasSize(5); // 2 before + 3 from the batch
    assertThat(redis.smembers("asynq:queues")).containsExactly("default", "other");
  }

  @Test
  void largeBatchIsWrittenWhole() {
    List<Task> tasks =
        java.util.stream.IntStream.range(0, 2000).mapToObj(i -> Task.of("bulk", "n" + i)).toList();
    List<BatchResult> results = client.enqueueBatch(tasks, queue("bulk"));
    assertThat(results).allMatch(BatchResult::isSuccess);
    List<String> pending = redis.lrange("asynq:{bulk}:pending");
    assertThat(pending).hasSize(2000);
    // FIFO: the first task of the batch is at the tail, next to run.
    assertThat(pending.get(1999)).isEqualTo(results.get(0).info().id());
  }

  @Test
  void taskDefaultsApplyAndCallOptionsOverrideThem() throws Exception {
    Task task = Task.of("t", TaskOption.queue("from-task"), TaskOption.maxRetry(2));
    TaskInfo a = client.enqueue(task);
    TaskInfo b = client.enqueue(task, queue("from-call"));
    assertThat(a.queue()).isEqualTo("from-task");
    assertThat(b.queue()).isEqualTo("from-call");
    assertThat(msg("asynq:{from-call}:t:" + b.id()).getRetry()).isEqualTo(2);
  }

  @Test
  void aQueueDeletedFromTheRegistryReappearsWithLaterTasks() {
    client.enqueue(Task.of("t"), queue("comeback"));
    redis.commands().srem("asynq:queues", "comeback".getBytes());
    // Go's client caches the registration forever (wire-format §9.10); ours refreshes it within a
    // second.
    Eventually.until(
        "registered again",
        () -> {
          client.enqueue(Task.of("t"), queue("comeback"));
          return redis.smembers("asynq:queues").contains("comeback");
        });
  }
}

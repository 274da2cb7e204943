package io.jasynq;

import static io.jasynq.TaskOption.group;
import static io.jasynq.TaskOption.maxRetry;
import static io.jasynq.TaskOption.processIn;
import static io.jasynq.TaskOption.queue;
import static io.jasynq.TaskOption.retention;
import static io.jasynq.TaskOption.unique;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.jasynq.support.ServerConfigs;
import io.jasynq.testkit.Eventually;
import io.jasynq.testkit.FakeClock;
import io.lettuce.core.cluster.api.sync.RedisClusterCommands;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * One contract, every topology (STYLE §6): a task goes through every state of wire-format §1.3 with
 * a real Client and Server, and the Redis state is asserted at each step. Subclasses run it on
 * standalone Redis, on Sentinel and on Redis Cluster; on a cluster the queues are picked so that
 * each master holds one, so every script runs on every node.
 *
 * <p>To extend the contract (Inspector reads, Scheduler entries), add a {@code @Test} method here:
 * build the object under test from {@link #uri()} (owned) and close it in the test; inspect Redis
 * with {@link #redis()}, which routes by key on every topology. Every subclass then runs it.
 */
abstract class TopologyContractTest {
  /** A fixed "now" far enough ahead that EXPIREAT at now + 90 days never fires during a run. */
  protected static final Instant T0 = Instant.parse("2035-06-01T12:00:00Z");

  /** How long a condition may take on a loaded machine. */
  protected static final Duration PATIENCE = Duration.ofSeconds(60);

  protected final FakeClock clock = FakeClock.at(T0);
  private final List<AutoCloseable> toClose = new ArrayList<>();

  /** A URI that reaches the topology: {@code redis://}, {@code redis-sentinel://}, … */
  protected abstract String uri();

  /** A connection for asserting on Redis (String keys, byte[] values), routed by key. */
  protected abstract RedisClusterCommands<String, byte[]> redis();

  /**
   * Publishes on a Pub/Sub channel of the topology (a cluster propagates it to every node).
   *
   * @return how many subscribers got it on the node that took the PUBLISH
   */
  protected long publish(String channel, String message) {
    return redis().publish(channel, message.getBytes(StandardCharsets.UTF_8));
  }

  /** Whether the topology is a Redis Cluster. */
  protected boolean isCluster() {
    return false;
  }

  /** Three queue names; on a cluster, one per master. */
  protected List<String> queues() {
    return List.of("a", "b", "c");
  }

  @AfterEach
  void closeWhatTheTestOpened() throws Exception {
    for (int i = toClose.size() - 1; i >= 0; i--) {
      toClose.get(i).close();
    }
  }

  protected Inspector inspector() {
    Inspector inspector = Inspector.builder().uri(uri()).clock(clock).build();
    toClose.add(inspector);
    return inspector;
  }

  protected Scheduler scheduler() {
    Scheduler scheduler = Scheduler.connect(uri(), SchedulerConfig.builder().clock(clock).build());
    toClose.add(scheduler);
    return scheduler;
  }

  /** Every key of {@code queue} ({@code KEYS} reaches every master on a cluster). */
  protected List<String> keysOf(String queue) {
    return redis().keys("asynq:{" + queue + "}:*").stream().sorted().toList();
  }

  protected Client client() {
    Client client = Client.builder().uri(uri()).clock(clock).build();
    toClose.add(client);
    return client;
  }

  protected ServerConfig.Builder config() {
    ServerConfig.Builder b =
        ServerConfigs.fastWithMaintenance()
            .concurrency(4)
            .clock(clock)
            .retryDelay(RetryDelay.constant(Duration.ofHours(1)));
    for (String q : queues()) {
      b.queue(q, 1);
    }
    return b;
  }

  protected Server start(ServerConfig config, Handler handler) {
    Server server = Server.connect(uri(), config);
    toClose.add(server);
    server.start(handler);
    return server;
  }

  protected String state(String queue, String id) {
    return text(redis().hget("asynq:{" + queue + "}:t:" + id, "state"));
  }

  protected String get(String key) {
    return text(redis().get(key));
  }

  protected boolean exists(String key) {
    return redis().exists(key) == 1;
  }

  protected Double score(String key, String member) {
    return redis().zscore(key, member.getBytes(StandardCharsets.UTF_8));
  }

  protected List<String> pending(String queue) {
    return redis().lrange("asynq:{" + queue + "}:pending", 0, -1).stream()
        .map(TopologyContractTest::text)
        .toList();
  }

  protected static void await(String what, BooleanSupplier condition) {
    Eventually.until(PATIENCE, what, condition);
  }

  /** A handler body that runs until interrupted, counting down {@code cancelled} if cancelled. */
  protected static void runUntilCancelled(
      TaskContext ctx, CountDownLatch started, CountDownLatch cancelled) {
    started.countDown();
    try {
      Thread.sleep(PATIENCE.toMillis());
    } catch (InterruptedException e) {
      if (ctx.isCancelled()) {
        cancelled.countDown();
      }
    }
    throw new IllegalStateException("cancelled");
  }

  /** Sends a cancel request until a handler hears it (the server subscribes in the background). */
  protected static void awaitCancelled(Runnable request, CountDownLatch cancelled) {
    await(
        "cancelled",
        () -> {
          request.run();
          try {
            return cancelled.await(50, TimeUnit.MILLISECONDS);
          } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
          }
        });
  }

  protected static String text(byte[] bytes) {
    return bytes == null ? null : new String(bytes, StandardCharsets.UTF_8);
  }

  @Test
  void enqueuedTasksArePendingThenProcessedAndDeleted() {
    Client client = client();
    List<TaskInfo> infos = new ArrayList<>();
    for (String q : queues()) {
      TaskInfo info = client.enqueue(Task.of("t", q), queue(q));
      assertThat(state(q, info.id())).isEqualTo("pending");
      assertThat(pending(q)).containsExactly(info.id());
      infos.add(info);
    }
    Set<String> ran = ConcurrentHashMap.newKeySet();
    start(config().build(), ctx -> ran.add(ctx.queue() + ":" + ctx.taskId()));
    await("every queue processed", () -> ran.size() == queues().size());
    for (TaskInfo info : infos) {
      await("task deleted", () -> !exists("asynq:{" + info.queue() + "}:t:" + info.id()));
      assertThat(get("asynq:{" + info.queue() + "}:processed")).isEqualTo("1");
      assertThat(get("asynq:{" + info.queue() + "}:processed:2035-06-01")).isEqualTo("1");
    }
    assertThat(ran)
        .containsExactlyInAnyOrderElementsOf(
            infos.stream().map(i -> i.queue() + ":" + i.id()).toList());
  }

  @Test
  void runningTaskIsActiveUnderALease() throws Exception {
    Client client = client();
    CountDownLatch release = new CountDownLatch(1);
    List<TaskInfo> infos = new ArrayList<>();
    for (String q : queues()) {
      infos.add(client.enqueue(Task.of("t"), queue(q)));
    }
    start(config().build(), ctx -> release.await(PATIENCE.toSeconds(), TimeUnit.SECONDS));
    for (TaskInfo info : infos) {
      String q = info.queue();
      await("active", () -> "active".equals(state(q, info.id())));
      assertThat(text(redis().lindex("asynq:{" + q + "}:active", 0))).isEqualTo(info.id());
      assertThat(score("asynq:{" + q + "}:lease", info.id())).isNotNull();
    }
    release.countDown();
    for (TaskInfo info : infos) {
      await("done", () -> !exists("asynq:{" + info.queue() + "}:t:" + info.id()));
      assertThat(exists("asynq:{" + info.queue() + "}:active")).isFalse();
    }
  }

  @Test
  void failedTaskWaitsInRetryAndExhaustedOneIsArchived() {
    Client client = client();
    List<TaskInfo> retried = new ArrayList<>();
    List<TaskInfo> archived = new ArrayList<>();
    for (String q : queues()) {
      retried.add(client.enqueue(Task.of("retry"), queue(q), maxRetry(3)));
      archived.add(client.enqueue(Task.of("archive"), queue(q), maxRetry(0)));
    }
    start(
        config().build(),
        ctx -> {
          throw new IllegalStateException("boom");
        });
    for (TaskInfo info : retried) {
      await("in retry", () -> "retry".equals(state(info.queue(), info.id())));
      assertThat(score("asynq:{" + info.queue() + "}:retry", info.id()))
          .isEqualTo((double) T0.plus(Duration.ofHours(1)).getEpochSecond());
    }
    for (TaskInfo info : archived) {
      await("archived", () -> "archived".equals(state(info.queue(), info.id())));
      assertThat(score("asynq:{" + info.queue() + "}:archived", info.id()))
          .isEqualTo((double) T0.getEpochSecond());
      await("counted", () -> "2".equals(get("asynq:{" + info.queue() + "}:failed")));
    }
  }

  @Test
  void completedTaskIsKeptForItsRetentionWithItsResult() {
    Client client = client();
    List<TaskInfo> infos = new ArrayList<>();
    for (String q : queues()) {
      infos.add(client.enqueue(Task.of("t"), queue(q), retention(Duration.ofHours(1))));
    }
    start(config().build(), ctx -> ctx.writeResult(ctx.queue().getBytes(StandardCharsets.UTF_8)));
    for (TaskInfo info : infos) {
      String q = info.queue();
      await("completed", () -> "completed".equals(state(q, info.id())));
      assertThat(score("asynq:{" + q + "}:completed", info.id()))
          .isEqualTo((double) T0.plus(Duration.ofHours(1)).getEpochSecond());
      assertThat(text(redis().hget("asynq:{" + q + "}:t:" + info.id(), "result"))).isEqualTo(q);
    }
    clock.advance(Duration.ofHours(1).plusSeconds(1));
    for (TaskInfo info : infos) {
      await("janitor deleted it", () -> !exists("asynq:{" + info.queue() + "}:t:" + info.id()));
    }
  }

  @Test
  void scheduledTaskIsForwardedToPendingWhenDue() {
    Client client = client();
    List<TaskInfo> infos = new ArrayList<>();
    for (String q : queues()) {
      TaskInfo info = client.enqueue(Task.of("t"), queue(q), processIn(Duration.ofMinutes(5)));
      assertThat(state(q, info.id())).isEqualTo("scheduled");
      assertThat(score("asynq:{" + q + "}:scheduled", info.id()))
          .isEqualTo((double) T0.plus(Duration.ofMinutes(5)).getEpochSecond());
      infos.add(info);
    }
    Set<String> ran = ConcurrentHashMap.newKeySet();
    start(config().build(), ctx -> ran.add(ctx.taskId()));
    for (TaskInfo info : infos) {
      assertThat(state(info.queue(), info.id())).isEqualTo("scheduled");
    }
    clock.advance(Duration.ofMinutes(5));
    await("all forwarded and run", () -> ran.size() == infos.size());
    for (TaskInfo info : infos) {
      assertThat(redis().zcard("asynq:{" + info.queue() + "}:scheduled")).isZero();
    }
  }

  @Test
  void uniqueTaskIsRejectedWhileItsLockIsHeld() {
    Client client = client();
    for (String q : queues()) {
      TaskInfo first = client.enqueue(Task.of("u", "same"), queue(q), unique(Duration.ofHours(1)));
      assertThatThrownBy(
              () -> client.enqueue(Task.of("u", "same"), queue(q), unique(Duration.ofHours(1))))
          .isInstanceOf(DuplicateTaskException.class);
      assertThat(pending(q)).containsExactly(first.id());
      assertThat(redis().keys("asynq:{" + q + "}:unique:*")).hasSize(1);
    }
  }

  @Test
  void groupedTasksAreAggregatedIntoOne() {
    Client client = client();
    for (String q : queues()) {
      for (int i = 1; i <= 3; i++) {
        TaskInfo info = client.enqueue(Task.of("item", "p" + i), queue(q), group("g"));
        assertThat(state(q, info.id())).isEqualTo("aggregating");
      }
    }
    List<String> handled = new CopyOnWriteArrayList<>();
    start(
        config()
            .groupGracePeriod(Duration.ofSeconds(1))
            .groupMaxSize(3)
            .groupAggregator(
                (group, tasks) ->
                    Task.of(
                        "batch",
                        String.join(
                            ",", tasks.stream().map(t -> text(t.payload())).sorted().toList())))
            .build(),
        ctx ->
            handled.add(ctx.queue() + " " + ctx.task().type() + " " + text(ctx.task().payload())));
    await("one batch per queue", () -> handled.size() == queues().size());
    assertThat(handled)
        .containsExactlyInAnyOrderElementsOf(
            queues().stream().map(q -> q + " batch p1,p2,p3").toList());
    for (String q : queues()) {
      await("group keys gone", () -> redis().keys("asynq:{" + q + "}:g*").isEmpty());
    }
  }

  @Test
  void batchEnqueueAcrossQueuesIsProcessed() {
    Client client = client();
    List<Task> tasks = new ArrayList<>();
    for (String q : queues()) {
      for (int i = 0; i < 10; i++) {
        tasks.add(Task.builder("b").payload(q + i).options(queue(q)).build());
      }
    }
    tasks.add(
        Task.builder("b")
            .payload("u")
            .options(queue(queues().get(0)), unique(Duration.ofHours(1)))
            .build());
    tasks.add(
        Task.builder("b")
            .payload("u")
            .options(queue(queues().get(0)), unique(Duration.ofHours(1)))
            .build());
    List<BatchResult> results = client.enqueueBatch(tasks);
    assertThat(results.subList(0, results.size() - 1)).allMatch(BatchResult::isSuccess);
    assertThat(results.get(results.size() - 1).error()).isInstanceOf(DuplicateTaskException.class);
    for (String q : queues()) {
      assertThat(pending(q)).hasSize(q.equals(queues().get(0)) ? 11 : 10);
    }
    Set<String> ran = ConcurrentHashMap.newKeySet();
    start(config().build(), ctx -> ran.add(text(ctx.task().payload())));
    await("every task processed", () -> ran.size() == tasks.size() - 1);
  }

  @Test
  void runningTaskIsCancelledOverPubSub() throws Exception {
    Client client = client();
    TaskInfo info = client.enqueue(Task.of("long"), queue(queues().get(queues().size() - 1)));
    CountDownLatch started = new CountDownLatch(1);
    CountDownLatch cancelled = new CountDownLatch(1);
    start(config().build(), ctx -> runUntilCancelled(ctx, started, cancelled));
    assertThat(started.await(PATIENCE.toSeconds(), TimeUnit.SECONDS)).isTrue();
    awaitCancelled(() -> publish("asynq:cancel", info.id()), cancelled);
    await("retry", () -> "retry".equals(state(info.queue(), info.id())));
  }

  // ---------------------------------------------------------------------------------------------
  // Inspector and Scheduler on every topology

  @Test
  void inspectorReadsQueuesTasksInEveryStateGroupsServersAndHistory() throws Exception {
    Client client = client();
    Inspector inspector = inspector();
    CountDownLatch release = new CountDownLatch(1);
    Map<String, Map<TaskState, List<String>>> ids = new HashMap<>();
    for (String q : queues()) {
      Map<TaskState, List<String>> byState = new EnumMap<>(TaskState.class);
      byState.put(
          TaskState.RETRY, List.of(client.enqueue(Task.of("fail"), queue(q), maxRetry(3)).id()));
      byState.put(
          TaskState.ARCHIVED, List.of(client.enqueue(Task.of("fail"), queue(q), maxRetry(0)).id()));
      byState.put(
          TaskState.COMPLETED,
          List.of(client.enqueue(Task.of("keep"), queue(q), retention(Duration.ofHours(1))).id()));
      byState.put(TaskState.ACTIVE, List.of(client.enqueue(Task.of("block"), queue(q)).id()));
      ids.put(q, byState);
    }
    Server server =
        start(
            config().build(),
            ctx -> {
              switch (ctx.task().type()) {
                case "fail" -> throw new IllegalStateException("boom");
                case "block" -> release.await(PATIENCE.toSeconds(), TimeUnit.SECONDS);
                default -> {}
              }
            });
    for (String q : queues()) {
      for (var e : ids.get(q).entrySet()) {
        String id = e.getValue().get(0);
        await(e.getKey().wireName(), () -> e.getKey().wireName().equals(state(q, id)));
      }
      inspector.pauseQueue(q);
      List<String> pending = new ArrayList<>();
      for (int i = 0; i < 3; i++) {
        pending.add(client.enqueue(Task.of("p", "p" + i), queue(q)).id());
      }
      ids.get(q).put(TaskState.PENDING, pending);
      ids.get(q)
          .put(
              TaskState.SCHEDULED,
              List.of(
                  client.enqueue(Task.of("s"), queue(q), processIn(Duration.ofMinutes(5))).id()));
      ids.get(q)
          .put(
              TaskState.AGGREGATING,
              List.of(
                  client.enqueue(Task.of("g", "1"), queue(q), group("g")).id(),
                  client.enqueue(Task.of("g", "2"), queue(q), group("g")).id()));
    }
    await(
        "the server lists its running tasks",
        () ->
            inspector.servers().stream()
                    .filter(s -> s.id().equals(server.serverId()))
                    .flatMap(s -> s.activeWorkers().stream())
                    .count()
                == queues().size());
    assertThat(inspector.queues()).containsAll(queues());
    for (String q : queues()) {
      Map<TaskState, List<String>> byState = ids.get(q);
      await("counters", () -> inspector.queueInfo(q).failedToday() == 2);
      QueueInfo info = inspector.queueInfo(q);
      assertThat(info.pending()).isEqualTo(3);
      assertThat(info.active()).isEqualTo(1);
      assertThat(info.scheduled()).isEqualTo(1);
      assertThat(info.retry()).isEqualTo(1);
      assertThat(info.archived()).isEqualTo(1);
      assertThat(info.completed()).isEqualTo(1);
      assertThat(info.aggregating()).isEqualTo(2);
      assertThat(info.size()).isEqualTo(10);
      assertThat(info.groups()).isEqualTo(1);
      assertThat(info.paused()).isTrue();
      assertThat(info.processedToday()).isEqualTo(info.processedTotal()).isPositive();
      assertThat(info.failedTotal()).isEqualTo(2);
      assertThat(info.memoryUsageBytes()).isPositive();

      List<String> pending = byState.get(TaskState.PENDING);
      assertThat(inspector.listTasks(q, TaskState.PENDING, Page.of(1, 2)))
          .extracting(TaskInfo::id)
          .containsExactlyElementsOf(pending.subList(0, 2));
      assertThat(inspector.listTasks(q, TaskState.PENDING, Page.of(2, 2)))
          .extracting(TaskInfo::id)
          .containsExactly(pending.get(2));
      assertThat(inspector.listTasks(q, TaskState.PENDING, Page.of(3, 2))).isEmpty();
      for (TaskState st :
          List.of(
              TaskState.ACTIVE,
              TaskState.SCHEDULED,
              TaskState.RETRY,
              TaskState.ARCHIVED,
              TaskState.COMPLETED)) {
        List<TaskInfo> listed = inspector.listTasks(q, st, Page.first());
        assertThat(listed).extracting(TaskInfo::id).containsExactlyElementsOf(byState.get(st));
        assertThat(listed).allMatch(t -> t.state() == st && t.queue().equals(q));
      }
      assertThat(inspector.listTasks(q, TaskState.ACTIVE, Page.all()).get(0).orphaned()).isFalse();
      assertThat(inspector.listAggregating(q, "g", Page.all()))
          .extracting(TaskInfo::id) // added in the same second: ordered by ID
          .containsExactlyInAnyOrderElementsOf(byState.get(TaskState.AGGREGATING));
      for (var e : byState.entrySet()) {
        for (String id : e.getValue()) {
          TaskInfo t = inspector.taskInfo(q, id);
          assertThat(t.state()).isEqualTo(e.getKey());
          assertThat(t.queue()).isEqualTo(q);
        }
      }
      assertThat(inspector.taskInfo(q, byState.get(TaskState.RETRY).get(0)).nextProcessAt())
          .contains(T0.plus(Duration.ofHours(1)));
      assertThatThrownBy(() -> inspector.taskInfo(q, "no-such-task"))
          .isInstanceOf(TaskNotFoundException.class);
      assertThat(inspector.groups(q)).containsExactly(new GroupInfo("g", 2));
      List<DailyStats> history = inspector.history(q, 2);
      assertThat(history).hasSize(2);
      assertThat(history.get(0).date()).isEqualTo(LocalDate.of(2035, 6, 1));
      assertThat(history.get(0).processed()).isEqualTo(info.processedToday());
      assertThat(history.get(0).failed()).isEqualTo(2);
      assertThat(history.get(1).processed()).isZero();
    }
    ServerInfo s =
        inspector.servers().stream()
            .filter(x -> x.id().equals(server.serverId()))
            .findFirst()
            .orElseThrow();
    assertThat(s.concurrency()).isEqualTo(4);
    assertThat(s.queues().keySet()).containsExactlyInAnyOrderElementsOf(queues());
    assertThat(s.activeWorkers())
        .extracting(WorkerInfo::taskId)
        .containsExactlyInAnyOrderElementsOf(
            queues().stream().map(q -> ids.get(q).get(TaskState.ACTIVE).get(0)).toList());
    assertThatThrownBy(() -> inspector.queueInfo("no-such-queue"))
        .isInstanceOf(QueueNotFoundException.class);
    release.countDown();
  }

  @Test
  void inspectorRunsArchivesDeletesAndUpdatesOneAndAllTasks() {
    Client client = client();
    Inspector inspector = inspector();
    for (String q : queues()) {
      List<String> scheduled = new ArrayList<>();
      for (int i = 0; i < 3; i++) {
        scheduled.add(
            client.enqueue(Task.of("s", "old"), queue(q), processIn(Duration.ofHours(1))).id());
      }
      String p = client.enqueue(Task.of("p"), queue(q), unique(Duration.ofHours(1))).id();
      client.enqueue(Task.of("g"), queue(q), group("g"));
      client.enqueue(Task.of("g"), queue(q), group("g"));

      inspector.runTask(q, scheduled.get(0));
      assertThat(inspector.taskInfo(q, scheduled.get(0)).state()).isEqualTo(TaskState.PENDING);
      assertThatThrownBy(() -> inspector.runTask(q, scheduled.get(0)))
          .isInstanceOf(TaskStateException.class);
      inspector.archiveTask(q, p);
      assertThat(state(q, p)).isEqualTo("archived");
      inspector.deleteTask(q, scheduled.get(1));
      assertThatThrownBy(() -> inspector.taskInfo(q, scheduled.get(1)))
          .isInstanceOf(TaskNotFoundException.class);
      TaskInfo updated =
          inspector.updateTaskPayload(q, scheduled.get(2), "new".getBytes(StandardCharsets.UTF_8));
      assertThat(text(updated.payload())).isEqualTo("new");
      assertThat(text(inspector.taskInfo(q, scheduled.get(2)).payload())).isEqualTo("new");

      assertThat(inspector.archiveAll(q, TaskState.SCHEDULED)).isEqualTo(1);
      assertThat(inspector.runAll(q, TaskState.ARCHIVED)).isEqualTo(2);
      assertThat(pending(q)).hasSize(3);
      assertThat(inspector.archiveAllAggregating(q, "g")).isEqualTo(2);
      assertThat(inspector.groups(q)).isEmpty();
      assertThat(inspector.runAll(q, TaskState.ARCHIVED)).isEqualTo(2);
      assertThat(inspector.archiveAll(q, TaskState.PENDING)).isEqualTo(5);
      assertThat(inspector.deleteAll(q, TaskState.ARCHIVED)).isEqualTo(5);
      assertThat(redis().keys("asynq:{" + q + "}:unique:*")).isEmpty();
      QueueInfo info = inspector.queueInfo(q);
      assertThat(info.size()).isZero();
      assertThat(keysOf(q).stream().filter(k -> k.contains(":t:"))).isEmpty();
    }
  }

  @Test
  void inspectorPausesAQueueForARunningServerAndCancelsARunningTask() throws Exception {
    Client client = client();
    Inspector inspector = inspector();
    String held = queues().get(0);
    inspector.pauseQueue(held);
    assertThatThrownBy(() -> inspector.pauseQueue(held)).isInstanceOf(QueueStateException.class);
    client.enqueue(Task.of("t"), queue(held));
    Set<String> ran = ConcurrentHashMap.newKeySet();
    CountDownLatch started = new CountDownLatch(1);
    CountDownLatch cancelled = new CountDownLatch(1);
    start(
        config().build(),
        ctx -> {
          if (ctx.task().type().equals("long")) {
            runUntilCancelled(ctx, started, cancelled);
          }
          ran.add(ctx.queue());
        });
    for (String q : queues().subList(1, queues().size())) {
      client.enqueue(Task.of("t"), queue(q));
    }
    await("open queues served", () -> ran.size() == queues().size() - 1);
    assertThat(ran).doesNotContain(held);
    assertThat(inspector.queueInfo(held).pending()).isEqualTo(1);
    inspector.unpauseQueue(held);
    assertThat(inspector.queueInfo(held).paused()).isFalse();
    await("held queue served", () -> ran.contains(held));

    TaskInfo info = client.enqueue(Task.of("long"), queue(queues().get(queues().size() - 1)));
    assertThat(started.await(PATIENCE.toSeconds(), TimeUnit.SECONDS)).isTrue();
    awaitCancelled(() -> inspector.cancel(info.id()), cancelled);
    await("retry", () -> inspector.taskInfo(info.queue(), info.id()).state() == TaskState.RETRY);
  }

  @Test
  void forcedDeleteQueueLeavesNoKeyOfTheQueue() {
    Client client = client();
    Inspector inspector = inspector();
    Server server =
        start(
            config().build(),
            ctx -> {
              if (ctx.task().type().equals("fail")) {
                throw new IllegalStateException("boom");
              }
              ctx.writeResult(new byte[] {1});
            });
    List<TaskInfo> done = new ArrayList<>();
    for (String q : queues()) {
      done.add(client.enqueue(Task.of("done"), queue(q), retention(Duration.ofHours(1))));
      done.add(client.enqueue(Task.of("fail"), queue(q), maxRetry(0)));
    }
    for (TaskInfo info : done) {
      await(
          "completed or archived",
          () -> List.of("completed", "archived").contains(state(info.queue(), info.id())));
    }
    server.close();
    for (String q : queues()) {
      client.enqueue(Task.of("p"), queue(q), unique(Duration.ofHours(1)));
      client.enqueue(Task.of("s"), queue(q), processIn(Duration.ofHours(1)));
      client.enqueue(Task.of("g"), queue(q), group("g"));
      inspector.pauseQueue(q);
      redis().set("asynq:{" + q + "}:stray", new byte[] {1}); // a key of no known kind
      assertThat(keysOf(q)).isNotEmpty();
    }
    for (String q : queues()) {
      assertThatThrownBy(() -> inspector.deleteQueue(q, false))
          .isInstanceOf(QueueNotEmptyException.class);
      inspector.deleteQueue(q, true);
      assertThat(keysOf(q)).as("keys of %s", q).isEmpty();
      assertThat(inspector.queues()).doesNotContain(q);
      assertThatThrownBy(() -> inspector.queueInfo(q)).isInstanceOf(QueueNotFoundException.class);
    }
  }

  @Test
  void twoSchedulersEnqueueEachTickOnceAndTheInspectorSeesTheirEntries() {
    Scheduler a = scheduler();
    Scheduler b = scheduler();
    Inspector inspector = inspector();
    for (Scheduler s : List.of(a, b)) {
      for (String q : queues()) {
        s.register("* * * * *", Task.of("cron", q), queue(q));
      }
      s.runOnce(clock.instant());
      s.beat(clock.instant());
    }
    List<SchedulerEntry> entries = inspector.schedulerEntries();
    assertThat(entries).hasSize(2 * queues().size());
    assertThat(entries).allMatch(e -> e.spec().equals("* * * * *") && e.taskType().equals("cron"));
    assertThat(entries)
        .extracting(SchedulerEntry::id)
        .containsExactlyInAnyOrderElementsOf(
            java.util.stream.Stream.concat(a.entryIds().stream(), b.entryIds().stream()).toList());
    assertThat(entries).allMatch(e -> e.next().equals(T0.plus(Duration.ofMinutes(1))));
    int ticks = 3;
    for (int t = 0; t < ticks; t++) {
      clock.advance(Duration.ofMinutes(1));
      a.runOnce(clock.instant());
      b.runOnce(clock.instant());
    }
    for (String q : queues()) {
      assertThat(pending(q)).hasSize(ticks);
      assertThat(inspector.listTasks(q, TaskState.PENDING, Page.all()))
          .allMatch(t -> t.type().equals("cron") && text(t.payload()).equals(q));
    }
    long events = 0;
    a.beat(clock.instant());
    b.beat(clock.instant());
    List<SchedulerEntry> after = inspector.schedulerEntries();
    assertThat(after).hasSize(2 * queues().size());
    for (SchedulerEntry e : after) {
      assertThat(e.next()).isEqualTo(clock.instant().plus(Duration.ofMinutes(1)));
      events += inspector.schedulerHistory(e.id(), Page.all()).size();
    }
    assertThat(events).isEqualTo((long) ticks * queues().size());
    a.close();
    b.close();
    assertThat(inspector.schedulerEntries()).isEmpty();
  }

  @Test
  void redisInfoAndClusterHelpersFitTheTopology() {
    Inspector inspector = inspector();
    RedisInfo info = inspector.redisInfo();
    assertThat(info.isCluster()).isEqualTo(isCluster());
    if (isCluster()) {
      assertThat(info.info()).isEmpty();
      assertThat(info.clusterInfo()).containsEntry("cluster_state", "ok");
      assertThat(info.masters()).hasSize(queues().size());
      assertThat(info.masters().values()).allMatch(f -> f.containsKey("redis_version"));
      for (String q : queues()) {
        String key = "asynq:{" + q + "}:pending";
        assertThat(inspector.clusterKeySlot(q)).isEqualTo(redis().clusterKeyslot(key));
        List<ClusterNode> nodes = inspector.clusterNodes(q);
        assertThat(nodes).isNotEmpty(); // the master, then its replica once Redis lists it
        assertThat(nodes).allMatch(n -> n.id().length() == 40 && n.address().contains(":"));
      }
      return;
    }
    assertThat(info.info())
        .containsKeys(
            "redis_version",
            "uptime_in_seconds",
            "connected_clients",
            "used_memory_human",
            "used_memory_peak_human");
    assertThat(info.clusterInfo()).isEmpty();
    assertThat(info.masters()).isEmpty();
    String q = queues().get(0);
    assertThatThrownBy(() -> inspector.clusterKeySlot(q))
        .isInstanceOf(JasynqException.class)
        .hasMessageStartingWith("clusterKeySlot failed: ")
        .hasMessageEndingWith("(Redis is not a cluster)");
    assertThatThrownBy(() -> inspector.clusterNodes(q))
        .isInstanceOf(JasynqException.class)
        .hasMessageContaining("not a cluster");
  }
}

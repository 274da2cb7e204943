package io.jasynq;

import static io.jasynq.TaskOption.group;
import static io.jasynq.TaskOption.maxRetry;
import static io.jasynq.TaskOption.processIn;
import static io.jasynq.TaskOption.queue;
import static io.jasynq.TaskOption.retention;
import static io.jasynq.TaskOption.unique;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.jasynq.testkit.FakeClock;
import io.lettuce.core.cluster.api.sync.RedisClusterCommands;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * One contract, every topology (STYLE §6): a task goes through every state of spec §1.3 with a real
 * Client and Server, and the Redis state is asserted at each step. Subclasses run it on standalone
 * Redis, on Sentinel and on Redis Cluster; on a cluster the queues are picked so that each master
 * holds one, so every script runs on every node.
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

  protected Client client() {
    Client client = Client.builder().uri(uri()).clock(clock).build();
    toClose.add(client);
    return client;
  }

  protected ServerConfig.Builder config() {
    ServerConfig.Builder b =
        ServerConfig.builder()
            .concurrency(4)
            .clock(clock)
            .taskCheckInterval(Duration.ofMillis(20))
            .delayedTaskCheckInterval(Duration.ofMillis(50))
            .janitorInterval(Duration.ofMillis(50))
            .recovererInterval(Duration.ofMillis(100))
            .heartbeatInterval(Duration.ofMillis(200))
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
    start(
        config().build(),
        ctx -> {
          started.countDown();
          try {
            Thread.sleep(PATIENCE.toMillis());
          } catch (InterruptedException e) {
            if (ctx.isCancelled()) {
              cancelled.countDown();
            }
          }
          throw new IllegalStateException("cancelled");
        });
    assertThat(started.await(PATIENCE.toSeconds(), TimeUnit.SECONDS)).isTrue();
    // The server subscribes in the background: publish until the request is heard.
    await(
        "cancelled",
        () -> {
          publish("asynq:cancel", info.id());
          try {
            return cancelled.await(50, TimeUnit.MILLISECONDS);
          } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
          }
        });
    await("retry", () -> "retry".equals(state(info.queue(), info.id())));
  }
}

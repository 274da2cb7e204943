package io.jasynq.server;

import static io.jasynq.TaskOption.maxRetry;
import static io.jasynq.TaskOption.processIn;
import static io.jasynq.TaskOption.queue;
import static io.jasynq.TaskOption.retention;
import static io.jasynq.TaskOption.taskId;
import static io.jasynq.TaskOption.timeout;
import static io.jasynq.TaskOption.unique;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.jasynq.Client;
import io.jasynq.Handler;
import io.jasynq.RetryDelay;
import io.jasynq.RevokeTaskException;
import io.jasynq.Server;
import io.jasynq.ServerConfig;
import io.jasynq.SkipRetryException;
import io.jasynq.Task;
import io.jasynq.TaskInfo;
import io.jasynq.internal.broker.proto.TaskMessage;
import io.jasynq.support.ServerConfigs;
import io.jasynq.support.ServerFixture;
import io.jasynq.support.ServerTest;
import io.jasynq.testkit.Eventually;
import io.jasynq.testkit.FakeClock;
import io.jasynq.testkit.TestRedis;
import io.lettuce.core.LMoveArgs;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/**
 * Tasks run through every state of wire-format §3–§4 with a real server on a real Redis; the Redis
 * state is asserted at each step. Time that matters (retry delays, schedules, retention) comes from
 * a fake clock; background parts run at short real intervals.
 */
@ServerTest
class ServerStatesTest {
  // Today at 10:00 UTC, not a fixed date: scripts set EXPIREAT from this clock and Redis counts
  // down from its real time, so a fixed date would make the 90-day TTL checks rot.
  private static final Instant T0 =
      Instant.now().truncatedTo(java.time.temporal.ChronoUnit.DAYS).plus(Duration.ofHours(10));

  private final TestRedis redis;
  private final ServerFixture fixture;
  private final FakeClock clock;
  private final Client client;
  private Server server;

  ServerStatesTest(TestRedis redis, ServerFixture fixture) {
    this.redis = redis;
    this.fixture = fixture;
    this.clock = fixture.clock();
    this.client = fixture.client();
    clock.set(T0);
  }

  private ServerConfig.Builder config() {
    return ServerConfigs.fastWithMaintenance()
        .concurrency(2)
        .clock(clock)
        .retryDelay(RetryDelay.constant(Duration.ofSeconds(60)));
  }

  private Server start(ServerConfig config, Handler handler) {
    server = fixture.start(config, handler);
    return server;
  }

  private TaskMessage msg(String queue, String id) throws Exception {
    return TaskMessage.parseFrom(redis.hgetAll("asynq:{" + queue + "}:t:" + id).get("msg"));
  }

  private String today() {
    return T0.toString().substring(0, 10);
  }

  @Test
  void successfulTaskIsDeletedAndCounted() {
    CountDownLatch ran = new CountDownLatch(1);
    TaskInfo info = client.enqueue(Task.of("t", "p"), unique(Duration.ofHours(1)));
    start(
        config().build(),
        ctx -> {
          assertThat(ctx.task().type()).isEqualTo("t");
          assertThat(new String(ctx.task().payload())).isEqualTo("p");
          assertThat(ctx.taskId()).isEqualTo(info.id());
          assertThat(ctx.queue()).isEqualTo("default");
          assertThat(ctx.maxRetry()).isEqualTo(25);
          assertThat(ctx.retryCount()).isZero();
          assertThat(ctx.deadline()).isEqualTo(T0.plus(Duration.ofMinutes(30)));
          ran.countDown();
        });
    Eventually.until("task deleted", () -> redis.keys("asynq:{default}:t:*").isEmpty());
    assertThat(ran.getCount()).isZero();
    assertThat(redis.lrange("asynq:{default}:pending")).isEmpty();
    assertThat(redis.keys("asynq:{default}:active")).isEmpty();
    assertThat(redis.keys("asynq:{default}:unique:*")).as("lock released").isEmpty();
    assertThat(redis.get("asynq:{default}:processed")).isEqualTo("1");
    assertThat(redis.get("asynq:{default}:processed:" + today())).isEqualTo("1");
    // The counter expires 90 days after the fake clock's day; Redis counts the TTL from its own
    // (real) clock, so the expected TTL depends on today's date.
    long expected = Duration.between(Instant.now(), T0.plus(Duration.ofDays(90))).toSeconds();
    assertThat(redis.ttl("asynq:{default}:processed:" + today()))
        .isCloseTo(expected, within(3600L * 48));
    assertThat(redis.keys("asynq:{default}:failed*")).isEmpty();
  }

  @Test
  void completedTaskIsKeptForItsRetentionThenDeletedByTheJanitor() throws Exception {
    TaskInfo info = client.enqueue(Task.of("t"), retention(Duration.ofHours(1)));
    start(config().build(), ctx -> ctx.writeResult("42".getBytes()));
    String hash = "asynq:{default}:t:" + info.id();
    Eventually.until("completed", () -> "completed".equals(redis.hget(hash, "state")));
    assertThat(redis.zrangeWithScores("asynq:{default}:completed"))
        .containsExactly(Map.entry(info.id(), (double) T0.getEpochSecond() + 3600));
    assertThat(msg("default", info.id()).getCompletedAt()).isEqualTo(T0.getEpochSecond());
    assertThat(redis.hget(hash, "result")).isEqualTo("42");

    clock.advance(Duration.ofMinutes(59));
    Thread.sleep(200); // several janitor passes: nothing is due yet
    assertThat(redis.hget(hash, "state")).isEqualTo("completed");
    clock.advance(Duration.ofMinutes(2));
    Eventually.until("janitor deleted it", () -> redis.keys(hash).isEmpty());
    assertThat(redis.zrangeWithScores("asynq:{default}:completed")).isEmpty();
  }

  @Test
  void failureGoesToRetryThenRunsAgainWhenDue() throws Exception {
    AtomicInteger attempts = new AtomicInteger();
    TaskInfo info = client.enqueue(Task.of("t"), maxRetry(3));
    start(
        config().build(),
        ctx -> {
          if (attempts.incrementAndGet() == 1) {
            throw new IllegalStateException("boom");
          }
          assertThat(ctx.retryCount()).isEqualTo(1);
        });
    Eventually.until("in retry", () -> !redis.zrangeWithScores("asynq:{default}:retry").isEmpty());
    assertThat(redis.zrangeWithScores("asynq:{default}:retry"))
        .containsExactly(Map.entry(info.id(), (double) T0.getEpochSecond() + 60));
    TaskMessage m = msg("default", info.id());
    assertThat(m.getRetried()).isEqualTo(1);
    assertThat(m.getErrorMsg()).isEqualTo("boom");
    assertThat(m.getLastFailedAt()).isEqualTo(T0.getEpochSecond());
    assertThat(redis.hget("asynq:{default}:t:" + info.id(), "state")).isEqualTo("retry");
    assertThat(redis.get("asynq:{default}:failed")).isEqualTo("1");
    assertThat(redis.get("asynq:{default}:processed")).isEqualTo("1");

    clock.advance(Duration.ofSeconds(61));
    Eventually.until("retried and done", () -> redis.keys("asynq:{default}:t:*").isEmpty());
    assertThat(attempts.get()).isEqualTo(2);
    assertThat(redis.get("asynq:{default}:processed")).isEqualTo("2");
  }

  @Test
  void exhaustedRetriesAndSkipRetryArchive() throws Exception {
    TaskInfo exhausted = client.enqueue(Task.of("fail"), maxRetry(0));
    TaskInfo skipped = client.enqueue(Task.of("skip"), maxRetry(10));
    start(
        config().build(),
        ctx -> {
          if (ctx.task().type().equals("skip")) {
            throw new RuntimeException("wrapped", new SkipRetryException("bad input"));
          }
          throw new IllegalArgumentException("no good");
        });
    Eventually.until(
        "both archived", () -> redis.zrangeWithScores("asynq:{default}:archived").size() == 2);
    assertThat(redis.zrangeWithScores("asynq:{default}:archived").values())
        .containsOnly((double) T0.getEpochSecond());
    assertThat(msg("default", exhausted.id()).getErrorMsg()).isEqualTo("no good");
    assertThat(msg("default", skipped.id()).getErrorMsg()).isEqualTo("wrapped");
    assertThat(msg("default", skipped.id()).getRetried()).isZero();
    assertThat(redis.hget("asynq:{default}:t:" + skipped.id(), "state")).isEqualTo("archived");
    assertThat(redis.get("asynq:{default}:failed")).isEqualTo("2");
  }

  @Test
  void revokedTaskIsDroppedAndReleasesItsLock() {
    client.enqueue(Task.of("t"), unique(Duration.ofHours(1)));
    start(
        config().build(),
        ctx -> {
          throw new RevokeTaskException("not wanted");
        });
    Eventually.until("dropped", () -> redis.keys("asynq:{default}:t:*").isEmpty());
    assertThat(redis.keys("asynq:{default}:unique:*")).isEmpty();
    assertThat(redis.zrangeWithScores("asynq:{default}:archived")).isEmpty();
  }

  @Test
  void scheduledTaskBecomesPendingWhenDueAndRuns() {
    List<String> ran = new CopyOnWriteArrayList<>();
    TaskInfo info = client.enqueue(Task.of("t"), processIn(Duration.ofMinutes(5)), taskId("later"));
    start(config().build(), ctx -> ran.add(ctx.taskId()));
    Eventually.until("registered", () -> !redis.keys("asynq:servers:*").isEmpty());
    assertThat(redis.zrangeWithScores("asynq:{default}:scheduled")).containsKey("later");
    assertThat(ran).isEmpty();
    clock.advance(Duration.ofMinutes(5));
    Eventually.until("ran", () -> ran.contains(info.id()));
    Eventually.until("deleted", () -> redis.keys("asynq:{default}:t:*").isEmpty());
    assertThat(redis.zrangeWithScores("asynq:{default}:scheduled")).isEmpty();
  }

  @Test
  void anyThrowableFailsTheTaskButNeverTheWorker() {
    AtomicInteger ok = new AtomicInteger();
    client.enqueue(Task.of("overflow"), maxRetry(0));
    client.enqueue(Task.of("error"), maxRetry(0));
    for (int i = 0; i < 5; i++) {
      client.enqueue(Task.of("fine"));
    }
    start(
        config().concurrency(1).build(),
        ctx -> {
          switch (ctx.task().type()) {
            case "overflow" -> recurse(0);
            case "error" -> throw new AssertionError("an Error, not an Exception");
            default -> ok.incrementAndGet();
          }
        });
    Eventually.until(
        "all processed",
        () -> ok.get() == 5 && redis.zrangeWithScores("asynq:{default}:archived").size() == 2);
  }

  private static int recurse(int n) {
    return recurse(n + 1) + 1;
  }

  @Test
  void timeoutInterruptsTheHandlerAndRetriesTheTask() throws Exception {
    CountDownLatch interrupted = new CountDownLatch(1);
    TaskInfo info = client.enqueue(Task.of("slow"), timeout(Duration.ofSeconds(1)));
    start(
        config().build(),
        ctx -> {
          try {
            Thread.sleep(30_000);
          } catch (InterruptedException e) {
            assertThat(ctx.isCancelled()).isTrue();
            interrupted.countDown();
            throw e;
          }
        });
    assertThat(interrupted.await(10, TimeUnit.SECONDS)).isTrue();
    Eventually.until(
        "retry", () -> "retry".equals(redis.hget("asynq:{default}:t:" + info.id(), "state")));
    assertThat(msg("default", info.id()).getErrorMsg()).isEqualTo("context deadline exceeded");
  }

  @Test
  void handlerThatIgnoresInterruptionIsAbandonedAndDoesNotBlockShutdown() throws Exception {
    CountDownLatch release = new CountDownLatch(1);
    TaskInfo info = client.enqueue(Task.of("stubborn"), timeout(Duration.ofSeconds(1)));
    start(
        config().shutdownTimeout(Duration.ofMillis(200)).build(),
        ctx -> {
          while (release.getCount() > 0) {
            Thread.interrupted(); // ignores every interrupt
            Thread.onSpinWait();
          }
        });
    try {
      Eventually.until(
          "retry recorded without the handler",
          () -> "retry".equals(redis.hget("asynq:{default}:t:" + info.id(), "state")));
      assertThat(msg("default", info.id()).getErrorMsg()).isEqualTo("context deadline exceeded");
      long begin = System.nanoTime();
      server.close();
      assertThat(Duration.ofNanos(System.nanoTime() - begin))
          .isLessThan(Duration.ofSeconds(30)); // a hang detector, not a speed target
    } finally {
      release.countDown(); // let the stubborn thread end so no jasynq thread outlives the test
    }
  }

  @Test
  void anAbandonedHandlerDoesNotKeepTheNextTaskFromRunning() throws Exception {
    CountDownLatch release = new CountDownLatch(1);
    CountDownLatch nextRan = new CountDownLatch(1);
    TaskInfo stuck = client.enqueue(Task.of("stubborn"), timeout(Duration.ofSeconds(1)));
    start(
        config().concurrency(1).build(),
        ctx -> {
          if (!ctx.task().type().equals("stubborn")) {
            nextRan.countDown();
            return;
          }
          while (release.getCount() > 0) {
            try {
              release.await(); // ignores every interrupt, without spinning
            } catch (InterruptedException ignored) {
              // keeps waiting
            }
          }
        });
    try {
      Eventually.until(
          "retry recorded without the handler",
          () -> "retry".equals(redis.hget("asynq:{default}:t:" + stuck.id(), "state")));
      client.enqueue(Task.of("next"));
      assertThat(nextRan.await(10, TimeUnit.SECONDS))
          .as("the one slot's next task runs while the abandoned handler still holds its thread")
          .isTrue();
      assertThat(release.getCount()).isEqualTo(1);
    } finally {
      release.countDown();
    }
  }

  @Test
  void malformedTaskIsArchivedWithTheReasonAndTheServerGoesOn() throws Exception {
    redis
        .commands()
        .hset(
            "asynq:{default}:t:bad",
            Map.of("msg", new byte[] {(byte) 0xff, 0x01}, "state", "pending".getBytes()));
    redis.commands().lpush("asynq:{default}:pending", "bad".getBytes());
    redis.commands().sadd("asynq:queues", "default".getBytes());
    TaskInfo good = client.enqueue(Task.of("good"));
    List<String> ran = new CopyOnWriteArrayList<>();
    start(config().build(), ctx -> ran.add(ctx.taskId()));
    Eventually.until("good ran", () -> ran.contains(good.id()));
    Eventually.until(
        "bad archived", () -> "archived".equals(redis.hget("asynq:{default}:t:bad", "state")));
    TaskMessage bad = msg("default", "bad");
    assertThat(bad.getErrorMsg()).startsWith("malformed task message");
    assertThat(redis.zrangeWithScores("asynq:{default}:archived")).containsKey("bad");
    assertThat(ran).containsExactly(good.id());
  }

  @Test
  void gracefulShutdownRequeuesUnfinishedTasksAndClearsServerState() throws Exception {
    CountDownLatch started = new CountDownLatch(1);
    TaskInfo info = client.enqueue(Task.of("long"));
    start(
        config().shutdownTimeout(Duration.ofMillis(300)).build(),
        ctx -> {
          started.countDown();
          Thread.sleep(60_000);
        });
    assertThat(started.await(10, TimeUnit.SECONDS)).isTrue();
    Eventually.until("server registered", () -> !redis.keys("asynq:servers:*").isEmpty());
    server.close();
    assertThat(redis.lrange("asynq:{default}:pending")).containsExactly(info.id());
    assertThat(redis.hget("asynq:{default}:t:" + info.id(), "state")).isEqualTo("pending");
    assertThat(redis.hget("asynq:{default}:t:" + info.id(), "pending_since")).isNotNull();
    assertThat(msg("default", info.id()).getRetried()).isZero();
    assertThat(redis.keys("asynq:{default}:active")).isEmpty();
    assertThat(redis.keys("asynq:servers:*")).isEmpty();
    assertThat(redis.keys("asynq:workers:*")).isEmpty();
  }

  @Test
  void heartbeatPublishesServerAndActiveWorkers() throws Exception {
    CountDownLatch started = new CountDownLatch(1);
    CountDownLatch release = new CountDownLatch(1);
    TaskInfo info = client.enqueue(Task.of("busy", "x"), queue("q1"));
    start(
        config().queue("q1", 2).queue("q2", 1).build(),
        ctx -> {
          started.countDown();
          release.await(10, TimeUnit.SECONDS);
        });
    try {
      assertThat(started.await(10, TimeUnit.SECONDS)).isTrue();
      Eventually.until(
          "worker published",
          () ->
              !redis.keys("asynq:workers:*").isEmpty()
                  && redis.hgetAll(redis.keys("asynq:workers:*").get(0)).containsKey(info.id()));
      String serverKey = redis.keys("asynq:servers:*").get(0);
      var infoMsg = io.jasynq.internal.broker.proto.ServerInfo.parseFrom(redis.getBytes(serverKey));
      assertThat(infoMsg.getServerId()).isEqualTo(server.serverId());
      assertThat(infoMsg.getConcurrency()).isEqualTo(2);
      assertThat(infoMsg.getQueuesMap()).isEqualTo(Map.of("q1", 2, "q2", 1));
      assertThat(infoMsg.getStatus()).isEqualTo("active");
      Eventually.until(
          "active worker count",
          () -> {
            try {
              return io.jasynq.internal.broker.proto.ServerInfo.parseFrom(redis.getBytes(serverKey))
                      .getActiveWorkerCount()
                  == 1;
            } catch (Exception e) {
              return false;
            }
          });
      assertThat(redis.ttl(serverKey)).isPositive();
      assertThat(serverKey)
          .isEqualTo(
              "asynq:servers:{"
                  + infoMsg.getHost()
                  + ":"
                  + infoMsg.getPid()
                  + ":"
                  + server.serverId()
                  + "}");
      var worker =
          io.jasynq.internal.broker.proto.WorkerInfo.parseFrom(
              redis.hgetAll(redis.keys("asynq:workers:*").get(0)).get(info.id()));
      assertThat(worker.getTaskType()).isEqualTo("busy");
      assertThat(worker.getQueue()).isEqualTo("q1");
      assertThat(redis.zrangeWithScores("asynq:{q1}:lease")).containsKey(info.id());
    } finally {
      release.countDown();
    }
  }

  @Test
  void leaseOfADeadWorkerIsRecoveredToRetry() throws Exception {
    // A task left active by a worker that died: its lease ran out long ago.
    TaskInfo info = client.enqueue(Task.of("orphan"));
    redis
        .commands()
        .lmove("asynq:{default}:pending", "asynq:{default}:active", LMoveArgs.Builder.rightLeft());
    redis.commands().hset("asynq:{default}:t:" + info.id(), "state", "active".getBytes());
    redis.commands().zadd("asynq:{default}:lease", T0.getEpochSecond() - 31, info.id().getBytes());
    Map<String, Integer> ran = new ConcurrentHashMap<>();
    start(config().build(), ctx -> ran.merge(ctx.taskId(), 1, Integer::sum));
    Eventually.until(
        "recovered to retry",
        () -> "retry".equals(redis.hget("asynq:{default}:t:" + info.id(), "state")));
    assertThat(msg("default", info.id()).getErrorMsg()).isEqualTo("asynq: task lease expired");
    assertThat(redis.zrangeWithScores("asynq:{default}:lease")).isEmpty();
    clock.advance(Duration.ofSeconds(61));
    Eventually.until("re-run", () -> ran.containsKey(info.id()));
  }

  @Test
  void longTaskKeepsItsLeaseWhileItRuns() throws Exception {
    CountDownLatch started = new CountDownLatch(1);
    CountDownLatch release = new CountDownLatch(1);
    TaskInfo info = client.enqueue(Task.of("long"), timeout(Duration.ofHours(1)));
    start(
        config().build(),
        ctx -> {
          started.countDown();
          release.await(30, TimeUnit.SECONDS);
        });
    try {
      assertThat(started.await(10, TimeUnit.SECONDS)).isTrue();
      for (int i = 0; i < 3; i++) {
        clock.advance(Duration.ofSeconds(25)); // past the first 30 s lease by the second round
        double expected = clock.instant().getEpochSecond() + 30;
        Eventually.until(
            "lease extended to " + expected,
            () ->
                Double.valueOf(expected)
                    .equals(redis.zrangeWithScores("asynq:{default}:lease").get(info.id())));
        assertThat(redis.hget("asynq:{default}:t:" + info.id(), "state")).isEqualTo("active");
      }
    } finally {
      release.countDown();
    }
    Eventually.until("done", () -> redis.keys("asynq:{default}:t:*").isEmpty());
  }
}

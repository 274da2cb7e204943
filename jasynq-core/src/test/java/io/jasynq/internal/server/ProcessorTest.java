package io.jasynq.internal.server;

import static io.jasynq.testkit.RedisAssertions.assertThat;
import static org.assertj.core.api.Assertions.assertThat;

import io.jasynq.Handler;
import io.jasynq.ServerConfig;
import io.jasynq.internal.broker.Broker;
import io.jasynq.internal.broker.proto.TaskMessage;
import io.jasynq.testkit.Eventually;
import io.jasynq.testkit.FakeClock;
import io.jasynq.testkit.Seed;
import io.jasynq.testkit.TestRedis;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The processor on its own (wire-format §4.2–§4.5): it takes pending tasks under a lease, runs the
 * handler and writes each outcome, seen through Redis. Its threads are real, so the test awaits the
 * state it expects; times written to Redis come from a fake clock.
 */
@ServerPartTest
class ProcessorTest {
  private static final Instant T0 = ServerPartFixture.T0;

  private final TestRedis redis;
  private final FakeClock clock;
  private final Seed.Queue q;
  private final Broker broker;
  private final CountDownLatch release = new CountDownLatch(1);
  private final List<String> ran = new CopyOnWriteArrayList<>();
  private ProcessorFixture fixture;

  ProcessorTest(TestRedis redis, ServerPartFixture parts) {
    this.redis = redis;
    this.clock = parts.clock;
    this.q = Seed.into(redis, clock).queue("q");
    this.broker = parts.broker;
  }

  @AfterEach
  void close() {
    release.countDown();
    if (fixture != null) {
      fixture.close();
    }
  }

  private ProcessorFixture start(int concurrency, Handler handler) {
    ServerConfig config =
        ServerConfig.builder()
            .queue("q", 1)
            .concurrency(concurrency)
            .clock(clock)
            .taskCheckInterval(Duration.ofMillis(20))
            .retryDelay((retried, error, task) -> Duration.ofSeconds(60))
            .build();
    fixture = new ProcessorFixture(broker, config, handler).start();
    return fixture;
  }

  private Handler recording(Handler then) {
    return ctx -> {
      ran.add(ctx.taskId() + " " + ctx.task().type() + " " + new String(ctx.task().payload()));
      then.handle(ctx);
    };
  }

  private void awaitState(String id, String state) {
    Eventually.until(
        "task " + id + " " + state, () -> state.equals(redis.hget("asynq:{q}:t:" + id, "state")));
  }

  private TaskMessage message(String id) throws Exception {
    return TaskMessage.parseFrom(redis.hgetAll("asynq:{q}:t:" + id).get("msg"));
  }

  @Test
  void runsAPendingTaskOnceAndDeletesItOnSuccess() {
    String id = q.pending("email", "hello");

    start(1, recording(ctx -> {}));
    Eventually.until("task deleted", () -> redis.keys("asynq:{q}:t:*").isEmpty());

    assertThat(ran).containsExactly(id + " email hello");
    assertThat(redis).queue("q").isEmpty().hasNoActive();
    assertThat(redis.get("asynq:{q}:processed")).isEqualTo("1");
  }

  @Test
  void runsATaskWhoseDeadlineIsCenturiesAway() {
    // More than 292 years away: the nanoseconds until it do not fit in a long.
    String id =
        q.task("far")
            .timeout(Duration.ZERO)
            .deadline(Instant.parse("2600-01-01T00:00:00Z"))
            .pending();

    start(1, recording(ctx -> {}));
    Eventually.until("task deleted", () -> redis.keys("asynq:{q}:t:*").isEmpty());

    assertThat(ran).containsExactly(id + " far ");
    assertThat(redis.get("asynq:{q}:processed")).isEqualTo("1");
  }

  @Test
  void keepsASucceededTaskWithRetentionAsCompleted() throws Exception {
    String id = q.task("t").retention(Duration.ofHours(1)).pending();

    start(1, ctx -> {});
    awaitState(id, "completed");

    assertThat(redis)
        .queue("q")
        .hasNoPending()
        .hasNoActive()
        .task(id)
        .isInState("completed")
        .hasScore("completed", T0.plus(Duration.ofHours(1)));
    assertThat(message(id).getCompletedAt()).isEqualTo(T0.getEpochSecond());
  }

  @Test
  void aFailedTaskWaitsForItsRetryWithItsErrorRecorded() throws Exception {
    String id = q.task("t").maxRetry(3).pending();

    start(
        1,
        ctx -> {
          throw new IllegalStateException("boom");
        });
    awaitState(id, "retry");

    assertThat(redis)
        .queue("q")
        .hasNoActive()
        .task(id)
        .isInState("retry")
        .hasScore("retry", T0.plusSeconds(60));
    TaskMessage m = message(id);
    assertThat(m.getRetried()).isEqualTo(1);
    assertThat(m.getErrorMsg()).contains("boom");
    assertThat(m.getLastFailedAt()).isEqualTo(T0.getEpochSecond());
    assertThat(redis.get("asynq:{q}:failed")).isEqualTo("1");
  }

  @Test
  void aFailedTaskWithoutRetriesLeftIsArchived() throws Exception {
    String id = q.task("t").maxRetry(0).pending();

    start(
        1,
        ctx -> {
          throw new IllegalStateException("boom");
        });
    awaitState(id, "archived");

    assertThat(redis).queue("q").hasNoActive().hasNoRetry().task(id).isInState("archived");
    assertThat(message(id).getErrorMsg()).contains("boom");
  }

  @Test
  void runsNoMoreTasksAtOnceThanItsConcurrency() {
    for (int i = 0; i < 3; i++) {
      q.pending("t", "x" + i);
    }

    ProcessorFixture p = start(2, recording(ctx -> release.await()));
    Eventually.until("two running", () -> ran.size() == 2);

    assertThat(redis).queue("q").hasActive(2).hasPending(1);
    assertThat(p.processor.active()).hasSize(2);
    assertThat(redis.zrangeWithScores("asynq:{q}:lease").values())
        .containsOnly((double) T0.plus(Processor.LEASE).getEpochSecond());

    release.countDown();
    Eventually.until("all done", () -> redis.keys("asynq:{q}:t:*").isEmpty());
    assertThat(ran).hasSize(3);
  }

  @Test
  void atLowConcurrencyAWorkerTakesItsNextTaskWithTheAcknowledgement() {
    List<String> ids = new java.util.ArrayList<>();
    for (int i = 0; i < 5; i++) {
      ids.add(q.pending("t", "x" + i));
    }
    List<String> threads = new CopyOnWriteArrayList<>();
    ProcessorFixture p = start(1, recording(ctx -> threads.add(Thread.currentThread().getName())));

    Eventually.until("all five done", () -> "5".equals(redis.get("asynq:{q}:processed")));
    assertThat(ran).extracting(r -> r.split(" ")[0]).containsExactlyElementsOf(ids);
    // The fetch loop takes the first; each acknowledgement takes the next, on the same thread.
    assertThat(p.processor.chainedTasks()).isEqualTo(4);
    assertThat(threads).containsOnly(threads.get(0));
    assertThat(redis.keys("asynq:{q}:t:*")).isEmpty();
    assertThat(redis.keys("asynq:{q}:active")).isEmpty();
    assertThat(redis.keys("asynq:{q}:lease")).isEmpty();
  }

  @Test
  void atHighConcurrencyAcknowledgementsAndDequeuesStayBatched() {
    for (int i = 0; i < 50; i++) {
      q.pending("t", "x" + i);
    }
    ProcessorFixture p = start(Chain.MAX_CONCURRENCY + 1, recording(ctx -> {}));

    Eventually.until("all done", () -> "50".equals(redis.get("asynq:{q}:processed")));
    assertThat(p.processor.chainedTasks()).isZero();
    assertThat(ran).hasSize(50);
  }

  @Test
  void aTaskStillRunningAtShutdownIsRequeued() {
    String id = q.pending("t", "x");
    ProcessorFixture p = start(1, recording(ctx -> release.await()));
    Eventually.until("running", () -> ran.size() == 1);

    int unrecorded = p.shutdown(Duration.ofMillis(50));

    assertThat(unrecorded).isZero();
    assertThat(redis).queue("q").hasNoActive().task(id).isInState("pending");
    assertThat(p.processor.active()).isEmpty();
  }

  @Test
  void aHandlerThatStopsByThrowingAtShutdownIsRequeuedNotFailed() throws Exception {
    String id = q.pending("t", "x");
    ProcessorFixture p =
        start(
            1,
            recording(
                ctx -> {
                  Eventually.until("asked to stop", ctx::isCancelled);
                  throw new IllegalStateException("stopping");
                }));
    Eventually.until("running", () -> ran.size() == 1);

    p.shutdown(Duration.ofSeconds(5));

    assertThat(redis).queue("q").hasNoActive().hasNoRetry().task(id).isInState("pending");
    assertThat(message(id).getRetried()).isZero();
    assertThat(redis.get("asynq:{q}:failed")).isNull();
  }
}

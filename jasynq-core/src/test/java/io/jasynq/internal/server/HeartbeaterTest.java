package io.jasynq.internal.server;

import static io.jasynq.testkit.RedisAssertions.assertThat;
import static org.assertj.core.api.Assertions.assertThat;

import io.jasynq.ServerConfig;
import io.jasynq.internal.broker.Broker;
import io.jasynq.internal.broker.proto.ServerInfo;
import io.jasynq.internal.broker.proto.WorkerInfo;
import io.jasynq.internal.runtime.ProcessIdentity;
import io.jasynq.testkit.Eventually;
import io.jasynq.testkit.FakeClock;
import io.jasynq.testkit.Seed;
import io.jasynq.testkit.TestRedis;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * One heartbeat at a time (wire-format §4.8): leases of running tasks extended, a lease that ran
 * out locally cancelled, and the server and worker state written where the Inspector and asynqmon
 * read it. The tasks run on a real processor; the beat's time is the test's.
 */
@ServerPartTest
class HeartbeaterTest {
  private static final Instant T0 = ServerPartFixture.T0;
  private static final ProcessIdentity ME = new ProcessIdentity("host-a", 42, "sid-1");
  private static final String SERVER_KEY = "asynq:servers:{host-a:42:sid-1}";
  private static final String WORKERS_KEY = "asynq:workers:{host-a:42:sid-1}";

  private final TestRedis redis;
  private final FakeClock clock;
  private final Seed.Queue q;
  private final Broker broker;
  private final ServerConfig config;
  private final CountDownLatch release = new CountDownLatch(1);
  private ProcessorFixture fixture;

  HeartbeaterTest(TestRedis redis, ServerPartFixture parts) {
    this.redis = redis;
    this.clock = parts.clock;
    this.q = Seed.into(redis, clock).queue("q");
    this.broker = parts.broker;
    this.config =
        ServerConfig.builder()
            .queue("q", 3)
            .concurrency(4)
            .clock(clock)
            .taskCheckInterval(Duration.ofMillis(20))
            .heartbeatInterval(Duration.ofSeconds(5))
            .build();
  }

  @AfterEach
  void close() {
    release.countDown();
    if (fixture != null) {
      fixture.close();
    }
  }

  private Heartbeater heartbeater(io.jasynq.Handler handler, boolean start) {
    fixture = new ProcessorFixture(broker, config, handler);
    if (start) {
      fixture.start();
    }
    return new Heartbeater(broker, ME, config, fixture.processor, () -> "active", T0);
  }

  @Test
  void extendsLeasesOfActiveTasksAndWritesServerAndWorkerState() throws Exception {
    String id = q.pending("email", "hi");
    Heartbeater beat = heartbeater(ctx -> release.await(), true);
    Eventually.until("running", () -> fixture.processor.active().size() == 1);
    assertThat(redis)
        .queue("q")
        .task(id)
        .isInState("active")
        .hasScore("active", T0.plusSeconds(30));

    Instant now = T0.plusSeconds(10);
    beat.runOnce(now);

    assertThat(redis)
        .queue("q")
        .task(id)
        .isInState("active")
        .hasScore("active", now.plusSeconds(30));
    assertThat(redis.zrangeWithScores("asynq:servers"))
        .containsExactly(Map.entry(SERVER_KEY, (double) now.plusSeconds(10).getEpochSecond()));
    ServerInfo info = ServerInfo.parseFrom(redis.getBytes(SERVER_KEY));
    assertThat(info.getHost()).isEqualTo("host-a");
    assertThat(info.getPid()).isEqualTo(42);
    assertThat(info.getServerId()).isEqualTo("sid-1");
    assertThat(info.getConcurrency()).isEqualTo(4);
    assertThat(info.getQueuesMap()).containsExactly(Map.entry("q", 3));
    assertThat(info.getStatus()).isEqualTo("active");
    assertThat(info.getStartTime().getSeconds()).isEqualTo(T0.getEpochSecond());
    assertThat(info.getActiveWorkerCount()).isEqualTo(1);
    assertThat(redis.ttl(SERVER_KEY)).isBetween(1L, 10L);
    WorkerInfo worker = WorkerInfo.parseFrom(redis.hgetAll(WORKERS_KEY).get(id));
    assertThat(worker.getTaskId()).isEqualTo(id);
    assertThat(worker.getTaskType()).isEqualTo("email");
    assertThat(worker.getTaskPayload().toStringUtf8()).isEqualTo("hi");
    assertThat(worker.getQueue()).isEqualTo("q");
    assertThat(worker.getServerId()).isEqualTo("sid-1");
  }

  @Test
  void anIdleServerIsWrittenWithNoWorkersAndClearRemovesIt() throws Exception {
    Heartbeater beat = heartbeater(ctx -> {}, false);

    beat.runOnce(T0);

    assertThat(ServerInfo.parseFrom(redis.getBytes(SERVER_KEY)).getActiveWorkerCount()).isZero();
    assertThat(redis.keys(WORKERS_KEY)).isEmpty();
    assertThat(beat.ttl()).isEqualTo(Duration.ofSeconds(10));

    beat.clear(Duration.ofSeconds(5));

    assertThat(redis.keys(SERVER_KEY)).isEmpty();
    assertThat(redis.zrangeWithScores("asynq:servers")).isEmpty();
  }

  @Test
  void cancelsATaskWhoseLeaseRanOutLocallyAndLeavesItToTheRecoverer() {
    String id = q.pending("t", "x");
    AtomicBoolean cancelled = new AtomicBoolean();
    CountDownLatch started = new CountDownLatch(1);
    Heartbeater beat =
        heartbeater(
            ctx -> {
              started.countDown();
              try {
                release.await();
              } catch (InterruptedException e) { // the cancellation interrupts the worker
                cancelled.set(ctx.isCancelled());
                throw e;
              }
            },
            true);
    Eventually.until("running", () -> started.getCount() == 0);

    beat.runOnce(T0.plus(Processor.LEASE));

    Eventually.until("handler cancelled", cancelled::get);
    Eventually.until("no longer running", () -> fixture.processor.active().isEmpty());
    assertThat(redis)
        .queue("q")
        .task(id)
        .isInState("active")
        .hasScore("active", T0.plus(Processor.LEASE));
  }
}

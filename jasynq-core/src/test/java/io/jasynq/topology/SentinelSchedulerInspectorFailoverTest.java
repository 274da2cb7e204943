package io.jasynq.topology;

import static org.assertj.core.api.Assertions.assertThat;

import io.jasynq.Client;
import io.jasynq.CronTicks;
import io.jasynq.Inspector;
import io.jasynq.JasynqException;
import io.jasynq.Page;
import io.jasynq.Scheduler;
import io.jasynq.Server;
import io.jasynq.ServerConfig;
import io.jasynq.Task;
import io.jasynq.TaskOption;
import io.jasynq.TaskState;
import io.jasynq.testkit.Eventually;
import io.jasynq.testkit.FakeClock;
import io.jasynq.testkit.Leaks;
import io.jasynq.testkit.RedisSentinel;
import io.jasynq.testkit.RedisServer;
import io.jasynq.testkit.TestRedis;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Two running Schedulers, an Inspector and (for a killed master) a Server with a health listener,
 * all built before a Sentinel failover, go on without a restart: ticks fired after the failover
 * land on the new master, the entries are rewritten there and read back by the same Inspector,
 * Inspector writes go to the new master and not to the old one, calls in flight during the failover
 * recover or fail with a {@link JasynqException}, and the health listener reports down then up.
 *
 * <p>Measured and printed: for each tick, how many schedulers had an enqueue acknowledged and how
 * many of those tasks survive on the new master. A tick is asserted never to exist twice in Redis
 * (its fire record and its task are written by one script, so replication keeps or loses them
 * together); two acknowledgements of one tick, one of them lost with the old master, are reported.
 * Each case starts its own topology (Sentinel refuses a second failover for 10 s).
 */
@Tag("topology")
class SentinelSchedulerInspectorFailoverTest {
  private static final String QUEUE = "cron";
  private static final String SIDE = "side";

  enum Kind {
    SENTINEL_FAILOVER,
    KILL_MASTER
  }

  @ParameterizedTest
  @EnumSource(Kind.class)
  void schedulersAndInspectorFollowTheNewMaster(Kind kind) throws Exception {
    Set<Thread> threads = Leaks.jasynqThreads();
    try (RedisSentinel sentinel = RedisSentinel.start()) {
      run(sentinel, kind);
    }
    Leaks.awaitNoNewJasynqThreads(threads, Duration.ofSeconds(10));
  }

  private void run(RedisSentinel sentinel, Kind kind) throws Exception {
    FakeClock clock = FakeClock.at("2026-01-05T10:00:30Z");
    List<String> health = new CopyOnWriteArrayList<>();
    ServerConfig serverConfig =
        ServerConfig.builder()
            .queue("unused", 1) // the server is here for its health listener only
            .healthCheckInterval(Duration.ofMillis(200))
            .healthListener((up, error) -> health.add(up ? "up" : "down"))
            .build();
    try (CronTicks ticks = new CronTicks(sentinel.uri(), clock, 2, QUEUE);
        Inspector inspector = Inspector.builder().uri(sentinel.uri()).clock(clock).build();
        Server server =
            kind == Kind.KILL_MASTER ? Server.connect(sentinel.uri(), serverConfig) : null) {
      if (server != null) {
        server.start(ctx -> {});
        Eventually.until(Duration.ofSeconds(30), "health reported up", () -> health.contains("up"));
      }
      List<Instant> before = new ArrayList<>();
      for (int i = 0; i < 3; i++) {
        before.add(ticks.tick());
      }
      assertThat(inspector.queueInfo(QUEUE).pending()).isEqualTo(3);
      try (Client client = Client.connect(sentinel.uri())) {
        for (int i = 0; i < 3; i++) {
          client.enqueue(Task.of("later"), TaskOption.queue(SIDE), TaskOption.processIn(hour()));
        }
      }

      // While the failover runs: the ticker keeps firing ticks, and inspector calls keep going.
      AtomicBoolean failingOver = new AtomicBoolean(true);
      List<Instant> during = new CopyOnWriteArrayList<>();
      AtomicReference<Throwable> tickerFailure = new AtomicReference<>();
      Thread ticker =
          new Thread(
              () -> {
                try {
                  while (failingOver.get()) {
                    during.add(ticks.tick());
                  }
                } catch (Throwable t) {
                  tickerFailure.set(t);
                }
              },
              "failover-test-ticker");
      CallsDuringFailover inspectorCalls =
          new CallsDuringFailover(
              () -> {
                inspector.queueInfo(QUEUE);
                inspector.listTasks(SIDE, TaskState.SCHEDULED, Page.first());
              },
              Integer.MAX_VALUE,
              Duration.ZERO);
      RedisServer oldMaster = sentinel.master();
      ticker.start();
      inspectorCalls.start();
      long start = System.nanoTime();
      RedisServer newMaster =
          kind == Kind.SENTINEL_FAILOVER ? sentinel.failover() : sentinel.killMaster();
      long failoverMillis = (System.nanoTime() - start) / 1_000_000;
      failingOver.set(false);
      inspectorCalls.stop(Duration.ofSeconds(30));
      ticker.join(Duration.ofSeconds(70).toMillis());
      assertThat(tickerFailure.get()).isNull();
      inspectorCalls.assertOnlyOkOrJasynqExceptionsNamingTheCall();

      try (TestRedis newNode = TestRedis.connect(newMaster.uri());
          TestRedis oldNode =
              kind == Kind.SENTINEL_FAILOVER ? TestRedis.connect(oldMaster.uri()) : null) {
        // The Inspector built before the failover writes to the new master, the old one (not yet
        // demoted by the sentinels) gets nothing.
        inspector.pauseQueue(QUEUE);
        assertThat(inspector.runAll(SIDE, TaskState.SCHEDULED)).isEqualTo(3);
        Instant firstAfter = ticks.tick();
        assertThat(newNode.commands().exists("asynq:{" + QUEUE + "}:paused")).isEqualTo(1);
        assertThat(newNode.commands().llen("asynq:{" + SIDE + "}:pending")).isEqualTo(3);
        assertThat(ticks.acknowledged(firstAfter)).hasSize(1);
        String afterId = ticks.acknowledged(firstAfter).get(0);
        assertThat(newNode.commands().exists("asynq:{" + QUEUE + "}:t:" + afterId)).isEqualTo(1);
        if (oldNode != null) {
          boolean pausedOnOld = oldNode.commands().exists("asynq:{" + QUEUE + "}:paused") == 1;
          long sideOnOld = oldNode.commands().llen("asynq:{" + SIDE + "}:pending");
          boolean tickOnOld = oldNode.commands().exists("asynq:{" + QUEUE + "}:t:" + afterId) == 1;
          if (FailoverChecks.role(oldNode)
              .equals("master")) { // else it re-synced from the new master meanwhile
            assertThat(pausedOnOld).as("pause written to the old master").isFalse();
            assertThat(sideOnOld).as("runAll applied on the old master").isZero();
            assertThat(tickOnOld).as("tick enqueued on the old master").isFalse();
          }
        }

        List<Instant> after = new ArrayList<>(List.of(firstAfter));
        for (int i = 0; i < 3; i++) {
          after.add(ticks.tick());
        }
        for (Instant t : after) {
          assertThat(ticks.acknowledged(t)).as("tick %s", t).hasSize(1);
          assertThat(
                  newNode
                      .commands()
                      .exists("asynq:{" + QUEUE + "}:t:" + ticks.acknowledged(t).get(0)))
              .isEqualTo(1);
        }
        // Every scheduler heartbeats on the new master: the Inspector built before the failover
        // lists both entries with the last tick as their previous enqueue.
        Instant last = after.get(after.size() - 1).truncatedTo(ChronoUnit.MINUTES); // the tick
        FailoverChecks.awaitBothEntriesEnqueuedAtOrAfter(inspector, last, Duration.ofSeconds(30));
        for (Scheduler s : ticks.schedulers()) {
          assertThat(newNode.commands().exists("asynq:schedulers:{" + s.schedulerId() + "}"))
              .isEqualTo(1);
        }
        assertThat(inspector.queueInfo(QUEUE).paused()).isTrue();
        assertThat(inspector.queueInfo(QUEUE).pending())
            .isEqualTo(newNode.commands().llen("asynq:{" + QUEUE + "}:pending"));

        // Exactly once across the two schedulers: no tick exists twice on the new master.
        Map<String, String> figures = new TreeMap<>();
        int twiceAcked = 0;
        int lostAcks = 0;
        int missedTicks = 0;
        List<Instant> all = new ArrayList<>(before);
        all.addAll(during);
        all.addAll(after);
        for (Instant t : all) {
          List<String> acked = ticks.acknowledged(t);
          long surviving =
              acked.stream()
                  .filter(id -> newNode.commands().exists("asynq:{" + QUEUE + "}:t:" + id) == 1)
                  .count();
          assertThat(surviving).as("tasks of tick %s on the new master", t).isLessThanOrEqualTo(1);
          twiceAcked += acked.size() > 1 ? 1 : 0;
          lostAcks += acked.size() - surviving;
          missedTicks += acked.isEmpty() ? 1 : 0;
          if (acked.size() != 1 || surviving != 1) {
            figures.put(
                t.toString(),
                "acked " + acked.size() + ", surviving " + surviving + ", " + ticks.outcomes(t));
          }
        }
        System.out.printf(
            "SCHEDULER FAILOVER %s: failover %d ms, ticks %d (during the failover %d), ticks"
                + " acknowledged twice %d, acknowledged but lost %d, ticks not enqueued %d,"
                + " pending on new master %d, inspector calls during the failover %s %s, health %s,"
                + " unusual ticks %s%n",
            kind,
            failoverMillis,
            all.size(),
            during.size(),
            twiceAcked,
            lostAcks,
            missedTicks,
            newNode.commands().llen("asynq:{" + QUEUE + "}:pending"),
            new TreeMap<>(inspectorCalls.outcomes()),
            inspectorCalls.errors().stream().limit(3).toList(),
            health,
            figures);
        assertThat(inspectorCalls.outcomes().get("ok"))
            .as("inspector calls that worked")
            .isNotNull();
      }
      if (server != null) {
        // The health listener saw the master go and the new one come.
        Eventually.until(
            Duration.ofSeconds(30),
            "health reported down, then up",
            () -> health.contains("down") && health.get(health.size() - 1).equals("up"));
        assertThat(health.indexOf("down")).isGreaterThan(health.indexOf("up"));
      }
    }
  }

  private static Duration hour() {
    return Duration.ofHours(1);
  }
}

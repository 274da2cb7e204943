package io.jasynq;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.jasynq.internal.broker.proto.SchedulerEnqueueEvent;
import io.jasynq.internal.broker.proto.SchedulerEntry;
import io.jasynq.redis.RedisConnector;
import io.jasynq.support.LogCapture;
import io.jasynq.testkit.Eventually;
import io.jasynq.testkit.FakeClock;
import io.jasynq.testkit.RedisServer;
import io.jasynq.testkit.RedisTest;
import io.jasynq.testkit.TestRedis;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/**
 * The Scheduler against a real Redis: entries and history as Asynq readers expect them (wire-format
 * §3.20, §7.1), firing on a fake clock, missed ticks, callbacks, lifecycle, and several schedulers
 * enqueuing each tick once.
 */
@RedisTest
class SchedulerTest {
  private static final long ZERO_TIME = -62135596800L;

  private final RedisServer server;
  private final TestRedis redis;

  SchedulerTest(RedisServer server, TestRedis redis) {
    this.server = server;
    this.redis = redis;
  }

  private Scheduler scheduler(FakeClock clock) {
    return scheduler(SchedulerConfig.builder().clock(clock).build());
  }

  private Scheduler scheduler(SchedulerConfig config) {
    return Scheduler.connect(server.uri(), config);
  }

  private List<SchedulerEntry> entries(Scheduler s) throws Exception {
    List<SchedulerEntry> out = new ArrayList<>();
    for (byte[] b : redis.commands().lrange(entriesKey(s), 0, -1)) {
      out.add(SchedulerEntry.parseFrom(b));
    }
    return out;
  }

  private static String entriesKey(Scheduler s) {
    return "asynq:schedulers:{" + s.schedulerId() + "}";
  }

  private List<SchedulerEnqueueEvent> history(String entryId) throws Exception {
    List<SchedulerEnqueueEvent> out = new ArrayList<>();
    for (byte[] b : redis.commands().zrange("asynq:scheduler_history:" + entryId, 0, -1)) {
      out.add(SchedulerEnqueueEvent.parseFrom(b));
    }
    return out;
  }

  private long pending(String queue) {
    return redis.commands().llen("asynq:{" + queue + "}:pending");
  }

  @Test
  void writesEntriesAtStartAsAsynqDoes() throws Exception {
    FakeClock clock = FakeClock.at("2026-01-05T10:00:30Z"); // a Monday
    try (Scheduler s = scheduler(clock)) {
      String a =
          s.register(
              "*/5 * * * *",
              Task.of("stats:refresh", "{\"x\":1}"),
              TaskOption.queue("low"),
              TaskOption.timeout(Duration.ofMinutes(2)));
      String b =
          s.register(
              "CRON_TZ=America/New_York 0 9 * * MON-FRI",
              Task.builder("report:daily").options(TaskOption.maxRetry(3)).build());
      s.start();
      Eventually.until(
          Duration.ofSeconds(30),
          "entries written",
          () -> redis.commands().exists(entriesKey(s)) == 1);

      List<SchedulerEntry> entries = entries(s); // LPUSH: the last entry comes first
      assertThat(entries).extracting(SchedulerEntry::getId).containsExactly(b, a);
      SchedulerEntry ea = entries.get(1);
      assertThat(ea.getSpec()).isEqualTo("*/5 * * * *");
      assertThat(ea.getTaskType()).isEqualTo("stats:refresh");
      assertThat(ea.getTaskPayload().toStringUtf8()).isEqualTo("{\"x\":1}");
      assertThat(ea.getEnqueueOptionsList()).containsExactly("Queue(\"low\")", "Timeout(2m0s)");
      assertThat(ea.getNextEnqueueTime().getSeconds())
          .isEqualTo(Instant.parse("2026-01-05T10:05:00Z").getEpochSecond());
      assertThat(ea.getPrevEnqueueTime().getSeconds()).isEqualTo(ZERO_TIME);
      SchedulerEntry eb = entries.get(0);
      assertThat(eb.getTaskPayload().isEmpty()).isTrue();
      assertThat(eb.getEnqueueOptionsList()).containsExactly("MaxRetry(3)"); // the task's own
      assertThat(eb.getNextEnqueueTime().getSeconds())
          .isEqualTo(Instant.parse("2026-01-05T14:00:00Z").getEpochSecond()); // 09:00 EST

      assertThat(redis.ttl(entriesKey(s))).isBetween(1L, 20L); // 2 x the 10 s heartbeat
      assertThat(redis.zrangeWithScores("asynq:schedulers").get(entriesKey(s)))
          .isEqualTo((double) (clock.now().getEpochSecond() + 20));
    }
    assertThat(redis.keys("asynq:schedulers*")).isEmpty(); // cleared at close
  }

  @Test
  void enqueuesEachTickAndRecordsItInTheHistory() throws Exception {
    FakeClock clock = FakeClock.at("2026-01-05T10:00:30Z");
    try (Scheduler s = scheduler(clock)) {
      String id = s.register("* * * * *", Task.of("tick", "p"), TaskOption.queue("cron"));
      s.runOnce(clock.now()); // schedules the entry: next 10:01:00
      assertThat(pending("cron")).isZero();

      clock.advance(Duration.ofSeconds(30));
      s.runOnce(clock.now());
      s.runOnce(clock.now()); // the same tick again: nothing
      assertThat(pending("cron")).isEqualTo(1);
      clock.advance(Duration.ofSeconds(59));
      s.runOnce(clock.now());
      assertThat(pending("cron")).isEqualTo(1);
      clock.advance(Duration.ofSeconds(1));
      s.runOnce(clock.now());
      assertThat(pending("cron")).isEqualTo(2);

      List<SchedulerEnqueueEvent> events = history(id);
      assertThat(events).hasSize(2);
      List<String> ids = redis.lrange("asynq:{cron}:pending");
      assertThat(events).extracting(SchedulerEnqueueEvent::getTaskId).hasSameElementsAs(ids);
      assertThat(events.get(1).getEnqueueTime().getSeconds())
          .isEqualTo(clock.now().getEpochSecond());
      assertThat(redis.ttl("asynq:scheduler_history:" + id)).isPositive(); // jasynq: it expires

      s.beat(clock.now());
      SchedulerEntry e = entries(s).get(0);
      assertThat(e.getPrevEnqueueTime().getSeconds())
          .isEqualTo(Instant.parse("2026-01-05T10:02:00Z").getEpochSecond());
      assertThat(e.getNextEnqueueTime().getSeconds())
          .isEqualTo(Instant.parse("2026-01-05T10:03:00Z").getEpochSecond());
    }
    assertThat(redis.keys("asynq:scheduler_history:*")).isEmpty(); // cleared at close
  }

  @Test
  void afterAPauseEnqueuesOnceForTheLatestTick() throws Exception {
    FakeClock clock = FakeClock.at("2026-01-05T10:00:30Z");
    try (Scheduler s = scheduler(clock)) {
      s.register("* * * * *", Task.of("tick"), TaskOption.queue("cron"));
      s.runOnce(clock.now());
      clock.advance(Duration.ofMinutes(5)); // 10:05:30: ticks 10:01 … 10:05 are due
      s.runOnce(clock.now());
      assertThat(pending("cron")).isEqualTo(1);
      s.beat(clock.now());
      SchedulerEntry e = entries(s).get(0);
      assertThat(e.getPrevEnqueueTime().getSeconds())
          .isEqualTo(Instant.parse("2026-01-05T10:05:00Z").getEpochSecond());
      assertThat(e.getNextEnqueueTime().getSeconds())
          .isEqualTo(Instant.parse("2026-01-05T10:06:00Z").getEpochSecond());
    }
  }

  @Test
  void historyKeepsTheNewest1000Events() throws Exception {
    FakeClock clock = FakeClock.at("2026-01-05T10:00:00Z");
    try (Scheduler s = scheduler(clock)) {
      String id = s.register("@every 1s", Task.of("tick"), TaskOption.queue("cron"));
      s.runOnce(clock.now());
      for (int i = 0; i < 1005; i++) {
        clock.advance(Duration.ofSeconds(1));
        s.runOnce(clock.now());
      }
      assertThat(pending("cron")).isEqualTo(1005);
      String key = "asynq:scheduler_history:" + id;
      assertThat(redis.commands().zcard(key)).isEqualTo(1000);
      // The oldest kept is the 6th tick; the newest is the last.
      List<SchedulerEnqueueEvent> events = history(id);
      assertThat(events.get(0).getEnqueueTime().getSeconds())
          .isEqualTo(Instant.parse("2026-01-05T10:00:06Z").getEpochSecond());
      assertThat(events.get(999).getEnqueueTime().getSeconds())
          .isEqualTo(clock.now().getEpochSecond());
    }
  }

  /**
   * The multi-instance guarantee: three schedulers with the same entry, their passes run at once
   * from three threads for every tick, enqueue each tick exactly once.
   */
  @Test
  void threeSchedulersEnqueueEachTickOnce() throws Exception {
    FakeClock clock = FakeClock.at("2026-01-05T10:00:30Z");
    int ticks = 300;
    List<Scheduler> schedulers = new ArrayList<>();
    ExecutorService pool = Executors.newFixedThreadPool(3);
    try {
      List<String> ids = new ArrayList<>();
      for (int i = 0; i < 3; i++) {
        Scheduler s = scheduler(clock);
        schedulers.add(s);
        ids.add(s.register("* * * * *", Task.of("report", "{}"), TaskOption.queue("cron")));
        s.runOnce(clock.now());
      }
      for (int t = 0; t < ticks; t++) {
        clock.advance(Duration.ofMinutes(1));
        Instant now = clock.now();
        List<Future<?>> passes = new ArrayList<>();
        for (Scheduler s : schedulers) {
          passes.add(pool.submit(() -> s.runOnce(now)));
        }
        for (Future<?> f : passes) {
          f.get(60, TimeUnit.SECONDS);
        }
      }
      assertThat(pending("cron")).isEqualTo(ticks);
      long recorded = 0;
      List<Integer> perScheduler = new ArrayList<>();
      for (String id : ids) {
        int n = history(id).size();
        perScheduler.add(n);
        recorded += n;
      }
      assertThat(recorded).isEqualTo(ticks); // each tick in exactly one history
      System.out.println(
          "three schedulers, " + ticks + " ticks: " + pending("cron") + " tasks, " + perScheduler);
    } finally {
      pool.shutdownNow();
      schedulers.forEach(Scheduler::close);
    }
  }

  /**
   * {@code @every} ticks count from each scheduler's start, so they are not aligned across
   * schedulers: a tick is enqueued only a whole delay after the last one any scheduler enqueued.
   * When the first scheduler stops, the second takes over within two delays.
   */
  @Test
  @SuppressWarnings("try") // closes one scheduler early on purpose
  void everyEntriesOfSchedulersStartedAtDifferentTimesEnqueueOncePerDelay() {
    FakeClock clock = FakeClock.at("2026-01-05T10:00:00Z");
    Instant start = clock.now();
    try (Scheduler a = scheduler(clock);
        Scheduler b = scheduler(clock)) {
      a.register("@every 10s", Task.of("poll"), TaskOption.queue("every"));
      a.runOnce(clock.now()); // a's ticks: 10 s, 20 s, ...
      clock.advance(Duration.ofSeconds(5));
      b.register("@every 10s", Task.of("poll"), TaskOption.queue("every"));
      b.runOnce(clock.now()); // b's ticks: 15 s, 25 s, ...
      while (clock.now().isBefore(start.plusSeconds(100))) {
        clock.advance(Duration.ofSeconds(1));
        if (!a.isClosed()) {
          a.runOnce(clock.now());
        }
        b.runOnce(clock.now());
        if (clock.now().equals(start.plusSeconds(50))) {
          a.close(); // a stops after its 50 s tick
        }
      }
      assertThat(pending("every")).isEqualTo(5 + 4); // a: 10..50 s; b: 65, 75, 85, 95 s
    }
  }

  /** Scheduled and grouped periodic tasks go through the same once-only step. */
  @Test
  void scheduledAndGroupedTicksAreAlsoEnqueuedOnce() throws Exception {
    FakeClock clock = FakeClock.at("2026-01-05T10:00:30Z");
    try (Scheduler a = scheduler(clock);
        Scheduler b = scheduler(clock)) {
      for (Scheduler s : List.of(a, b)) {
        s.register(
            "* * * * *",
            Task.of("later"),
            TaskOption.queue("cron"),
            TaskOption.processIn(Duration.ofHours(1)));
        s.register(
            "* * * * *", Task.of("grouped"), TaskOption.queue("cron"), TaskOption.group("g"));
        s.runOnce(clock.now());
      }
      for (int t = 0; t < 3; t++) {
        clock.advance(Duration.ofMinutes(1));
        a.runOnce(clock.now());
        b.runOnce(clock.now());
      }
      assertThat(redis.commands().zcard("asynq:{cron}:scheduled")).isEqualTo(3);
      assertThat(redis.commands().zcard("asynq:{cron}:g:g")).isEqualTo(3);
      assertThat(redis.smembers("asynq:{cron}:groups")).containsExactly("g");
    }
  }

  /** The same with started schedulers: their own loop threads race on a shared fake clock. */
  @Test
  void threeRunningSchedulersEnqueueEachTickOnce() throws Exception {
    FakeClock clock = FakeClock.at("2026-01-05T10:00:30Z");
    int ticks = 20;
    List<Scheduler> schedulers = new ArrayList<>();
    List<AtomicInteger> attempts = new ArrayList<>();
    try {
      for (int i = 0; i < 3; i++) {
        AtomicInteger n = new AtomicInteger();
        attempts.add(n);
        Scheduler s =
            scheduler(
                SchedulerConfig.builder()
                    .clock(clock)
                    .preEnqueue((task, options) -> n.incrementAndGet())
                    .build());
        schedulers.add(s);
        s.register("*/2 * * * *", Task.of("report"), TaskOption.queue("cron"));
        s.start();
      }
      for (int t = 1; t <= ticks; t++) {
        clock.advance(Duration.ofMinutes(2));
        int tick = t;
        Eventually.until(
            Duration.ofSeconds(60),
            "every scheduler tried tick " + t,
            () -> attempts.stream().allMatch(a -> a.get() == tick));
        assertThat(pending("cron")).isEqualTo(t);
      }
    } finally {
      schedulers.forEach(Scheduler::close); // waits for passes under way
    }
    assertThat(pending("cron")).isEqualTo(ticks);
  }

  /**
   * A tick Redis did not take (unreachable, failing over) stays due: the next pass tries it again,
   * so an outage shorter than the period does not lose it, and it is still enqueued once.
   */
  @Test
  void aTickRedisDidNotTakeIsTriedAgainByTheNextPass() {
    FakeClock clock = FakeClock.at("2026-01-05T10:00:30Z");
    List<String> outcomes = new CopyOnWriteArrayList<>();
    SchedulerConfig config =
        SchedulerConfig.builder()
            .clock(clock)
            .postEnqueue((info, error) -> outcomes.add(error == null ? "ok" : "error"))
            .build();
    try (RedisServer own = RedisServer.start();
        RedisConnector connector =
            RedisConnector.builder().uri(own.uri()).commandTimeout(Duration.ofMillis(500)).build();
        Scheduler s = Scheduler.create(connector, config)) {
      s.register("* * * * *", Task.of("report"), TaskOption.queue("cron"));
      s.runOnce(clock.now()); // schedules the entry: next 10:01:00
      own.stop();
      clock.advance(Duration.ofMinutes(1));
      s.runOnce(clock.now()); // 10:01 is due, Redis is down
      assertThat(outcomes).containsExactly("error");
      own.restart();
      Eventually.until(
          Duration.ofSeconds(30),
          "the tick enqueued by a later pass",
          () -> {
            s.runOnce(clock.now());
            return outcomes.contains("ok");
          });
      s.runOnce(clock.now()); // enqueued: nothing is due any more
      try (TestRedis r = TestRedis.connect(own.uri())) {
        assertThat(r.commands().llen("asynq:{cron}:pending")).isEqualTo(1);
        clock.advance(Duration.ofMinutes(1));
        s.runOnce(clock.now());
        assertThat(r.commands().llen("asynq:{cron}:pending")).isEqualTo(2);
      }
      assertThat(outcomes.stream().filter("ok"::equals)).hasSize(2);
      assertThat(outcomes.get(outcomes.size() - 1)).isEqualTo("ok");
    }
  }

  @Test
  void daylightSavingTransitionsInTheSchedulersZone() {
    FakeClock clock = FakeClock.at("2026-03-07T00:00:00Z");
    SchedulerConfig ny =
        SchedulerConfig.builder().clock(clock).location(ZoneId.of("America/New_York")).build();
    List<Instant> enqueuedAt = new CopyOnWriteArrayList<>();
    try (Scheduler s =
        scheduler(ny.toBuilder().postEnqueue((info, e) -> enqueuedAt.add(clock.now())).build())) {
      s.register("30 2 * * *", Task.of("spring"), TaskOption.queue("dst"));
      s.register("30 1 * * *", Task.of("fall"), TaskOption.queue("dst"));
      s.runOnce(clock.now());
      stepUntil(s, clock, Instant.parse("2026-03-10T00:00:00Z"));
      // 02:30 on the 7th and 9th; none on the 8th (no 02:30 then); 01:30 on the 7th, 8th, 9th.
      assertThat(enqueuedAt)
          .containsExactly(
              Instant.parse("2026-03-07T06:30:00Z"),
              Instant.parse("2026-03-07T07:30:00Z"),
              Instant.parse("2026-03-08T06:30:00Z"),
              Instant.parse("2026-03-09T05:30:00Z"),
              Instant.parse("2026-03-09T06:30:00Z"));
      enqueuedAt.clear();
      clock.advance(Duration.between(clock.now(), Instant.parse("2026-10-31T12:00:00Z")));
      s.runOnce(clock.now()); // a pause: the latest due ticks fire once
      enqueuedAt.clear();
      stepUntil(s, clock, Instant.parse("2026-11-02T00:00:00Z"));
      // 01:30 happens twice on Nov 1 (EDT, then EST) and fires twice, as in Go.
      assertThat(enqueuedAt)
          .containsExactly(
              Instant.parse("2026-11-01T05:30:00Z"),
              Instant.parse("2026-11-01T06:30:00Z"),
              Instant.parse("2026-11-01T07:30:00Z"));
    }
  }

  /** Runs a pass every 5 fake minutes until {@code end}. */
  private static void stepUntil(Scheduler s, FakeClock clock, Instant end) {
    while (clock.now().isBefore(end)) {
      clock.advance(Duration.ofMinutes(5));
      s.runOnce(clock.now());
    }
  }

  @Test
  void missedTicksAreSkippedByDefaultOrFiredOnceOnRequest() throws Exception {
    FakeClock clock = FakeClock.at("2026-01-05T10:00:30Z");
    Task task = Task.of("hourly");
    try (Scheduler first = scheduler(clock)) {
      first.register("0 * * * *", task, TaskOption.queue("cron"));
      first.runOnce(clock.now());
      clock.advance(Duration.ofMinutes(60)); // 11:00:30
      first.runOnce(clock.now());
    }
    assertThat(pending("cron")).isEqualTo(1);
    clock.advance(Duration.ofHours(3)); // 14:00:30: 12:00, 13:00 and 14:00 were missed

    try (Scheduler skip = scheduler(clock)) {
      skip.register("0 * * * *", task, TaskOption.queue("cron"));
      skip.runOnce(clock.now());
      skip.runOnce(clock.now());
      assertThat(pending("cron")).isEqualTo(1);
    }
    SchedulerConfig fireOnce =
        SchedulerConfig.builder()
            .clock(clock)
            .missedTickPolicy(SchedulerConfig.MissedTickPolicy.FIRE_ONCE)
            .build();
    try (Scheduler catchUp = scheduler(fireOnce);
        Scheduler second = scheduler(fireOnce)) {
      catchUp.register("0 * * * *", task, TaskOption.queue("cron"));
      second.register("0 * * * *", task, TaskOption.queue("cron"));
      catchUp.runOnce(clock.now()); // finds the missed 14:00 due
      second.runOnce(clock.now());
      catchUp.runOnce(clock.now());
      second.runOnce(clock.now());
      assertThat(pending("cron")).isEqualTo(2); // 11:00, then 14:00 once
      catchUp.beat(clock.now());
      assertThat(entries(catchUp).get(0).getPrevEnqueueTime().getSeconds())
          .isEqualTo(Instant.parse("2026-01-05T14:00:00Z").getEpochSecond());
    }
  }

  @Test
  void callbacksSeeEveryEnqueueAndItsOutcome() {
    FakeClock clock = FakeClock.at("2026-01-05T10:00:30Z");
    List<String> seen = new CopyOnWriteArrayList<>();
    SchedulerConfig config =
        SchedulerConfig.builder()
            .clock(clock)
            .preEnqueue((task, options) -> seen.add("pre " + task.type() + " " + options))
            .postEnqueue(
                (info, error) ->
                    seen.add(
                        error == null
                            ? "post " + info.queue() + " " + info.state()
                            : "error " + error.getClass().getSimpleName()))
            .build();
    try (Scheduler s = scheduler(config)) {
      s.register("* * * * *", Task.of("once"), TaskOption.unique(Duration.ofHours(1)));
      s.runOnce(clock.now());
      clock.advance(Duration.ofMinutes(1));
      s.runOnce(clock.now());
      clock.advance(Duration.ofMinutes(1));
      s.runOnce(clock.now()); // the unique lock is still held
    }
    assertThat(seen)
        .containsExactly(
            "pre once [Unique(PT1H)]",
            "post default PENDING",
            "pre once [Unique(PT1H)]",
            "error DuplicateTaskException");
  }

  @Test
  void unregisteredEntryStopsAndLeavesRedis() throws Exception {
    FakeClock clock = FakeClock.at("2026-01-05T10:00:30Z");
    try (Scheduler s = scheduler(clock)) {
      String keep = s.register("* * * * *", Task.of("keep"), TaskOption.queue("cron"));
      String drop = s.register("* * * * *", Task.of("drop"), TaskOption.queue("cron"));
      s.runOnce(clock.now());
      s.unregister(drop);
      assertThat(s.entryIds()).containsExactly(keep);
      assertThatThrownBy(() -> s.unregister(drop))
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessage("no scheduler entry with ID \"" + drop + "\"");
      clock.advance(Duration.ofMinutes(1));
      s.runOnce(clock.now());
      s.beat(clock.now());
      assertThat(pending("cron")).isEqualTo(1);
      assertThat(entries(s)).extracting(SchedulerEntry::getId).containsExactly(keep);
    }
  }

  @Test
  void invalidRegistrationsAreRejectedWithTheReason() {
    try (Scheduler s = scheduler(FakeClock.at("2026-01-05T10:00:30Z"))) {
      assertThatThrownBy(() -> s.register("* * * * 7", Task.of("t")))
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessage(
              "invalid cron spec \"* * * * 7\": day-of-week field \"7\": 7 is above the maximum 6");
      assertThatThrownBy(
              () ->
                  s.register(
                      "@daily",
                      Task.of("t"),
                      TaskOption.deadline(Instant.parse("2020-01-01T00:00:00Z"))))
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessageStartingWith("deadline must be in the future");
      assertThat(s.entryIds()).isEmpty();
    }
  }

  @Test
  void ownedSchedulerClosesQuietlyOnceAndLaterCallsFail() throws Exception {
    Scheduler s = scheduler(FakeClock.at("2026-01-05T10:00:30Z"));
    s.register("@every 1m", Task.of("t"));
    s.start();
    assertThatThrownBy(s::start)
        .isInstanceOf(IllegalStateException.class)
        .hasMessage("scheduler is already running");
    try (LogCapture logs = LogCapture.start()) {
      ExecutorService pool = Executors.newFixedThreadPool(4);
      try {
        List<Future<?>> closes = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
          closes.add(pool.submit(s::close));
        }
        for (Future<?> f : closes) {
          f.get(30, TimeUnit.SECONDS);
        }
      } finally {
        pool.shutdownNow();
      }
      s.close();
      assertThat(logs.warningsAndErrors()).isEmpty();
    }
    assertThat(s.isClosed()).isTrue();
    assertThat(s.toString()).contains("closed");
    assertThatThrownBy(() -> s.register("@daily", Task.of("t")))
        .isInstanceOf(IllegalStateException.class)
        .hasMessage("scheduler is closed");
    assertThatThrownBy(s::start).isInstanceOf(IllegalStateException.class);
  }

  @Test
  void closingFromACallbackDoesNotWaitForItself() {
    FakeClock clock = FakeClock.at("2026-01-05T10:00:30Z");
    java.util.concurrent.atomic.AtomicReference<Scheduler> self =
        new java.util.concurrent.atomic.AtomicReference<>();
    Scheduler s =
        scheduler(
            SchedulerConfig.builder()
                .clock(clock)
                .postEnqueue((info, error) -> self.get().close())
                .build());
    self.set(s);
    s.register("* * * * *", Task.of("last"), TaskOption.queue("cron"));
    s.start();
    clock.advance(Duration.ofMinutes(1));
    Eventually.until(Duration.ofSeconds(30), "closed by its callback", s::isClosed);
    s.close(); // waits for the closing thread
    assertThat(pending("cron")).isEqualTo(1);
  }

  @Test
  void borrowedConnectorIsNeverClosed() {
    try (RedisConnector connector = RedisConnector.create(server.uri());
        LogCapture logs = LogCapture.start()) {
      Scheduler s = Scheduler.create(connector, SchedulerConfig.defaults());
      s.register("@hourly", Task.of("t"));
      s.start();
      s.close();
      s.close();
      try (Client client = Client.create(connector)) {
        client.enqueue(Task.of("still-works"));
      }
      assertThat(logs.warningsAndErrors()).isEmpty();
    }
  }
}

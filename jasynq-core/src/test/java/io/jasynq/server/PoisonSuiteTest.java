package io.jasynq.server;

import static io.jasynq.TaskOption.queue;
import static org.assertj.core.api.Assertions.assertThat;

import io.jasynq.BatchResult;
import io.jasynq.Client;
import io.jasynq.Inspector;
import io.jasynq.Page;
import io.jasynq.QueueInfo;
import io.jasynq.RetryDelay;
import io.jasynq.Server;
import io.jasynq.Task;
import io.jasynq.TaskInfo;
import io.jasynq.TaskNotFoundException;
import io.jasynq.TaskState;
import io.jasynq.support.LogCapture;
import io.jasynq.support.ServerConfigs;
import io.jasynq.testkit.Eventually;
import io.jasynq.testkit.Poison;
import io.jasynq.testkit.RedisServer;
import io.jasynq.testkit.RedisTest;
import io.jasynq.testkit.TestRedis;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

/**
 * The poison suite: a seeded mix of every kind of hostile record ({@link Poison.Kind}) in one queue
 * with 1,000 valid tasks, next to a queue whose own keys are of the wrong type and a queue whose
 * counters are broken, all served by one Server. Every valid task must be processed exactly once,
 * every hostile record archived or dropped with a logged reason, orphaned tasks recovered, and
 * every Inspector read must still answer.
 *
 * <p>The seed is printed; run again with {@code -Djasynq.poison.seed=N} to repeat a mix.
 */
@RedisTest
class PoisonSuiteTest {
  private static final int VALID = 1000;
  private static final int HOSTILE = 1000;
  private static final String Q = "poison";
  private static final String BROKEN = "brokenkeys";
  private static final String COUNTERS = "counters";

  private final RedisServer server;
  private final TestRedis redis;

  PoisonSuiteTest(RedisServer server, TestRedis redis) {
    this.server = server;
    this.redis = redis;
  }

  @Test
  void everyValidTaskRunsOnceAndEveryHostileRecordIsIsolatedWithAReason() {
    long seed = Long.getLong("jasynq.poison.seed", System.nanoTime());
    System.out.println("POISON seed=" + seed + " (repeat with -Djasynq.poison.seed=" + seed + ")");

    List<String> valid = new ArrayList<>();
    List<String> counted = new ArrayList<>();
    try (Client client = Client.connect(server.uri())) {
      for (BatchResult r :
          client.enqueueBatch(
              IntStream.range(0, VALID).mapToObj(i -> Task.of("poison:valid")).toList(),
              queue(Q))) {
        valid.add(r.info().id());
      }
      for (BatchResult r :
          client.enqueueBatch(
              IntStream.range(0, 50).mapToObj(i -> Task.of("poison:valid")).toList(),
              queue(COUNTERS))) {
        counted.add(r.info().id());
      }
    }
    Instant now = Instant.now();
    List<Poison.Record> hostile = Poison.into(redis, now).seed(Q, seed, HOSTILE, valid);
    breakQueueKeys(now);

    Map<Poison.Kind, Integer> byKind = new EnumMap<>(Poison.Kind.class);
    hostile.forEach(r -> byKind.merge(r.kind(), 1, Integer::sum));
    System.out.println("POISON mix " + byKind);

    List<String> mustRun = new ArrayList<>(valid);
    mustRun.addAll(counted);
    hostile.stream()
        .filter(r -> r.fate() == Poison.Fate.PROCESSED_ONCE)
        .forEach(r -> mustRun.add(r.id()));

    Map<String, AtomicInteger> runs = new ConcurrentHashMap<>();
    try (LogCapture logs = LogCapture.start();
        Server s =
            Server.connect(
                server.uri(),
                ServerConfigs.fast()
                    .concurrency(16)
                    .queue(Q, 3)
                    .queue(COUNTERS, 1)
                    .queue(BROKEN, 1)
                    .recovererInterval(Duration.ofMillis(200))
                    .retryDelay(RetryDelay.constant(Duration.ZERO))
                    .build())) {
      s.start(
          ctx -> runs.computeIfAbsent(ctx.taskId(), k -> new AtomicInteger()).incrementAndGet());
      try {
        Eventually.until(
            Duration.ofSeconds(90),
            "every valid task run and every hostile record dealt with",
            () -> mustRun.stream().allMatch(runs::containsKey) && settled(hostile));
      } catch (AssertionError e) {
        Map<Poison.Kind, Integer> waiting = new EnumMap<>(Poison.Kind.class);
        hostile.stream()
            .filter(r -> !waitingNowhere(r))
            .forEach(r -> waiting.merge(r.kind(), 1, Integer::sum));
        long notRun = mustRun.stream().filter(id -> !runs.containsKey(id)).count();
        throw new AssertionError(
            e.getMessage()
                + ": "
                + notRun
                + " of "
                + mustRun.size()
                + " valid tasks not run; "
                + "hostile records still waiting by kind "
                + waiting,
            e);
      }
      s.stop();

      List<String> warnings = logs.warningsAndErrors();
      List<String> unexplained = new ArrayList<>();
      for (Poison.Record r : hostile) {
        if (r.fate() != Poison.Fate.PROCESSED_ONCE
            && warnings.stream().noneMatch(w -> w.contains(r.id()))) {
          unexplained.add(r.kind() + " " + r.id());
        }
      }
      assertThat(unexplained).as("hostile records isolated without a logged reason").isEmpty();
      assertThat(warnings)
          .as("the broken queue's keys are reported")
          .anyMatch(w -> w.contains("asynq:{" + BROKEN + "}:pending"));
    }

    Map<String, Integer> twice = new TreeMap<>();
    runs.forEach(
        (id, n) -> {
          if (n.get() != 1) {
            twice.put(id, n.get());
          }
        });
    assertThat(twice).as("tasks run more than once").isEmpty();
    assertThat(runs.keySet())
        .as("handlers never see a hostile record")
        .containsExactlyInAnyOrderElementsOf(mustRun);

    for (Poison.Record r : hostile) {
      assertFate(r);
    }
    for (String id : valid) {
      assertThat(redis.type("asynq:{" + Q + "}:t:" + id)).as("done task " + id).isEqualTo("none");
    }
    assertThat(redis.lrange("asynq:{" + Q + "}:pending")).isEmpty();
    assertThat(redis.lrange("asynq:{" + Q + "}:active")).isEmpty();
    assertThat(redis.zrangeWithScores("asynq:{" + Q + "}:lease")).isEmpty();
    assertThat(redis.type("asynq:{" + BROKEN + "}:pending"))
        .as("a foreign key is never overwritten")
        .isEqualTo("string");

    long archived = hostile.stream().filter(r -> r.fate() == Poison.Fate.ARCHIVED).count();
    System.out.println(
        "POISON processed="
            + runs.size()
            + " archived(required)="
            + archived
            + " archivedInRedis="
            + redis.zrangeWithScores("asynq:{" + Q + "}:archived").size()
            + " hostile="
            + hostile.size());

    everyInspectorReadAnswers(hostile);
  }

  /** A queue whose own keys have the wrong type, and a queue with broken counters. */
  private void breakQueueKeys(Instant now) {
    var c = redis.commands();
    c.sadd("asynq:queues", BROKEN.getBytes(StandardCharsets.UTF_8));
    c.set("asynq:{" + BROKEN + "}:pending", "not a list".getBytes(StandardCharsets.UTF_8));
    c.rpush("asynq:{" + BROKEN + "}:retry", "x".getBytes(StandardCharsets.UTF_8));
    c.hset("asynq:{" + BROKEN + "}:scheduled", "x", "y".getBytes(StandardCharsets.UTF_8));
    c.set("asynq:{" + BROKEN + "}:groups", "x".getBytes(StandardCharsets.UTF_8));
    LocalDate today = LocalDate.ofInstant(now, ZoneOffset.UTC);
    c.hset(
        "asynq:{" + COUNTERS + "}:processed:" + today, "x", "y".getBytes(StandardCharsets.UTF_8));
    c.set("asynq:{" + COUNTERS + "}:processed", "not a number".getBytes(StandardCharsets.UTF_8));
  }

  private boolean settled(List<Poison.Record> hostile) {
    return hostile.stream().allMatch(this::waitingNowhere)
        && redis.lrange("asynq:{" + Q + "}:active").isEmpty();
  }

  /** Not in pending, active, lease, scheduled or retry of its queue. */
  private boolean waitingNowhere(Poison.Record r) {
    var c = redis.commands();
    String p = "asynq:{" + r.queue() + "}:";
    return c.lpos(p + "pending", r.rawId()) == null
        && c.lpos(p + "active", r.rawId()) == null
        && c.zscore(p + "lease", r.rawId()) == null
        && c.zscore(p + "scheduled", r.rawId()) == null
        && c.zscore(p + "retry", r.rawId()) == null;
  }

  private void assertFate(Poison.Record r) {
    String p = "asynq:{" + r.queue() + "}:";
    assertThat(waitingNowhere(r)).as(r + " left waiting").isTrue();
    switch (r.fate()) {
      case ARCHIVED -> {
        assertThat(redis.commands().zscore(p + "archived", r.rawId()))
            .as(r + " archived")
            .isNotNull();
        assertThat(redis.hget(p + "t:" + r.id(), "state")).as(r + " state").isEqualTo("archived");
      }
      case DROPPED -> {
        assertThat(redis.commands().zscore(p + "archived", r.rawId()))
            .as(r + " not archived")
            .isNull();
        String type = redis.type(p + "t:" + r.id());
        switch (r.kind()) {
          case TASK_KEY_STRING, RETRY_TASK_KEY_STRING, ACTIVE_TASK_KEY_STRING ->
              assertThat(type).as(r + " foreign key kept").isEqualTo("string");
          case TASK_KEY_LIST, SCHEDULED_TASK_KEY_LIST ->
              assertThat(type).as(r + " foreign key kept").isEqualTo("list");
          case TASK_KEY_SET -> assertThat(type).as(r + " foreign key kept").isEqualTo("set");
          case TASK_KEY_ZSET -> assertThat(type).as(r + " foreign key kept").isEqualTo("zset");
          default -> assertThat(type).as(r + " no key").isEqualTo("none");
        }
      }
      case ISOLATED, PROCESSED_ONCE -> {}
    }
  }

  /** Every Inspector read answers for every queue, state and seeded ID. */
  private void everyInspectorReadAnswers(List<Poison.Record> hostile) {
    try (Inspector inspector = Inspector.connect(server.uri())) {
      List<String> queues = inspector.queues();
      assertThat(queues).contains(Q, BROKEN, COUNTERS);
      int rows = 0;
      for (String q : queues) {
        QueueInfo info = inspector.queueInfo(q);
        assertThat(info).isNotNull();
        assertThat(inspector.history(q, 7)).hasSize(7);
        assertThat(inspector.groups(q)).isNotNull();
        for (TaskState state : TaskState.values()) {
          if (state == TaskState.AGGREGATING) {
            continue;
          }
          rows += inspector.listTasks(q, state, Page.all()).size();
          rows += inspector.listTasks(q, state, Page.first(7)).size();
        }
      }
      assertThat(inspector.queueInfo(Q).archived())
          .as("archived count")
          .isGreaterThanOrEqualTo(
              hostile.stream().filter(r -> r.fate() == Poison.Fate.ARCHIVED).count());
      for (Poison.Record r : hostile) {
        try {
          TaskInfo info = inspector.taskInfo(Q, r.id());
          assertThat(info.id()).isEqualTo(r.id());
        } catch (TaskNotFoundException e) {
          // dropped records and finished tasks are not found: fine
        }
      }
      assertThat(inspector.servers()).isNotNull();
      assertThat(inspector.schedulerEntries()).isNotNull();
      assertThat(inspector.redisInfo()).isNotNull();
      System.out.println("POISON inspector rows read=" + rows);
    }
  }
}

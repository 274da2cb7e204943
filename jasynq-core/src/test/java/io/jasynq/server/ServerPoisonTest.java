package io.jasynq.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.ByteString;
import io.jasynq.Client;
import io.jasynq.RetryDelay;
import io.jasynq.ServerConfig;
import io.jasynq.Task;
import io.jasynq.TaskOption;
import io.jasynq.internal.broker.proto.TaskMessage;
import io.jasynq.support.LogCapture;
import io.jasynq.support.ServerFixture;
import io.jasynq.support.ServerTest;
import io.jasynq.testkit.Eventually;
import io.jasynq.testkit.FakeClock;
import io.jasynq.testkit.TestRedis;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * A server facing hostile records (issue 10): one bad record of any kind is isolated with a WARN
 * and never stops the valid tasks around it from running, being recovered or forwarded.
 */
@ServerTest
class ServerPoisonTest {
  private static final Instant T0 =
      Instant.now().truncatedTo(java.time.temporal.ChronoUnit.DAYS).plus(Duration.ofHours(10));
  private static final long T0_S = T0.getEpochSecond();
  private static final String Q = "q";
  private static final String P = "asynq:{q}:";

  private final TestRedis redis;
  private final ServerFixture fixture;
  private final FakeClock clock;
  private final Client client;
  private final Map<String, Integer> ran = new ConcurrentHashMap<>();

  ServerPoisonTest(TestRedis redis, ServerFixture fixture) {
    this.redis = redis;
    this.fixture = fixture;
    this.clock = fixture.clock();
    this.client = fixture.client();
    clock.set(T0);
  }

  private void start() {
    fixture.start(
        ServerConfig.builder()
            .concurrency(8)
            .clock(clock)
            .queue(Q, 1)
            .taskCheckInterval(Duration.ofMillis(20))
            .delayedTaskCheckInterval(Duration.ofMillis(50))
            .recovererInterval(Duration.ofMillis(100))
            .heartbeatInterval(Duration.ofMillis(200))
            .retryDelay(RetryDelay.constant(Duration.ofSeconds(60)))
            .build(),
        ctx -> ran.merge(ctx.taskId(), 1, Integer::sum));
  }

  private String enqueue() {
    return client.enqueue(Task.of("ok"), TaskOption.queue(Q)).id();
  }

  private static byte[] msg(String type, String id, String queue) {
    return TaskMessage.newBuilder()
        .setType(type)
        .setPayload(ByteString.copyFromUtf8("p"))
        .setId(id)
        .setQueue(queue)
        .setRetry(25)
        .setTimeout(1800)
        .build()
        .toByteArray();
  }

  /** The bytes of a message cut right after its payload: no id, no queue. */
  private static byte[] truncated(String id) {
    byte[] full = msg("t", id, Q);
    byte[] head =
        TaskMessage.newBuilder()
            .setType("t")
            .setPayload(ByteString.copyFromUtf8("p"))
            .build()
            .toByteArray();
    assertThat(full).startsWith(head);
    return head;
  }

  private void pendingHash(String id, byte[] msg) {
    redis.commands().hset(P + "t:" + id, Map.of("msg", msg, "state", "pending".getBytes()));
    redis.commands().lpush(P + "pending", id.getBytes());
  }

  private String archivedReason(String id) throws Exception {
    return TaskMessage.parseFrom(redis.hgetAll(P + "t:" + id).get("msg")).getErrorMsg();
  }

  // --- item 1 -----------------------------------------------------------------------------------

  @Test
  void aWrongTypedTaskKeyInPendingIsIsolatedAndTheValidTaskRuns() {
    String valid = enqueue();
    redis.commands().set(P + "t:bad1", "x".getBytes());
    redis.commands().lpush(P + "pending", "bad1".getBytes());
    try (LogCapture logs = LogCapture.start()) {
      start();
      Eventually.until("the valid task ran", () -> ran.containsKey(valid));
      Eventually.until(
          "pending and active empty",
          () -> redis.lrange(P + "pending").isEmpty() && redis.lrange(P + "active").isEmpty());
      Eventually.until(
          "a WARN names bad1",
          () ->
              logs.warningsAndErrors().stream()
                  .anyMatch(l -> l.contains("bad1") && l.contains("is a string, not a hash")));
    }
    assertThat(ran).containsOnlyKeys(valid);
    assertThat(redis.get(P + "t:bad1")).isEqualTo("x"); // foreign data is never destroyed
  }

  @Test
  void aWrongTypedQueueKeyIsReportedOnceAndTheOtherQueuesAreServed() {
    redis.commands().set("asynq:{broken}:pending", "x".getBytes());
    redis.commands().sadd("asynq:queues", "broken".getBytes());
    List<String> ids = new ArrayList<>();
    try (LogCapture logs = LogCapture.start()) {
      fixture.start(
          ServerConfig.builder()
              .clock(clock)
              .queue("broken", 5)
              .queue(Q, 1)
              .strictPriority(true)
              .taskCheckInterval(Duration.ofMillis(10))
              .build(),
          ctx -> ran.merge(ctx.taskId(), 1, Integer::sum));
      for (int i = 0; i < 20; i++) {
        ids.add(enqueue());
      }
      Eventually.until("the other queue served", () -> ran.keySet().containsAll(ids));
      // Polled every 10 ms, yet reported once by each part that reads it.
      List<String> warnings =
          logs.warningsAndErrors().stream().filter(l -> l.contains("{broken}:pending")).toList();
      assertThat(warnings).filteredOn(l -> l.contains("Processor")).hasSize(1);
      assertThat(warnings).filteredOn(l -> l.contains("Forwarder")).hasSize(1);
      assertThat(warnings).hasSize(2).allMatch(l -> l.contains("is a string, not a list"));
    }
    assertThat(redis.get("asynq:{broken}:pending")).isEqualTo("x");
  }

  // --- item 2 -----------------------------------------------------------------------------------

  enum Mismatch {
    ID_MISSING,
    ID_OF_ANOTHER_TASK,
    QUEUE_OF_ANOTHER_QUEUE,
    TRUNCATED_AFTER_PAYLOAD
  }

  private static byte[] mismatched(Mismatch kind, String id) {
    return switch (kind) {
      case ID_MISSING -> msg("t", "", Q);
      case ID_OF_ANOTHER_TASK -> msg("t", "someone-else-" + id, Q);
      case QUEUE_OF_ANOTHER_QUEUE -> msg("t", id, "elsewhere");
      case TRUNCATED_AFTER_PAYLOAD -> truncated(id);
    };
  }

  @ParameterizedTest
  @EnumSource(Mismatch.class)
  void aMessageNotMatchingItsKeyIsArchivedAsMalformedAndNeverRun(Mismatch kind) throws Exception {
    pendingHash("x", mismatched(kind, "x"));
    String valid = enqueue();
    try (LogCapture logs = LogCapture.start()) {
      start();
      Eventually.until("the valid task ran", () -> ran.containsKey(valid));
      Eventually.until("x archived", () -> "archived".equals(redis.hget(P + "t:x", "state")));
      assertThat(logs.warningsAndErrors()).anyMatch(l -> l.contains("x") && l.contains("\"q\""));
    }
    assertThat(ran).containsOnlyKeys(valid); // the handler never saw x, nor an empty or wrong id
    assertThat(archivedReason("x")).startsWith("malformed task message");
    assertThat(redis.hgetAll(P + "t:x").get("malformed_msg")).isEqualTo(mismatched(kind, "x"));
    assertThat(redis.zrangeWithScores(P + "archived")).containsOnlyKeys("x");
    // The valid task's handler has run; its completion write may still be on its way.
    Eventually.until("nothing left active", () -> redis.lrange(P + "active").isEmpty());
    assertThat(redis.keys("asynq:{elsewhere}:*")).isEmpty();
  }

  // --- item 3 -----------------------------------------------------------------------------------

  @Test
  void aLeasedEntryWithAnotherTasksMessageIsArchivedAndTheOrphanNextToItIsRecovered()
      throws Exception {
    String orphan = enqueue();
    redis.commands().rpop(P + "pending");
    redis.commands().hset(P + "t:" + orphan, "state", "active".getBytes());
    redis
        .commands()
        .hset(
            P + "t:x", Map.of("msg", msg("t", "someone-else-0", Q), "state", "active".getBytes()));
    for (String id : List.of(orphan, "x")) {
      redis.commands().lpush(P + "active", id.getBytes());
    }
    // x's lease ran out first: it is looked at first.
    redis.commands().zadd(P + "lease", (double) (T0_S - 100), "x".getBytes());
    redis.commands().zadd(P + "lease", (double) (T0_S - 40), orphan.getBytes());

    start();
    Eventually.until(
        "orphan recovered to retry", () -> "retry".equals(redis.hget(P + "t:" + orphan, "state")));
    Eventually.until("x archived", () -> "archived".equals(redis.hget(P + "t:x", "state")));
    assertThat(archivedReason("x")).startsWith("malformed task message");
    assertThat(redis.lrange(P + "active")).isEmpty();
    assertThat(redis.zrangeWithScores(P + "lease")).isEmpty();
    assertThat(ran).isEmpty();
  }

  // --- item 5 -----------------------------------------------------------------------------------

  @Test
  void wrongTypedMembersOfRetryAndScheduledAreClearedAndTheValidOnesForwarded() {
    String scheduled =
        client
            .enqueue(Task.of("s"), TaskOption.queue(Q), TaskOption.processIn(Duration.ofSeconds(5)))
            .id();
    redis.commands().set(P + "t:bad-s", "x".getBytes());
    redis.commands().zadd(P + "scheduled", (double) T0_S, "bad-s".getBytes());
    redis.commands().lpush(P + "t:bad-r", "x".getBytes()); // a list
    redis.commands().zadd(P + "retry", (double) T0_S, "bad-r".getBytes());
    try (LogCapture logs = LogCapture.start()) {
      start();
      clock.advance(Duration.ofSeconds(10));
      Eventually.until("the scheduled task ran", () -> ran.containsKey(scheduled));
      Eventually.until(
          "the bad members cleared",
          () -> redis.keys(P + "scheduled").isEmpty() && redis.keys(P + "retry").isEmpty());
      Eventually.until(
          "a WARN for each",
          () ->
              logs.warningsAndErrors().stream().anyMatch(l -> l.contains("bad-s"))
                  && logs.warningsAndErrors().stream().anyMatch(l -> l.contains("bad-r")));
    }
    assertThat(redis.get(P + "t:bad-s")).isEqualTo("x");
    assertThat(redis.type(P + "t:bad-r")).isEqualTo("list");
    assertThat(ran).containsOnlyKeys(scheduled);
  }

  // --- all at once ------------------------------------------------------------------------------

  enum Bad {
    WRONG_TYPED_KEY,
    DANGLING_ID,
    UNDECODABLE,
    ID_MISMATCH,
    QUEUE_MISMATCH,
    TRUNCATED,
    TWO_STATES
  }

  @Test
  void aThousandBadRecordsAmongAThousandValidTasksStopNothing() throws Exception {
    Set<String> valid = new HashSet<>();
    Map<Bad, List<String>> bad = new java.util.EnumMap<>(Bad.class);
    var c = redis.commands();
    List<Task> batch = IntStream.range(0, 1000).mapToObj(i -> Task.of("ok")).toList();
    List<String> validIds =
        client.enqueueBatch(batch, TaskOption.queue(Q)).stream().map(r -> r.info().id()).toList();
    valid.addAll(validIds);
    // Interleave: valid IDs already sit in pending; each bad one is pushed between them.
    List<String> pendingNow = redis.lrange(P + "pending");
    c.del(P + "pending");
    for (int i = 0; i < 1000; i++) {
      c.lpush(P + "pending", pendingNow.get(pendingNow.size() - 1 - i).getBytes());
      Bad kind = Bad.values()[i % Bad.values().length];
      String id = kind.name().toLowerCase(java.util.Locale.ROOT) + "-" + i;
      bad.computeIfAbsent(kind, k -> new ArrayList<>()).add(id);
      String key = P + "t:" + id;
      switch (kind) {
        case WRONG_TYPED_KEY -> c.set(key, "x".getBytes());
        case DANGLING_ID -> {}
        case UNDECODABLE -> c.hset(key, Map.of("msg", new byte[] {0x0a, 0x01, (byte) 0xff}));
        case ID_MISMATCH -> c.hset(key, Map.of("msg", msg("t", "other-" + i, Q)));
        case QUEUE_MISMATCH -> c.hset(key, Map.of("msg", msg("t", id, "elsewhere")));
        case TRUNCATED -> c.hset(key, Map.of("msg", truncated(id)));
        case TWO_STATES -> {
          c.hset(key, Map.of("msg", msg("t", id, Q), "state", "retry".getBytes()));
          c.zadd(P + "retry", (double) (T0_S + 3600), id.getBytes());
        }
      }
      if (kind != Bad.WRONG_TYPED_KEY && kind != Bad.DANGLING_ID && kind != Bad.TWO_STATES) {
        c.hset(key, "state", "pending".getBytes());
      }
      c.lpush(P + "pending", id.getBytes());
    }
    assertThat(c.llen(P + "pending")).isEqualTo(2000);

    long started = System.nanoTime();
    try (LogCapture logs = LogCapture.start()) {
      start();
      Eventually.until(
          Duration.ofSeconds(30),
          "every valid task ran and pending and active are empty",
          () ->
              ran.keySet().containsAll(valid)
                  && redis.keys(P + "pending").isEmpty()
                  && redis.keys(P + "active").isEmpty());
      assertThat(logs.warningsAndErrors()).isNotEmpty();
    }
    System.out.printf(
        "1000 valid + 1000 bad processed in %d ms%n", (System.nanoTime() - started) / 1_000_000);

    assertThat(ran).hasSize(1000);
    assertThat(ran.values()).containsOnly(1); // each valid task exactly once
    assertThat(ran.keySet()).isEqualTo(valid); // ctx.taskId() never empty or wrong
    assertThat(redis.keys(P + "lease")).isEmpty();
    Set<String> archived = redis.zrangeWithScores(P + "archived").keySet();
    List<String> expectArchived = new ArrayList<>();
    for (Bad kind : List.of(Bad.UNDECODABLE, Bad.ID_MISMATCH, Bad.QUEUE_MISMATCH, Bad.TRUNCATED)) {
      expectArchived.addAll(bad.get(kind));
    }
    assertThat(archived).containsExactlyInAnyOrderElementsOf(expectArchived);
    for (String id : expectArchived) {
      assertThat(archivedReason(id)).as(id).startsWith("malformed task message");
    }
    for (String id : bad.get(Bad.WRONG_TYPED_KEY)) {
      assertThat(redis.get(P + "t:" + id)).isEqualTo("x");
    }
    assertThat(redis.keys(P + "t:dangling_id-*")).isEmpty();
    assertThat(redis.zrangeWithScores(P + "retry").keySet())
        .containsExactlyInAnyOrderElementsOf(bad.get(Bad.TWO_STATES));
    for (String id : bad.get(Bad.TWO_STATES)) {
      assertThat(redis.hget(P + "t:" + id, "state")).isEqualTo("retry");
    }
    assertThat(redis.keys("asynq:{elsewhere}:*")).isEmpty();
  }
}

package io.jasynq.redis;

import static io.jasynq.TaskOption.group;
import static io.jasynq.TaskOption.maxRetry;
import static io.jasynq.TaskOption.processIn;
import static io.jasynq.TaskOption.queue;
import static io.jasynq.TaskOption.retention;
import static io.jasynq.TaskOption.taskId;
import static io.jasynq.TaskOption.unique;
import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ch.qos.logback.classic.Level;
import io.jasynq.BatchResult;
import io.jasynq.Client;
import io.jasynq.DuplicateTaskException;
import io.jasynq.Inspector;
import io.jasynq.JasynqException;
import io.jasynq.NotReplicatedException;
import io.jasynq.Page;
import io.jasynq.QueueInfo;
import io.jasynq.RetryDelay;
import io.jasynq.Scheduler;
import io.jasynq.SchedulerConfig;
import io.jasynq.SchedulerEntry;
import io.jasynq.Server;
import io.jasynq.ServerConfig;
import io.jasynq.SkipRetryException;
import io.jasynq.Task;
import io.jasynq.TaskState;
import io.jasynq.support.LogCapture;
import io.jasynq.support.ServerConfigs;
import io.jasynq.testkit.Eventually;
import io.jasynq.testkit.RedisServer;
import io.jasynq.testkit.RedisTest;
import io.jasynq.testkit.TestRedis;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;

/**
 * Each role works with exactly the ACL rule the README gives it, and with one permission less fails
 * with an error (or, for a server, a WARN) that names what is missing.
 */
@RedisTest
class AclRolesTest {
  private static final Map<String, List<String>> RULES = AclRules.fromReadme();
  private static final String Q = "acl";

  private final RedisServer server;
  private final TestRedis redis;

  AclRolesTest(RedisServer server, TestRedis redis) {
    this.server = server;
    this.redis = redis;
  }

  /** Creates {@code role} with {@code rules} and returns its URI. */
  private String user(String role, List<String> rules) {
    redis.aclSetUser(role, rules);
    return "redis://" + role + ":" + AclRules.PASSWORD + "@" + server.host() + ":" + server.port();
  }

  private String user(String role) {
    return user(role, rules(role));
  }

  private static List<String> rules(String role) {
    List<String> rules = RULES.get(role);
    assertThat(rules).as("the README's rule for %s", role).isNotNull();
    return rules;
  }

  @Test
  void theReadmeGivesTheSameRulesInBothForms() {
    assertThat(RULES)
        .containsOnlyKeys(
            "jasynq-producer", "jasynq-server", "jasynq-scheduler", "jasynq-inspector")
        .isEqualTo(AclRules.usersAclFromReadme());
  }

  // ---------------------------------------------------------------------------------- producer

  @Test
  void aProducerEnqueuesEveryKindWithExactlyItsRule() {
    String uri = user("jasynq-producer");
    try (LogCapture logs = LogCapture.start();
        Client client = Client.connect(uri)) {
      client.ping();
      client.enqueue(Task.of("plain"), queue(Q));
      client.enqueue(Task.of("once", "p"), queue(Q), unique(Duration.ofHours(1)));
      assertThatThrownBy(
              () -> client.enqueue(Task.of("once", "p"), queue(Q), unique(Duration.ofHours(1))))
          .isInstanceOf(DuplicateTaskException.class);
      client.enqueue(Task.of("later"), queue(Q), processIn(Duration.ofHours(1)));
      client.enqueue(
          Task.of("later-once"),
          queue(Q),
          processIn(Duration.ofHours(1)),
          unique(Duration.ofHours(1)));
      client.enqueue(Task.of("grouped"), queue(Q), group("g"), unique(Duration.ofHours(1)));
      List<BatchResult> batch =
          client.enqueueBatch(
              List.of(Task.of("b1"), Task.of("b2"), Task.of("b3", "u")),
              queue(Q),
              unique(Duration.ofHours(1)));
      assertThat(batch).allMatch(BatchResult::isSuccess);
      assertThat(logs.warningsAndErrors()).isEmpty();
    }
    try (Client durable =
        Client.builder().uri(uri).waitForReplicas(1, Duration.ofMillis(50)).build()) {
      // No replica here: WAIT ran (it is permitted) and counted none.
      assertThatThrownBy(() -> durable.enqueue(Task.of("durable"), queue(Q)))
          .isInstanceOf(NotReplicatedException.class);
    }
    assertThat(redis.lrange("asynq:{acl}:pending")).hasSize(6);
    assertThat(redis.smembers("asynq:queues")).containsExactly(Q);
  }

  @Test
  void aProducerMissingACommandFailsNamingIt() {
    String uri = user("jasynq-producer", AclRules.without(rules("jasynq-producer"), "+lpush"));
    try (Client client = Client.connect(uri)) {
      assertThatThrownBy(() -> client.enqueue(Task.of("plain"), queue(Q)))
          .isInstanceOf(JasynqException.class)
          .hasMessageStartingWith("enqueue failed: NOPERM")
          .hasMessageContaining("may not run LPUSH")
          .hasMessageContaining("enqueue.lua")
          .hasMessageContaining("grant +lpush");
    }
  }

  @Test
  void aProducerMissingAKeyPatternFailsNamingTheKeys() {
    String uri =
        user("jasynq-producer", AclRules.without(rules("jasynq-producer"), "~asynq:{*}:unique:*"));
    try (Client client = Client.connect(uri)) {
      client.enqueue(Task.of("plain"), queue(Q));
      assertThatThrownBy(
              () -> client.enqueue(Task.of("once"), queue(Q), unique(Duration.ofHours(1))))
          .isInstanceOf(JasynqException.class)
          .hasMessageStartingWith("enqueue failed: NOPERM")
          .hasMessageContaining("may not access a key")
          .hasMessageContaining("asynq:{acl}:unique:once:");
    }
  }

  @Test
  void aProducerMissingTheQueueRegistryWarnsOnce() {
    String uri =
        user("jasynq-producer", AclRules.without(rules("jasynq-producer"), "~asynq:queues"));
    try (LogCapture logs = LogCapture.start();
        Client client = Client.connect(uri)) {
      client.enqueue(Task.of("plain"), queue(Q));
      Eventually.until("warned", () -> !logs.warningsAndErrors().isEmpty());
      assertThat(logs.warningsAndErrors())
          .singleElement()
          .asString()
          .contains("NOPERM", "asynq:queues", "not listed by Inspectors");
    }
  }

  // ------------------------------------------------------------------------------------ server

  @Test
  void aServerRunsEveryPartWithExactlyItsRule() throws Exception {
    String uri = user("jasynq-server");
    Map<String, Integer> ran = new ConcurrentHashMap<>();
    List<Boolean> health = new CopyOnWriteArrayList<>();
    ServerConfig config =
        ServerConfigs.fast()
            .queue(Q, 1)
            .concurrency(4)
            .retryDelay(RetryDelay.constant(Duration.ZERO))
            .recovererInterval(Duration.ofMillis(100))
            .janitorInterval(Duration.ofMillis(100))
            .groupGracePeriod(Duration.ofSeconds(1))
            .groupMaxSize(2)
            .groupAggregator(
                (g, tasks) -> Task.of("aggregated", String.valueOf(tasks.size()).getBytes(UTF_8)))
            .healthListener((up, error) -> health.add(up))
            .queueConcurrencyLimit(Q, 3) // written at start, checked by every dequeue
            .queueRateLimit(Q, io.jasynq.RateLimit.of(1000, Duration.ofSeconds(1)))
            .build();
    try (Client admin = Client.connect(server.uri());
        Inspector inspector = Inspector.connect(server.uri())) {
      admin.enqueue(Task.of("ok"), queue(Q));
      admin.enqueue(Task.of("keep"), queue(Q), retention(Duration.ofSeconds(1)));
      admin.enqueue(Task.of("fail"), queue(Q), maxRetry(1), taskId("fail"));
      admin.enqueue(Task.of("skip"), queue(Q), taskId("skip"));
      admin.enqueue(Task.of("later"), queue(Q), processIn(Duration.ofSeconds(1)));
      admin.enqueue(Task.of("member"), queue(Q), group("g"));
      admin.enqueue(Task.of("member"), queue(Q), group("g"));
      admin.enqueue(Task.of("cancel"), queue(Q), taskId("cancel"));
      admin.enqueue(Task.of("lost"), queue(Q), taskId("lost"));
      orphan("lost"); // as if its server died: active with an expired lease

      try (LogCapture logs = LogCapture.start();
          Server s = Server.connect(uri, config)) {
        s.start(
            ctx -> {
              String type = ctx.task().type();
              ran.merge(type, 1, Integer::sum);
              switch (type) {
                case "keep" -> ctx.writeResult("result".getBytes(UTF_8));
                case "fail" -> throw new IllegalStateException("fails");
                case "skip" -> throw new SkipRetryException("skip");
                case "cancel" -> { // cancelled on its first run, then retried and done
                  long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
                  while (ctx.retryCount() == 0
                      && !ctx.isCancelled()
                      && System.nanoTime() < deadline) {
                    Thread.onSpinWait();
                  }
                }
                default -> {}
              }
            });
        Eventually.until("the cancellable task running", () -> ran.containsKey("cancel"));
        Eventually.until(
            "subscribed",
            () ->
                redis.commands().pubsubNumsub("asynq:cancel").values().stream()
                    .anyMatch(n -> n > 0));
        inspector.cancel("cancel");
        Eventually.until(
            Duration.ofSeconds(20),
            "every part did its work",
            () ->
                ran.getOrDefault("fail", 0) == 2
                    && ran.containsKey("ok")
                    && ran.containsKey("skip")
                    && ran.containsKey("later")
                    && ran.containsKey("aggregated")
                    && ran.containsKey("lost")
                    && !redis.keys("asynq:{acl}:t:*").isEmpty()
                    && redis.lrange("asynq:{acl}:active").isEmpty()
                    && redis.zrangeWithScores("asynq:{acl}:completed").isEmpty()
                    && !redis.zrangeWithScores("asynq:{acl}:archived").isEmpty()
                    && inspector.servers().size() == 1);
        assertThat(redis.zrangeWithScores("asynq:{acl}:archived")).containsOnlyKeys("fail", "skip");
        assertThat(ran).containsEntry("keep", 1).containsEntry("cancel", 2);
        assertThat(health).containsExactly(true);
        assertThat(redis.hget("asynq:{acl}:limits", "concurrency")).isEqualTo("3");
        assertThat(redis.hget("asynq:{acl}:rate", "tokens")).as("the bucket was spent").isNotNull();
        // The two handlers that fail on purpose are reported (archived); nothing else may be.
        assertThat(logs.warningsAndErrors())
            .as("every part worked: nothing refused")
            .filteredOn(line -> !line.matches(".*ActiveTask\\[(fail|skip) .*; archived"))
            .allMatch(line -> !line.contains("NOPERM") && !line.contains("failed"));
        assertThat(logs.messages(io.jasynq.internal.connection.Subscription.class, Level.INFO))
            .as("key tracking allowed: Go producers' tasks wake the server")
            .isEmpty();
        assertThat(redis.clientList())
            .anyMatch(c -> c.fields().getOrDefault("flags", "").contains("B"));
      }
      assertThat(inspector.servers()).as("cleared on shutdown").isEmpty();
    }
  }

  /** Moves {@code id} from pending to active with a lease that expired a minute ago. */
  private void orphan(String id) {
    var c = redis.commands();
    c.lrem("asynq:{acl}:pending", 1, id.getBytes(UTF_8));
    c.lpush("asynq:{acl}:active", id.getBytes(UTF_8));
    c.zadd("asynq:{acl}:lease", Instant.now().getEpochSecond() - 60, id.getBytes(UTF_8));
    c.hset("asynq:{acl}:t:" + id, "state", "active".getBytes(UTF_8));
  }

  @Test
  void aServerMissingACommandWarnsNamingItAndStaysHealthy() {
    String uri = user("jasynq-server", AclRules.without(rules("jasynq-server"), "+lmove"));
    List<Boolean> health = new CopyOnWriteArrayList<>();
    ServerConfig config =
        ServerConfigs.fast()
            .queue(Q, 1)
            .healthCheckInterval(Duration.ofMillis(100))
            .healthListener((up, error) -> health.add(up))
            .build();
    try (Client admin = Client.connect(server.uri());
        LogCapture logs = LogCapture.start();
        Server s = Server.connect(uri, config)) {
      admin.enqueue(Task.of("t"), queue(Q));
      s.start(ctx -> {});
      Eventually.until(
          "a WARN naming the refused command",
          () ->
              logs.warningsAndErrors().stream()
                  .anyMatch(l -> l.contains("dequeue") && l.contains("may not run LMOVE")));
      assertThat(health).as("a refused command is not an outage").containsExactly(true);
    }
  }

  @Test
  void aServerMissingAKeyPatternWarnsNamingTheKeys() {
    String uri =
        user("jasynq-server", AclRules.without(rules("jasynq-server"), "~asynq:servers:*"));
    try (LogCapture logs = LogCapture.start();
        Server s = Server.connect(uri, ServerConfigs.fast().queue(Q, 1).build())) {
      s.start(ctx -> {});
      Eventually.until(
          "a WARN naming the refused key",
          () ->
              logs.warningsAndErrors().stream()
                  .anyMatch(
                      l ->
                          l.contains("heartbeat")
                              && l.contains("may not access a key")
                              && l.contains("asynq:servers:{")));
    }
  }

  // --------------------------------------------------------------------------------- scheduler

  @Test
  void aSchedulerRegistersEnqueuesAndRecordsWithExactlyItsRule() {
    String uri = user("jasynq-scheduler");
    try (LogCapture logs = LogCapture.start();
        Scheduler scheduler = Scheduler.connect(uri);
        Inspector inspector = Inspector.connect(server.uri())) {
      scheduler.ping();
      String entry = scheduler.register("@every 1s", Task.of("tick"), queue(Q));
      scheduler.register(
          "@every 1s", Task.of("tick-later"), queue(Q), processIn(Duration.ofHours(1)));
      scheduler.register("@every 1s", Task.of("tick-grouped"), queue(Q), group("g"));
      scheduler.start();
      Eventually.until(
          Duration.ofSeconds(10),
          "ticks enqueued and recorded",
          () ->
              !redis.lrange("asynq:{acl}:pending").isEmpty()
                  && !redis.zrangeWithScores("asynq:{acl}:scheduled").isEmpty()
                  && !redis.zrangeWithScores("asynq:{acl}:g:g").isEmpty()
                  && !inspector.schedulerHistory(entry, Page.first()).isEmpty()
                  && inspector.schedulerEntries().size() == 3);
      assertThat(logs.warningsAndErrors()).isEmpty();
    }
  }

  @Test
  void aSchedulerMissingAKeyPatternFailsNamingTheKeys() {
    String uri =
        user("jasynq-scheduler", AclRules.without(rules("jasynq-scheduler"), "~asynq:{*}:cron:*"));
    List<Throwable> errors = new CopyOnWriteArrayList<>();
    SchedulerConfig config =
        SchedulerConfig.builder().postEnqueue((info, error) -> errors.add(error)).build();
    try (Scheduler scheduler = Scheduler.connect(uri, config)) {
      scheduler.register("@every 1s", Task.of("tick"), queue(Q));
      scheduler.start();
      Eventually.until(Duration.ofSeconds(10), "a tick failed", () -> !errors.isEmpty());
      assertThat(errors.get(0))
          .isInstanceOf(JasynqException.class)
          .hasMessageContaining("NOPERM")
          .hasMessageContaining("may not access a key")
          .hasMessageContaining("asynq:{acl}:cron:");
    }
  }

  // --------------------------------------------------------------------------------- inspector

  @Test
  void anInspectorReadsEverythingWithExactlyItsReadOnlyRule() {
    seedEveryState();
    String uri = user("jasynq-inspector");
    try (Server other =
            Server.connect(server.uri(), ServerConfigs.fast().queue("elsewhere", 1).build());
        Scheduler scheduler = Scheduler.connect(server.uri());
        Inspector inspector = Inspector.connect(uri)) {
      other.start(ctx -> {});
      String entry = scheduler.register("@every 1h", Task.of("hourly"), queue("elsewhere"));
      scheduler.start();
      inspector.ping();
      // Both write their records on threads of their own after start returns.
      Eventually.until(
          "server and scheduler seen",
          () ->
              inspector.servers().size() == 1
                  && inspector.schedulerEntries().stream().anyMatch(e -> e.id().equals(entry)));
      assertThat(inspector.queues()).contains(Q);
      QueueInfo info = inspector.queueInfo(Q);
      assertThat(info.pending()).isEqualTo(1);
      assertThat(info.memoryUsageBytes()).isPositive();
      assertThat(inspector.history(Q, 7)).hasSize(7);
      assertThat(inspector.groups(Q)).hasSize(1);
      assertThat(inspector.taskInfo(Q, "p").state()).isEqualTo(TaskState.PENDING);
      for (TaskState state : TaskState.values()) {
        if (state != TaskState.AGGREGATING) {
          inspector.listTasks(Q, state, Page.first());
        }
      }
      assertThat(inspector.listTasks(Q, TaskState.ARCHIVED, Page.first())).hasSize(1);
      assertThat(inspector.listAggregating(Q, "g", Page.first())).hasSize(1);
      assertThat(inspector.schedulerEntries()).extracting(SchedulerEntry::id).contains(entry);
      assertThat(inspector.schedulerHistory(entry, Page.first())).isEmpty();
      assertThat(inspector.redisInfo()).isNotNull();

      assertThatThrownBy(() -> inspector.deleteTask(Q, "p"))
          .as("read only: a write is refused")
          .isInstanceOf(JasynqException.class)
          .hasMessageContaining("NOPERM");
      assertThat(inspector.taskInfo(Q, "p").state()).isEqualTo(TaskState.PENDING);
    }
  }

  private void seedEveryState() {
    try (Client admin = Client.connect(server.uri());
        Inspector inspector = Inspector.connect(server.uri())) {
      admin.enqueue(Task.of("t"), queue(Q), taskId("p"));
      admin.enqueue(Task.of("t"), queue(Q), taskId("s"), processIn(Duration.ofHours(1)));
      admin.enqueue(Task.of("t"), queue(Q), taskId("a"), processIn(Duration.ofHours(1)));
      admin.enqueue(Task.of("t"), queue(Q), taskId("g"), group("g"));
      inspector.archiveTask(Q, "a");
    }
  }

  @Test
  void anInspectorMissingACommandFailsNamingIt() {
    seedEveryState();
    String uri = user("jasynq-inspector", AclRules.without(rules("jasynq-inspector"), "+hmget"));
    try (Inspector inspector = Inspector.connect(uri)) {
      assertThatThrownBy(() -> inspector.listTasks(Q, TaskState.PENDING, Page.first()))
          .isInstanceOf(JasynqException.class)
          .hasMessageContaining("NOPERM")
          .hasMessageContaining("may not run HMGET")
          .hasMessageContaining("list_tasks.lua");
    }
  }

  @Test
  void anInspectorMissingAKeyPatternFailsNamingIt() {
    seedEveryState();
    List<String> narrower =
        new java.util.ArrayList<>(AclRules.without(rules("jasynq-inspector"), "~asynq:*"));
    narrower.addAll(List.of("~asynq:queues", "~asynq:{*}:*")); // no asynq:servers
    String uri = user("jasynq-inspector", narrower);
    try (Inspector inspector = Inspector.connect(uri)) {
      assertThat(inspector.taskInfo(Q, "p").state()).isEqualTo(TaskState.PENDING);
      assertThatThrownBy(inspector::servers)
          .isInstanceOf(JasynqException.class)
          .hasMessageContaining("NOPERM")
          .hasMessageContaining("may not access a key")
          .hasMessageContaining("[asynq:servers]");
    }
  }
}

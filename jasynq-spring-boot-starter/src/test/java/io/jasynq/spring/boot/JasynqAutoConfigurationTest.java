package io.jasynq.spring.boot;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.jasynq.Client;
import io.jasynq.Inspector;
import io.jasynq.QueueNotFoundException;
import io.jasynq.ServerInfo;
import io.jasynq.TaskInfo;
import io.jasynq.TaskNotFoundException;
import io.jasynq.TaskOption;
import io.jasynq.TaskState;
import io.jasynq.testkit.Eventually;
import io.jasynq.testkit.Leaks;
import io.lettuce.core.RedisClient;
import java.time.Duration;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.springframework.boot.ApplicationRunner;
import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Bean;

class JasynqAutoConfigurationTest {
  @RegisterExtension
  static final BootRedis redis = new BootRedis("jasynq.server.shutdown-timeout=1s");

  /** A second server, for the jasynq.redis.* settings that must win over spring.data.redis.*. */
  @RegisterExtension static final BootRedis other = new BootRedis();

  @Test
  void runsTaskHandlerMethodWithJsonBoundRecordAndContext() {
    try (var context = Apps.run(Apps.EmailApp.class, redis.properties())) {
      TaskInfo info =
          context
              .getBean(JasynqTemplate.class)
              .enqueue("email:welcome", new Apps.Welcome("ada@example.com", 2));
      Apps.Emails emails = context.getBean(Apps.Emails.class);
      Eventually.until("the handler ran", () -> !emails.received.isEmpty());
      assertThat(emails.received).containsExactly(new Apps.Welcome("ada@example.com", 2));
      assertThat(emails.taskIds).containsExactly(info.id());
    }
  }

  @Test
  void archivesPayloadThatDoesNotBindAfterOneAttempt() {
    try (var context = Apps.run(Apps.EmailApp.class, redis.properties())) {
      TaskInfo info =
          context.getBean(JasynqTemplate.class).enqueue("email:welcome", "{not json", maxRetry());
      Inspector inspector = context.getBean(Inspector.class);
      Eventually.until(
          "the task is archived",
          () -> inspector.taskInfo("default", info.id()).state() == TaskState.ARCHIVED);
      TaskInfo archived = inspector.taskInfo("default", info.id());
      assertThat(archived.retried()).isZero();
      assertThat(archived.lastError()).hasValueSatisfying(e -> assertThat(e).contains("Welcome"));
      assertThat(context.getBean(Apps.Emails.class).received).isEmpty();
    }
  }

  private static TaskOption maxRetry() {
    return TaskOption.maxRetry(25);
  }

  @Test
  void serverPropertiesReachTheServer() {
    try (var context =
        Apps.run(
            Apps.EmailApp.class,
            redis.properties(
                "jasynq.server.queues.critical=6",
                "jasynq.server.queues.low=1",
                "jasynq.server.concurrency=3",
                "jasynq.server.concurrency-limits.critical=2",
                "jasynq.server.rate-limits.low=600/m,burst=20",
                "jasynq.server.strict-priority=true"))) {
      String id = context.getBean(io.jasynq.Server.class).serverId();
      Inspector inspector = context.getBean(Inspector.class);
      Eventually.until(
          "the server is registered",
          () -> inspector.servers().stream().anyMatch(s -> s.id().equals(id)));
      ServerInfo server =
          inspector.servers().stream().filter(s -> s.id().equals(id)).findFirst().orElseThrow();
      assertThat(server.queues()).isEqualTo(Map.of("critical", 6, "low", 1));
      assertThat(server.concurrency()).isEqualTo(3);
      assertThat(server.strictPriority()).isTrue();
      assertThat(inspector.concurrencyLimit("critical")).hasValue(2);
      assertThat(inspector.concurrencyLimit("low")).isEmpty();
      assertThat(inspector.rateLimit("low"))
          .hasValue(new io.jasynq.RateLimit(600, java.time.Duration.ofMinutes(1), 20));
      assertThat(inspector.rateLimit("critical")).isEmpty();
    }
  }

  @Test
  void aConcurrencyLimitOfAQueueTheServerDoesNotServeFailsTheContextNamingIt() {
    assertThatThrownBy(
            () ->
                Apps.run(
                        Apps.EmailApp.class,
                        redis.properties(
                            "jasynq.server.queues.critical=6",
                            "jasynq.server.concurrency-limits.reports=2"))
                    .close())
        .hasStackTraceContaining("queueConcurrencyLimit names queue \"reports\"");
    assertThatThrownBy(
            () ->
                Apps.run(
                        Apps.EmailApp.class,
                        redis.properties("jasynq.server.concurrency-limits.default=0"))
                    .close())
        .hasStackTraceContaining("jasynq.server.concurrency-limits.default must be >= 1, was 0");
    assertThatThrownBy(
            () ->
                Apps.run(
                        Apps.EmailApp.class,
                        redis.properties("jasynq.server.rate-limits.default=fast"))
                    .close())
        .hasStackTraceContaining(
            "jasynq.server.rate-limits.default must be N/s, N/m or N/h with N >= 1, optionally"
                + " followed by ,burst=B, was fast");
  }

  @Test
  void invalidServerPropertyFailsTheContextNamingIt() {
    assertThatThrownBy(
            () ->
                Apps.run(Apps.EmailApp.class, redis.properties("jasynq.server.concurrency=0"))
                    .close())
        .hasStackTraceContaining("jasynq.server.concurrency must be >= 1, was 0");
  }

  private static final String MASTER_REPLICA_REFUSED =
      "spring.data.redis.masterreplica.nodes (static master/replica) is not supported by jasynq,"
          + " which must send every command to the master: set jasynq.redis.uri to the master"
          + " (redis://host:port), or use Sentinel (spring.data.redis.sentinel.master and"
          + " spring.data.redis.sentinel.nodes) to follow the master across failovers";

  @Test
  void staticMasterReplicaFailsTheContextNamingThePropertyWithBootsConnectionDetails() {
    String nodes = "spring.data.redis.masterreplica.nodes=" + redis.host() + ":" + redis.port();
    assertThatThrownBy(() -> Apps.run(Apps.EmailApp.class, redis.properties(nodes)).close())
        .hasStackTraceContaining(MASTER_REPLICA_REFUSED);
  }

  @Test
  void staticMasterReplicaFailsTheContextNamingThePropertyBindingSpringDataRedisItself() {
    String nodes = "spring.data.redis.masterreplica.nodes=" + redis.host() + ":" + redis.port();
    assertThatThrownBy(
            () ->
                Apps.run(
                        Apps.EmailApp.class,
                        redis.properties(nodes, TopologyChecks.WITHOUT_BOOT_DATA_REDIS))
                    .close())
        .hasStackTraceContaining(MASTER_REPLICA_REFUSED);
  }

  @Test
  void masterReplicaNodesAreIgnoredWithJasynqRedisUri() {
    try (var context =
        Apps.run(
            Apps.NoHandlerApp.class,
            redis.properties(
                "spring.data.redis.masterreplica.nodes=127.0.0.1:1",
                "jasynq.redis.uri=" + other.uri()))) {
      assertThat(context.getBean(JasynqTemplate.class).enqueue("x", "p").state())
          .isEqualTo(TaskState.PENDING);
    }
  }

  @Test
  void connectsWithSpringDataRedisSettings() {
    try (var context = Apps.run(Apps.NoHandlerApp.class, redis.properties());
        Inspector onRedis = Inspector.connect(redis.uri());
        Inspector onOther = Inspector.connect(other.uri())) {
      TaskInfo info = context.getBean(JasynqTemplate.class).enqueue("x", "p");
      assertThat(onRedis.taskInfo("default", info.id()).state()).isEqualTo(TaskState.PENDING);
      assertThatThrownBy(() -> onOther.taskInfo("default", info.id()))
          .isInstanceOfAny(TaskNotFoundException.class, QueueNotFoundException.class);
    }
  }

  @Test
  void connectsToJasynqRedisUriInsteadOfTheApplicationsRedis() {
    try (var context =
            Apps.run(Apps.NoHandlerApp.class, redis.properties("jasynq.redis.uri=" + other.uri()));
        Inspector onRedis = Inspector.connect(redis.uri());
        Inspector onOther = Inspector.connect(other.uri())) {
      TaskInfo info = context.getBean(JasynqTemplate.class).enqueue("x", "p");
      assertThat(onOther.taskInfo("default", info.id()).state()).isEqualTo(TaskState.PENDING);
      assertThatThrownBy(() -> onRedis.taskInfo("default", info.id()))
          .isInstanceOfAny(TaskNotFoundException.class, QueueNotFoundException.class);
    }
  }

  @Test
  void closingWithRunningHandlerRequeuesTaskLeavesNoThreadAndLogsNoWarning() throws Exception {
    Set<Thread> before = Leaks.jasynqThreads();
    String id;
    var context = Apps.run(Apps.SlowApp.class, redis.properties());
    // Started once the context runs: Spring Boot resets Logback while it starts one.
    try (context;
        LogCapture logs = LogCapture.start()) {
      id = context.getBean(JasynqTemplate.class).enqueue("slow", "x").id();
      assertThat(
              context
                  .getBean(Apps.Slow.class)
                  .started
                  .await(10, java.util.concurrent.TimeUnit.SECONDS))
          .isTrue();
      context.close();
      Leaks.awaitNoNewJasynqThreads(before, Duration.ofSeconds(5));
      assertThat(logs.warningsAndErrors()).isEmpty();
    }
    try (Inspector inspector = Inspector.connect(redis.uri())) {
      assertThat(inspector.taskInfo("default", id).state()).isEqualTo(TaskState.PENDING);
      inspector.deleteTask("default", id);
    }
  }

  @Test
  void fiveRefreshCloseCyclesLeaveNoThreads() {
    Set<Thread> before = Leaks.jasynqThreads();
    for (int i = 0; i < 5; i++) {
      try (var context = Apps.run(Apps.EmailApp.class, redis.properties())) {
        context.getBean(JasynqTemplate.class).enqueue("email:welcome", new Apps.Welcome("a", i));
        Apps.Emails emails = context.getBean(Apps.Emails.class);
        Eventually.until("the handler ran", () -> !emails.received.isEmpty());
      }
    }
    Leaks.awaitNoNewJasynqThreads(before, Duration.ofSeconds(5));
  }

  @SpringBootConfiguration
  @EnableAutoConfiguration
  static class FailingApp extends Apps.Emails {
    @Bean
    ApplicationRunner fails() {
      return args -> {
        throw new IllegalStateException("boom");
      };
    }
  }

  @Test
  void contextThatFailsToStartLeavesNothingRunning() {
    Set<Thread> before = Leaks.jasynqThreads();
    assertThatThrownBy(() -> Apps.run(FailingApp.class, redis.properties()).close())
        .hasStackTraceContaining("boom");
    Leaks.awaitNoNewJasynqThreads(before, Duration.ofSeconds(5));
  }

  @SpringBootConfiguration
  @EnableAutoConfiguration
  static class OwnClientApp {
    @Bean(destroyMethod = "close")
    Client myClient() {
      return Client.connect(other.uri());
    }
  }

  @Test
  void userDefinedClientWins() {
    try (var context = Apps.run(OwnClientApp.class, redis.properties())) {
      Client client = context.getBean(Client.class);
      assertThat(context.getBeansOfType(Client.class)).containsOnlyKeys("myClient");
      assertThat(context.getBean(JasynqTemplate.class).client()).isSameAs(client);
    }
  }

  @Test
  void runsOnLettuceManagedBySpringBoot() {
    String jar = RedisClient.class.getProtectionDomain().getCodeSource().getLocation().toString();
    assertThat(jar).contains("lettuce-core-6.8.");
  }

  @Test
  void noHandlersMeansNoServerStarted() {
    try (var context = Apps.run(Apps.NoHandlerApp.class, redis.properties())) {
      assertThat(context.getBean(JasynqServerLifecycle.class).isRunning()).isFalse();
    }
  }

  @Test
  void virtualThreadsFollowSpringThreadsVirtualEnabled() throws Exception {
    if (Runtime.version().feature() < 21) {
      assertThatThrownBy(
              () ->
                  Apps.run(
                          Apps.ProbeApp.class,
                          redis.properties("jasynq.server.virtual-threads=true"))
                      .close())
          .hasStackTraceContaining("needs Java 21");
      return;
    }
    try (ConfigurableApplicationContext context =
        Apps.run(Apps.ProbeApp.class, redis.properties("spring.threads.virtual.enabled=true"))) {
      context.getBean(JasynqTemplate.class).enqueue("probe", null);
      Apps.ThreadProbe probe = context.getBean(Apps.ThreadProbe.class);
      Eventually.until("the handler ran", () -> !probe.threads.isEmpty());
      Thread thread = probe.threads.get(0);
      assertThat((Boolean) Thread.class.getMethod("isVirtual").invoke(thread)).isTrue();
    }
  }
}

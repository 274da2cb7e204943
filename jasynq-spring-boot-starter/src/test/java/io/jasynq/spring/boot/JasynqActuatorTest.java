package io.jasynq.spring.boot;

import static org.assertj.core.api.Assertions.assertThat;

import io.jasynq.Inspector;
import io.jasynq.TaskOption;
import io.jasynq.testkit.Eventually;
import io.jasynq.testkit.Leaks;
import java.time.Duration;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.boot.health.contributor.Status;
import org.springframework.boot.health.registry.HealthContributorRegistry;
import org.springframework.context.ConfigurableApplicationContext;

/** The jasynq health indicator and actuator endpoint, against a Redis that the tests stop. */
class JasynqActuatorTest {
  @RegisterExtension
  static final BootRedis redis =
      new BootRedis("jasynq.server.shutdown-timeout=1s", "jasynq.health.timeout=1s");

  @AfterEach
  void flush() {
    if (!redis.isRunning()) {
      redis.restart();
    }
    try (var client = io.lettuce.core.RedisClient.create(redis.uri());
        var connection = client.connect()) {
      connection.sync().flushall();
    }
  }

  private static Health health(ConfigurableApplicationContext context) {
    return context.getBean("jasynqHealthIndicator", HealthIndicator.class).health();
  }

  @Test
  void healthIsRegisteredAsJasynqAndUpWithRunningServer() {
    try (var context = Apps.run(Apps.EmailApp.class, redis.properties())) {
      HealthContributorRegistry registry = context.getBean(HealthContributorRegistry.class);
      assertThat(registry.getContributor("jasynq"))
          .isSameAs(context.getBean("jasynqHealthIndicator"));
      Health health = health(context);
      assertThat(health.getStatus()).isEqualTo(Status.UP);
      assertThat(health.getDetails())
          .containsEntry("redis", "up")
          .containsEntry("server", "running");
    }
  }

  @Test
  void healthIsDownWhileRedisIsStoppedAndUpAgainAfterRestart() {
    Set<Thread> before = Leaks.jasynqThreads();
    try (var context = Apps.run(Apps.NoHandlerApp.class, redis.properties())) {
      assertThat(health(context).getStatus()).isEqualTo(Status.UP);
      redis.stop();
      Eventually.until("health DOWN", () -> health(context).getStatus().equals(Status.DOWN));
      assertThat(health(context).getDetails()).containsKey("redis");
      redis.restart();
      Eventually.until(
          Duration.ofSeconds(30),
          "health UP again",
          () -> health(context).getStatus().equals(Status.UP));
    }
    Leaks.awaitNoNewJasynqThreads(before, Duration.ofSeconds(5));
  }

  @Test
  void healthIsDownWithServerStoppedWhenTheServerWasStopped() {
    try (var context = Apps.run(Apps.EmailApp.class, redis.properties())) {
      context.getBean(JasynqServerLifecycle.class).stop();
      Health health = health(context);
      assertThat(health.getStatus()).isEqualTo(Status.DOWN);
      assertThat(health.getDetails()).containsEntry("server", "stopped");
    }
  }

  @Test
  void healthIsDownWhenAQueueIsOlderThanTheLatencyThreshold() {
    try (var context =
        Apps.run(Apps.NoHandlerApp.class, redis.properties("jasynq.health.max-queue-latency=1s"))) {
      assertThat(health(context).getStatus()).isEqualTo(Status.UP);
      context.getBean(JasynqTemplate.class).enqueue("waits", "x", TaskOption.queue("slowq"));
      Eventually.until("health DOWN", () -> health(context).getStatus().equals(Status.DOWN));
      assertThat(health(context).getDetails())
          .containsEntry("maxQueueLatency", "PT1S")
          .containsKey("queueLatency");
      assertThat(health(context).getDetails().get("queueLatency").toString()).contains("slowq");
    }
  }

  @Test
  void endpointReturnsQueueStatsWhenExposed() {
    try (var context =
        Apps.run(
            Apps.NoHandlerApp.class,
            redis.properties("management.endpoints.web.exposure.include=health,jasynq"))) {
      JasynqTemplate template = context.getBean(JasynqTemplate.class);
      template.enqueue("a", "1");
      template.enqueue("a", "2");
      template.enqueue("b", "3", TaskOption.queue("critical"));
      context.getBean(Inspector.class).pauseQueue("critical");
      JasynqEndpoint.Queues stats = context.getBean(JasynqEndpoint.class).queues();
      assertThat(stats.queues())
          .extracting(
              JasynqEndpoint.Queue::name,
              JasynqEndpoint.Queue::size,
              JasynqEndpoint.Queue::pending,
              JasynqEndpoint.Queue::paused)
          .containsExactlyInAnyOrder(
              org.assertj.core.groups.Tuple.tuple("default", 2L, 2L, false),
              org.assertj.core.groups.Tuple.tuple("critical", 1L, 1L, true));
    }
  }

  @Test
  void endpointIsAbsentWhenNotExposed() {
    try (var context = Apps.run(Apps.NoHandlerApp.class, redis.properties())) {
      assertThat(context.getBeanProvider(JasynqEndpoint.class).getIfAvailable()).isNull();
    }
  }

  @Test
  void healthIndicatorCanBeDisabled() {
    try (var context =
        Apps.run(
            Apps.NoHandlerApp.class, redis.properties("management.health.jasynq.enabled=false"))) {
      assertThat(context.containsBean("jasynqHealthIndicator")).isFalse();
    }
  }
}

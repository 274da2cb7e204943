package io.jasynq.spring.boot;

import static org.assertj.core.api.Assertions.assertThat;

import io.jasynq.Inspector;
import io.jasynq.TaskInfo;
import io.jasynq.TaskOption;
import io.jasynq.testkit.Eventually;
import java.util.ArrayList;
import java.util.List;
import org.springframework.boot.data.redis.autoconfigure.DataRedisConnectionDetails;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.boot.health.contributor.Status;
import org.springframework.context.ConfigurableApplicationContext;

/** What every topology context must do: run a task, show its queue, and be healthy. */
final class TopologyChecks {
  /** Excludes Boot's Redis auto-configuration: jasynq binds {@code spring.data.redis.*} itself. */
  static final String WITHOUT_BOOT_DATA_REDIS =
      "spring.autoconfigure.exclude="
          + "org.springframework.boot.data.redis.autoconfigure.DataRedisAutoConfiguration";

  private TopologyChecks() {}

  /** {@code properties} plus a server on {@code queue} and a short shutdown. */
  static String[] serving(String queue, String... properties) {
    List<String> all = new ArrayList<>(List.of(properties));
    all.add("jasynq.server.queues." + queue + "=1");
    all.add("jasynq.server.shutdown-timeout=1s");
    all.add("jasynq.health.timeout=5s");
    return all.toArray(String[]::new);
  }

  /**
   * Enqueues with the template into {@code queue}, waits for the {@link TaskHandler} method, and
   * checks the context's inspector, the health indicator and, from outside the context, {@code
   * topology}: the task was processed there.
   */
  static void runsTaskSeesQueueAndIsHealthy(
      ConfigurableApplicationContext context,
      String queue,
      boolean bootConnectionDetails,
      Inspector topology) {
    assertThat(context.getBeanNamesForType(DataRedisConnectionDetails.class))
        .as("Boot's DataRedisConnectionDetails bean")
        .hasSize(bootConnectionDetails ? 1 : 0);
    Apps.Welcome welcome = new Apps.Welcome(queue + "@example.com", 1);
    TaskInfo info =
        context
            .getBean(JasynqTemplate.class)
            .enqueue("email:welcome", welcome, TaskOption.queue(queue));
    Apps.Emails emails = context.getBean(Apps.Emails.class);
    Eventually.until("the handler ran", () -> emails.taskIds.contains(info.id()));
    assertThat(emails.received).contains(welcome);
    Inspector inspector = context.getBean(Inspector.class);
    assertThat(inspector.queues()).contains(queue);
    Eventually.until(
        "the context's inspector sees the task processed",
        () -> inspector.queueInfo(queue).processedTotal() >= 1);
    Eventually.until(
        "an inspector on the topology sees the task processed",
        () -> topology.queues().contains(queue) && topology.queueInfo(queue).processedTotal() >= 1);
    HealthIndicator health = context.getBean("jasynqHealthIndicator", HealthIndicator.class);
    Eventually.until("health UP", () -> health.health().getStatus().equals(Status.UP));
  }
}

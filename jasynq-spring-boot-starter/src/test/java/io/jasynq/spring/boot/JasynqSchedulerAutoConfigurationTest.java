package io.jasynq.spring.boot;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.jasynq.Inspector;
import io.jasynq.Page;
import io.jasynq.Scheduler;
import io.jasynq.SchedulerEnqueueEvent;
import io.jasynq.SchedulerEntry;
import io.jasynq.TaskContext;
import io.jasynq.TaskInfo;
import io.jasynq.TaskState;
import io.jasynq.testkit.Eventually;
import io.jasynq.testkit.Leaks;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Import;

class JasynqSchedulerAutoConfigurationTest {
  @RegisterExtension
  static final BootRedis redis = new BootRedis("jasynq.server.shutdown-timeout=1s");

  /** Handles tick:annotated, which it also schedules every second. */
  static class Ticks {
    final List<String> taskIds = new CopyOnWriteArrayList<>();

    @TaskHandler("tick:annotated")
    @Periodic(cron = "@every 1s", payload = "\"hi\"")
    void tick(String payload, TaskContext context) {
      if (payload.equals("\"hi\"")) {
        taskIds.add(context.taskId());
      }
    }
  }

  @SpringBootConfiguration
  @EnableAutoConfiguration
  @Import(Ticks.class)
  static class TickApp {}

  /** A Handler bean whose class carries both annotations. */
  @TaskHandler("tick:class")
  @Periodic(cron = "@every 1s")
  static class ClassTicks implements io.jasynq.Handler {
    final List<String> taskIds = new CopyOnWriteArrayList<>();

    @Override
    public void handle(TaskContext context) {
      taskIds.add(context.taskId());
    }
  }

  @SpringBootConfiguration
  @EnableAutoConfiguration
  @Import(ClassTicks.class)
  static class ClassTickApp {}

  /** A prefix handler with @Periodic but no type. */
  static class PrefixTicks {
    @TaskHandler("tick:")
    @Periodic(cron = "@every 1s")
    void tick() {}
  }

  @SpringBootConfiguration
  @EnableAutoConfiguration
  @Import(PrefixTicks.class)
  static class PrefixApp {}

  /** A type that a longer pattern of another handler takes. */
  static class Stolen {
    @TaskHandler("steal:")
    @Periodic(cron = "@every 1s", type = "steal:me")
    void broad() {}

    @TaskHandler("steal:me")
    void narrow() {}
  }

  @SpringBootConfiguration
  @EnableAutoConfiguration
  @Import(Stolen.class)
  static class StolenApp {}

  /** An invalid spec on an annotation. */
  static class BadCron {
    @TaskHandler("bad:cron")
    @Periodic(cron = "61 * * * *")
    void tick() {}
  }

  @SpringBootConfiguration
  @EnableAutoConfiguration
  @Import(BadCron.class)
  static class BadCronApp {}

  @Test
  void annotatedHandlerGetsItsPeriodicTaskProcessedRepeatedly() {
    try (var context = Apps.run(TickApp.class, redis.properties())) {
      Ticks ticks = context.getBean(Ticks.class);
      Eventually.until("two periodic tasks were processed", () -> ticks.taskIds.size() >= 2);
      assertThat(Set.copyOf(ticks.taskIds)).hasSameSizeAs(ticks.taskIds);
    }
  }

  @Test
  void annotatedHandlerClassGetsItsPeriodicTaskProcessed() {
    try (var context = Apps.run(ClassTickApp.class, redis.properties())) {
      ClassTicks ticks = context.getBean(ClassTicks.class);
      Eventually.until("two periodic tasks were processed", () -> ticks.taskIds.size() >= 2);
    }
  }

  @Test
  void propertiesEntryEnqueuesToItsQueueWithPayloadAndIsListed() {
    try (var context =
            Apps.run(
                Apps.NoHandlerApp.class,
                redis.properties(
                    "jasynq.periodic.report.cron=@every 1s",
                    "jasynq.periodic.report.type=report:props",
                    "jasynq.periodic.report.payload={\"n\":1}",
                    "jasynq.periodic.report.queue=props",
                    "jasynq.periodic.report.zone=Europe/Berlin"));
        Inspector inspector = Inspector.connect(redis.uri())) {
      Eventually.until(
          "a task is pending in queue props",
          () ->
              inspector.queues().contains("props")
                  && !inspector.listTasks("props", TaskState.PENDING, Page.all()).isEmpty());
      TaskInfo task = inspector.listTasks("props", TaskState.PENDING, Page.all()).get(0);
      assertThat(task.type()).isEqualTo("report:props");
      assertThat(new String(task.payload(), StandardCharsets.UTF_8)).isEqualTo("{\"n\":1}");
      String schedulerId = context.getBean(Scheduler.class).schedulerId();
      assertThat(inspector.schedulerEntries())
          .extracting(SchedulerEntry::spec, SchedulerEntry::taskType)
          .contains(
              org.assertj.core.groups.Tuple.tuple(
                  "CRON_TZ=Europe/Berlin @every 1s", "report:props"));
      assertThat(schedulerId).isNotBlank();
      inspector.deleteAll("props", TaskState.PENDING);
    }
  }

  @Test
  void twoContextsWithTheSamePeriodicTaskEnqueueEachTickOnce() {
    String[] properties =
        redis.properties(
            "jasynq.periodic.dup.cron=@every 1s",
            "jasynq.periodic.dup.type=dup:tick",
            "jasynq.periodic.dup.queue=dups");
    try (var first = Apps.run(Apps.NoHandlerApp.class, properties);
        var second = Apps.run(Apps.NoHandlerApp.class, properties);
        Inspector inspector = Inspector.connect(redis.uri())) {
      List<String> entries = new ArrayList<>();
      entries.addAll(first.getBean(Scheduler.class).entryIds());
      entries.addAll(second.getBean(Scheduler.class).entryIds());
      assertThat(entries).hasSize(2);
      Eventually.until(
          Duration.ofSeconds(20),
          "both schedulers ran over at least four ticks",
          () -> history(inspector, entries).size() >= 4);
      List<SchedulerEnqueueEvent> events = history(inspector, entries);
      // An @every 1s tick is the whole second of the pass that enqueued it.
      List<Long> ticks = events.stream().map(e -> e.enqueuedAt().getEpochSecond()).toList();
      assertThat(Set.copyOf(ticks)).as("ticks enqueued, from %s", events).hasSameSizeAs(ticks);
      List<String> ids = events.stream().map(SchedulerEnqueueEvent::taskId).toList();
      for (String id : ids) {
        assertThat(inspector.taskInfo("dups", id).type()).isEqualTo("dup:tick");
      }
    } finally {
      try (Inspector inspector = Inspector.connect(redis.uri())) {
        inspector.deleteAll("dups", TaskState.PENDING);
      }
    }
  }

  private static List<SchedulerEnqueueEvent> history(Inspector inspector, List<String> entries) {
    List<SchedulerEnqueueEvent> all = new ArrayList<>();
    for (String entry : entries) {
      all.addAll(inspector.schedulerHistory(entry, Page.all()));
    }
    return all;
  }

  @Test
  void invalidCronInPropertiesFailsTheContextNamingPropertyAndSpec() {
    Set<Thread> before = Leaks.jasynqThreads();
    assertThatThrownBy(
            () ->
                Apps.run(
                        Apps.NoHandlerApp.class,
                        redis.properties(
                            "jasynq.periodic.nightly.cron=* * * * 7",
                            "jasynq.periodic.nightly.type=x"))
                    .close())
        .hasStackTraceContaining("jasynq.periodic.nightly: cron \"* * * * 7\" is invalid")
        .hasStackTraceContaining("day-of-week");
    Leaks.awaitNoNewJasynqThreads(before, Duration.ofSeconds(5));
  }

  @Test
  void invalidCronOnAnnotationFailsTheContextNamingHandlerAndSpec() {
    assertThatThrownBy(() -> Apps.run(BadCronApp.class, redis.properties()).close())
        .hasStackTraceContaining("@Periodic on JasynqSchedulerAutoConfigurationTest.BadCron.tick()")
        .hasStackTraceContaining("cron \"61 * * * *\" is invalid");
  }

  @Test
  void invalidZoneFailsTheContextNamingIt() {
    assertThatThrownBy(
            () ->
                Apps.run(
                        Apps.NoHandlerApp.class,
                        redis.properties(
                            "jasynq.periodic.z.cron=@daily",
                            "jasynq.periodic.z.type=x",
                            "jasynq.periodic.z.zone=Mars/Olympus"))
                    .close())
        .hasStackTraceContaining("jasynq.periodic.z: zone \"Mars/Olympus\" is not a zone ID");
  }

  @Test
  void prefixHandlerWithoutTypeFailsTheContext() {
    assertThatThrownBy(() -> Apps.run(PrefixApp.class, redis.properties()).close())
        .hasStackTraceContaining("handler pattern \"tick:\" is a prefix");
  }

  @Test
  void typeServedByAnotherHandlerFailsTheContext() {
    assertThatThrownBy(() -> Apps.run(StolenApp.class, redis.properties()).close())
        .hasStackTraceContaining(
            "task type \"steal:me\" is not served by this handler (pattern \"steal:\")");
  }

  @Test
  void withoutPeriodicTasksNoSchedulerIsCreated() {
    try (var context = Apps.run(Apps.EmailApp.class, redis.properties())) {
      assertThat(context.getBean(JasynqSchedulerLifecycle.class).isRunning()).isFalse();
      assertThat(context.getBeanFactory().containsSingleton("jasynqScheduler")).isFalse();
    }
  }

  @Test
  void schedulerEnabledFalseDisablesPeriodicTasks() {
    try (var context =
        Apps.run(TickApp.class, redis.properties("jasynq.scheduler.enabled=false"))) {
      assertThat(context.getBeanNamesForType(Scheduler.class)).isEmpty();
      assertThat(context.getBeanNamesForType(JasynqSchedulerLifecycle.class)).isEmpty();
    }
  }

  @Test
  void closingTheContextRemovesEntriesLeavesNoThreadAndLogsNoWarning() {
    try (Inspector inspector = Inspector.connect(redis.uri())) {
      Set<Thread> before = Leaks.jasynqThreads(); // the inspector's own threads included
      String schedulerId;
      ConfigurableApplicationContext context = Apps.run(TickApp.class, redis.properties());
      // Started once the context runs: Spring Boot resets Logback while it starts one.
      try (context;
          LogCapture logs = LogCapture.start()) {
        Ticks ticks = context.getBean(Ticks.class);
        Eventually.until("a periodic task was processed", () -> !ticks.taskIds.isEmpty());
        schedulerId = context.getBean(Scheduler.class).schedulerId();
        assertThat(inspector.schedulerEntries())
            .extracting(SchedulerEntry::taskType)
            .contains("tick:annotated");
        context.close();
        assertThat(logs.warningsAndErrors()).isEmpty();
      }
      Leaks.awaitNoNewJasynqThreads(before, Duration.ofSeconds(5));
      assertThat(inspector.schedulerEntries())
          .extracting(SchedulerEntry::taskType)
          .as("entries of scheduler %s", schedulerId)
          .doesNotContain("tick:annotated");
    }
  }
}

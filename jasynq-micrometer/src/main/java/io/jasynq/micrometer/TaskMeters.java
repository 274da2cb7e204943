package io.jasynq.micrometer;

import static io.jasynq.micrometer.MetricNames.TAG_OUTCOME;
import static io.jasynq.micrometer.MetricNames.TAG_QUEUE;
import static io.jasynq.micrometer.MetricNames.TAG_TASK_TYPE;

import io.jasynq.ServerListener;
import io.jasynq.TaskEvent;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.LongTaskTimer;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.Timer;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The server's meters, fed by its {@link ServerListener} events. Nothing here blocks or calls
 * Redis: each event looks up (or registers) a meter and records. Thread-safe; called concurrently
 * from the server's workers and Redis I/O threads.
 */
final class TaskMeters implements ServerListener {
  private record Running(String queue, String taskId) {}

  // Immutable after construction.
  private final MeterRegistry registry;
  private final Tags common;
  private final TaskTypeTags types;

  // Shared: a started attempt's sample until its paired finish event removes it.
  private final ConcurrentHashMap<Running, LongTaskTimer.Sample> running =
      new ConcurrentHashMap<>();

  TaskMeters(MeterRegistry registry, Tags common, TaskTypeTags types) {
    this.registry = registry;
    this.common = common;
    this.types = types;
  }

  @Override
  public void onTaskStarted(TaskEvent event) {
    Tags tags = taskTags(event);
    recordQueueWait(event, tags);
    LongTaskTimer active =
        LongTaskTimer.builder(MetricNames.TASK_ACTIVE)
            .description("Task attempts running now")
            .tags(common)
            .tags(tags)
            .register(registry);
    LongTaskTimer.Sample previous = running.put(key(event), active.start());
    if (previous != null) { // a start without a finish cannot happen; do not let it leak
      previous.stop();
    }
  }

  @Override
  public void onTaskSucceeded(TaskEvent event) {
    finish(event);
    counter(MetricNames.TASKS_PROCESSED, taskTags(event)).increment();
  }

  @Override
  public void onTaskFailed(TaskEvent event) {
    finish(event);
    Tags tags = taskTags(event);
    counter(MetricNames.TASKS_PROCESSED, tags).increment();
    counter(MetricNames.TASKS_FAILED, tags.and(TAG_OUTCOME, outcome(event))).increment();
    if (event.outcome().orElse(null) == TaskEvent.Outcome.RETRY) {
      counter(MetricNames.TASKS_RETRIED, tags).increment();
    }
  }

  @Override
  public void onTaskInterrupted(TaskEvent event) {
    finish(event);
  }

  @Override
  public void onTaskArchived(TaskEvent event) {
    counter(MetricNames.TASKS_ARCHIVED, taskTags(event)).increment();
  }

  @Override
  public void onTaskRecovered(TaskEvent event) {
    counter(
            MetricNames.TASKS_RECOVERED,
            Tags.of(TAG_QUEUE, MeterTags.queue(event.queue()), TAG_OUTCOME, outcome(event)))
        .increment();
  }

  @Override
  public void onTasksForwarded(String queue, int count) {
    counter(MetricNames.TASKS_FORWARDED, Tags.of(TAG_QUEUE, MeterTags.queue(queue)))
        .increment(count);
  }

  @Override
  public void onRedisError(String operation, Throwable error) {
    counter(
            MetricNames.REDIS_ERRORS,
            Tags.of(
                MetricNames.TAG_COMPONENT,
                MetricNames.COMPONENT_SERVER,
                MetricNames.TAG_OPERATION,
                operation == null ? TaskTypeTags.UNKNOWN : operation))
        .increment();
  }

  /** How many attempts are being timed now (for tests: it must return to 0). */
  int running() {
    return running.size();
  }

  /** Stops the attempt's active sample and records its execution time. */
  private void finish(TaskEvent event) {
    LongTaskTimer.Sample sample = running.remove(key(event));
    if (sample != null) {
      sample.stop();
    }
    Timer.builder(MetricNames.TASK_EXECUTION)
        .description("Task handler attempts")
        .tags(common)
        .tags(taskTags(event))
        .tags(TAG_OUTCOME, outcome(event))
        .tags(MetricNames.TAG_EXCEPTION, MeterTags.exception(event.error().orElse(null)))
        .register(registry)
        .record(event.elapsed());
  }

  private void recordQueueWait(TaskEvent event, Tags tags) {
    Instant since = event.pendingSince().orElse(null);
    Instant started = event.startedAt().orElse(null);
    if (since == null || started == null) {
      return;
    }
    Duration wait = Duration.between(since, started);
    if (!wait.isNegative()) {
      Timer.builder(MetricNames.TASK_QUEUE_WAIT)
          .description("Time from pending to started")
          .tags(common)
          .tags(tags)
          .register(registry)
          .record(wait);
    }
  }

  private Counter counter(String name, Tags tags) {
    return Counter.builder(name).tags(common).tags(tags).register(registry);
  }

  private Tags taskTags(TaskEvent event) {
    return Tags.of(
        TAG_QUEUE, MeterTags.queue(event.queue()), TAG_TASK_TYPE, types.tagValue(event.type()));
  }

  private static String outcome(TaskEvent event) {
    return event.outcome().map(MeterTags::outcome).orElse(TaskTypeTags.UNKNOWN);
  }

  private static Running key(TaskEvent event) {
    return new Running(event.queue(), event.taskId());
  }
}

package io.jasynq.micrometer;

import static io.jasynq.micrometer.MetricNames.TAG_OUTCOME;
import static io.jasynq.micrometer.MetricNames.TAG_QUEUE;
import static io.jasynq.micrometer.MetricNames.TAG_TASK_TYPE;

import io.jasynq.ServerListener;
import io.jasynq.TaskEvent;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.LongTaskTimer;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.Timer;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.ConcurrentHashMap;
import org.jspecify.annotations.Nullable;

/**
 * The server's meters, fed by its {@link ServerListener} events. Nothing here blocks or calls
 * Redis: each event looks up (or registers) a meter and records. Thread-safe; called concurrently
 * from the server's workers and Redis I/O threads.
 */
final class TaskMeters implements ServerListener {
  private record Running(String queue, String taskId) {}

  /** Which meter: its name and tag values (null where the meter has no such tag). */
  private record Key(
      String name,
      String queue,
      String type,
      @Nullable String outcome,
      @Nullable String exception) {}

  // Immutable after construction.
  private final MeterRegistry registry;
  private final Tags common;
  private final TaskTypeTags types;

  // Shared: the meters registered so far, so that an event costs a map lookup, not a registration
  // (building an id, sorting tags, running the registry's filters). Bounded as the tags are: by
  // queues x task-type tags x outcomes x exception classes.
  private final ConcurrentHashMap<Key, Meter> meters = new ConcurrentHashMap<>();

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
    String queue = MeterTags.queue(event.queue());
    String type = types.tagValue(event.type());
    recordQueueWait(event, queue, type);
    LongTaskTimer active =
        meter(
            new Key(MetricNames.TASK_ACTIVE, queue, type, null, null),
            k ->
                LongTaskTimer.builder(k.name())
                    .description("Task attempts running now")
                    .tags(common)
                    .tags(TAG_QUEUE, queue, TAG_TASK_TYPE, type)
                    .register(registry));
    LongTaskTimer.Sample previous = running.put(key(event), active.start());
    if (previous != null) { // a start without a finish cannot happen; do not let it leak
      previous.stop();
    }
  }

  @Override
  public void onTaskSucceeded(TaskEvent event) {
    finish(event);
    taskCounter(MetricNames.TASKS_PROCESSED, event, null).increment();
  }

  @Override
  public void onTaskFailed(TaskEvent event) {
    finish(event);
    taskCounter(MetricNames.TASKS_PROCESSED, event, null).increment();
    taskCounter(MetricNames.TASKS_FAILED, event, outcome(event)).increment();
    if (event.outcome().orElse(null) == TaskEvent.Outcome.RETRY) {
      taskCounter(MetricNames.TASKS_RETRIED, event, null).increment();
    }
  }

  @Override
  public void onTaskInterrupted(TaskEvent event) {
    finish(event);
  }

  @Override
  public void onTaskArchived(TaskEvent event) {
    taskCounter(MetricNames.TASKS_ARCHIVED, event, null).increment();
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
    String queue = MeterTags.queue(event.queue());
    String type = types.tagValue(event.type());
    String outcome = outcome(event);
    String exception = MeterTags.exception(event.error().orElse(null));
    this.<Timer>meter(
            new Key(MetricNames.TASK_EXECUTION, queue, type, outcome, exception),
            k ->
                Timer.builder(k.name())
                    .description("Task handler attempts")
                    .tags(common)
                    .tags(
                        TAG_QUEUE,
                        queue,
                        TAG_TASK_TYPE,
                        type,
                        TAG_OUTCOME,
                        outcome,
                        MetricNames.TAG_EXCEPTION,
                        exception)
                    .register(registry))
        .record(event.elapsed());
  }

  private void recordQueueWait(TaskEvent event, String queue, String type) {
    Instant since = event.pendingSince().orElse(null);
    Instant started = event.startedAt().orElse(null);
    if (since == null || started == null) {
      return;
    }
    Duration wait = Duration.between(since, started);
    if (!wait.isNegative()) {
      this.<Timer>meter(
              new Key(MetricNames.TASK_QUEUE_WAIT, queue, type, null, null),
              k ->
                  Timer.builder(k.name())
                      .description("Time from pending to started")
                      .tags(common)
                      .tags(TAG_QUEUE, queue, TAG_TASK_TYPE, type)
                      .register(registry))
          .record(wait);
    }
  }

  private Counter counter(String name, Tags tags) {
    return Counter.builder(name).tags(common).tags(tags).register(registry);
  }

  /** A per-task counter: tags queue, task type and (if not null) outcome. */
  private Counter taskCounter(String name, TaskEvent event, @Nullable String outcome) {
    String queue = MeterTags.queue(event.queue());
    String type = types.tagValue(event.type());
    return meter(
        new Key(name, queue, type, outcome, null),
        k -> {
          Tags tags = Tags.of(TAG_QUEUE, queue, TAG_TASK_TYPE, type);
          return counter(name, outcome == null ? tags : tags.and(TAG_OUTCOME, outcome));
        });
  }

  @SuppressWarnings("unchecked")
  private <M extends Meter> M meter(Key key, java.util.function.Function<Key, M> register) {
    Meter m = meters.get(key);
    if (m == null) {
      m = meters.computeIfAbsent(key, register);
    }
    return (M) m;
  }

  private static String outcome(TaskEvent event) {
    return event.outcome().map(MeterTags::outcome).orElse(TaskTypeTags.UNKNOWN);
  }

  private static Running key(TaskEvent event) {
    return new Running(event.queue(), event.taskId());
  }
}

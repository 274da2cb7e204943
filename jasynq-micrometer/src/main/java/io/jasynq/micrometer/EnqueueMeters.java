package io.jasynq.micrometer;

import io.jasynq.DuplicateTaskException;
import io.jasynq.EnqueueInterceptor;
import io.jasynq.JasynqException;
import io.jasynq.NotReplicatedException;
import io.jasynq.TaskIdConflictException;
import io.jasynq.TaskInfo;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.Timer;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.jspecify.annotations.Nullable;

/**
 * Times every enqueue of a client, one record per task (a batch of n records n times), from the
 * call to the completion of its future, with the registry's clock. Recording happens before the
 * returned future completes, so a caller that saw the outcome sees the meters too. Thread-safe;
 * completes futures on the Redis I/O thread that completed the client's, without blocking.
 */
final class EnqueueMeters implements EnqueueInterceptor {
  /** A timer's tag values. */
  private record Key(String queue, String type, String outcome, String exception) {}

  // Immutable after construction.
  private final MeterRegistry registry;
  private final Tags common;
  private final TaskTypeTags types;

  // Shared: the timers registered so far; an enqueue costs a lookup, not a registration.
  private final java.util.concurrent.ConcurrentHashMap<Key, Timer> timers =
      new java.util.concurrent.ConcurrentHashMap<>();

  EnqueueMeters(MeterRegistry registry, Tags common, TaskTypeTags types) {
    this.registry = registry;
    this.common = common;
    this.types = types;
  }

  @Override
  public CompletableFuture<TaskInfo> intercept(Call call) {
    long start = registry.config().clock().monotonicTime();
    CompletableFuture<TaskInfo> sent;
    try {
      sent = call.proceed(call.task());
    } catch (RuntimeException e) { // invalid input throws at once; record, then rethrow as is
      record(call, start, e);
      throw e;
    }
    CompletableFuture<TaskInfo> result = new CompletableFuture<>();
    sent.whenComplete(
        (info, error) -> {
          try {
            record(call, start, error);
          } finally {
            if (error == null) {
              result.complete(info);
            } else {
              result.completeExceptionally(error);
            }
          }
        });
    return result;
  }

  private void record(Call call, long start, Throwable error) {
    long nanos = registry.config().clock().monotonicTime() - start;
    Throwable cause = error == null ? null : MeterTags.unwrap(error);
    Key key =
        new Key(
            MeterTags.queue(call.queue()),
            types.tagValue(call.task().type()),
            outcome(cause),
            MeterTags.exception(cause));
    Timer timer = timers.get(key);
    if (timer == null) {
      timer = timers.computeIfAbsent(key, this::register);
    }
    timer.record(nanos, TimeUnit.NANOSECONDS);
    if (isRedisFailure(cause)) {
      Counter.builder(MetricNames.REDIS_ERRORS)
          .tags(common)
          .tags(
              MetricNames.TAG_COMPONENT,
              MetricNames.COMPONENT_CLIENT,
              MetricNames.TAG_OPERATION,
              "enqueue")
          .register(registry)
          .increment();
    }
  }

  private Timer register(Key k) {
    return Timer.builder(MetricNames.CLIENT_ENQUEUE)
        .description("Enqueues, one per task")
        .tags(common)
        .tags(
            MetricNames.TAG_QUEUE,
            k.queue(),
            MetricNames.TAG_TASK_TYPE,
            k.type(),
            MetricNames.TAG_OUTCOME,
            k.outcome(),
            MetricNames.TAG_EXCEPTION,
            k.exception())
        .register(registry);
  }

  private static String outcome(@Nullable Throwable cause) {
    if (cause == null) {
      return MetricNames.ENQUEUED;
    } else if (cause instanceof DuplicateTaskException) {
      return MetricNames.DUPLICATE;
    } else if (cause instanceof TaskIdConflictException) {
      return MetricNames.ID_CONFLICT;
    } else if (cause instanceof IllegalArgumentException) {
      return MetricNames.INVALID;
    }
    return MetricNames.ERROR;
  }

  /** A Redis failure: a JasynqException that is not one of the outcomes a caller expects. */
  private static boolean isRedisFailure(@Nullable Throwable cause) {
    return cause instanceof JasynqException
        && !(cause instanceof DuplicateTaskException)
        && !(cause instanceof TaskIdConflictException)
        && !(cause instanceof NotReplicatedException);
  }
}

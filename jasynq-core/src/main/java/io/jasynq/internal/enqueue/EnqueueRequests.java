package io.jasynq.internal.enqueue;

import com.google.protobuf.ByteString;
import io.jasynq.Task;
import io.jasynq.TaskOption;
import io.jasynq.TaskState;
import io.jasynq.internal.broker.EnqueueRequest;
import io.jasynq.internal.broker.EnqueueRequest.Target;
import io.jasynq.internal.broker.Keys;
import io.jasynq.internal.broker.proto.TaskMessage;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;

/**
 * Turns a task and its options into the write of one enqueue, as wire-format §5.2 says: the task's
 * options, then the call's (the last of a kind wins), Asynq's defaults, the task message, and where
 * the task goes. The one place these rules live: the Client uses it, and so does the aggregator
 * (with the group's queue as the last option). No I/O: a rejected enqueue writes nothing.
 */
public final class EnqueueRequests {
  private EnqueueRequests() {}

  /**
   * What to write and what it means.
   *
   * @param request the write
   * @param message the task message in it
   * @param state the state the task will be in
   * @param nextProcessAt when it is due (null for aggregating tasks)
   */
  public record Prepared(
      EnqueueRequest request, TaskMessage message, TaskState state, Instant nextProcessAt) {}

  /**
   * Merges the options, validates and builds the write.
   *
   * @throws IllegalArgumentException for a payload over {@code maxPayloadSize} or a deadline not in
   *     the future
   */
  public static Prepared prepare(
      Task task, TaskOption[] callOptions, Instant now, int maxPayloadSize) {
    java.util.Objects.requireNonNull(task, "task == null");
    String queue = TaskOption.DEFAULT_QUEUE;
    int maxRetry = TaskOption.DEFAULT_MAX_RETRY;
    String id = null;
    Duration timeout = null;
    Instant deadline = null;
    Duration uniqueTtl = null;
    String uniqueChosen = null; // a caller's unique key, instead of type and payload
    TaskOption.Debounce debounce = null;
    Instant processAt = null;
    Duration retention = Duration.ZERO;
    String group = "";
    Map<String, String> headers = new LinkedHashMap<>(task.headers());

    TaskOption[] taskOptions = task.options().toArray(new TaskOption[0]);
    for (TaskOption[] list : new TaskOption[][] {taskOptions, callOptions}) {
      for (TaskOption option : list) {
        java.util.Objects.requireNonNull(option, "option == null");
        if (option instanceof TaskOption.Queue o) {
          queue = o.name();
        } else if (option instanceof TaskOption.MaxRetry o) {
          maxRetry = o.retries();
        } else if (option instanceof TaskOption.TaskId o) {
          id = o.id();
        } else if (option instanceof TaskOption.Timeout o) {
          timeout = o.timeout();
        } else if (option instanceof TaskOption.Deadline o) {
          deadline = o.deadline();
        } else if (option instanceof TaskOption.Unique o) {
          uniqueTtl = o.ttl();
          uniqueChosen = null;
        } else if (option instanceof TaskOption.UniqueKey o) {
          uniqueTtl = o.ttl();
          uniqueChosen = o.key();
        } else if (option instanceof TaskOption.Debounce o) {
          debounce = o;
        } else if (option instanceof TaskOption.ProcessAt o) {
          processAt = o.time();
        } else if (option instanceof TaskOption.ProcessIn o) {
          processAt = now.plus(o.delay());
        } else if (option instanceof TaskOption.Retention o) {
          retention = o.retention();
        } else if (option instanceof TaskOption.Group o) {
          group = o.name();
        } else if (option instanceof TaskOption.Header o) {
          headers.put(o.name(), o.value());
        }
      }
    }

    if (task.payloadSize() > maxPayloadSize) {
      throw new IllegalArgumentException(
          "payload is "
              + task.payloadSize()
              + " bytes, over the client's limit of "
              + maxPayloadSize
              + " bytes (Client.Builder.maxPayloadSize)");
    }
    long nowSeconds = now.getEpochSecond();
    if (deadline != null && deadline.getEpochSecond() <= nowSeconds) {
      throw new IllegalArgumentException(
          "deadline must be in the future, was " + deadline + " (now " + now + ")");
    }
    if (debounce != null) {
      checkDebounce(uniqueTtl != null, processAt != null, !group.isEmpty(), id != null);
    }
    if (id == null) {
      id = UUID.randomUUID().toString();
    }
    byte[] payload = task.payload();
    long timeoutSeconds = timeout == null ? 0 : seconds(timeout);
    long deadlineSeconds = deadline == null ? 0 : deadline.getEpochSecond();
    if (timeoutSeconds == 0 && deadlineSeconds == 0) {
      timeoutSeconds = TaskOption.DEFAULT_TIMEOUT.getSeconds();
    }
    String uniqueKey =
        debounce != null
            ? Keys.uniqueByKey(queue, debounce.key())
            : uniqueTtl == null
                ? null
                : uniqueChosen != null
                    ? Keys.uniqueByKey(queue, uniqueChosen)
                    : Keys.unique(queue, task.type(), payload);

    TaskMessage.Builder message =
        TaskMessage.newBuilder()
            .setType(task.type())
            .setId(id)
            .setQueue(queue)
            .setRetry(maxRetry)
            .setTimeout(timeoutSeconds)
            .setDeadline(deadlineSeconds)
            .setRetention(seconds(retention))
            .setGroupKey(group)
            .putAllHeaders(headers);
    if (payload != null) {
      message.setPayload(ByteString.copyFrom(payload));
    }
    if (uniqueKey != null) {
      message.setUniqueKey(uniqueKey);
    }
    TaskMessage built = message.build();

    Target target;
    Instant next;
    TaskState state;
    long uniqueTtlSeconds = uniqueTtl == null ? 0 : seconds(uniqueTtl);
    long processAtSeconds = 0;
    long debounceMaxWaitSeconds = 0;
    if (debounce != null) {
      target = Target.DEBOUNCED;
      state = TaskState.SCHEDULED;
      next = now.plus(debounce.delay());
      processAtSeconds = next.getEpochSecond();
      debounceMaxWaitSeconds = seconds(debounce.maxWait());
      uniqueTtlSeconds = seconds(debounce.delay()) + DEBOUNCE_LOCK_SLACK_SECONDS;
    } else if (processAt != null && processAt.isAfter(now)) {
      target = Target.SCHEDULED;
      state = TaskState.SCHEDULED;
      next = processAt;
      processAtSeconds = processAt.getEpochSecond();
      if (uniqueTtl != null) {
        // The lock covers the wait as well as the TTL.
        uniqueTtlSeconds = seconds(Duration.between(now, processAt).plus(uniqueTtl));
      }
    } else if (!group.isEmpty()) {
      target = Target.GROUP;
      state = TaskState.AGGREGATING;
      next = null;
    } else {
      target = Target.PENDING;
      state = TaskState.PENDING;
      next = now;
    }
    long nowNanos = Math.addExact(Math.multiplyExact(nowSeconds, 1_000_000_000L), now.getNano());
    EnqueueRequest request =
        new EnqueueRequest(
            queue,
            id,
            built.toByteArray(),
            target,
            uniqueKey,
            uniqueTtlSeconds,
            processAtSeconds,
            group,
            nowNanos,
            debounceMaxWaitSeconds);
    return new Prepared(request, built, state, next);
  }

  /** How long a debounce key's lock outlives its task's delay: it must cover the whole wait. */
  static final long DEBOUNCE_LOCK_SLACK_SECONDS = 60;

  private static void checkDebounce(
      boolean unique, boolean processAt, boolean group, boolean taskId) {
    String other =
        unique
            ? "unique (the debounce key's lock is the task's unique lock)"
            : processAt
                ? "processAt or processIn (the debounce delay sets the run time)"
                : group ? "group" : taskId ? "taskId (each replacement gets a new ID)" : null;
    if (other != null) {
      throw new IllegalArgumentException("debounce cannot be combined with " + other);
    }
  }

  /** Whole seconds, rounding a fraction up. */
  private static long seconds(Duration d) {
    long s = d.getSeconds();
    return d.getNano() > 0 ? s + 1 : s;
  }
}

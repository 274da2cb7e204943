package io.jasynq.internal.server;

import com.google.protobuf.ByteString;
import io.jasynq.Task;
import io.jasynq.TaskOption;
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
 * The write of an aggregated task: the task's own options applied as a client enqueue applies them
 * (spec §5.2; the last of a kind wins; defaults 25 retries, 30 min timeout, a new UUID), then the
 * queue forced to the group's queue (spec §4.9). The message is byte for byte what {@code
 * Client.enqueue(task, queue(q))} writes; {@code AggregatedEnqueueTest} pins that. There is no
 * payload size limit: that is a client setting.
 *
 * <p>Public only so that the test in {@code io.jasynq} can compare it with the client's plan; not
 * API.
 */
public final class AggregatedEnqueue {
  private AggregatedEnqueue() {}

  /**
   * The request that writes {@code task} to {@code queue} at {@code now}.
   *
   * @throws IllegalArgumentException if the task's deadline is not in the future
   */
  public static EnqueueRequest request(Task task, String queue, Instant now) {
    int maxRetry = TaskOption.DEFAULT_MAX_RETRY;
    String id = UUID.randomUUID().toString();
    Duration timeout = null;
    Instant deadline = null;
    Duration uniqueTtl = null;
    Instant processAt = null;
    Duration retention = Duration.ZERO;
    String group = "";
    Map<String, String> headers = new LinkedHashMap<>(task.headers());
    for (TaskOption option : task.options()) {
      if (option instanceof TaskOption.MaxRetry o) {
        maxRetry = o.retries();
      } else if (option instanceof TaskOption.TaskId o) {
        id = o.id();
      } else if (option instanceof TaskOption.Timeout o) {
        timeout = o.timeout();
      } else if (option instanceof TaskOption.Deadline o) {
        deadline = o.deadline();
      } else if (option instanceof TaskOption.Unique o) {
        uniqueTtl = o.ttl();
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
      } // TaskOption.Queue: forced to the group's queue
    }
    long nowSeconds = now.getEpochSecond();
    if (deadline != null && deadline.getEpochSecond() <= nowSeconds) {
      throw new IllegalArgumentException(
          "deadline must be in the future, was " + deadline + " (now " + now + ")");
    }
    long timeoutSeconds = timeout == null ? 0 : seconds(timeout);
    long deadlineSeconds = deadline == null ? 0 : deadline.getEpochSecond();
    if (timeoutSeconds == 0 && deadlineSeconds == 0) {
      timeoutSeconds = TaskOption.DEFAULT_TIMEOUT.getSeconds();
    }
    byte[] payload = task.payload();
    String uniqueKey = uniqueTtl == null ? null : Keys.unique(queue, task.type(), payload);
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

    Target target = Target.PENDING;
    long uniqueTtlSeconds = uniqueTtl == null ? 0 : seconds(uniqueTtl);
    long processAtSeconds = 0;
    if (processAt != null && processAt.isAfter(now)) {
      target = Target.SCHEDULED;
      processAtSeconds = processAt.getEpochSecond();
      if (uniqueTtl != null) {
        uniqueTtlSeconds = seconds(Duration.between(now, processAt).plus(uniqueTtl));
      }
    } else if (!group.isEmpty()) {
      target = Target.GROUP;
    }
    long nowNanos = Math.addExact(Math.multiplyExact(nowSeconds, 1_000_000_000L), now.getNano());
    return new EnqueueRequest(
        queue,
        id,
        message.build().toByteArray(),
        target,
        uniqueKey,
        uniqueTtlSeconds,
        processAtSeconds,
        group,
        nowNanos);
  }

  /** Whole seconds, rounding a fraction up (as the client stores durations). */
  private static long seconds(Duration d) {
    return d.getNano() > 0 ? d.getSeconds() + 1 : d.getSeconds();
  }
}

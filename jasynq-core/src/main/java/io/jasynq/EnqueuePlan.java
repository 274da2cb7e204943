package io.jasynq;

import io.jasynq.internal.broker.EnqueueRequest;
import io.jasynq.internal.enqueue.EnqueueRequests;
import java.time.Instant;
import java.util.List;
import org.jspecify.annotations.Nullable;

/** One validated enqueue and the TaskInfo it reports; the rules live in {@link EnqueueRequests}. */
final class EnqueuePlan {
  final @Nullable Task task; // null: the scheduler's enqueue, which reports no Task
  final EnqueueRequest request;
  final TaskInfo info;

  private EnqueuePlan(@Nullable Task task, EnqueueRequest request, TaskInfo info) {
    this.task = task;
    this.request = request;
    this.info = info;
  }

  static EnqueuePlan of(Task task, TaskOption[] callOptions, Instant now, int maxPayloadSize) {
    return of(task, EnqueueRequests.prepare(task, callOptions, now, maxPayloadSize));
  }

  static EnqueuePlan of(@Nullable Task task, EnqueueRequests.Prepared p) {
    return new EnqueuePlan(
        task,
        p.request(),
        new TaskInfo(p.message(), p.state(), p.nextProcessAt(), false, null, List.of()));
  }
}

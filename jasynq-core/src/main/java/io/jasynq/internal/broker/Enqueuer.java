package io.jasynq.internal.broker;

import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * Writes tasks (wire-format §3.1): each one atomically by one script, its queue registered first.
 * {@link ScriptEnqueuer} is the plain implementation; {@link DurableEnqueuer} also waits for
 * replicas.
 */
public interface Enqueuer {
  /** Writes one task atomically, registering its queue first. */
  CompletableFuture<EnqueueOutcome> enqueue(EnqueueRequest request);

  /**
   * Writes many tasks in one pipelined round trip. Each task is atomic on its own; the batch is
   * not. Returns one future per request, in order.
   */
  List<CompletableFuture<EnqueueOutcome>> enqueueBatch(List<EnqueueRequest> requests);
}

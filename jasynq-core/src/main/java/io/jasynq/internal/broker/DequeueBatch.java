package io.jasynq.internal.broker;

import java.util.List;
import java.util.Map;

/**
 * What one {@link Broker#dequeue(List, java.time.Instant, java.time.Instant, int)} call did, queue
 * by queue.
 *
 * @param tasks the tasks made active, in the order taken
 * @param isolated IDs removed from pending without being taken (their task key is not a hash, or
 *     the task is in another state as well); their keys were left alone
 * @param dropped the dangling IDs (no task key) removed from pending, each with the reason
 * @param served the queues whose script ran, in the order tried
 * @param unusable the queues that could not be served because one of their keys has the wrong type,
 *     each with the reason; nothing was written to them
 * @param limited the queues at their fleet-wide concurrency limit: the limit bounded what was taken
 *     from them (none, if they were at it already)
 * @param rateWaitMillis 0, or the milliseconds until a queue whose rate limit left no token has one
 *     again (the soonest, over such queues)
 */
public record DequeueBatch(
    List<Dequeued> tasks,
    List<Isolated> isolated,
    List<Isolated> dropped,
    List<String> served,
    Map<String, String> unusable,
    List<String> limited,
    long rateWaitMillis) {

  public DequeueBatch {
    tasks = List.copyOf(tasks);
    isolated = List.copyOf(isolated);
    dropped = List.copyOf(dropped);
    served = List.copyOf(served);
    unusable = java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(unusable));
    limited = List.copyOf(limited);
  }

  /**
   * Whether the call removed bad IDs from pending, so that another call may find tasks behind them.
   */
  public boolean cleanedUp() {
    return !dropped.isEmpty() || !isolated.isEmpty();
  }
}

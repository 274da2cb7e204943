package io.jasynq;

import java.util.List;

/**
 * Turns the tasks of a group into one task, which is enqueued to the group's queue.
 *
 * @since 0.1
 */
@FunctionalInterface
public interface GroupAggregator {
  /** One task made from {@code tasks}, oldest first. */
  Task aggregate(String group, List<Task> tasks);
}

package io.jasynq.support;

import io.jasynq.GroupAggregator;
import io.jasynq.Task;
import java.nio.charset.StandardCharsets;

/** Group aggregation as the server tests check it: batches whose payload names what they hold. */
public final class Batches {
  private Batches() {}

  /**
   * Aggregates a group into a task of type {@code batch} whose payload is the group's name, a
   * colon, and the tasks' payloads joined by commas in the order given: {@code g:p1,p2,p3}.
   */
  public static GroupAggregator joiningPayloads() {
    return (group, tasks) ->
        Task.of(
            "batch", group + ":" + String.join(",", tasks.stream().map(Batches::payload).toList()));
  }

  /** The task's type, a space and its payload as UTF-8: {@code batch g:p1,p2}. */
  public static String typeAndPayload(Task task) {
    return task.type() + " " + payload(task);
  }

  private static String payload(Task task) {
    return new String(task.payload(), StandardCharsets.UTF_8);
  }
}

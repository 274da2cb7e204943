package io.jasynq.internal.broker;

import static io.jasynq.internal.broker.Inspection.STATE_KEYS;
import static io.jasynq.internal.broker.ScriptValues.number;

import com.google.protobuf.ByteString;
import io.jasynq.JasynqException;
import io.jasynq.TaskNotFoundException;
import io.jasynq.TaskState;
import io.jasynq.TaskStateException;
import io.jasynq.internal.broker.proto.TaskMessage;
import java.time.Instant;
import java.util.List;

/**
 * The Inspector's writes to tasks (wire-format §3.24): delete, run or archive one task or every
 * task of a state or group, and replace a scheduled task's payload. Each write is one script on one
 * queue's keys. Thread-safe; every call blocks until Redis answers.
 */
public final class TaskMutations {
  /** What a bulk or single-task write does. */
  public enum Action {
    DELETE,
    RUN,
    ARCHIVE
  }

  private final Inspection inspection;
  private final CommandRunner commands;
  private final InspectQueries reads;

  /** Sharing the connection and the logged problems of {@code reads}. */
  public TaskMutations(InspectQueries reads) {
    this(reads.inspection());
  }

  TaskMutations(Inspection inspection) {
    this.inspection = inspection;
    this.commands = inspection.commands();
    this.reads = new InspectQueries(inspection);
  }

  /**
   * Deletes, runs or archives one task (wire-format §3.24).
   *
   * @throws TaskNotFoundException if the queue has no such task
   * @throws TaskStateException if its state does not allow {@code action}
   */
  public void manageOne(Action action, String queue, String id, Instant now) {
    inspection.requireQueue(queue);
    long r = manage(action, queue, Keys.task(queue, id), "one", Keys.bytes(id), "", now);
    if (r == 1) {
      return;
    }
    throw switch ((int) r) {
      case 0 -> new TaskNotFoundException(queue, id);
      case -1 ->
          new TaskStateException(
              queue,
              id,
              TaskState.ACTIVE,
              switch (action) {
                case DELETE -> "cannot delete task in active state; cancel it instead";
                case RUN -> "task is already running";
                case ARCHIVE -> "cannot archive task in active state; cancel it instead";
              });
      case -2 ->
          new TaskStateException(queue, id, TaskState.PENDING, "task is already in pending state");
      case -3 -> new TaskStateException(queue, id, TaskState.ARCHIVED, "task is already archived");
      default ->
          new JasynqException(
              action.name().toLowerCase(java.util.Locale.ROOT)
                  + "Task failed: task "
                  + id
                  + " in queue \""
                  + queue
                  + "\" is not in the list or set of its state");
    };
  }

  /**
   * Deletes, runs or archives every task of {@code state}, or of {@code group} when {@code state}
   * is aggregating (wire-format §3.24).
   *
   * @return how many tasks were handled
   */
  public long manageAll(Action action, String queue, TaskState state, String group, Instant now) {
    inspection.requireQueue(queue);
    String source =
        state == TaskState.AGGREGATING
            ? Keys.group(queue, group)
            : Keys.queuePrefix(queue) + STATE_KEYS.get(state);
    return manage(
        action,
        queue,
        source,
        "all",
        Keys.bytes(state.wireName()),
        state == TaskState.AGGREGATING ? group : "",
        now);
  }

  private long manage(
      Action action,
      String queue,
      String target,
      String mode,
      byte[] subject,
      String group,
      Instant now) {
    List<String> keys =
        List.of(Keys.pending(queue), Keys.archived(queue), Keys.groups(queue), target);
    List<byte[]> args =
        List.of(
            Keys.bytes(action.name().toLowerCase(java.util.Locale.ROOT)),
            Keys.bytes(mode),
            subject,
            Keys.bytes(group),
            Keys.bytes(Keys.queuePrefix(queue)),
            number(now.getEpochSecond()),
            number(ScriptValues.unixNanos(now)),
            number(now.minus(ScriptValues.STATS_TTL).getEpochSecond()),
            number(ScriptValues.ARCHIVE_MAX_SIZE));
    return commands.await(
        commands.runScript("manageTasks", Script.MANAGE_TASKS, keys, args, Commands::integerReply));
  }

  /**
   * Replaces a scheduled task's payload, keeping every other field of its message (wire-format
   * §3.24).
   *
   * @return the updated task
   */
  public InspectQueries.Found updatePayload(String queue, String id, byte[] payload, Instant now) {
    for (int attempt = 0; attempt < 3; attempt++) {
      InspectQueries.Found found = reads.taskInfo(queue, id, now);
      if (!found.problems().isEmpty()) {
        throw new JasynqException(
            "updateTaskPayload failed: task "
                + id
                + " in queue \""
                + queue
                + "\" is malformed: "
                + String.join("; ", found.problems()));
      }
      if (found.state() != TaskState.SCHEDULED) {
        throw new TaskStateException(
            queue, id, found.state(), "cannot update task that is not in scheduled state");
      }
      TaskMessage updated =
          found.message().toBuilder().setPayload(ByteString.copyFrom(payload)).build();
      List<byte[]> args = List.of(found.message().toByteArray(), updated.toByteArray());
      long r =
          commands.await(
              commands.runScript(
                  "updateTaskPayload",
                  Script.REPLACE_SCHEDULED_MESSAGE,
                  List.of(Keys.task(queue, id)),
                  args,
                  Commands::integerReply));
      if (r == 1) {
        return new InspectQueries.Found(
            updated, TaskState.SCHEDULED, found.nextProcessAt(), false, found.result(), List.of());
      }
      // The task changed between the read and the write: read again, which reports what it is now.
    }
    throw new JasynqException(
        "updateTaskPayload failed: task " + id + " kept changing while being updated");
  }
}

package io.jasynq.cli;

import io.jasynq.Page;
import io.jasynq.TaskInfo;
import io.jasynq.TaskState;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.jspecify.annotations.Nullable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Parameters;

/**
 * {@code jasynq task
 * ls|inspect|cancel|archive|delete|run|enqueue|update|archiveall|deleteall|runall}: the listing and
 * one-task subcommands here, {@code enqueue} in {@link TaskEnqueueCommand} and the bulk ones in
 * {@link TaskBulkCommands}.
 */
@Command(
    name = "task",
    description = "Manage tasks.",
    subcommands = {
      TaskCommand.List.class,
      TaskCommand.Inspect.class,
      TaskCommand.Cancel.class,
      TaskCommand.Archive.class,
      TaskCommand.Delete.class,
      TaskCommand.Run.class,
      TaskEnqueueCommand.class,
      TaskCommand.Update.class,
      TaskBulkCommands.ArchiveAll.class,
      TaskBulkCommands.DeleteAll.class,
      TaskBulkCommands.RunAll.class
    })
final class TaskCommand extends ParentCommand {
  static final int PAYLOAD_WIDTH = 40;

  /** Parses {@code --state}, allowing only {@code allowed}; a usage error otherwise. */
  static TaskState state(CommandSpec spec, String value, TaskState... allowed) {
    String names = Arrays.stream(allowed).map(TaskState::wireName).collect(Collectors.joining("|"));
    for (TaskState s : allowed) {
      if (s.wireName().equalsIgnoreCase(value.strip())) {
        return s;
      }
    }
    throw new ParameterException(
        spec.commandLine(), "--state must be one of " + names + ", was \"" + value + "\"");
  }

  /** The group, required for the aggregating state. */
  static String group(CommandSpec spec, TaskState state, String group) {
    if (state == TaskState.AGGREGATING && (group == null || group.isBlank())) {
      throw new ParameterException(
          spec.commandLine(), "--group is required with --state aggregating");
    }
    if (state != TaskState.AGGREGATING && group != null) {
      throw new ParameterException(
          spec.commandLine(), "--group only goes with --state aggregating");
    }
    return group;
  }

  /** {@code task ls -q Q -s STATE [--page N] [--size N] [-g G]}. */
  @Command(
      name = "ls",
      aliases = "list",
      description = {
        "List the tasks of a queue in one state, oldest first, one page at a time.",
        "--size 0 lists every task."
      })
  static final class List extends OneQueueCommand {
    @Option(
        names = {"-s", "--state"},
        required = true,
        paramLabel = "STATE",
        description = "active|pending|aggregating|scheduled|retry|archived|completed")
    String state;

    @Option(names = "--page", defaultValue = "1", paramLabel = "N", description = "Page, from 1.")
    int page;

    @Option(
        names = "--size",
        defaultValue = "30",
        paramLabel = "N",
        description = "Tasks per page (default: ${DEFAULT-VALUE}; 0 = all).")
    int size;

    @Option(
        names = {"-g", "--group"},
        paramLabel = "GROUP",
        description = "The group (with --state aggregating).")
    String group;

    @Option(names = "--json", description = "Print JSON.")
    boolean json;

    @Override
    int execute() {
      TaskState s = state(spec, state, TaskState.values());
      String g = group(spec, s, group);
      Page p = Pages.of(page, size);
      java.util.List<TaskInfo> tasks =
          s == TaskState.AGGREGATING
              ? inspector().listAggregating(queue, g, p)
              : inspector().listTasks(queue, s, p);
      if (json) {
        Json.print(out(), tasks.stream().map(Views::task).toList());
        return 0;
      }
      PrintWriter out = out();
      if (tasks.isEmpty()) {
        out.printf(
            "No %s tasks in queue \"%s\"%s%s.%n",
            s.wireName(),
            queue,
            g == null ? "" : ", group \"" + g + "\"",
            page > 1 ? " on page " + page : "");
        return 0;
      }
      table(s, tasks).print(out);
      if (!p.isAll() && tasks.size() >= p.size()) {
        out.printf("Page %d (%d per page). Next: --page %d%n", page, size, page + 1);
      }
      warnBadRows(
          tasks.stream().filter(t -> !t.problems().isEmpty()).count(), tasks.size(), "tasks");
      return 0;
    }

    private Table table(TaskState s, java.util.List<TaskInfo> tasks) {
      StateColumns extra = StateColumns.of(s, now());
      boolean bad = tasks.stream().anyMatch(i -> !i.problems().isEmpty());
      Table t = Table.withProblemColumn(bad, extra.headers("id", "type", "payload"));
      for (TaskInfo i : tasks) {
        t.row(i.problems(), extra.cells(i, id(i), type(i), payload(i)));
      }
      return t;
    }
  }

  /**
   * The columns {@code task ls} shows for one state after the id, type and payload ones.
   *
   * @param names the extra headers
   * @param values the extra cells of one task
   */
  private record StateColumns(String[] names, Function<TaskInfo, Object[]> values) {
    static StateColumns of(TaskState s, Instant now) {
      return switch (s) {
        case ACTIVE ->
            new StateColumns(
                new String[] {"deadline", "orphaned"},
                i ->
                    new Object[] {
                      i.deadline().map(d -> Human.relative(d, now)).orElse("-"),
                      i.orphaned() ? "yes" : "no"
                    });
        case SCHEDULED ->
            new StateColumns(
                new String[] {"process at"},
                i -> new Object[] {when(i.nextProcessAt().orElse(null), now)});
        case RETRY ->
            new StateColumns(
                new String[] {"next retry", "retried>", "last error"},
                i ->
                    new Object[] {
                      when(i.nextProcessAt().orElse(null), now),
                      i.retried() + "/" + i.maxRetry(),
                      shorten(i.lastError().orElse("-"))
                    });
        case ARCHIVED ->
            new StateColumns(
                new String[] {"last failed", "last error"},
                i ->
                    new Object[] {
                      when(i.lastFailedAt().orElse(null), now), shorten(i.lastError().orElse("-"))
                    });
        case COMPLETED ->
            new StateColumns(
                new String[] {"completed", "result"},
                i ->
                    new Object[] {
                      when(i.completedAt().orElse(null), now),
                      i.result().map(r -> Human.payload(r, PAYLOAD_WIDTH)).orElse("-")
                    });
        case AGGREGATING ->
            new StateColumns(new String[] {"group"}, i -> new Object[] {i.group().orElse("-")});
        default -> new StateColumns(new String[0], i -> new Object[0]);
      };
    }

    String[] headers(String... first) {
      return Stream.concat(Arrays.stream(first), Arrays.stream(names)).toArray(String[]::new);
    }

    @Nullable Object[] cells(TaskInfo info, @Nullable Object... first) {
      return Stream.concat(Arrays.stream(first), Arrays.stream(values.apply(info))).toArray();
    }
  }

  static @Nullable String id(TaskInfo info) {
    return Human.orDash(info.id());
  }

  static @Nullable String type(TaskInfo info) {
    return Human.orDash(info.type());
  }

  static String payload(TaskInfo info) {
    return Human.payload(info.payload(), PAYLOAD_WIDTH);
  }

  static String shorten(String text) {
    String s = Table.oneLine(text);
    return s.length() <= 60 ? s : s.substring(0, 59) + "…";
  }

  static String when(@Nullable Instant time, Instant now) {
    return time == null ? "-" : Human.relative(time, now);
  }

  /** Options naming one task. */
  abstract static class OneTask extends OneQueueCommand {
    @Option(
        names = {"-i", "--id"},
        required = true,
        paramLabel = "ID",
        description = "The task ID.")
    String id;
  }

  /** {@code task inspect -q Q -i ID}. */
  @Command(name = "inspect", description = "Show everything about one task.")
  static final class Inspect extends OneTask {
    @Option(names = "--json", description = "Print JSON.")
    boolean json;

    @Option(
        names = "--full",
        description =
            "Print the whole payload and result as they are; by default text longer than "
                + Human.PREVIEW_CHARS
                + " characters is cut, on one line.")
    boolean full;

    @Override
    int execute() {
      TaskInfo t = inspector().taskInfo(queue, id);
      if (json) {
        Json.print(out(), Views.task(t));
        return 0;
      }
      Instant now = now();
      PrintWriter out = out();
      Map<String, String> rows = new LinkedHashMap<>();
      rows.put("ID", t.id().isEmpty() ? "-" : t.id());
      rows.put("Queue", t.queue());
      rows.put("Type", t.type().isEmpty() ? "-" : t.type());
      rows.put("State", t.state().wireName() + (t.orphaned() ? " (orphaned)" : ""));
      rows.put("Retried", t.retried() + "/" + t.maxRetry());
      t.group().ifPresent(g -> rows.put("Group", g));
      t.nextProcessAt().ifPresent(at -> rows.put("Next process", stamp(at, now)));
      t.lastError().ifPresent(e -> rows.put("Last error", Table.oneLine(e)));
      t.lastFailedAt().ifPresent(at -> rows.put("Last failed", stamp(at, now)));
      rows.put("Timeout", t.timeout().isZero() ? "-" : Human.duration(t.timeout()));
      t.deadline().ifPresent(at -> rows.put("Deadline", stamp(at, now)));
      if (!t.retention().isZero()) {
        rows.put("Retention", Human.duration(t.retention()));
      }
      t.completedAt().ifPresent(at -> rows.put("Completed", stamp(at, now)));
      if (!t.headers().isEmpty()) {
        rows.put(
            "Headers",
            t.headers().entrySet().stream()
                .sorted(Map.Entry.comparingByKey())
                .map(e -> e.getKey() + "=" + e.getValue())
                .collect(Collectors.joining(", ")));
      }
      rows.put("Payload", full ? Human.full(t.payload()) : Human.preview(t.payload()));
      t.result().ifPresent(r -> rows.put("Result", full ? Human.full(r) : Human.preview(r)));
      for (int i = 0; i < t.problems().size(); i++) {
        rows.put(i == 0 ? "Problems" : "Problems " + i, Table.oneLine(t.problems().get(i)));
      }
      int width = rows.keySet().stream().mapToInt(String::length).max().orElse(0) + 1;
      out.println("Task Info");
      rows.forEach(
          (k, v) ->
              out.println(
                  (k.startsWith("Problems ") ? " ".repeat(k.length() + 1) : k + ":")
                      + " ".repeat(width - k.length() + 1)
                      + v));
      if (!t.problems().isEmpty()) {
        warn("task " + t.id() + " is malformed; what could be read is shown");
      }
      return 0;
    }

    private static String stamp(Instant at, Instant now) {
      return Human.relative(at, now) + " (" + at + ")";
    }
  }

  /** {@code task cancel ID...}. */
  @Command(
      name = "cancel",
      description = "Ask the servers to cancel running tasks (a cancelled task is retried).")
  static final class Cancel extends CliCommand {
    @Parameters(arity = "1..*", paramLabel = "ID", description = "Task IDs.")
    java.util.List<String> ids;

    @Override
    int execute() {
      return forEach(
          ids,
          id -> {
            inspector().cancel(id);
            out().printf("Sent cancellation signal for task %s%n", id);
          });
    }
  }

  /**
   * A change to one task: {@link #apply()} makes it, then the message (formatting the ID, then the
   * queue) says it is done.
   */
  abstract static class OneTaskChange extends OneTask {
    private final String done;

    OneTaskChange(String done) {
      this.done = done;
    }

    abstract void apply();

    @Override
    final int execute() {
      apply();
      out().printf(done, id, queue);
      return 0;
    }
  }

  /** {@code task archive -q Q -i ID}. */
  @Command(name = "archive", description = "Archive a task (not an active one).")
  static final class Archive extends OneTaskChange {
    Archive() {
      super("Archived task %s in queue \"%s\"%n");
    }

    @Override
    void apply() {
      inspector().archiveTask(queue, id);
    }
  }

  /** {@code task delete|remove|rm -q Q -i ID}. */
  @Command(
      name = "delete",
      aliases = {"remove", "rm"},
      description = "Delete a task (not an active one).")
  static final class Delete extends OneTaskChange {
    Delete() {
      super("Deleted task %s from queue \"%s\"%n");
    }

    @Override
    void apply() {
      inspector().deleteTask(queue, id);
    }
  }

  /** {@code task run -q Q -i ID}. */
  @Command(
      name = "run",
      description = "Run a scheduled, retry, archived, completed or aggregating task now.")
  static final class Run extends OneTaskChange {
    Run() {
      super("Task %s in queue \"%s\" is pending now%n");
    }

    @Override
    void apply() {
      inspector().runTask(queue, id);
    }
  }

  /**
   * {@code task update -q Q -i ID -l PAYLOAD}: a jasynq extra (Asynq v0.26's UpdateTaskPayload).
   */
  @Command(
      name = "update",
      description = "Replace the payload of a scheduled task (other fields are kept).")
  static final class Update extends OneTask {
    @Option(
        names = {"-l", "--payload"},
        required = true,
        paramLabel = "TEXT",
        description = "The new payload (UTF-8 text).")
    String payload;

    @Option(names = "--json", description = "Print the updated task as JSON.")
    boolean json;

    @Override
    int execute() {
      TaskInfo info =
          inspector().updateTaskPayload(queue, id, payload.getBytes(StandardCharsets.UTF_8));
      if (json) {
        Json.print(out(), Views.task(info));
      } else {
        out().printf("Updated the payload of task %s in queue \"%s\"%n", id, queue);
      }
      return 0;
    }
  }
}

package io.jasynq.cli;

import io.jasynq.Page;
import io.jasynq.Task;
import io.jasynq.TaskInfo;
import io.jasynq.TaskOption;
import io.jasynq.TaskState;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.stream.Collectors;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Parameters;

/** {@code jasynq task ls|inspect|cancel|archive|delete|run|enqueue|archiveall|deleteall|runall}. */
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
      TaskCommand.Enqueue.class,
      TaskCommand.Update.class,
      TaskCommand.ArchiveAll.class,
      TaskCommand.DeleteAll.class,
      TaskCommand.RunAll.class
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
  static final class List extends CliCommand {
    @Option(
        names = {"-q", "--queue"},
        required = true,
        paramLabel = "QUEUE",
        description = "The queue.")
    String queue;

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
      Instant now = now();
      boolean bad = tasks.stream().anyMatch(i -> !i.problems().isEmpty());
      Table t;
      switch (s) {
        case ACTIVE -> {
          t = Table.withProblemColumn(bad, "id", "type", "payload", "deadline", "orphaned");
          for (TaskInfo i : tasks) {
            t.row(
                i.problems(),
                id(i),
                type(i),
                payload(i),
                i.deadline().map(d -> Human.relative(d, now)).orElse("-"),
                i.orphaned() ? "yes" : "no");
          }
        }
        case SCHEDULED -> {
          t = Table.withProblemColumn(bad, "id", "type", "payload", "process at");
          for (TaskInfo i : tasks) {
            t.row(
                i.problems(),
                id(i),
                type(i),
                payload(i),
                when(i.nextProcessAt().orElse(null), now));
          }
        }
        case RETRY -> {
          t =
              Table.withProblemColumn(
                  bad, "id", "type", "payload", "next retry", "retried>", "last error");
          for (TaskInfo i : tasks) {
            t.row(
                i.problems(),
                id(i),
                type(i),
                payload(i),
                when(i.nextProcessAt().orElse(null), now),
                i.retried() + "/" + i.maxRetry(),
                shorten(i.lastError().orElse("-")));
          }
        }
        case ARCHIVED -> {
          t = Table.withProblemColumn(bad, "id", "type", "payload", "last failed", "last error");
          for (TaskInfo i : tasks) {
            t.row(
                i.problems(),
                id(i),
                type(i),
                payload(i),
                when(i.lastFailedAt().orElse(null), now),
                shorten(i.lastError().orElse("-")));
          }
        }
        case COMPLETED -> {
          t = Table.withProblemColumn(bad, "id", "type", "payload", "completed", "result");
          for (TaskInfo i : tasks) {
            t.row(
                i.problems(),
                id(i),
                type(i),
                payload(i),
                when(i.completedAt().orElse(null), now),
                i.result().map(r -> Human.payload(r, PAYLOAD_WIDTH)).orElse("-"));
          }
        }
        case AGGREGATING -> {
          t = Table.withProblemColumn(bad, "id", "type", "payload", "group");
          for (TaskInfo i : tasks) {
            t.row(i.problems(), id(i), type(i), payload(i), i.group().orElse("-"));
          }
        }
        default -> {
          t = Table.withProblemColumn(bad, "id", "type", "payload");
          for (TaskInfo i : tasks) {
            t.row(i.problems(), id(i), type(i), payload(i));
          }
        }
      }
      return t;
    }
  }

  static String id(TaskInfo info) {
    return Human.orDash(info.id());
  }

  static String type(TaskInfo info) {
    return Human.orDash(info.type());
  }

  static String payload(TaskInfo info) {
    return Human.payload(info.payload(), PAYLOAD_WIDTH);
  }

  static String shorten(String text) {
    String s = Table.oneLine(text);
    return s.length() <= 60 ? s : s.substring(0, 59) + "…";
  }

  static String when(Instant time, Instant now) {
    return time == null ? "-" : Human.relative(time, now);
  }

  /** Options naming one task. */
  abstract static class OneTask extends CliCommand {
    @Option(
        names = {"-q", "--queue"},
        required = true,
        paramLabel = "QUEUE",
        description = "The queue.")
    String queue;

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

  /** {@code task archive -q Q -i ID}. */
  @Command(name = "archive", description = "Archive a task (not an active one).")
  static final class Archive extends OneTask {
    @Override
    int execute() {
      inspector().archiveTask(queue, id);
      out().printf("Archived task %s in queue \"%s\"%n", id, queue);
      return 0;
    }
  }

  /** {@code task delete|remove|rm -q Q -i ID}. */
  @Command(
      name = "delete",
      aliases = {"remove", "rm"},
      description = "Delete a task (not an active one).")
  static final class Delete extends OneTask {
    @Override
    int execute() {
      inspector().deleteTask(queue, id);
      out().printf("Deleted task %s from queue \"%s\"%n", id, queue);
      return 0;
    }
  }

  /** {@code task run -q Q -i ID}. */
  @Command(
      name = "run",
      description = "Run a scheduled, retry, archived, completed or aggregating task now.")
  static final class Run extends OneTask {
    @Override
    int execute() {
      inspector().runTask(queue, id);
      out().printf("Task %s in queue \"%s\" is pending now%n", id, queue);
      return 0;
    }
  }

  /** {@code task enqueue -t TYPE [-l PAYLOAD] [options]}. */
  @Command(name = "enqueue", description = "Enqueue a task.")
  static final class Enqueue extends CliCommand {
    @Option(
        names = {"-t", "--type_name", "--type"},
        required = true,
        paramLabel = "TYPE",
        description = "The task type.")
    String type;

    @Option(
        names = {"-l", "--payload"},
        paramLabel = "TEXT",
        description = "The payload (UTF-8 text; default empty).")
    String payload;

    @Option(
        names = {"--payload-file", "--payload_file"},
        paramLabel = "FILE",
        description =
            "Read the payload (any bytes) from FILE, or from standard input if FILE is -;"
                + " for payloads too large for the command line. Not with --payload.")
    String payloadFile;

    @Option(names = "--retry", paramLabel = "N", description = "Max retries (default 25).")
    Integer retry;

    @Option(
        names = {"-q", "--queue"},
        paramLabel = "QUEUE",
        description = "The queue (default: default).")
    String queue;

    @Option(names = "--id", paramLabel = "ID", description = "The task ID (default: a UUID).")
    String id;

    @Option(names = "--timeout", paramLabel = "DURATION", description = "e.g. 30s, 5m.")
    String timeout;

    @Option(
        names = "--deadline",
        paramLabel = "TIME",
        description = "RFC 3339, e.g. 2026-12-02T10:00:00Z.")
    String deadline;

    @Option(
        names = "--unique",
        paramLabel = "DURATION",
        description = "Reject an equal task for this long.")
    String unique;

    @Option(
        names = {"--process_at", "--process-at"},
        paramLabel = "TIME",
        description = "Run at this RFC 3339 time.")
    String processAt;

    @Option(
        names = {"--process_in", "--process-in"},
        paramLabel = "DURATION",
        description = "Run after this delay.")
    String processIn;

    @Option(
        names = "--retention",
        paramLabel = "DURATION",
        description = "Keep the completed task this long.")
    String retention;

    @Option(
        names = {"-g", "--group"},
        paramLabel = "GROUP",
        description = "Aggregate in this group.")
    String group;

    @Option(
        names = {"-H", "--header"},
        paramLabel = "NAME=VALUE",
        description = "A task header (repeatable).")
    Map<String, String> headers;

    @Option(names = "--json", description = "Print the enqueued task as JSON.")
    boolean json;

    /** {@code flag}'s duration, which must be at least 1 s (or 0, when {@code zeroAllowed}). */
    private static Duration atLeastOneSecond(String flag, String text, boolean zeroAllowed) {
      Duration d = Durations.parse(flag, text);
      if (d.compareTo(Duration.ofSeconds(1)) < 0 && !(zeroAllowed && d.isZero())) {
        throw new UsageException(
            flag
                + " must be "
                + (zeroAllowed ? "0 or " : "")
                + "at least 1s, like 30s or 5m, was \""
                + text
                + "\"");
      }
      return d;
    }

    /** The payload: --payload's text, --payload-file's bytes (- for stdin), else empty. */
    private byte[] payloadBytes() {
      if (payloadFile == null) {
        return payload == null ? new byte[0] : payload.getBytes(StandardCharsets.UTF_8);
      }
      if (payload != null) {
        throw new ParameterException(
            spec.commandLine(), "give either --payload or --payload-file, not both");
      }
      Main main = (Main) spec.root().userObject();
      try {
        if (payloadFile.equals("-")) {
          return main.env.stdin().readAllBytes();
        }
        return Files.readAllBytes(Path.of(payloadFile));
      } catch (NoSuchFileException e) {
        throw new CliException("--payload-file " + payloadFile + " does not exist");
      } catch (IOException e) {
        throw new CliException("cannot read --payload-file " + payloadFile + ": " + e);
      }
    }

    @Override
    int execute() {
      java.util.List<TaskOption> options = new ArrayList<>();
      if (retry != null) {
        if (retry < 0) {
          throw new UsageException("--retry must be 0 or more, was \"" + retry + "\"");
        }
        options.add(TaskOption.maxRetry(retry));
      }
      if (queue != null) {
        options.add(TaskOption.queue(queue));
      }
      if (id != null) {
        options.add(TaskOption.taskId(id));
      }
      if (timeout != null) {
        options.add(TaskOption.timeout(atLeastOneSecond("--timeout", timeout, false)));
      }
      if (deadline != null) {
        options.add(TaskOption.deadline(Durations.time("--deadline", deadline)));
      }
      if (unique != null) {
        options.add(TaskOption.unique(atLeastOneSecond("--unique", unique, false)));
      }
      if (processAt != null) {
        options.add(TaskOption.processAt(Durations.time("--process_at", processAt)));
      }
      if (processIn != null) {
        options.add(TaskOption.processIn(Durations.parse("--process_in", processIn)));
      }
      if (retention != null) {
        options.add(TaskOption.retention(atLeastOneSecond("--retention", retention, true)));
      }
      if (group != null) {
        options.add(TaskOption.group(group));
      }
      if (headers != null) {
        headers.forEach((k, v) -> options.add(TaskOption.header(k, v)));
      }
      Task task = Task.of(type, payloadBytes());
      TaskInfo info = session().client().enqueue(task, options.toArray(new TaskOption[0]));
      if (json) {
        Json.print(out(), Views.task(info));
        return 0;
      }
      out()
          .printf(
              "Enqueued task %s (type \"%s\") to queue \"%s\": %s%s%n",
              info.id(),
              info.type(),
              info.queue(),
              info.state().wireName(),
              info.state() == TaskState.SCHEDULED
                  ? info.nextProcessAt().map(t -> ", runs " + Human.relative(t, now())).orElse("")
                  : info.group().map(g -> " in group \"" + g + "\"").orElse(""));
      return 0;
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

  /** Options naming the tasks of one state of a queue. */
  abstract static class ManyTasks extends CliCommand {
    @Option(
        names = {"-q", "--queue"},
        required = true,
        paramLabel = "QUEUE",
        description = "The queue.")
    String queue;

    @Option(
        names = {"-s", "--state"},
        required = true,
        paramLabel = "STATE",
        description = "The state of the tasks.")
    String state;

    @Option(
        names = {"-g", "--group"},
        paramLabel = "GROUP",
        description = "The group (with --state aggregating).")
    String group;

    abstract TaskState[] allowed();

    abstract long apply(TaskState state, String group);

    abstract String verb();

    String suffix() {
      return "";
    }

    @Override
    int execute() {
      TaskState s = state(spec, state, allowed());
      String g = group(spec, s, group);
      long n = apply(s, g);
      out()
          .printf(
              "%s %s %s task%s in queue \"%s\"%s%s%n",
              verb(),
              Human.count(n),
              s.wireName(),
              n == 1 ? "" : "s",
              queue,
              g == null ? "" : ", group \"" + g + "\"",
              suffix());
      return 0;
    }
  }

  /** {@code task archiveall -q Q -s pending|aggregating|scheduled|retry [-g G]}. */
  @Command(
      name = "archiveall",
      description =
          "Archive every task of a queue in one state: pending|aggregating|scheduled|retry.")
  static final class ArchiveAll extends ManyTasks {
    @Override
    TaskState[] allowed() {
      return new TaskState[] {
        TaskState.PENDING, TaskState.AGGREGATING, TaskState.SCHEDULED, TaskState.RETRY
      };
    }

    @Override
    long apply(TaskState s, String g) {
      return s == TaskState.AGGREGATING
          ? inspector().archiveAllAggregating(queue, g)
          : inspector().archiveAll(queue, s);
    }

    @Override
    String verb() {
      return "Archived";
    }
  }

  /** {@code task deleteall -q Q -s STATE [-g G]}. */
  @Command(
      name = "deleteall",
      description =
          "Delete every task of a queue in one state:"
              + " pending|aggregating|scheduled|retry|archived|completed.")
  static final class DeleteAll extends ManyTasks {
    @Override
    TaskState[] allowed() {
      return new TaskState[] {
        TaskState.PENDING,
        TaskState.AGGREGATING,
        TaskState.SCHEDULED,
        TaskState.RETRY,
        TaskState.ARCHIVED,
        TaskState.COMPLETED
      };
    }

    @Override
    long apply(TaskState s, String g) {
      return s == TaskState.AGGREGATING
          ? inspector().deleteAllAggregating(queue, g)
          : inspector().deleteAll(queue, s);
    }

    @Override
    String verb() {
      return "Deleted";
    }
  }

  /** {@code task runall -q Q -s scheduled|retry|archived|aggregating [-g G]}. */
  @Command(
      name = "runall",
      description =
          "Run every task of a queue in one state now: scheduled|retry|archived|aggregating.")
  static final class RunAll extends ManyTasks {
    @Override
    TaskState[] allowed() {
      return new TaskState[] {
        TaskState.SCHEDULED, TaskState.RETRY, TaskState.ARCHIVED, TaskState.AGGREGATING
      };
    }

    @Override
    long apply(TaskState s, String g) {
      return s == TaskState.AGGREGATING
          ? inspector().runAllAggregating(queue, g)
          : inspector().runAll(queue, s);
    }

    @Override
    String verb() {
      return "Ran";
    }

    @Override
    String suffix() {
      return " (now pending)";
    }
  }
}

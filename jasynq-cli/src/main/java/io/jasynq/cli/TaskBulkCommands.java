package io.jasynq.cli;

import io.jasynq.TaskState;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code jasynq task archiveall|deleteall|runall}: one action on every task of one state of a
 * queue. Holds the three subcommands of {@link TaskCommand} and the options they share.
 */
final class TaskBulkCommands {
  private TaskBulkCommands() {}

  /**
   * Options naming the tasks of one state of a queue; runs {@link #apply} on them and says how many
   * it took.
   */
  abstract static class ManyTasks extends OneQueueCommand {
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

    private final String verb;
    private final String suffix;
    private final TaskState[] allowed;

    /**
     * A bulk command.
     *
     * @param verb what the message says was done ({@code Archived})
     * @param suffix what the message adds at its end, or {@code ""}
     * @param allowed the states {@code --state} may name
     */
    ManyTasks(String verb, String suffix, TaskState... allowed) {
      this.verb = verb;
      this.suffix = suffix;
      this.allowed = allowed;
    }

    /** Applies the action to the tasks in {@code state} (and {@code group}); how many it took. */
    abstract long apply(TaskState state, String group);

    @Override
    int execute() {
      TaskState s = TaskCommand.state(spec, state, allowed);
      String g = TaskCommand.group(spec, s, group);
      long n = apply(s, g);
      out()
          .printf(
              "%s %s %s task%s in queue \"%s\"%s%s%n",
              verb,
              Human.count(n),
              s.wireName(),
              n == 1 ? "" : "s",
              queue,
              g == null ? "" : ", group \"" + g + "\"",
              suffix);
      return 0;
    }
  }

  /** {@code task archiveall -q Q -s pending|aggregating|scheduled|retry [-g G]}. */
  @Command(
      name = "archiveall",
      description =
          "Archive every task of a queue in one state: pending|aggregating|scheduled|retry.")
  static final class ArchiveAll extends ManyTasks {
    ArchiveAll() {
      super(
          "Archived",
          "",
          TaskState.PENDING,
          TaskState.AGGREGATING,
          TaskState.SCHEDULED,
          TaskState.RETRY);
    }

    @Override
    long apply(TaskState s, String g) {
      return s == TaskState.AGGREGATING
          ? inspector().archiveAllAggregating(queue, g)
          : inspector().archiveAll(queue, s);
    }
  }

  /** {@code task deleteall -q Q -s STATE [-g G]}. */
  @Command(
      name = "deleteall",
      description =
          "Delete every task of a queue in one state:"
              + " pending|aggregating|scheduled|retry|archived|completed.")
  static final class DeleteAll extends ManyTasks {
    DeleteAll() {
      super(
          "Deleted",
          "",
          TaskState.PENDING,
          TaskState.AGGREGATING,
          TaskState.SCHEDULED,
          TaskState.RETRY,
          TaskState.ARCHIVED,
          TaskState.COMPLETED);
    }

    @Override
    long apply(TaskState s, String g) {
      return s == TaskState.AGGREGATING
          ? inspector().deleteAllAggregating(queue, g)
          : inspector().deleteAll(queue, s);
    }
  }

  /** {@code task runall -q Q -s scheduled|retry|archived|aggregating [-g G]}. */
  @Command(
      name = "runall",
      description =
          "Run every task of a queue in one state now: scheduled|retry|archived|aggregating.")
  static final class RunAll extends ManyTasks {
    RunAll() {
      super(
          "Ran",
          " (now pending)",
          TaskState.SCHEDULED,
          TaskState.RETRY,
          TaskState.ARCHIVED,
          TaskState.AGGREGATING);
    }

    @Override
    long apply(TaskState s, String g) {
      return s == TaskState.AGGREGATING
          ? inspector().runAllAggregating(queue, g)
          : inspector().runAll(queue, s);
    }
  }
}

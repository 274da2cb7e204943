package io.jasynq.cli;

import io.jasynq.GroupInfo;
import io.jasynq.QueueNotFoundException;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code jasynq group ls -q Q}. */
@Command(name = "group", description = "Manage groups.", subcommands = GroupCommand.List.class)
final class GroupCommand extends ParentCommand {

  /** {@code group ls -q Q}: the groups of a queue and their sizes. */
  @Command(name = "ls", aliases = "list", description = "List the groups of a queue.")
  static final class List extends OneQueueCommand {
    @Option(names = "--json", description = "Print JSON.")
    boolean json;

    @Override
    int execute() {
      if (!inspector().queues().contains(queue)) {
        // The Inspector, as Asynq's, lists no groups for an unknown queue; the CLI says so.
        throw new QueueNotFoundException(queue);
      }
      java.util.List<GroupInfo> groups = inspector().groups(queue);
      if (json) {
        Json.print(out(), groups.stream().map(Views::group).toList());
        return 0;
      }
      if (groups.isEmpty()) {
        out().printf("No groups in queue \"%s\".%n", queue);
        return 0;
      }
      Table table =
          Table.withProblemColumn(
              groups.stream().anyMatch(g -> !g.problems().isEmpty()), "group", "size>");
      groups.forEach(
          g ->
              table.row(
                  g.problems(), g.group().isEmpty() ? null : g.group(), Human.count(g.size())));
      table.print(out());
      warnBadRows(
          groups.stream().filter(g -> !g.problems().isEmpty()).count(), groups.size(), "groups");
      return 0;
    }
  }
}

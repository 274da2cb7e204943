package io.jasynq.cli;

import io.jasynq.ServerInfo;
import java.time.Instant;
import java.util.Comparator;
import java.util.Map;
import java.util.stream.Collectors;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code jasynq server ls}. */
@Command(name = "server", description = "Show servers.", subcommands = ServerCommand.List.class)
final class ServerCommand extends ParentCommand {

  /** {@code server ls}: the running servers (jasynq and Go), sorted by host, then PID. */
  @Command(
      name = "ls",
      aliases = "list",
      description = "List running servers (jasynq and Go Asynq), sorted by host and PID.")
  static final class List extends CliCommand {
    @Option(names = "--json", description = "Print JSON, with each server's active workers.")
    boolean json;

    @Override
    int execute() {
      java.util.List<ServerInfo> servers =
          inspector().servers().stream()
              .sorted(
                  Comparator.comparing(ServerInfo::host)
                      .thenComparingInt(ServerInfo::pid)
                      .thenComparing(ServerInfo::id))
              .toList();
      if (json) {
        Json.print(out(), servers.stream().map(Views::server).toList());
        return 0;
      }
      if (servers.isEmpty()) {
        out().println("No running servers.");
        return 0;
      }
      Instant now = now();
      long bad = servers.stream().filter(s -> !s.problems().isEmpty()).count();
      Table table =
          Table.withProblemColumn(
              bad > 0, "id", "host", "pid>", "status", "active>", "queues", "started");
      for (ServerInfo s : servers) {
        table.row(
            s.problems(),
            Human.orDash(s.id()),
            Human.orDash(s.host()),
            s.pid(),
            Human.orDash(s.status()),
            s.activeWorkerCount() + "/" + s.concurrency(),
            queues(s),
            Human.relative(s.started(), now));
      }
      table.print(out());
      warnBadRows(bad, servers.size(), "servers");
      return 0;
    }

    /** {@code critical:6 default:3}, by priority then name; {@code (strict)} when strict. */
    static String queues(ServerInfo s) {
      String list =
          s.queues().entrySet().stream()
              .sorted(
                  Map.Entry.<String, Integer>comparingByValue()
                      .reversed()
                      .thenComparing(Map.Entry.comparingByKey()))
              .map(e -> e.getKey() + ":" + e.getValue())
              .collect(Collectors.joining(" "));
      return s.strictPriority() ? list + " (strict)" : list;
    }
  }
}

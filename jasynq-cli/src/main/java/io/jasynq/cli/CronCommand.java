package io.jasynq.cli;

import io.jasynq.Page;
import io.jasynq.SchedulerEnqueueEvent;
import io.jasynq.SchedulerEntry;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Comparator;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code jasynq cron ls|history}. */
@Command(
    name = "cron",
    description = "Show periodic tasks and what they enqueued.",
    subcommands = {CronCommand.List.class, CronCommand.History.class})
final class CronCommand extends ParentCommand {

  /** {@code cron ls}: the entries of every running scheduler, sorted by spec. */
  @Command(
      name = "ls",
      aliases = "list",
      description = "List the periodic tasks of running schedulers, sorted by spec.")
  static final class List extends CliCommand {
    @Option(names = "--json", description = "Print JSON.")
    boolean json;

    @Override
    int execute() {
      java.util.List<SchedulerEntry> entries =
          inspector().schedulerEntries().stream()
              .sorted(
                  Comparator.comparing(SchedulerEntry::spec)
                      .thenComparing(SchedulerEntry::taskType)
                      .thenComparing(SchedulerEntry::id))
              .toList();
      if (json) {
        Json.print(out(), entries.stream().map(Views::entry).toList());
        return 0;
      }
      if (entries.isEmpty()) {
        out().println("No scheduler entries.");
        return 0;
      }
      Instant now = now();
      long bad = entries.stream().filter(e -> !e.problems().isEmpty()).count();
      Table table =
          Table.withProblemColumn(
              bad > 0, "entry id", "spec", "type", "payload", "options", "next", "prev");
      for (SchedulerEntry e : entries) {
        table.row(
            e.problems(),
            Human.orDash(e.id()),
            Human.orDash(e.spec()),
            Human.orDash(e.taskType()),
            Human.payload(e.payload(), TaskCommand.PAYLOAD_WIDTH),
            e.options().isEmpty() ? "-" : String.join(", ", e.options()),
            Human.relative(e.next(), now),
            e.previous().map(p -> Human.relative(p, now)).orElse("never"));
      }
      table.print(out());
      warnBadRows(bad, entries.size(), "scheduler entries");
      return 0;
    }
  }

  /** {@code cron history ENTRY... [--page N] [--size N]}: newest first. */
  @Command(name = "history", description = "Show what scheduler entries enqueued, newest first.")
  static final class History extends CliCommand {
    @Parameters(arity = "1..*", paramLabel = "ENTRY_ID", description = "Entry IDs.")
    java.util.List<String> entries;

    @Option(names = "--page", defaultValue = "1", paramLabel = "N", description = "Page, from 1.")
    int page;

    @Option(
        names = "--size",
        defaultValue = "30",
        paramLabel = "N",
        description = "Events per page (default: ${DEFAULT-VALUE}; 0 = all).")
    int size;

    @Option(names = "--json", description = "Print JSON (an object of entry -> events).")
    boolean json;

    @Override
    int execute() {
      Page p = Pages.of(page, size);
      Instant now = now();
      return sections(
          entries,
          json,
          "Entry: ",
          id -> inspector().schedulerHistory(id, p),
          Views::event,
          (id, events) -> {
            if (events.isEmpty()) {
              out().println("No enqueues" + (page > 1 ? " on page " + page : "") + ".");
              return;
            }
            long bad = events.stream().filter(e -> !e.problems().isEmpty()).count();
            Table table = Table.withProblemColumn(bad > 0, "enqueued", "at", "task id");
            for (SchedulerEnqueueEvent e : events) {
              table.row(
                  e.problems(),
                  Human.relative(e.enqueuedAt(), now),
                  e.enqueuedAt().truncatedTo(ChronoUnit.SECONDS),
                  e.taskId().isEmpty() ? null : e.taskId());
            }
            table.print(out());
            warnBadRows(bad, events.size(), "events of entry " + id);
          });
    }
  }
}

package io.jasynq.cli;

import io.jasynq.ClusterNode;
import io.jasynq.DailyStats;
import io.jasynq.QueueInfo;
import io.jasynq.QueueNotEmptyException;
import io.jasynq.RateLimit;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.Map;
import org.jspecify.annotations.Nullable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code jasynq queue ls|inspect|history|pause|unpause|remove}. */
@Command(
    name = "queue",
    description = "Manage queues.",
    subcommands = {
      QueueCommand.List.class,
      QueueCommand.Inspect.class,
      QueueCommand.History.class,
      QueueCommand.Pause.class,
      QueueCommand.Unpause.class,
      QueueCommand.Remove.class,
      QueueCommand.Limit.class
    })
final class QueueCommand extends ParentCommand {

  /**
   * {@code queue ls}: every queue with its size, state and latency; on a cluster also its key slot
   * and the nodes serving it (master first), as {@code asynq queue ls --cluster}.
   */
  @Command(
      name = "ls",
      aliases = "list",
      description =
          "List queues with their size, pending count, latency and state"
              + " (and key slot and nodes on a cluster).")
  static final class List extends CliCommand {
    @Option(names = "--json", description = "Print JSON.")
    boolean json;

    @Override
    int execute() {
      java.util.List<QueueInfo> infos = new ArrayList<>();
      infos.addAll(allQueues());
      boolean cluster = session().isCluster();
      Map<String, Long> slots = new LinkedHashMap<>();
      Map<String, java.util.List<String>> nodes = new LinkedHashMap<>();
      if (cluster) {
        for (QueueInfo q : infos) {
          slots.put(q.queue(), inspector().clusterKeySlot(q.queue()));
          nodes.put(
              q.queue(),
              inspector().clusterNodes(q.queue()).stream().map(ClusterNode::address).toList());
        }
      }
      if (json) {
        java.util.List<Map<String, Object>> views = new ArrayList<>();
        for (QueueInfo q : infos) {
          Map<String, Object> view = new LinkedHashMap<>(Views.queue(q));
          if (cluster) {
            view.put("slot", slots.get(q.queue()));
            view.put("nodes", nodes.get(q.queue()));
          }
          views.add(view);
        }
        Json.print(out(), views);
        return 0;
      }
      if (infos.isEmpty()) {
        out().println("No queues.");
        return 0;
      }
      boolean bad = infos.stream().anyMatch(q -> !q.problems().isEmpty());
      Table table =
          cluster
              ? Table.withProblemColumn(
                  bad, "queue", "state", "size>", "pending>", "latency>", "slot>", "nodes")
              : Table.withProblemColumn(bad, "queue", "state", "size>", "pending>", "latency>");
      for (QueueInfo q : infos) {
        java.util.List<Object> cells = new ArrayList<>();
        cells.add(q.queue());
        cells.add(q.paused() ? "paused" : "run");
        cells.add(Human.count(q.size()));
        cells.add(Human.count(q.pending()));
        cells.add(Human.duration(q.latency()));
        if (cluster) {
          cells.add(slots.get(q.queue()));
          cells.add(String.join(",", nodes.get(q.queue())));
        }
        table.row(q.problems(), cells.toArray());
      }
      table.print(out());
      infos.forEach(q -> warn("queue \"" + q.queue() + "\"", q.problems()));
      return 0;
    }
  }

  /** {@code queue inspect Q...}. */
  @Command(name = "inspect", description = "Show details of queues.")
  static final class Inspect extends CliCommand {
    @Parameters(arity = "1..*", paramLabel = "QUEUE", description = "Queue names.")
    java.util.List<String> queues;

    @Option(names = "--json", description = "Print JSON (an array, one object per queue).")
    boolean json;

    @Override
    int execute() {
      java.util.List<Object> found = new ArrayList<>();
      int status =
          forEach(
              queues,
              name -> {
                QueueInfo q = inspector().queueInfo(name);
                if (json) {
                  found.add(Views.queue(q));
                } else {
                  if (!found.isEmpty()) {
                    out().println();
                  }
                  found.add(q);
                  print(out(), q);
                  out().flush();
                  warn("queue \"" + q.queue() + "\"", q.problems());
                }
              });
      if (json) {
        Json.print(out(), found);
      }
      return status;
    }

    private void print(PrintWriter out, QueueInfo q) {
      out.println("Queue Info");
      out.println("Queue:      " + q.queue());
      out.println("Paused:     " + (q.paused() ? "yes" : "no"));
      out.println("Size:       " + Human.count(q.size()) + (q.size() == 1 ? " task" : " tasks"));
      out.println("Groups:     " + q.groups());
      out.println("Latency:    " + Human.duration(q.latency()));
      out.println(
          "Memory:     "
              + Human.bytes(q.memoryUsageBytes())
              + (q.memoryUsageKnown() ? " (estimate)" : ""));
      out.println();
      out.println("Task Count by State");
      new Table(
              "active>",
              "pending>",
              "aggregating>",
              "scheduled>",
              "retry>",
              "archived>",
              "completed>")
          .row(
              (Object[])
                  java.util.Arrays.stream(StatsCommand.counts(q))
                      .mapToObj(Human::count)
                      .toArray(String[]::new))
          .print(out);
      out.println();
      out.println("Processed and Failed");
      new Table("", "processed>", "failed>", "error rate>")
          .row(
              "today",
              Human.count(q.processedToday()),
              Human.count(q.failedToday()),
              Human.percent(q.failedToday(), q.processedToday()))
          .row(
              "total",
              Human.count(q.processedTotal()),
              Human.count(q.failedTotal()),
              Human.percent(q.failedTotal(), q.processedTotal()))
          .print(out);
      if (!q.problems().isEmpty()) {
        out.println();
        out.println("Problems (bad keys count 0 above)");
        q.problems().forEach(p -> out.println("- " + Table.oneLine(p)));
      }
    }
  }

  /** {@code queue history Q... [-x DAYS]}. */
  @Command(name = "history", description = "Show the daily processed/failed counts of queues.")
  static final class History extends CliCommand {
    @Parameters(arity = "1..*", paramLabel = "QUEUE", description = "Queue names.")
    java.util.List<String> queues;

    @Option(
        names = {"-x", "--days"},
        defaultValue = "10",
        paramLabel = "N",
        description = "How many days, today first (default: ${DEFAULT-VALUE}).")
    int days;

    @Option(names = "--json", description = "Print JSON (an object of queue -> days).")
    boolean json;

    @Override
    int execute() {
      if (days < 1) {
        throw new UsageException("--days must be 1 or more, was \"" + days + "\"");
      }
      return sections(
          queues,
          json,
          "Queue: ",
          name -> inspector().history(name, days),
          Views::day,
          (name, history) -> {
            Table table =
                Table.withProblemColumn(
                    history.stream().anyMatch(d -> !d.problems().isEmpty()),
                    "date (UTC)",
                    "processed>",
                    "failed>",
                    "error rate>");
            for (DailyStats d : history) {
              table.row(
                  d.problems(),
                  d.date(),
                  Human.count(d.processed()),
                  Human.count(d.failed()),
                  Human.percent(d.failed(), d.processed()));
            }
            table.print(out());
            out().flush();
            history.forEach(d -> warn("queue \"" + name + "\" " + d.date(), d.problems()));
          });
    }
  }

  /**
   * A change to each named queue: {@link #apply(String)} makes it, then the message (formatting the
   * queue) says it is done; a queue that fails is reported and the others still go.
   */
  abstract static class EachQueueChange extends CliCommand {
    @Parameters(arity = "1..*", paramLabel = "QUEUE", description = "Queue names.")
    java.util.List<String> queues;

    private final String done;

    EachQueueChange(String done) {
      this.done = done;
    }

    abstract void apply(String queue);

    @Override
    final int execute() {
      return forEach(
          queues,
          q -> {
            apply(q);
            out().printf(done, q);
          });
    }
  }

  /** {@code queue pause Q...}. */
  @Command(name = "pause", description = "Pause queues: servers stop taking their tasks.")
  static final class Pause extends EachQueueChange {
    Pause() {
      super("Paused queue \"%s\"%n");
    }

    @Override
    void apply(String queue) {
      inspector().pauseQueue(queue);
    }
  }

  /** {@code queue unpause|resume Q...}. */
  @Command(name = "unpause", aliases = "resume", description = "Resume paused queues.")
  static final class Unpause extends EachQueueChange {
    Unpause() {
      super("Unpaused queue \"%s\"%n");
    }

    @Override
    void apply(String queue) {
      inspector().unpauseQueue(queue);
    }
  }

  /** {@code queue limit Q... [--concurrency N|none] [--rate N/UNIT|none [--burst B]] [--clear]}. */
  @Command(
      name = "limit",
      description = {
        "Show or change queues' fleet-wide limits: the most tasks of a queue active at once,",
        "and the most started per second, minute or hour, across every jasynq server (Go",
        "servers do not honour them). A server configured with a limit writes its own again",
        "when it starts."
      })
  static final class Limit extends CliCommand {
    @Parameters(arity = "1..*", paramLabel = "QUEUE", description = "Queue names.")
    java.util.List<String> queues;

    @Option(
        names = "--concurrency",
        paramLabel = "N|none",
        description = "The most tasks active at once (1 or more), or none.")
    @Nullable String concurrency;

    @Option(
        names = "--rate",
        paramLabel = "N/UNIT|none",
        description = "The most tasks started per s, m or h, e.g. 50/s, or none.")
    @Nullable String rate;

    @Option(
        names = "--burst",
        paramLabel = "B",
        description = "With --rate: the most tokens saved up (default: N).")
    @Nullable Integer burst;

    @Option(names = "--clear", description = "Remove every limit of the queues.")
    boolean clear;

    @Override
    int execute() {
      if (clear && (concurrency != null || rate != null)) {
        throw new UsageException("give --clear alone, not with --concurrency or --rate");
      }
      if (burst != null && (rate == null || rate.equals("none"))) {
        throw new UsageException("--burst needs --rate N/UNIT");
      }
      boolean setConcurrency = clear || concurrency != null;
      Integer concurrencyLimit = clear ? null : concurrencyLimit(concurrency);
      boolean setRate = clear || rate != null;
      RateLimit rateLimit = clear ? null : rateLimit(rate, burst);
      return forEach(
          queues,
          q -> {
            if (setConcurrency) {
              inspector().setConcurrencyLimit(q, concurrencyLimit);
            }
            if (setRate) {
              inspector().setRateLimit(q, rateLimit);
            }
            java.util.OptionalInt c = inspector().concurrencyLimit(q);
            java.util.Optional<RateLimit> r = inspector().rateLimit(q);
            out()
                .printf(
                    "Queue \"%s\": %s; %s%n",
                    q,
                    c.isPresent()
                        ? "at most " + c.getAsInt() + " active at once"
                        : "no concurrency limit",
                    r.map(Limit::describe).orElse("no rate limit"));
          });
    }

    private static @Nullable Integer concurrencyLimit(@Nullable String value) {
      if (value == null || value.equals("none")) {
        return null;
      }
      try {
        int n = Integer.parseInt(value);
        if (n >= 1) {
          return n;
        }
      } catch (NumberFormatException e) {
        // below
      }
      throw new UsageException(
          "--concurrency must be a whole number 1 or more, or none, was \"" + value + "\"");
    }

    private static @Nullable RateLimit rateLimit(@Nullable String value, @Nullable Integer burst) {
      if (value == null || value.equals("none")) {
        return null;
      }
      java.util.regex.Matcher m =
          java.util.regex.Pattern.compile("([0-9]{1,9})/([smh])").matcher(value);
      if (!m.matches() || Integer.parseInt(m.group(1)) < 1) {
        throw new UsageException(
            "--rate must be N/s, N/m or N/h with N 1 or more, or none, was \"" + value + "\"");
      }
      if (burst != null && burst < 1) {
        throw new UsageException("--burst must be 1 or more, was \"" + burst + "\"");
      }
      int tasks = Integer.parseInt(m.group(1));
      java.time.Duration per =
          switch (m.group(2)) {
            case "s" -> java.time.Duration.ofSeconds(1);
            case "m" -> java.time.Duration.ofMinutes(1);
            default -> java.time.Duration.ofHours(1);
          };
      return new RateLimit(tasks, per, burst == null ? tasks : burst);
    }

    private static String describe(RateLimit r) {
      long ms = r.per().toMillis();
      String per = ms == 1000 ? "s" : ms == 60_000 ? "m" : ms == 3_600_000 ? "h" : ms + " ms";
      return "at most " + r.tasks() + " started per " + per + " (burst " + r.burst() + ")";
    }
  }

  /** {@code queue remove|rm|delete Q... [-f]}. */
  @Command(
      name = "remove",
      aliases = {"rm", "delete"},
      description = {
        "Remove queues. A queue that holds tasks is refused unless --force;",
        "with --force every key of the queue is deleted (never a queue with active tasks)."
      })
  static final class Remove extends EachQueueChange {
    @Option(
        names = {"-f", "--force"},
        description = "Remove the queue even if it holds tasks.")
    boolean force;

    Remove() {
      super("Removed queue \"%s\"%n");
    }

    @Override
    void apply(String queue) {
      try {
        inspector().deleteQueue(queue, force);
      } catch (QueueNotEmptyException e) {
        throw new CliException(e.getMessage() + "; use --force to remove it with its tasks");
      }
    }
  }
}

package io.jasynq.cli;

import io.jasynq.QueueInfo;
import java.io.PrintWriter;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code jasynq stats}: task counts by state and by queue, and today's processed and failed
 * counters, summed over every queue (the numbers {@code asynq stats} shows for the same Redis).
 */
@Command(
    name = "stats",
    description = "Show task counts by state and by queue, and today's processed/failed counts.")
final class StatsCommand extends CliCommand {
  static final int BAR_WIDTH = 40;
  static final String[] STATES = {
    "active", "pending", "aggregating", "scheduled", "retry", "archived", "completed"
  };

  @Option(names = "--json", description = "Print JSON instead of tables.")
  boolean json;

  @Override
  int execute() {
    List<QueueInfo> queues = new ArrayList<>();
    queues.addAll(CliCommand.allQueues(inspector()));
    long[] byState = new long[STATES.length];
    long processed = 0;
    long failed = 0;
    for (QueueInfo q : queues) {
      long[] counts = counts(q);
      for (int i = 0; i < counts.length; i++) {
        byState[i] += counts[i];
      }
      processed += q.processedToday();
      failed += q.failedToday();
    }
    if (json) {
      Map<String, Object> aggregate = new LinkedHashMap<>();
      for (int i = 0; i < STATES.length; i++) {
        aggregate.put(STATES[i], byState[i]);
      }
      aggregate.put("processed", processed);
      aggregate.put("failed", failed);
      aggregate.put("timestamp", now());
      Map<String, Object> all = new LinkedHashMap<>();
      all.put("aggregate", aggregate);
      all.put("queues", queues.stream().map(Views::queue).toList());
      Json.print(out(), all);
      return 0;
    }
    PrintWriter out = out();
    out.println("Task Count by State");
    printBars(out, STATES, byState);
    out.println();
    out.println("Task Count by Queue");
    if (queues.isEmpty()) {
      out.println("No queues.");
    } else {
      long max = queues.stream().mapToLong(QueueInfo::size).max().orElse(0);
      Table table =
          new Table("queue", "size>", "", "pending>", "active>", "latency>", "paused", "memory>");
      for (QueueInfo q : queues) {
        table.row(
            q.queue(),
            Human.count(q.size()),
            Human.bar(q.size(), max, 20),
            Human.count(q.pending()),
            Human.count(q.active()),
            Human.duration(q.latency()),
            q.paused() ? "paused" : "no",
            Human.bytes(q.memoryUsageBytes()));
      }
      table.print(out);
    }
    out.println();
    out.println("Daily Stats " + now().atZone(ZoneOffset.UTC).toLocalDate() + " UTC");
    new Table("processed>", "failed>", "error rate>")
        .row(Human.count(processed), Human.count(failed), Human.percent(failed, processed))
        .print(out);
    return 0;
  }

  static long[] counts(QueueInfo q) {
    return new long[] {
      q.active(),
      q.pending(),
      q.aggregating(),
      q.scheduled(),
      q.retry(),
      q.archived(),
      q.completed()
    };
  }

  /** One line per label: the label, a bar scaled to the largest value, the value. */
  static void printBars(PrintWriter out, String[] labels, long[] values) {
    long max = 0;
    int labelWidth = 0;
    for (int i = 0; i < labels.length; i++) {
      max = Math.max(max, values[i]);
      labelWidth = Math.max(labelWidth, labels[i].length());
    }
    for (int i = 0; i < labels.length; i++) {
      String bar = Human.bar(values[i], max, BAR_WIDTH);
      out.println(
          (labels[i] + " ".repeat(labelWidth - labels[i].length()))
              + "  "
              + (bar.isEmpty() ? "" : bar + " ")
              + Human.count(values[i]));
    }
  }
}

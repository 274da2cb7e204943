package io.jasynq.cli;

import io.jasynq.JasynqException;
import io.jasynq.QueueInfo;
import io.jasynq.RedisInfo;
import java.io.PrintWriter;
import java.time.Duration;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code jasynq stats}: task counts by state and by queue, today's processed and failed counters,
 * summed over every queue, and what Redis says about itself (INFO, or CLUSTER INFO and each
 * master's INFO on a cluster): the numbers {@code asynq stats} shows for the same Redis.
 */
@Command(
    name = "stats",
    description =
        "Show task counts by state and by queue, today's processed/failed counts and Redis info.")
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
    queues.addAll(allQueues());
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
      all.put("redis", redisView(redisInfo()));
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
          Table.withProblemColumn(
              queues.stream().anyMatch(q -> !q.problems().isEmpty()),
              "queue",
              "size>",
              "",
              "pending>",
              "active>",
              "latency>",
              "paused",
              "memory>");
      for (QueueInfo q : queues) {
        table.row(
            q.problems(),
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
    out.println();
    printRedis(out, redisInfo());
    queues.forEach(q -> warn("queue \"" + q.queue() + "\"", q.problems()));
    return 0;
  }

  /** What Redis says about itself, or null (and a line on stderr) if it will not say. */
  private @Nullable RedisInfo redisInfo() {
    try {
      return inspector().redisInfo();
    } catch (JasynqException e) {
      err().println("jasynq: no Redis info: " + Main.oneLine(e.getMessage()));
      return null;
    }
  }

  /**
   * The Redis Info section of {@code asynq stats}: version, uptime, connections, memory used and
   * peak; on a cluster the CLUSTER INFO summary and the same line for each master.
   */
  static void printRedis(PrintWriter out, @Nullable RedisInfo info) {
    if (info == null) {
      return;
    }
    if (!info.isCluster()) {
      out.println("Redis Info");
      redisRow(new Table(REDIS_COLUMNS), info.info()).print(out);
      return;
    }
    Map<String, String> c = info.clusterInfo();
    out.println("Redis Cluster Info");
    new Table("state", "known nodes>", "masters>", "slots assigned>", "slots ok>", "slots fail>")
        .row(
            c.get("cluster_state"),
            c.get("cluster_known_nodes"),
            c.get("cluster_size"),
            c.get("cluster_slots_assigned"),
            c.get("cluster_slots_ok"),
            c.get("cluster_slots_fail"))
        .print(out);
    out.println();
    String[] columns = new String[REDIS_COLUMNS.length + 1];
    columns[0] = "master";
    System.arraycopy(REDIS_COLUMNS, 0, columns, 1, REDIS_COLUMNS.length);
    Table masters = new Table(columns);
    info.masters()
        .forEach(
            (address, fields) -> {
              List<Object> cells = new ArrayList<>();
              cells.add(address);
              cells.addAll(redisCells(fields));
              masters.row(cells.toArray());
            });
    masters.print(out);
  }

  private static final String[] REDIS_COLUMNS = {
    "version", "uptime", "connections>", "memory used>", "peak memory>"
  };

  private static Table redisRow(Table table, Map<String, String> fields) {
    return table.row(redisCells(fields).toArray());
  }

  private static List<Object> redisCells(Map<String, String> f) {
    List<Object> cells = new ArrayList<>();
    cells.add(f.get("redis_version"));
    cells.add(seconds(f.get("uptime_in_seconds")));
    cells.add(f.get("connected_clients"));
    cells.add(f.get("used_memory_human"));
    cells.add(f.get("used_memory_peak_human"));
    return cells;
  }

  private static @Nullable String seconds(@Nullable String value) {
    try {
      return value == null ? null : Human.duration(Duration.ofSeconds(Long.parseLong(value)));
    } catch (NumberFormatException e) {
      return value;
    }
  }

  /** The JSON form: the INFO fields the table shows, per master on a cluster, plus CLUSTER INFO. */
  static @Nullable Map<String, Object> redisView(@Nullable RedisInfo info) {
    if (info == null) {
      return null;
    }
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("cluster", info.isCluster());
    if (info.isCluster()) {
      m.put("cluster_info", info.clusterInfo());
      Map<String, Object> masters = new LinkedHashMap<>();
      info.masters().forEach((address, fields) -> masters.put(address, redisFields(fields)));
      m.put("masters", masters);
    } else {
      m.putAll(redisFields(info.info()));
    }
    return m;
  }

  private static Map<String, Object> redisFields(Map<String, String> f) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("redis_version", f.get("redis_version"));
    m.put("uptime_in_seconds", number(f.get("uptime_in_seconds")));
    m.put("connected_clients", number(f.get("connected_clients")));
    m.put("used_memory", number(f.get("used_memory")));
    m.put("used_memory_peak", number(f.get("used_memory_peak")));
    return m;
  }

  private static @Nullable Object number(@Nullable String value) {
    try {
      return value == null ? null : Long.valueOf(value);
    } catch (NumberFormatException e) {
      return value;
    }
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

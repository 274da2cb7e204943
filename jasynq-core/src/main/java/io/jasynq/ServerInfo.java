package io.jasynq;

import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * A running server (jasynq or Go Asynq) as its last heartbeat reported it. Entries disappear when a
 * server stops beating for its TTL (10 s by default).
 *
 * <p>A server whose key holds something that is not a server record is still listed, as a bad row:
 * its ID, host and PID come from the key's {@code {host:pid:id}} tag, its other fields read as none
 * (empty, 0, {@code started} null) and {@link #problems()} says what is wrong. A workers hash of
 * the wrong type, or a worker entry that does not decode, is reported in {@link #problems()} of an
 * otherwise normal row; a registry ({@code asynq:servers}) of the wrong type gives one bad row with
 * empty fields.
 *
 * @param id the server ID (a UUID)
 * @param host the host name
 * @param pid the process ID
 * @param concurrency how many tasks it runs at once at most
 * @param queues the queues it serves, with their priorities; unmodifiable
 * @param strictPriority whether it serves queues in strict priority order
 * @param status its status: {@code "active"}, {@code "stopped"} (no longer fetching), ...
 * @param started when it started
 * @param activeWorkerCount how many tasks it said it was running (what {@code asynq server ls}
 *     shows)
 * @param activeWorkers the tasks it is running, from its workers hash; unmodifiable
 * @param problems what is wrong with the server's keys, one line each (empty when nothing is);
 *     unmodifiable; since 0.2
 * @since 0.1
 */
public record ServerInfo(
    String id,
    String host,
    int pid,
    int concurrency,
    Map<String, Integer> queues,
    boolean strictPriority,
    String status,
    Instant started,
    int activeWorkerCount,
    List<WorkerInfo> activeWorkers,
    List<String> problems) {
  /** Copies the collections. */
  public ServerInfo {
    queues = Map.copyOf(queues);
    activeWorkers = List.copyOf(activeWorkers);
    problems = problems == null ? List.of() : List.copyOf(problems);
  }

  /** A server without problems (the 0.1 constructor). */
  public ServerInfo(
      String id,
      String host,
      int pid,
      int concurrency,
      Map<String, Integer> queues,
      boolean strictPriority,
      String status,
      Instant started,
      int activeWorkerCount,
      List<WorkerInfo> activeWorkers) {
    this(
        id,
        host,
        pid,
        concurrency,
        queues,
        strictPriority,
        status,
        started,
        activeWorkerCount,
        activeWorkers,
        List.of());
  }
}

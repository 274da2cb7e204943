package io.jasynq;

import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * A running server (jasynq or Go Asynq) as its last heartbeat reported it. Entries disappear when a
 * server stops beating for its TTL (10 s by default).
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
    List<WorkerInfo> activeWorkers) {
  /** Copies the collections. */
  public ServerInfo {
    queues = Map.copyOf(queues);
    activeWorkers = List.copyOf(activeWorkers);
  }
}

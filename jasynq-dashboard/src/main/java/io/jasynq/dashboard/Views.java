package io.jasynq.dashboard;

import io.jasynq.DailyStats;
import io.jasynq.GroupInfo;
import io.jasynq.QueueInfo;
import io.jasynq.RateLimit;
import io.jasynq.SchedulerEnqueueEvent;
import io.jasynq.SchedulerEntry;
import io.jasynq.ServerInfo;
import io.jasynq.TaskInfo;
import io.jasynq.TaskState;
import io.jasynq.WorkerInfo;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.TreeMap;
import org.jspecify.annotations.Nullable;

/**
 * The JSON shapes of the API, asynqmon's field names first, then jasynq's extras: snake_case keys,
 * instants as RFC 3339 strings ({@code ""} when unset, as asynqmon), and {@code problems} on every
 * row (what is wrong with its records; empty when nothing is). Stateless.
 */
final class Views {
  private Views() {}

  /** asynqmon's QueueStateSnapshot; {@code memory_usage_bytes} is null when unknown. */
  static Map<String, Object> queue(QueueInfo q) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("queue", q.queue());
    m.put("memory_usage_bytes", q.memoryUsageKnown() ? q.memoryUsageBytes() : null);
    m.put("size", q.size());
    m.put("groups", q.groups());
    m.put("latency_msec", q.latency().toMillis());
    m.put("display_latency", goDuration(q.latency()));
    m.put("active", q.active());
    m.put("pending", q.pending());
    m.put("aggregating", q.aggregating());
    m.put("scheduled", q.scheduled());
    m.put("retry", q.retry());
    m.put("archived", q.archived());
    m.put("completed", q.completed());
    m.put("processed", q.processedToday());
    m.put("succeeded", q.processedToday() - q.failedToday());
    m.put("failed", q.failedToday());
    m.put("processed_total", q.processedTotal());
    m.put("failed_total", q.failedTotal());
    m.put("paused", q.paused());
    m.put("timestamp", time(q.timestamp()));
    m.put("problems", q.problems());
    return m;
  }

  /**
   * {@code snapshot} (from {@link #queue}) with jasynq's {@code concurrency_limit}: the queue's
   * fleet-wide limit, or null when it has none.
   */
  static Map<String, Object> withLimit(Map<String, Object> snapshot, OptionalInt limit) {
    snapshot.put("concurrency_limit", limit.isPresent() ? limit.getAsInt() : null);
    return snapshot;
  }

  /**
   * {@code snapshot} (from {@link #queue}) with jasynq's {@code rate_limit}: the queue's fleet-wide
   * rate limit ({@link #rate}), or null when it has none.
   */
  static Map<String, Object> withRateLimit(
      Map<String, Object> snapshot, Optional<RateLimit> limit) {
    snapshot.put("rate_limit", limit.map(Views::rate).orElse(null));
    return snapshot;
  }

  /**
   * A rate limit: {@code tasks} started per {@code per_ms} milliseconds, {@code burst} saved up.
   */
  static Map<String, Object> rate(RateLimit r) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("tasks", r.tasks());
    m.put("per_ms", r.per().toMillis());
    m.put("burst", r.burst());
    return m;
  }

  /**
   * {@code snapshot} whose limit {@code field} ({@code concurrency_limit} or {@code rate_limit})
   * could not be read: null, and {@code problem}.
   */
  static Map<String, Object> withLimitProblem(
      Map<String, Object> snapshot, String field, String problem) {
    List<Object> problems = new ArrayList<>((List<?>) snapshot.get("problems"));
    problems.add(problem);
    snapshot.put("problems", problems);
    snapshot.put(field, null);
    return snapshot;
  }

  /** A queue whose snapshot could not be taken: its name, zero counts and why. */
  static Map<String, Object> brokenQueue(String queue, String problem, Instant now) {
    return queue(
        new QueueInfo(
            queue,
            -1,
            Duration.ZERO,
            0,
            0,
            0,
            0,
            0,
            0,
            0,
            0,
            0,
            0,
            0,
            0,
            0,
            false,
            now,
            List.of(problem)));
  }

  static Map<String, Object> day(DailyStats d) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("queue", d.queue());
    m.put("processed", d.processed());
    m.put("succeeded", d.processed() - d.failed());
    m.put("failed", d.failed());
    m.put("date", d.date().toString());
    m.put("problems", d.problems());
    return m;
  }

  static Map<String, Object> group(GroupInfo g) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("group", g.group());
    m.put("size", g.size());
    m.put("problems", g.problems());
    return m;
  }

  /**
   * asynqmon's task, every state's fields in one shape, plus jasynq's extras.
   *
   * @param worker the worker running an active task, from the servers' heartbeats; null if unknown
   * @param limit the most characters of payload and result text and previews
   */
  static Map<String, Object> task(TaskInfo t, @Nullable WorkerInfo worker, Instant now, int limit) {
    boolean active = t.state() == TaskState.ACTIVE;
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("id", t.id());
    m.put("queue", t.queue());
    m.put("type", t.type());
    Payloads.put(m, "payload", t.payload(), limit);
    m.put("state", t.state().wireName());
    m.put("start_time", active ? (worker == null ? "-" : time(worker.started())) : "");
    m.put("max_retry", t.maxRetry());
    m.put("retried", t.retried());
    m.put("error_message", t.lastError().orElse(""));
    m.put("last_failed_at", time(t.lastFailedAt()));
    m.put("timeout_seconds", t.timeout().getSeconds());
    Optional<Instant> deadline =
        active && worker != null && worker.deadline().isPresent()
            ? worker.deadline()
            : t.deadline();
    m.put("deadline", active && deadline.isEmpty() ? "-" : time(deadline));
    m.put("next_process_at", time(t.nextProcessAt()));
    m.put("group", t.group().orElse(""));
    m.put("completed_at", time(t.completedAt()));
    Payloads.put(m, "result", t.result().orElse(null), limit);
    m.put("ttl_seconds", ttl(t, now));
    m.put("retention_seconds", t.retention().getSeconds());
    m.put("is_orphaned", t.orphaned());
    m.put("headers", new TreeMap<>(t.headers()));
    m.put("malformed", !t.problems().isEmpty());
    m.put("problems", t.problems());
    return m;
  }

  /** Seconds a completed task has left before its retention ends; 0 for other states. */
  private static long ttl(TaskInfo t, Instant now) {
    if (t.state() != TaskState.COMPLETED || t.completedAt().isEmpty()) {
      return 0;
    }
    long left =
        t.retention().getSeconds()
            - (now.getEpochSecond() - t.completedAt().get().getEpochSecond());
    return Math.max(0, left);
  }

  static Map<String, Object> server(ServerInfo s) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("id", s.id());
    m.put("host", s.host());
    m.put("pid", s.pid());
    m.put("concurrency", s.concurrency());
    m.put("queue_priorities", new TreeMap<>(s.queues()));
    m.put("strict_priority_enabled", s.strictPriority());
    m.put("start_time", time(s.started()));
    m.put("status", s.status());
    m.put("active_workers", s.activeWorkers().stream().map(Views::worker).toList());
    m.put("active_worker_count", s.activeWorkerCount());
    m.put("problems", s.problems());
    return m;
  }

  static Map<String, Object> worker(WorkerInfo w) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("task_id", w.taskId());
    m.put("queue", w.queue());
    m.put("task_type", w.taskType());
    m.put("task_payload", Payloads.legacy(w.payload(), Payloads.LIST_PREVIEW_CHARS));
    m.put("start_time", time(w.started()));
    m.put("deadline", time(w.deadline()));
    return m;
  }

  static Map<String, Object> entry(SchedulerEntry e) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("id", e.id());
    m.put("spec", e.spec());
    m.put("task_type", e.taskType());
    m.put("task_payload", Payloads.legacy(e.payload(), Payloads.LIST_PREVIEW_CHARS));
    m.put("options", e.options());
    m.put("next_enqueue_at", time(e.next()));
    e.previous().ifPresent(p -> m.put("prev_enqueue_at", time(p)));
    m.put("problems", e.problems());
    return m;
  }

  static Map<String, Object> event(SchedulerEnqueueEvent e) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("task_id", e.taskId());
    m.put("enqueued_at", time(e.enqueuedAt()));
    m.put("problems", e.problems());
    return m;
  }

  static String time(Instant t) {
    return t == null ? "" : t.toString();
  }

  static String time(Optional<Instant> t) {
    return t.map(Instant::toString).orElse("");
  }

  /** Go's {@code Duration.Round(10ms).String()}, as asynqmon's {@code display_latency}. */
  static String goDuration(Duration d) {
    long ms = (d.toNanos() + 5_000_000L) / 10_000_000L * 10L;
    if (ms == 0) {
      return "0s";
    }
    if (ms < 1000) {
      return ms + "ms";
    }
    long h = ms / 3_600_000L;
    long min = ms / 60_000L % 60;
    long sec = ms / 1000 % 60;
    long frac = ms % 1000;
    String s = Long.toString(sec);
    if (frac != 0) {
      String f = String.format("%03d", frac);
      s += "." + f.replaceAll("0+$", "");
    }
    if (h > 0) {
      return h + "h" + min + "m" + s + "s";
    }
    return min > 0 ? min + "m" + s + "s" : s + "s";
  }
}

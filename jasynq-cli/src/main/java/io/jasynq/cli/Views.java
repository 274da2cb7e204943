package io.jasynq.cli;

import io.jasynq.DailyStats;
import io.jasynq.GroupInfo;
import io.jasynq.QueueInfo;
import io.jasynq.SchedulerEnqueueEvent;
import io.jasynq.SchedulerEntry;
import io.jasynq.ServerInfo;
import io.jasynq.TaskInfo;
import io.jasynq.WorkerInfo;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.TreeMap;

/**
 * The {@code --json} shapes: one ordered map per value, snake_case keys, instants as ISO-8601
 * strings, durations in whole seconds ({@code _seconds}) or milliseconds ({@code _ms}), absent
 * values as null. Payloads and results appear as text when they are UTF-8 and always as base64.
 * Every value carries {@code problems}: what is wrong with its records, empty when nothing is (a
 * bad row still has every key, with what could be read).
 */
final class Views {
  private Views() {}

  static Map<String, Object> queue(QueueInfo q) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("queue", q.queue());
    m.put("paused", q.paused());
    m.put("size", q.size());
    m.put("groups", q.groups());
    m.put("latency_ms", q.latency().toMillis());
    m.put("memory_usage_bytes", q.memoryUsageKnown() ? q.memoryUsageBytes() : null);
    m.put("active", q.active());
    m.put("pending", q.pending());
    m.put("aggregating", q.aggregating());
    m.put("scheduled", q.scheduled());
    m.put("retry", q.retry());
    m.put("archived", q.archived());
    m.put("completed", q.completed());
    m.put("processed", q.processedToday());
    m.put("failed", q.failedToday());
    m.put("processed_total", q.processedTotal());
    m.put("failed_total", q.failedTotal());
    m.put("timestamp", q.timestamp());
    m.put("problems", q.problems());
    return m;
  }

  static Map<String, Object> day(DailyStats d) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("queue", d.queue());
    m.put("date", d.date().toString());
    m.put("processed", d.processed());
    m.put("failed", d.failed());
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

  static Map<String, Object> task(TaskInfo t) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("id", t.id());
    m.put("queue", t.queue());
    m.put("type", t.type());
    m.put("state", t.state().wireName());
    bytes(m, "payload", t.payload());
    m.put("headers", new TreeMap<>(t.headers()));
    m.put("group", t.group().orElse(null));
    m.put("max_retry", t.maxRetry());
    m.put("retried", t.retried());
    m.put("last_error", t.lastError().orElse(null));
    m.put("last_failed_at", t.lastFailedAt().orElse(null));
    m.put("next_process_at", t.nextProcessAt().orElse(null));
    // As Asynq's inspector: 0 when the task has no timeout (a deadline only).
    m.put("timeout_seconds", t.timeout().getSeconds());
    m.put("deadline", t.deadline().orElse(null));
    m.put("retention_seconds", t.retention().getSeconds());
    m.put("completed_at", t.completedAt().orElse(null));
    m.put("orphaned", t.orphaned());
    if (t.result().isPresent()) {
      bytes(m, "result", t.result().get());
    } else {
      m.put("result", null);
      m.put("result_base64", null);
    }
    m.put("problems", t.problems());
    return m;
  }

  static Map<String, Object> server(ServerInfo s) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("id", s.id());
    m.put("host", s.host());
    m.put("pid", s.pid());
    m.put("status", s.status());
    m.put("concurrency", s.concurrency());
    m.put("active_worker_count", s.activeWorkerCount());
    m.put("queues", new TreeMap<>(s.queues()));
    m.put("strict_priority", s.strictPriority());
    m.put("started", s.started());
    m.put("active_workers", s.activeWorkers().stream().map(Views::worker).toList());
    m.put("problems", s.problems());
    return m;
  }

  static Map<String, Object> worker(WorkerInfo w) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("task_id", w.taskId());
    m.put("task_type", w.taskType());
    bytes(m, "task_payload", w.payload());
    m.put("queue", w.queue());
    m.put("started", w.started());
    m.put("deadline", w.deadline().orElse(null));
    return m;
  }

  static Map<String, Object> entry(SchedulerEntry e) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("id", e.id());
    m.put("spec", e.spec());
    m.put("task_type", e.taskType());
    bytes(m, "task_payload", e.payload());
    m.put("options", e.options());
    m.put("next", e.next());
    m.put("prev", e.previous().orElse(null));
    m.put("problems", e.problems());
    return m;
  }

  static Map<String, Object> event(SchedulerEnqueueEvent e) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("task_id", e.taskId());
    m.put("enqueued_at", e.enqueuedAt());
    m.put("problems", e.problems());
    return m;
  }

  private static void bytes(Map<String, Object> m, String key, byte[] value) {
    m.put(key, Human.utf8(value));
    m.put(key + "_base64", Base64.getEncoder().encodeToString(value));
  }
}

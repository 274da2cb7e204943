package io.jasynq.prometheus;

/**
 * The names and help texts of the metrics this module writes itself. The {@code asynq_*} ones are
 * exactly those of Go Asynq's {@code x/metrics} queue collector (name, label names, help, type), so
 * dashboards made for asynq read jasynq unchanged.
 */
final class MetricNames {
  static final String TASKS_ENQUEUED = "asynq_tasks_enqueued_total";
  static final String TASKS_ENQUEUED_HELP =
      "Number of tasks enqueued; broken down by queue and state.";
  static final String QUEUE_SIZE = "asynq_queue_size";
  static final String QUEUE_SIZE_HELP = "Number of tasks in a queue";
  static final String QUEUE_LATENCY = "asynq_queue_latency_seconds";
  static final String QUEUE_LATENCY_HELP =
      "Number of seconds the oldest pending task is waiting in pending state to be processed.";
  static final String QUEUE_MEMORY = "asynq_queue_memory_usage_approx_bytes";
  static final String QUEUE_MEMORY_HELP =
      "Number of memory used by a given queue (approximated number by sampling).";
  static final String TASKS_PROCESSED = "asynq_tasks_processed_total";
  static final String TASKS_PROCESSED_HELP =
      "Number of tasks processed (both succeeded and failed); broken down by queue";
  static final String TASKS_FAILED = "asynq_tasks_failed_total";
  static final String TASKS_FAILED_HELP = "Number of tasks failed; broken down by queue";
  static final String QUEUE_PAUSED = "asynq_queue_paused_total";
  static final String QUEUE_PAUSED_HELP = "Number of queues paused";

  static final String REFRESH_ERRORS = "jasynq_exporter_refresh_errors_total";
  static final String REFRESH_ERRORS_HELP =
      "Reads of queue stats that failed since the exporter started (the queue kept its last values).";
  static final String LAST_REFRESH = "jasynq_exporter_last_refresh_timestamp_seconds";
  static final String LAST_REFRESH_HELP =
      "Unix time of the last refresh that read every queue without error; 0 before the first.";

  static final String GAUGE = "gauge";
  static final String COUNTER = "counter";

  private MetricNames() {}
}

package io.jasynq.micrometer;

/**
 * Every meter name, tag key and fixed tag value that jasynq-micrometer publishes, in one place, so
 * dashboards and alerts can refer to them. Names follow Micrometer's conventions (dot-separated,
 * base units; a Prometheus registry shows {@code jasynq.task.execution} as {@code
 * jasynq_task_execution_seconds} and {@code jasynq.tasks.processed} as {@code
 * jasynq_tasks_processed_total}).
 *
 * <p>Constants only; not instantiable.
 *
 * @since 0.1
 */
public final class MetricNames {
  // Server: task attempts, from the ServerListener.

  /** Timer of handler attempts; tags queue, task.type, outcome, exception. */
  public static final String TASK_EXECUTION = "jasynq.task.execution";

  /** Timer of the wait from {@code pending_since} to the start; tags queue, task.type. */
  public static final String TASK_QUEUE_WAIT = "jasynq.task.queue.wait";

  /** LongTaskTimer of the attempts running now; tags queue, task.type. */
  public static final String TASK_ACTIVE = "jasynq.task.active";

  /** Counter of attempts that succeeded or failed (as Asynq counts processed). */
  public static final String TASKS_PROCESSED = "jasynq.tasks.processed";

  /** Counter of failed attempts; tags queue, task.type, outcome (retry, archived, revoked). */
  public static final String TASKS_FAILED = "jasynq.tasks.failed";

  /** Counter of failed attempts that go to retry; tags queue, task.type. */
  public static final String TASKS_RETRIED = "jasynq.tasks.retried";

  /** Counter of archived tasks, malformed records included; tags queue, task.type. */
  public static final String TASKS_ARCHIVED = "jasynq.tasks.archived";

  /** Counter of tasks the recoverer found with an expired lease; tags queue, outcome. */
  public static final String TASKS_RECOVERED = "jasynq.tasks.recovered";

  /** Counter of due scheduled and retry tasks moved to pending; tag queue. */
  public static final String TASKS_FORWARDED = "jasynq.tasks.forwarded";

  /** Counter of failed Redis calls; tags component (server, client), operation. */
  public static final String REDIS_ERRORS = "jasynq.redis.errors";

  // Client.

  /** Timer of enqueues, one per task; tags queue, task.type, outcome, exception. */
  public static final String CLIENT_ENQUEUE = "jasynq.client.enqueue";

  // Queues, from the Inspector.

  /** Gauge of the tasks of a queue in one state; tags queue, state. */
  public static final String QUEUE_SIZE = "jasynq.queue.size";

  /** TimeGauge of how long the oldest pending task has waited; tag queue. */
  public static final String QUEUE_LATENCY = "jasynq.queue.latency";

  /** Gauge, 1 when the queue is paused, else 0; tag queue. */
  public static final String QUEUE_PAUSED = "jasynq.queue.paused";

  /** Gauge of the memory estimate in bytes, when Redis allows it; tag queue. */
  public static final String QUEUE_MEMORY = "jasynq.queue.memory";

  /** FunctionCounter of the queue's processed total, as Redis counts it; tag queue. */
  public static final String QUEUE_PROCESSED = "jasynq.queue.processed";

  /** FunctionCounter of the queue's failed total, as Redis counts it; tag queue. */
  public static final String QUEUE_FAILED = "jasynq.queue.failed";

  /**
   * Gauge: the queue's fleet-wide concurrency limit (the most of its tasks active at once across
   * every jasynq server); present only while one is set.
   */
  public static final String QUEUE_CONCURRENCY_LIMIT = "jasynq.queue.concurrency.limit";

  /**
   * Gauge: the queue's fleet-wide rate limit in tasks per second (its tasks over its period);
   * present only while one is set.
   */
  public static final String QUEUE_RATE_LIMIT = "jasynq.queue.rate.limit";

  /** Counter of queue snapshots that failed or had bad keys; no tags of its own. */
  public static final String QUEUE_REFRESH_ERRORS = "jasynq.queue.refresh.errors";

  // Tag keys.

  /** Tag key: the queue name. */
  public static final String TAG_QUEUE = "queue";

  /** Tag key: the task type, as {@link TaskTypeTags} maps it. */
  public static final String TAG_TASK_TYPE = "task.type";

  /** Tag key: how it ended, lower case. */
  public static final String TAG_OUTCOME = "outcome";

  /** Tag key: the simple class name of the error, or {@value #NONE}. */
  public static final String TAG_EXCEPTION = "exception";

  /** Tag key of {@link #QUEUE_SIZE}: pending, active, scheduled, retry, archived, ... */
  public static final String TAG_STATE = "state";

  /** Tag key of {@link #REDIS_ERRORS}: {@value #COMPONENT_SERVER} or {@value #COMPONENT_CLIENT}. */
  public static final String TAG_COMPONENT = "component";

  /** Tag key of {@link #REDIS_ERRORS}: the operation that failed. */
  public static final String TAG_OPERATION = "operation";

  // Fixed tag values.

  /** The exception tag when there was none. */
  public static final String NONE = "none";

  /** The component tag of a server's Redis errors. */
  public static final String COMPONENT_SERVER = "server";

  /** The component tag of a client's Redis errors. */
  public static final String COMPONENT_CLIENT = "client";

  /** Client outcome: the task was written. */
  public static final String ENQUEUED = "enqueued";

  /** Client outcome: a unique task's lock was held. */
  public static final String DUPLICATE = "duplicate";

  /** Client outcome: the queue already had a task with the ID. */
  public static final String ID_CONFLICT = "id_conflict";

  /** Client outcome: the task or its options were invalid; nothing was written. */
  public static final String INVALID = "invalid";

  /** Client outcome: anything else (Redis failed, replicas did not confirm, ...). */
  public static final String ERROR = "error";

  private MetricNames() {}
}

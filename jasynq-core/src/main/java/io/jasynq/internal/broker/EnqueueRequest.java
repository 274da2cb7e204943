package io.jasynq.internal.broker;

/**
 * One task to write: where it goes and its encoded message. Built by the client after validation.
 *
 * @param queue the queue name
 * @param id the task ID
 * @param message the encoded {@code TaskMessage}
 * @param target where the task goes
 * @param uniqueKey the lock key, or {@code null} when the task is not unique
 * @param uniqueTtlSeconds the lock's TTL in whole seconds (only with a unique key)
 * @param processAtUnix process-at in unix seconds (only for {@link Target#SCHEDULED})
 * @param group the group name, or "" for none
 * @param nowUnixNanos the writer's clock, unix nanoseconds
 * @param debounceMaxWaitSeconds for {@link Target#DEBOUNCED}: how long a burst may hold the task
 *     back, in whole seconds; else 0
 */
public record EnqueueRequest(
    String queue,
    String id,
    byte[] message,
    Target target,
    String uniqueKey,
    long uniqueTtlSeconds,
    long processAtUnix,
    String group,
    long nowUnixNanos,
    long debounceMaxWaitSeconds) {

  /** Where an enqueued task lands. */
  public enum Target {
    /** The pending list: ready to run. */
    PENDING,
    /** The scheduled zset: runs at process-at. */
    SCHEDULED,
    /** A group zset: waits to be aggregated. */
    GROUP,
    /**
     * The scheduled zset, replacing the task its debounce key's burst scheduled (see {@code
     * TaskOption.debounce}); uniqueKey is the key's lock.
     */
    DEBOUNCED
  }
}

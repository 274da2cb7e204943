package io.jasynq;

import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * A periodic task registered by a running scheduler (jasynq or Go Asynq), as its last heartbeat
 * reported it.
 *
 * @param id the entry ID (a UUID); the key of its {@linkplain Inspector#schedulerHistory history}
 * @param spec the cron spec as registered, e.g. {@code "@every 30s"}
 * @param taskType the task type it enqueues
 * @param payload the task payload (copied in and out)
 * @param options the enqueue options as stored, e.g. {@code Queue("critical")}; strings without
 *     {@code (} are left out (they crash Go's Inspector); unmodifiable
 * @param next when it next enqueues
 * @param previous when it last enqueued, if it did
 * @since 0.1
 */
public record SchedulerEntry(
    String id,
    String spec,
    String taskType,
    byte[] payload,
    List<String> options,
    Instant next,
    Optional<Instant> previous) {
  /** Copies the payload and options. */
  public SchedulerEntry {
    payload = payload == null ? new byte[0] : payload.clone();
    options = List.copyOf(options);
  }

  /** A copy of the payload. */
  @Override
  public byte[] payload() {
    return payload.clone();
  }
}

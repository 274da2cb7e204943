package io.jasynq;

import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * A periodic task registered by a running scheduler (jasynq or Go Asynq), as its last heartbeat
 * reported it.
 *
 * <p>An entry that does not decode is still listed, as a bad row with empty text fields, a null
 * {@code next} and a problem; a scheduler key or registry of the wrong type gives one such row.
 *
 * @param id the entry ID (a UUID); the key of its {@linkplain Inspector#schedulerHistory history}
 * @param spec the cron spec as registered, e.g. {@code "@every 30s"}
 * @param taskType the task type it enqueues
 * @param payload the task payload (copied in and out)
 * @param options the enqueue options as stored, e.g. {@code Queue("critical")}; strings without
 *     {@code (} are left out (they crash Go's Inspector); unmodifiable
 * @param next when it next enqueues; null only in a bad row
 * @param previous when it last enqueued, if it did
 * @param problems what is wrong with the entry, one line each (empty when nothing is);
 *     unmodifiable; since 0.2
 * @since 0.1
 */
public record SchedulerEntry(
    String id,
    String spec,
    String taskType,
    byte[] payload,
    List<String> options,
    Instant next,
    Optional<Instant> previous,
    List<String> problems) {
  /** Copies the payload, options and problems. */
  public SchedulerEntry {
    payload = payload == null ? new byte[0] : payload.clone();
    options = List.copyOf(options);
    problems = problems == null ? List.of() : List.copyOf(problems);
  }

  /** An entry without problems (the 0.1 constructor). */
  public SchedulerEntry(
      String id,
      String spec,
      String taskType,
      byte[] payload,
      List<String> options,
      Instant next,
      Optional<Instant> previous) {
    this(id, spec, taskType, payload, options, next, previous, List.of());
  }

  /** A copy of the payload. */
  @Override
  public byte[] payload() {
    return payload.clone();
  }
}

package io.jasynq;

import java.time.Instant;
import java.util.Optional;

/**
 * A task a server is running, as its last heartbeat reported it.
 *
 * @param taskId the task ID
 * @param taskType the task type
 * @param payload the task payload (copied in and out)
 * @param queue the queue the task came from
 * @param started when the handler started
 * @param deadline when the handler's context expires, if the server reported one
 * @since 0.1
 */
public record WorkerInfo(
    String taskId,
    String taskType,
    byte[] payload,
    String queue,
    Instant started,
    Optional<Instant> deadline) {
  /** Copies the payload. */
  public WorkerInfo {
    payload = payload == null ? new byte[0] : payload.clone();
  }

  /** A copy of the payload. */
  @Override
  public byte[] payload() {
    return payload.clone();
  }
}

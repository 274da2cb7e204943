package io.jasynq.internal.broker;

import io.jasynq.internal.broker.proto.TaskMessage;
import java.time.Instant;

/**
 * The valid message that replaces an undecodable one when its task is archived (wire-format §9.7),
 * so Go Inspectors can still list it; the original bytes go to the hash field {@code
 * malformed_msg}.
 */
public final class MalformedTask {
  /** The type of the message that replaces an undecodable one in the archive. */
  public static final String TYPE = "jasynq:malformed";

  private MalformedTask() {}

  /** The replacement of task {@code id} of {@code queue}, carrying {@code reason}. */
  static TaskMessage replacement(String queue, String id, String reason, Instant now) {
    return TaskMessage.newBuilder()
        .setId(id)
        .setQueue(queue)
        .setType(TYPE)
        .setErrorMsg("malformed task message: " + reason)
        .setLastFailedAt(now.getEpochSecond())
        .build();
  }
}

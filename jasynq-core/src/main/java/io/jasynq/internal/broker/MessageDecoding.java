package io.jasynq.internal.broker;

import com.google.protobuf.InvalidProtocolBufferException;
import io.jasynq.internal.broker.proto.TaskMessage;

/**
 * Decodes a stored task message without throwing, so one bad message stays one bad task, and checks
 * that it belongs to the key it was read from. This is the one place that decides whether a stored
 * message may run: the processor, the recoverer and the aggregator all get their messages through
 * it. A message whose id or queue does not match its key would be acknowledged, retried or archived
 * under another task's keys, so it is as unusable as one that does not decode (issue 10).
 */
final class MessageDecoding {
  private MessageDecoding() {}

  /** Exactly one of the two is non-null. */
  record Result(TaskMessage message, String error) {}

  /**
   * Decodes {@code raw} read from {@code asynq:{queue}:t:<id>} and checks it against that key: its
   * id and queue must be the key's, and it must have a type. For anything that runs the task.
   */
  static Result decode(String queue, String id, byte[] raw) {
    Result r = decode(raw);
    String mismatch = r.message() == null ? null : mismatch(queue, id, r.message());
    return mismatch == null ? r : new Result(null, mismatch);
  }

  /** Decodes {@code raw} without checking it against its key: for readers that only list it. */
  static Result decode(byte[] raw) {
    if (raw == null) {
      return new Result(null, "the task hash has no msg field");
    }
    try {
      return new Result(TaskMessage.parseFrom(raw), null);
    } catch (InvalidProtocolBufferException e) {
      return new Result(null, String.valueOf(e.getMessage()));
    } catch (RuntimeException e) {
      // Not seen in MessageDecodingFuzzTest; a reader must still get one bad row, not a failure.
      return new Result(null, "the message does not decode: " + e);
    }
  }

  /** Why {@code m} cannot be the message of task {@code id} of {@code queue}; null if it can. */
  static String mismatch(String queue, String id, TaskMessage m) {
    if (m.getId().isEmpty()) {
      return "the message has no id (a truncated message?)";
    }
    if (!m.getId().equals(id)) {
      return "the message's id \"" + m.getId() + "\" is not its key's id \"" + id + "\"";
    }
    if (!m.getQueue().equals(queue)) {
      return "the message names queue \""
          + m.getQueue()
          + "\", not its key's queue \""
          + queue
          + "\"";
    }
    if (m.getType().isEmpty()) {
      return "the message has no type";
    }
    return null;
  }
}

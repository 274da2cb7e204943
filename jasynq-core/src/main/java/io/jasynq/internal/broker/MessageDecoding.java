package io.jasynq.internal.broker;

import com.google.protobuf.InvalidProtocolBufferException;
import io.jasynq.internal.broker.proto.TaskMessage;

/** Decodes a stored task message without throwing, so one bad message stays one bad task. */
final class MessageDecoding {
  private MessageDecoding() {}

  /** Exactly one of the two is non-null. */
  record Result(TaskMessage message, String error) {}

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
}

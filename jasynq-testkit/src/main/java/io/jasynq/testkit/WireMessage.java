package io.jasynq.testkit;

import com.google.protobuf.CodedOutputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;

/**
 * Asynq's {@code TaskMessage} protobuf (wire-format §2), encoded field by field so that the testkit
 * can also write what no valid encoder would (non-UTF-8 strings, a missing id). Fields are written
 * in field-number order; zero numbers and empty strings are left out, as proto3 does, except type,
 * payload and queue, which are always written. The one encoder of {@link Poison} and {@link Seed}.
 */
final class WireMessage {
  byte[] type = new byte[0];
  byte[] payload = new byte[0];
  byte[] id = new byte[0];
  byte[] queue = new byte[0];
  int retry;
  int retried;
  String errorMsg = "";
  long timeout;
  long deadline;
  String uniqueKey = "";
  long lastFailedAt;
  long retention;
  long completedAt;
  String groupKey = "";

  /** The message's bytes. */
  byte[] encode() {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    CodedOutputStream w = CodedOutputStream.newInstance(out);
    try {
      w.writeByteArray(1, type);
      w.writeByteArray(2, payload);
      if (id.length > 0) {
        w.writeByteArray(3, id);
      }
      w.writeByteArray(4, queue);
      if (retry != 0) {
        w.writeInt32(5, retry);
      }
      if (retried != 0) {
        w.writeInt32(6, retried);
      }
      if (!errorMsg.isEmpty()) {
        w.writeString(7, errorMsg);
      }
      writeNonZero(w, 8, timeout);
      writeNonZero(w, 9, deadline);
      if (!uniqueKey.isEmpty()) {
        w.writeString(10, uniqueKey);
      }
      writeNonZero(w, 11, lastFailedAt);
      writeNonZero(w, 12, retention);
      writeNonZero(w, 13, completedAt);
      if (!groupKey.isEmpty()) {
        w.writeString(14, groupKey);
      }
      w.flush();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return out.toByteArray();
  }

  private static void writeNonZero(CodedOutputStream w, int field, long value) throws IOException {
    if (value != 0) {
      w.writeInt64(field, value);
    }
  }

  static byte[] utf8(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }
}

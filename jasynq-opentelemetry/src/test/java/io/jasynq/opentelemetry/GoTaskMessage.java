package io.jasynq.opentelemetry;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Map;

/**
 * Writes a TaskMessage the way Go Asynq v0.26 encodes it, by hand in the protobuf wire format
 * (wire-format §2): no generated code, so the test pins the bytes, not our codec.
 */
final class GoTaskMessage {
  private final ByteArrayOutputStream out = new ByteArrayOutputStream();

  GoTaskMessage string(int field, String value) {
    return bytes(field, value.getBytes(StandardCharsets.UTF_8));
  }

  GoTaskMessage bytes(int field, byte[] value) {
    varint(field << 3 | 2);
    varint(value.length);
    out.writeBytes(value);
    return this;
  }

  GoTaskMessage int64(int field, long value) {
    varint(field << 3);
    varint(value);
    return this;
  }

  /** A {@code map<string,string>}: one length-delimited entry per pair, key 1 and value 2. */
  GoTaskMessage map(int field, Map<String, String> entries) {
    entries.forEach((k, v) -> bytes(field, new GoTaskMessage().string(1, k).string(2, v).encode()));
    return this;
  }

  byte[] encode() {
    return out.toByteArray();
  }

  private void varint(long value) {
    long v = value;
    while ((v & ~0x7FL) != 0) {
      out.write((int) (v & 0x7F) | 0x80);
      v >>>= 7;
    }
    out.write((int) v);
  }
}

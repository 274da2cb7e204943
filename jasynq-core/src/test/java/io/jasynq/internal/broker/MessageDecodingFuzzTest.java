package io.jasynq.internal.broker;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import com.google.protobuf.ByteString;
import io.jasynq.internal.broker.proto.TaskMessage;
import java.io.ByteArrayOutputStream;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Arrays;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * The task-message decoder against hostile bytes: random bytes, valid messages mutated (bit flips,
 * truncation at every offset, extra bytes), every field with every wire type, huge length prefixes,
 * overlong varints, deep groups and strings that are not UTF-8. For every input, {@link
 * MessageDecoding#decode} returns (never throws, never hangs: the whole run has a deadline), gives
 * either a message or a non-blank reason, allocates little whatever a length prefix claims, and a
 * message it gives has only valid UTF-8 strings and encodes back to itself.
 *
 * <p>Random inputs come from {@code -Djasynq.fuzz.seed=N} (printed with every failure).
 */
class MessageDecodingFuzzTest {
  private static final long SEED = Long.getLong("jasynq.fuzz.seed", System.nanoTime());

  /** The string fields of TaskMessage (asynq.proto), which must hold valid UTF-8. */
  private static final int[] STRING_FIELDS = {1, 3, 4, 7, 10, 14};

  /** The most a decode may allocate beyond a small multiple of its input. */
  private static final long ALLOCATION_ALLOWANCE = 1 << 20;

  private final Random random = new Random(SEED);
  private final com.sun.management.ThreadMXBean threads =
      ManagementFactory.getThreadMXBean() instanceof com.sun.management.ThreadMXBean t
              && t.isThreadAllocatedMemorySupported()
              && t.isThreadAllocatedMemoryEnabled()
          ? t
          : null;
  private int cases;

  @Test
  void everyInputDecodesToAValidMessageOrAReason() {
    assertTimeoutPreemptively(
        Duration.ofMinutes(3),
        () -> {
          randomBytes(20_000);
          bitFlips(20_000);
          truncations(300);
          extraBytes(5_000);
          everyFieldWithEveryWireType();
          hugeLengthPrefixes();
          notUtf8Strings(2_000);
          overlongVarintsAndGroups();
        },
        () -> "seed " + SEED + " (-Djasynq.fuzz.seed=" + SEED + ")");
    System.out.println("MessageDecodingFuzzTest: " + cases + " inputs, seed " + SEED);
    assertThat(cases).isGreaterThan(60_000);
  }

  @Test
  void aMissingMessageIsReported() {
    MessageDecoding.Result r = MessageDecoding.decode(null);
    assertThat(r.message()).isNull();
    assertThat(r.error()).isNotBlank();
  }

  // ---- generators ----

  private void randomBytes(int n) {
    for (int i = 0; i < n; i++) {
      byte[] b = new byte[random.nextInt(96)];
      random.nextBytes(b);
      check(b, "random bytes");
    }
  }

  private void bitFlips(int n) {
    for (int i = 0; i < n; i++) {
      byte[] b = validMessage().toByteArray();
      if (b.length == 0) {
        continue;
      }
      int flips = 1 + random.nextInt(4);
      for (int k = 0; k < flips; k++) {
        b[random.nextInt(b.length)] ^= (byte) (1 << random.nextInt(8));
      }
      check(b, "bit flips");
    }
  }

  private void truncations(int messages) {
    for (int i = 0; i < messages; i++) {
      byte[] b = validMessage().toByteArray();
      for (int cut = 0; cut <= b.length; cut++) {
        MessageDecoding.Result r = check(Arrays.copyOf(b, cut), "truncated at " + cut);
        if (cut == b.length) {
          assertThat(r.message()).as(seed("a whole message decodes")).isNotNull();
        }
      }
    }
  }

  private void extraBytes(int n) {
    for (int i = 0; i < n; i++) {
      byte[] b = validMessage().toByteArray();
      byte[] extra = new byte[1 + random.nextInt(16)];
      random.nextBytes(extra);
      byte[] all = Arrays.copyOf(b, b.length + extra.length);
      System.arraycopy(extra, 0, all, b.length, extra.length);
      check(all, "extra bytes");
    }
  }

  /** Field numbers 0..20 and 15 (headers) with wire types 0..7 and a few payloads each. */
  private void everyFieldWithEveryWireType() {
    for (int field = 0; field <= 20; field++) {
      for (int wire = 0; wire <= 7; wire++) {
        for (int variant = 0; variant < 40; variant++) {
          Bytes b = new Bytes();
          b.varint(((long) field << 3) | wire);
          byte[] tail = new byte[random.nextInt(12)];
          random.nextBytes(tail);
          if (variant % 2 == 0) {
            b.varint(random.nextInt(20)); // a plausible length or value
          }
          b.write(tail);
          byte[] prefix = variant % 3 == 0 ? validMessage().toByteArray() : new byte[0];
          check(concat(prefix, b.toByteArray()), "field " + field + " wire type " + wire);
        }
      }
    }
  }

  private void hugeLengthPrefixes() {
    long[] lengths = {
      Integer.MAX_VALUE,
      Integer.MAX_VALUE + 1L,
      0xFFFF_FFFFL,
      1L << 40,
      Long.MAX_VALUE,
      -1L,
      Integer.MAX_VALUE - 8L,
      64L << 20
    };
    for (int field : new int[] {1, 2, 3, 7, 15, 99}) {
      for (long length : lengths) {
        for (int filler = 0; filler < 64; filler += 7) {
          Bytes b = new Bytes();
          b.varint(((long) field << 3) | 2);
          b.varint(length);
          byte[] some = new byte[filler];
          random.nextBytes(some);
          b.write(some);
          byte[] input = b.toByteArray();
          long allocated = allocated(() -> check(input, "length " + length + " field " + field));
          assertThat(allocated)
              .as(
                  seed("bytes allocated decoding a %d-byte input claiming %d"),
                  input.length,
                  length)
              .isLessThan(ALLOCATION_ALLOWANCE + 64L * input.length);
        }
      }
    }
  }

  /** Each string field, and header keys and values, holding bytes that are not UTF-8. */
  private void notUtf8Strings(int n) {
    for (int i = 0; i < n; i++) {
      byte[] bad = notUtf8();
      for (int field : STRING_FIELDS) {
        Bytes b = new Bytes();
        b.write(validMessage().toBuilder().clearField(descriptor(field)).build().toByteArray());
        b.varint(((long) field << 3) | 2);
        b.varint(bad.length);
        b.write(bad);
        MessageDecoding.Result r = check(b.toByteArray(), "non-UTF-8 in field " + field);
        assertThat(r.message()).as(seed("field %d with bytes %s"), field, hex(bad)).isNull();
      }
      // headers: map entry {1: key, 2: value}, one of them not UTF-8
      Bytes entry = new Bytes();
      boolean inKey = random.nextBoolean();
      byte[] good = "k".getBytes(StandardCharsets.UTF_8);
      entry.varint((1 << 3) | 2).varint(inKey ? bad.length : good.length).write(inKey ? bad : good);
      entry.varint((2 << 3) | 2).varint(inKey ? good.length : bad.length).write(inKey ? good : bad);
      byte[] e = entry.toByteArray();
      Bytes b = new Bytes();
      b.varint((15 << 3) | 2).varint(e.length).write(e);
      MessageDecoding.Result r = check(b.toByteArray(), "non-UTF-8 header");
      assertThat(r.message()).as(seed("header with bytes %s"), hex(bad)).isNull();
    }
  }

  private void overlongVarintsAndGroups() {
    for (int len = 1; len <= 16; len++) {
      for (int field : new int[] {5, 6, 8, 9}) {
        Bytes b = new Bytes();
        b.varint((long) field << 3);
        for (int i = 0; i < len; i++) {
          b.write(new byte[] {(byte) 0xFF});
        }
        check(b.toByteArray(), "varint of " + len + " bytes");
      }
    }
    for (int depth : new int[] {1, 10, 99, 100, 101, 1000, 100_000}) {
      Bytes b = new Bytes();
      for (int i = 0; i < depth; i++) {
        b.varint((99 << 3) | 3); // start group, unknown field
      }
      check(b.toByteArray(), "groups opened " + depth + " deep");
      for (int i = 0; i < depth; i++) {
        b.varint((99 << 3) | 4);
      }
      check(b.toByteArray(), "groups " + depth + " deep");
    }
    Bytes b = new Bytes();
    b.varint((99 << 3) | 4); // end group with none open
    check(b.toByteArray(), "stray end group");
  }

  // ---- the property ----

  private MessageDecoding.Result check(byte[] input, String what) {
    cases++;
    MessageDecoding.Result r;
    try {
      r = MessageDecoding.decode(input);
    } catch (Throwable t) {
      throw new AssertionError(seed(what + ": decode threw on " + hex(input)), t);
    }
    String as = seed(what + ": " + hex(input));
    assertThat(r).as(as).isNotNull();
    assertThat(r.message() == null)
        .as(as + ": exactly one of message and error")
        .isNotEqualTo(r.error() == null);
    if (r.message() == null) {
      assertThat(r.error()).as(as).isNotBlank();
      return r;
    }
    TaskMessage m = r.message();
    for (ByteString s :
        new ByteString[] {
          m.getTypeBytes(),
          m.getIdBytes(),
          m.getQueueBytes(),
          m.getErrorMsgBytes(),
          m.getUniqueKeyBytes(),
          m.getGroupKeyBytes()
        }) {
      assertThat(s.isValidUtf8()).as(as + ": string fields are UTF-8").isTrue();
    }
    for (Map.Entry<String, String> h : m.getHeadersMap().entrySet()) {
      assertThat(h.getKey()).as(as).isNotNull();
      assertThat(h.getValue()).as(as).isNotNull();
    }
    MessageDecoding.Result again = MessageDecoding.decode(m.toByteArray());
    assertThat(again.message()).as(as + ": encodes back to itself").isEqualTo(m);
    return r;
  }

  private String seed(String what) {
    return "seed " + SEED + " (-Djasynq.fuzz.seed=" + SEED + "): " + what;
  }

  private long allocated(Runnable r) {
    if (threads == null) {
      r.run();
      return 0;
    }
    long before = threads.getCurrentThreadAllocatedBytes();
    r.run();
    return threads.getCurrentThreadAllocatedBytes() - before;
  }

  // ---- inputs ----

  private TaskMessage validMessage() {
    TaskMessage.Builder b =
        TaskMessage.newBuilder()
            .setType(text(12))
            .setId(text(36))
            .setQueue(text(10))
            .setRetry(random.nextInt(30))
            .setRetried(random.nextInt(30))
            .setTimeout(random.nextInt(1_000_000))
            .setDeadline(random.nextLong());
    byte[] payload = new byte[random.nextInt(random.nextBoolean() ? 64 : 2048)];
    random.nextBytes(payload);
    b.setPayload(ByteString.copyFrom(payload));
    if (random.nextBoolean()) {
      b.setErrorMsg(text(40)).setLastFailedAt(random.nextLong());
    }
    if (random.nextBoolean()) {
      b.setUniqueKey(text(30)).setGroupKey(text(8)).setRetention(random.nextInt(100_000));
    }
    for (int i = random.nextInt(3); i > 0; i--) {
      b.putHeaders(text(6), text(10));
    }
    return b.build();
  }

  /** Text with ASCII, two-, three- and four-byte UTF-8 characters. */
  private String text(int max) {
    StringBuilder s = new StringBuilder();
    for (int i = random.nextInt(max + 1); i > 0; i--) {
      switch (random.nextInt(4)) {
        case 0 -> s.append((char) ('a' + random.nextInt(26)));
        case 1 -> s.append('é');
        case 2 -> s.append('中');
        default -> s.appendCodePoint(0x1F600 + random.nextInt(50));
      }
    }
    return s.toString();
  }

  /** Bytes that are not valid UTF-8: a lone continuation, a truncated sequence, a surrogate, ... */
  private byte[] notUtf8() {
    byte[][] bad = {
      {(byte) 0x80},
      {(byte) 0xC3},
      {(byte) 0xE4, (byte) 0xB8},
      {(byte) 0xED, (byte) 0xA0, (byte) 0x80},
      {(byte) 0xC0, (byte) 0xAF},
      {(byte) 0xF5, (byte) 0x80, (byte) 0x80, (byte) 0x80},
      {(byte) 0xFF},
      {(byte) 0xF0, (byte) 0x9F, (byte) 0x98}
    };
    byte[] core = bad[random.nextInt(bad.length)];
    byte[] before = text(4).getBytes(StandardCharsets.UTF_8);
    byte[] after = text(4).getBytes(StandardCharsets.UTF_8);
    byte[] all = concat(concat(before, core), after);
    assertThat(ByteString.copyFrom(all).isValidUtf8()).isFalse();
    return all;
  }

  private static com.google.protobuf.Descriptors.FieldDescriptor descriptor(int field) {
    return TaskMessage.getDescriptor().findFieldByNumber(field);
  }

  private static byte[] concat(byte[] a, byte[] b) {
    byte[] all = Arrays.copyOf(a, a.length + b.length);
    System.arraycopy(b, 0, all, a.length, b.length);
    return all;
  }

  private static String hex(byte[] b) {
    String h = java.util.HexFormat.of().formatHex(b, 0, Math.min(b.length, 256));
    return b.length > 256 ? h + "... (" + b.length + " bytes)" : h;
  }

  /** A little protobuf writer for inputs the generated code would never write. */
  private static final class Bytes {
    private final ByteArrayOutputStream out = new ByteArrayOutputStream();

    Bytes varint(long v) {
      long x = v;
      while ((x & ~0x7FL) != 0) {
        out.write((int) ((x & 0x7F) | 0x80));
        x >>>= 7;
      }
      out.write((int) x);
      return this;
    }

    Bytes write(byte[] b) {
      out.writeBytes(b);
      return this;
    }

    byte[] toByteArray() {
      return out.toByteArray();
    }
  }
}

package io.jasynq.bench;

import com.google.protobuf.CodedOutputStream;
import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisFuture;
import io.lettuce.core.ScriptOutputType;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.api.async.RedisAsyncCommands;
import io.lettuce.core.codec.ByteArrayCodec;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.UUID;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Writes many archived and pending tasks straight into Redis in Asynq's key schema and wire format
 * (the {@code TaskMessage} protobuf, encoded field by field), as a real queue would hold them: a
 * few task types, ~200-byte JSON payloads, UUID IDs, and for archived tasks the retry count, last
 * error and failure time. A static Lua script writes {@value #CHUNK} tasks per call and up to
 * {@value #IN_FLIGHT} calls are pipelined, so a million tasks take seconds, not the minutes the
 * Client would need.
 *
 * <p>Standalone Redis only (the script builds its keys). Task {@code i}'s ID, type and payload
 * depend on {@code i} alone; archived task {@code i} has score {@code base + i}, so page 1 holds
 * tasks 0..size-1; pending task {@code i} is pushed in order, so the oldest is task 0. Used by one
 * thread.
 */
final class DashboardSeeder implements AutoCloseable {
  static final int CHUNK = 1000;
  static final int IN_FLIGHT = 4;

  /** The task types seeded, in rotation. */
  static final String[] TYPES = {
    "email:welcome", "image:resize", "report:generate", "webhook:deliver"
  };

  private static final String SCRIPT =
      String.join(
          "\n",
          "-- ARGV[1] queue, ARGV[2] 'archived' or 'pending', ARGV[3] base score (archived) or",
          "-- pending_since (pending), then pairs of task id and encoded TaskMessage.",
          "local q = ARGV[1]",
          "local p = 'asynq:{' .. q .. '}:'",
          "redis.call('SADD', 'asynq:queues', q)",
          "local base = tonumber(ARGV[3])",
          "for i = 4, #ARGV, 2 do",
          "  if ARGV[2] == 'archived' then",
          "    redis.call('HSET', p .. 't:' .. ARGV[i], 'msg', ARGV[i + 1], 'state', 'archived')",
          "    redis.call('ZADD', p .. 'archived', base + (i - 4) / 2, ARGV[i])",
          "  else",
          "    redis.call('HSET', p .. 't:' .. ARGV[i], 'msg', ARGV[i + 1], 'state', 'pending',",
          "      'pending_since', ARGV[3])",
          "    redis.call('LPUSH', p .. 'pending', ARGV[i])",
          "  end",
          "end",
          "return 1");

  private static final Duration CALL_TIMEOUT = Duration.ofSeconds(60);

  private final RedisClient client;
  private final StatefulRedisConnection<byte[], byte[]> connection;
  private final RedisAsyncCommands<byte[], byte[]> redis;
  private final String sha;

  private DashboardSeeder(RedisClient client, StatefulRedisConnection<byte[], byte[]> connection) {
    this.client = client;
    this.connection = connection;
    this.redis = connection.async();
    this.sha = connection.sync().scriptLoad(SCRIPT.getBytes(StandardCharsets.UTF_8));
  }

  /** Connects its own client to {@code uri}; {@link #close()} shuts it down. */
  static DashboardSeeder connect(String uri) {
    RedisClient client = RedisClient.create(uri);
    try {
      return new DashboardSeeder(client, client.connect(ByteArrayCodec.INSTANCE));
    } catch (RuntimeException e) {
      client.shutdown();
      throw e;
    }
  }

  /**
   * Writes archived tasks {@code 0..n-1} to {@code queue}, archived over the last days.
   *
   * @throws IllegalStateException if Redis refuses a call or does not answer in time
   */
  void archived(String queue, int n) throws InterruptedException {
    long nowSeconds = System.currentTimeMillis() / 1000;
    write(queue, "archived", n, nowSeconds - n - 60);
  }

  /** Writes pending tasks {@code 0..n-1} to {@code queue}, all pending since now. */
  void pending(String queue, int n) throws InterruptedException {
    long nowNanos = System.currentTimeMillis() * 1_000_000L;
    write(queue, "pending", n, nowNanos);
  }

  private void write(String queue, String state, int n, long base) throws InterruptedException {
    boolean archived = state.equals("archived");
    long failedAt = System.currentTimeMillis() / 1000 - 3600;
    Deque<RedisFuture<Object>> inFlight = new ArrayDeque<>();
    for (int start = 0; start < n; start += CHUNK) {
      int end = Math.min(n, start + CHUNK);
      byte[][] args = new byte[3 + 2 * (end - start)][];
      args[0] = bytes(queue);
      args[1] = bytes(state);
      args[2] = bytes(Long.toString(archived ? base + start : base));
      for (int i = start, a = 3; i < end; i++, a += 2) {
        String id = id(queue, state, i);
        args[a] = bytes(id);
        args[a + 1] = message(queue, id, i, archived, failedAt - (n - i));
      }
      if (inFlight.size() >= IN_FLIGHT) {
        await(inFlight.removeFirst());
      }
      inFlight.addLast(redis.evalsha(sha, ScriptOutputType.INTEGER, new byte[0][], args));
    }
    while (!inFlight.isEmpty()) {
      await(inFlight.removeFirst());
    }
  }

  private static void await(RedisFuture<Object> call) throws InterruptedException {
    try {
      call.get(CALL_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
    } catch (ExecutionException | TimeoutException e) {
      throw new IllegalStateException("seeding failed: " + e, e);
    }
  }

  /** Task {@code i}'s ID: a UUID that depends on the queue, the state and {@code i} only. */
  static String id(String queue, String state, int i) {
    long high = ((long) queue.hashCode() << 32) ^ state.hashCode() ^ 0x4000L;
    return new UUID(high, 0x8000_0000_0000_0000L | (i * 0x9E37_79B9_7F4A_7C15L >>> 1)).toString();
  }

  /** Task {@code i}'s type. */
  static String type(int i) {
    return TYPES[i % TYPES.length];
  }

  /** Task {@code i}'s payload: JSON of about 200 bytes, shaped by its type. */
  static String payload(int i) {
    int user = 100_000 + (int) ((i * 2_654_435_761L) % 900_000);
    return switch (i % TYPES.length) {
      case 0 ->
          "{\"user_id\":"
              + user
              + ",\"email\":\"user"
              + user
              + "@example.com\",\"template\":\"welcome-v3\",\"locale\":\"en-GB\","
              + "\"campaign\":\"spring-2026\",\"utm\":{\"source\":\"newsletter\","
              + "\"medium\":\"email\"},\"send_at\":null}";
      case 1 ->
          "{\"bucket\":\"uploads-eu-west-1\",\"key\":\"users/"
              + user
              + "/photos/"
              + Integer.toHexString(i * 31 + 7)
              + ".jpg\",\"sizes\":[64,256,1024],\"format\":\"webp\",\"quality\":82,"
              + "\"strip_metadata\":true,\"requested_by\":"
              + user
              + "}";
      case 2 ->
          "{\"report\":\"monthly-revenue\",\"account_id\":"
              + user
              + ",\"period\":{\"from\":\"2026-01-01\",\"to\":\"2026-01-31\"},"
              + "\"format\":\"pdf\",\"currency\":\"EUR\",\"notify\":[\"finance@example.com\"],"
              + "\"job\":"
              + i
              + "}";
      default ->
          "{\"endpoint\":\"https://hooks.example.com/v1/"
              + user
              + "/events\",\"event\":\"order.paid\",\"order_id\":\"ord_"
              + Integer.toHexString(i * 131 + 11)
              + "\",\"amount_cents\":"
              + (i % 100_000)
              + ",\"signature_version\":\"v2\"}";
    };
  }

  private static byte[] message(String queue, String id, int i, boolean archived, long failedAt) {
    byte[] payload = bytes(payload(i));
    byte[] out = new byte[payload.length + 256];
    CodedOutputStream w = CodedOutputStream.newInstance(out);
    try {
      w.writeString(1, type(i));
      w.writeByteArray(2, payload);
      w.writeString(3, id);
      w.writeString(4, queue);
      w.writeInt32(5, 25);
      if (archived) {
        w.writeInt32(6, 25);
        w.writeString(7, "dial tcp 10.0.3.17:443: i/o timeout");
        w.writeInt64(11, failedAt);
      }
      w.writeInt64(8, 1800);
      w.flush();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    byte[] msg = new byte[w.getTotalBytesWritten()];
    System.arraycopy(out, 0, msg, 0, msg.length);
    return msg;
  }

  private static byte[] bytes(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }

  @Override
  public void close() {
    try {
      connection.close();
    } finally {
      client.shutdown();
    }
  }
}

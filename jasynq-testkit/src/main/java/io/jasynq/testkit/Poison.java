package io.jasynq.testkit;

import io.lettuce.core.ScriptOutputType;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Random;

/**
 * Writes hostile records straight into Redis, as a buggy producer, an old version or a hand edit
 * would leave them, in Asynq's key schema ({@code asynq:{Q}:...}) and wire format (the {@code
 * TaskMessage} protobuf, encoded here field by field).
 *
 * <p>Each {@link Kind} says where the record is put and what a correct jasynq does with it ({@link
 * Fate}). {@link #seed} draws a reproducible mix of kinds from a seed. Records use task IDs of the
 * form {@code poison-<kind>-<n>} (except where the kind is about the ID itself), so that a test can
 * find the log line and the Redis state that belong to each.
 *
 * <p>Standalone Redis only: some records are written by a Lua script with keys built inside it.
 *
 * @since 0.1.0
 */
public final class Poison {
  /** What a correct server leaves of a record once it has dealt with it. */
  public enum Fate {
    /** Archived in its queue as malformed: in {@code archived}, hash state {@code archived}. */
    ARCHIVED,
    /**
     * Gone from every state container of its queue (pending, active, lease, scheduled, retry);
     * whatever foreign key stood behind it is left as it was.
     */
    DROPPED,
    /**
     * Out of the waiting containers (pending, active, lease, scheduled, retry): either archived or
     * dropped, the implementation's choice.
     */
    ISOLATED,
    /** A valid task in a strange place: its handler runs exactly once, and it is then done. */
    PROCESSED_ONCE
  }

  /** The kinds of hostile record. */
  public enum Kind {
    /** In pending; the task key is a string. */
    TASK_KEY_STRING(Fate.DROPPED),
    /** In pending; the task key is a list. */
    TASK_KEY_LIST(Fate.DROPPED),
    /** In pending; the task key is a set. */
    TASK_KEY_SET(Fate.DROPPED),
    /** In pending; the task key is a sorted set. */
    TASK_KEY_ZSET(Fate.DROPPED),
    /** In pending; no task key at all. */
    DANGLING(Fate.DROPPED),
    /** In pending; the task hash has a state but no {@code msg}. */
    NO_MSG(Fate.ARCHIVED),
    /** In pending; {@code msg} is random bytes. */
    UNDECODABLE(Fate.ARCHIVED),
    /** In pending; {@code msg} ends right after the payload field (no id, no queue). */
    TRUNCATED_AFTER_PAYLOAD(Fate.ARCHIVED),
    /** In pending; a well-formed {@code msg} with an empty id. */
    ID_MISSING(Fate.ARCHIVED),
    /** In pending; a well-formed {@code msg} whose id is that of another (valid) task. */
    ID_OF_ANOTHER_TASK(Fate.ARCHIVED),
    /** In pending; a well-formed {@code msg} whose queue field names another queue. */
    QUEUE_OF_ANOTHER(Fate.ARCHIVED),
    /** In pending; {@code msg} whose type string is not UTF-8 (proto3 refuses it). */
    NON_UTF8_TYPE(Fate.ARCHIVED),
    /** In pending; the ID itself is not UTF-8 (hash and message follow it byte for byte). */
    NON_UTF8_ID(Fate.ISOLATED),
    /** A valid task with a 4 MiB payload, in pending. */
    HUGE_PAYLOAD(Fate.PROCESSED_ONCE),
    /** A valid pending task whose ID is also in the retry set, due (two states at once). */
    PENDING_AND_RETRY(Fate.PROCESSED_ONCE),
    /** Due in the retry set; the task key is a string. */
    RETRY_TASK_KEY_STRING(Fate.DROPPED),
    /** Due in the scheduled set; the task key is a list. */
    SCHEDULED_TASK_KEY_LIST(Fate.DROPPED),
    /**
     * Due in the scheduled set; a valid task hash whose state says {@code active}, though no active
     * list holds it: only mislabelled, scheduled is its one place, so it is forwarded and run.
     */
    SCHEDULED_BUT_ACTIVE_STATE(Fate.PROCESSED_ONCE),
    /** In active with a lease that ran out long ago; its message carries another task's id. */
    ACTIVE_ID_OF_SOMEONE_ELSE(Fate.ARCHIVED),
    /** In active with a lease that ran out long ago; the task key is a string. */
    ACTIVE_TASK_KEY_STRING(Fate.DROPPED),
    /** In active with a lease that ran out long ago; undecodable {@code msg}. */
    ACTIVE_UNDECODABLE(Fate.ARCHIVED),
    /**
     * A valid task in active whose lease ran out long ago, as a worker killed with {@code kill -9}
     * leaves it: recovered to retry, then processed.
     */
    ORPHANED_BY_KILLED_WORKER(Fate.PROCESSED_ONCE);

    private final Fate fate;

    Kind(Fate fate) {
      this.fate = fate;
    }

    /** What a correct server leaves of this kind of record. */
    public Fate fate() {
      return fate;
    }
  }

  /**
   * One record written.
   *
   * @param kind what it is
   * @param id its task ID as text (for {@link Kind#NON_UTF8_ID}, the ID with invalid bytes
   *     replaced; {@link #rawId} has the bytes)
   * @param rawId its task ID as written
   * @param queue the queue whose keys hold it
   */
  public record Record(Kind kind, String id, byte[] rawId, String queue) {
    /** What a correct server leaves of it. */
    public Fate fate() {
      return kind.fate();
    }
  }

  private static final int HUGE = 4 << 20;

  private final TestRedis redis;
  private final Instant now;

  private Poison(TestRedis redis, Instant now) {
    this.redis = redis;
    this.now = now;
  }

  /**
   * A writer of hostile records.
   *
   * @param redis where to write
   * @param now the time the records are written at: leases of orphaned tasks end 10 minutes before
   *     it, due entries are scored 1 minute before it
   */
  public static Poison into(TestRedis redis, Instant now) {
    return new Poison(Objects.requireNonNull(redis, "redis == null"), now);
  }

  /**
   * Writes {@code count} records of kinds drawn from {@code seed} into {@code queue}, at least one
   * of each kind when {@code count >= Kind.values().length}.
   *
   * @param validIds IDs of valid tasks already in the queue, which {@link Kind#ID_OF_ANOTHER_TASK}
   *     records borrow; may be empty
   */
  public List<Record> seed(String queue, long seed, int count, List<String> validIds) {
    Random random = new Random(seed);
    Kind[] kinds = Kind.values();
    List<Record> out = new ArrayList<>(count);
    for (int i = 0; i < count; i++) {
      Kind kind = i < kinds.length ? kinds[i] : kinds[random.nextInt(kinds.length)];
      String other =
          validIds.isEmpty() ? "someone-else-0" : validIds.get(random.nextInt(validIds.size()));
      out.add(write(kind, queue, i, other, random));
    }
    return out;
  }

  /**
   * Writes one record.
   *
   * @param n a number making its ID unique among records of its kind
   * @param otherId the ID of another task, for the kinds that borrow one
   */
  public Record write(Kind kind, String queue, int n, String otherId, Random random) {
    String id = "poison-" + kind.name().toLowerCase(java.util.Locale.ROOT) + "-" + n;
    String p = "asynq:{" + queue + "}:";
    String task = p + "t:" + id;
    byte[] idBytes = id.getBytes(StandardCharsets.UTF_8);
    var c = redis.commands();
    redis.commands().sadd("asynq:queues", bytes(queue));
    switch (kind) {
      case TASK_KEY_STRING -> {
        c.set(task, bytes("x"));
        c.lpush(p + "pending", idBytes);
      }
      case TASK_KEY_LIST -> {
        c.rpush(task, bytes("a"), bytes("b"));
        c.lpush(p + "pending", idBytes);
      }
      case TASK_KEY_SET -> {
        c.sadd(task, bytes("a"));
        c.lpush(p + "pending", idBytes);
      }
      case TASK_KEY_ZSET -> {
        c.zadd(task, 1, bytes("a"));
        c.lpush(p + "pending", idBytes);
      }
      case DANGLING -> c.lpush(p + "pending", idBytes);
      case NO_MSG -> {
        c.hset(task, "state", bytes("pending"));
        c.lpush(p + "pending", idBytes);
      }
      case UNDECODABLE -> pending(p, id, randomGarbage(random));
      case TRUNCATED_AFTER_PAYLOAD -> {
        byte[] full = message("poison:type", bytes("{\"a\":1}"), id, queue, 3);
        // type (1) and payload (2) come first: cut right after them.
        int cut = 2 + "poison:type".length() + 2 + "{\"a\":1}".length();
        pending(p, id, java.util.Arrays.copyOf(full, cut));
      }
      case ID_MISSING -> pending(p, id, message("poison:type", bytes("x"), "", queue, 3));
      case ID_OF_ANOTHER_TASK ->
          pending(p, id, message("poison:type", bytes("x"), otherId, queue, 3));
      case QUEUE_OF_ANOTHER ->
          pending(p, id, message("poison:type", bytes("x"), id, "elsewhere", 3));
      case NON_UTF8_TYPE -> {
        byte[] type = {(byte) 0xC3, (byte) 0x28, 'x'};
        pending(p, id, messageRaw(type, bytes("x"), idBytes, bytes(queue), 3));
      }
      case NON_UTF8_ID -> {
        byte[] raw = ("poison-non_utf8_id-" + n + "-").getBytes(StandardCharsets.UTF_8);
        raw = java.util.Arrays.copyOf(raw, raw.length + 2);
        raw[raw.length - 2] = (byte) 0xFF;
        raw[raw.length - 1] = (byte) 0xFE;
        byte[] msg = messageRaw(bytes("poison:type"), bytes("x"), raw, bytes(queue), 3);
        c.eval(
            "redis.call('HSET', ARGV[1] .. 't:' .. ARGV[2], 'msg', ARGV[3], 'state', 'pending',"
                + " 'pending_since', ARGV[4]) redis.call('LPUSH', ARGV[1] .. 'pending', ARGV[2])"
                + " return 1",
            ScriptOutputType.INTEGER,
            new String[0],
            bytes(p),
            raw,
            msg,
            bytes(Long.toString(nanos(now))));
        return new Record(kind, new String(raw, StandardCharsets.UTF_8), raw, queue);
      }
      case HUGE_PAYLOAD -> {
        byte[] payload = new byte[HUGE];
        random.nextBytes(payload);
        pending(p, id, message("poison:huge", payload, id, queue, 3));
      }
      case PENDING_AND_RETRY -> {
        pending(p, id, message("poison:valid", bytes("x"), id, queue, 3));
        c.zadd(p + "retry", now.getEpochSecond() - 60, idBytes);
      }
      case RETRY_TASK_KEY_STRING -> {
        c.set(task, bytes("x"));
        c.zadd(p + "retry", now.getEpochSecond() - 60, idBytes);
      }
      case SCHEDULED_TASK_KEY_LIST -> {
        c.rpush(task, bytes("a"));
        c.zadd(p + "scheduled", now.getEpochSecond() - 60, idBytes);
      }
      case SCHEDULED_BUT_ACTIVE_STATE -> {
        c.hset(task, "msg", message("poison:valid", bytes("x"), id, queue, 3));
        c.hset(task, "state", bytes("active"));
        c.zadd(p + "scheduled", now.getEpochSecond() - 60, idBytes);
      }
      case ACTIVE_ID_OF_SOMEONE_ELSE ->
          active(p, id, message("poison:type", bytes("x"), "someone-else-" + n, queue, 3));
      case ACTIVE_TASK_KEY_STRING -> {
        c.set(task, bytes("x"));
        c.lpush(p + "active", idBytes);
        c.zadd(p + "lease", now.getEpochSecond() - 600, idBytes);
      }
      case ACTIVE_UNDECODABLE -> active(p, id, randomGarbage(random));
      case ORPHANED_BY_KILLED_WORKER ->
          active(p, id, message("poison:valid", bytes("x"), id, queue, 3));
    }
    return new Record(kind, id, idBytes, queue);
  }

  private void pending(String p, String id, byte[] msg) {
    var c = redis.commands();
    c.hset(p + "t:" + id, "msg", msg);
    c.hset(p + "t:" + id, "state", bytes("pending"));
    c.hset(p + "t:" + id, "pending_since", bytes(Long.toString(nanos(now))));
    c.lpush(p + "pending", bytes(id));
  }

  private void active(String p, String id, byte[] msg) {
    var c = redis.commands();
    c.hset(p + "t:" + id, "msg", msg);
    c.hset(p + "t:" + id, "state", bytes("active"));
    c.lpush(p + "active", bytes(id));
    c.zadd(p + "lease", now.getEpochSecond() - 600, bytes(id));
  }

  private static byte[] randomGarbage(Random random) {
    // 0xFF starts no valid field tag's wire type 7, so the garbage never parses by chance.
    byte[] b = new byte[8 + random.nextInt(64)];
    random.nextBytes(b);
    b[0] = (byte) 0xFF;
    return b;
  }

  /**
   * A task message in Asynq's wire format (wire-format §2): type, payload, id, queue, retry.
   *
   * @param retry the max retry count
   */
  public static byte[] message(String type, byte[] payload, String id, String queue, int retry) {
    return messageRaw(bytes(type), payload, bytes(id), bytes(queue), retry);
  }

  private static byte[] messageRaw(
      byte[] type, byte[] payload, byte[] id, byte[] queue, int retry) {
    WireMessage m = new WireMessage();
    m.type = type;
    m.payload = payload;
    m.id = id;
    m.queue = queue;
    m.retry = retry;
    m.timeout = 1800;
    return m.encode();
  }

  private static long nanos(Instant t) {
    return t.getEpochSecond() * 1_000_000_000L + t.getNano();
  }

  private static byte[] bytes(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }
}

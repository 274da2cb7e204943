package io.jasynq.testkit;

import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Objects;
import java.util.UUID;

/**
 * Puts tasks into Redis in a given state, as Asynq and jasynq write them (wire-format §1): the task
 * hash {@code asynq:{Q}:t:<id>} with its {@code msg} ({@code TaskMessage} protobuf) and {@code
 * state}, the ID in the state's list or sorted set, and the queue in {@code asynq:queues}. For
 * tests that need a task to be active with a lease, due for retry or long completed, without
 * running a server to get it there.
 *
 * <pre>{@code
 * Seed seed = Seed.into(redis, clock);
 * String id = seed.queue("default").pending("email:send", payload);
 * String orphan = seed.queue("default").task("report").active(clock.instant().minusSeconds(5));
 * String failed = seed.queue("default").task("report").retried(2).lastError("boom", failedAt)
 *     .retry(clock.instant().plusSeconds(60));
 * }</pre>
 *
 * <p>Writes are plain commands, not one script: a seed is for setting a scene before the code under
 * test runs. Standalone and Sentinel masters; on a cluster, every key of one task shares its
 * queue's hash slot, but {@code asynq:queues} may live on another node, so use a connection per
 * node. For hostile or broken records, see {@link Poison}.
 *
 * @since 0.1.0
 */
public final class Seed {
  /** Asynq's default maximum number of retries: {@value}. */
  public static final int DEFAULT_MAX_RETRY = 25;

  /** Asynq's default task timeout, written when no deadline is given: 30 minutes. */
  public static final Duration DEFAULT_TIMEOUT = Duration.ofMinutes(30);

  private final TestRedis redis;
  private final Clock clock;

  private Seed(TestRedis redis, Clock clock) {
    this.redis = Objects.requireNonNull(redis, "redis == null");
    this.clock = Objects.requireNonNull(clock, "clock == null");
  }

  /**
   * A seed writing through {@code redis}, with the system clock for {@code pending_since}.
   *
   * @throws NullPointerException if {@code redis} is null
   */
  public static Seed into(TestRedis redis) {
    return new Seed(redis, Clock.systemUTC());
  }

  /**
   * A seed writing through {@code redis}; {@code clock} (a {@link FakeClock}, say) gives the time
   * pending tasks are marked pending since.
   *
   * @throws NullPointerException if an argument is null
   */
  public static Seed into(TestRedis redis, Clock clock) {
    return new Seed(redis, clock);
  }

  /**
   * The tasks of one queue.
   *
   * @throws IllegalArgumentException if {@code name} is blank
   */
  public Queue queue(String name) {
    if (Objects.requireNonNull(name, "name == null").isBlank()) {
      throw new IllegalArgumentException("queue name is blank");
    }
    return new Queue(name);
  }

  /** Writes tasks into one queue. */
  public final class Queue {
    private final String name;

    private Queue(String name) {
      this.name = name;
    }

    /**
     * A task of {@code type} to describe further, then write with one of its state methods.
     *
     * @throws IllegalArgumentException if {@code type} is blank
     */
    public Task task(String type) {
      if (Objects.requireNonNull(type, "type == null").isBlank()) {
        throw new IllegalArgumentException("task type is blank");
      }
      return new Task(name, type);
    }

    /**
     * Writes a pending task, with a random ID and Asynq's defaults.
     *
     * @return its ID
     */
    public String pending(String type, byte[] payload) {
      return task(type).payload(payload).pending();
    }

    /**
     * Writes a pending task whose payload is {@code payload} in UTF-8.
     *
     * @return its ID
     */
    public String pending(String type, String payload) {
      return task(type).payload(payload).pending();
    }
  }

  /**
   * One task being described: its message fields, then one state method that writes it and returns
   * its ID. Not reusable after that.
   */
  public final class Task {
    private final String queue;
    private final WireMessage msg = new WireMessage();
    private String id = UUID.randomUUID().toString();
    private boolean written;

    private Task(String queue, String type) {
      this.queue = queue;
      msg.type = WireMessage.utf8(type);
      msg.queue = WireMessage.utf8(queue);
      msg.retry = DEFAULT_MAX_RETRY;
      msg.timeout = DEFAULT_TIMEOUT.toSeconds();
    }

    /** Its ID; a random UUID unless set. */
    public Task id(String id) {
      if (Objects.requireNonNull(id, "id == null").isEmpty()) {
        throw new IllegalArgumentException("id is empty");
      }
      this.id = id;
      return this;
    }

    /** Its payload bytes (none unless set). */
    public Task payload(byte[] payload) {
      msg.payload = Objects.requireNonNull(payload, "payload == null").clone();
      return this;
    }

    /** Its payload, {@code payload} in UTF-8. */
    public Task payload(String payload) {
      return payload(
          Objects.requireNonNull(payload, "payload == null").getBytes(StandardCharsets.UTF_8));
    }

    /** How many times it may be retried; {@value #DEFAULT_MAX_RETRY} unless set. */
    public Task maxRetry(int maxRetry) {
      msg.retry = maxRetry;
      return this;
    }

    /** How many times it has been retried already; 0 unless set. */
    public Task retried(int retried) {
      msg.retried = retried;
      return this;
    }

    /** The error of its last failed run, and when that was. */
    public Task lastError(String message, Instant failedAt) {
      msg.errorMsg = Objects.requireNonNull(message, "message == null");
      msg.lastFailedAt = failedAt.getEpochSecond();
      return this;
    }

    /** Its timeout; {@link #DEFAULT_TIMEOUT} unless set; zero for none. */
    public Task timeout(Duration timeout) {
      msg.timeout = timeout.toSeconds();
      return this;
    }

    /** Its deadline, and no timeout (as Asynq writes a task given only a deadline). */
    public Task deadline(Instant deadline) {
      msg.deadline = deadline.getEpochSecond();
      msg.timeout = 0;
      return this;
    }

    /**
     * How long it is kept after it succeeds; none unless set (a server then deletes it on success).
     */
    public Task retention(Duration retention) {
      msg.retention = retention.toSeconds();
      return this;
    }

    /**
     * The group it belongs to: named in its message and hash, and known in the queue's {@code
     * groups}. A scheduled or retry task of a group goes back into the group when due.
     */
    public Task group(String group) {
      if (Objects.requireNonNull(group, "group == null").isEmpty()) {
        throw new IllegalArgumentException("group is empty");
      }
      msg.groupKey = group;
      return this;
    }

    /**
     * Writes it pending: in {@code pending}, marked pending since the seed's clock.
     *
     * @return its ID
     */
    public String pending() {
      write("pending");
      redis
          .commands()
          .hset(taskKey(), "pending_since", utf8(Long.toString(nanos(clock.instant()))));
      redis.commands().lpush(prefix() + "pending", utf8(id));
      return id;
    }

    /**
     * Writes it pending in one round trip, as Go's enqueue script does: the hash ({@code msg},
     * {@code state}, {@code pending_since}) and an {@code LPUSH}, in one {@code EVAL}, publishing
     * nothing. For measuring what a server does with a Go producer's task; call {@link
     * Seed#queue(String)}'s {@code pending} otherwise. The queue must already be in {@code
     * asynq:queues} (Go's client adds it once, separately).
     *
     * @return its ID
     */
    public String pendingAsGo() {
      if (written) {
        throw new IllegalStateException("task " + id + " is already written");
      }
      written = true;
      msg.id = utf8(id);
      redis
          .commands()
          .eval(
              "if redis.call('EXISTS', KEYS[1]) == 1 then return 0 end "
                  + "redis.call('HSET', KEYS[1], 'msg', ARGV[1], 'state', 'pending',"
                  + " 'pending_since', ARGV[2]) "
                  + "redis.call('LPUSH', KEYS[2], ARGV[3]) return 1",
              io.lettuce.core.ScriptOutputType.INTEGER,
              new String[] {taskKey(), prefix() + "pending"},
              msg.encode(),
              utf8(Long.toString(nanos(clock.instant()))),
              utf8(id));
      return id;
    }

    /**
     * Writes it active, as a worker holds it: in {@code active}, with a lease in {@code lease}.
     *
     * @param leaseUntil when the worker's lease runs out (in the past: a dead worker's orphan)
     * @return its ID
     */
    public String active(Instant leaseUntil) {
      write("active");
      redis.commands().lpush(prefix() + "active", utf8(id));
      redis.commands().zadd(prefix() + "lease", leaseUntil.getEpochSecond(), utf8(id));
      return id;
    }

    /**
     * Writes it scheduled.
     *
     * @param processAt when it is due
     * @return its ID
     */
    public String scheduled(Instant processAt) {
      return inZset("scheduled", processAt.getEpochSecond());
    }

    /**
     * Writes it waiting for a retry (set {@link #retried} and {@link #lastError} to describe the
     * failures before).
     *
     * @param retryAt when it is due again
     * @return its ID
     */
    public String retry(Instant retryAt) {
      return inZset("retry", retryAt.getEpochSecond());
    }

    /**
     * Writes it archived.
     *
     * @param archivedAt when it was archived
     * @return its ID
     */
    public String archived(Instant archivedAt) {
      return inZset("archived", archivedAt.getEpochSecond());
    }

    /**
     * Writes it completed and kept: in {@code completed}, scored with the end of its retention.
     *
     * @param completedAt when it succeeded
     * @param retention how long it is kept after that; positive (without retention Asynq deletes a
     *     task on success)
     * @return its ID
     */
    public String completed(Instant completedAt, Duration retention) {
      if (retention.isNegative() || retention.isZero()) {
        throw new IllegalArgumentException("retention is not positive: " + retention);
      }
      msg.completedAt = completedAt.getEpochSecond();
      msg.retention = retention.toSeconds();
      return inZset("completed", completedAt.plus(retention).getEpochSecond());
    }

    /**
     * Writes it aggregating in {@code group}: in the group's sorted set, the group in the queue's
     * {@code groups}, and the group named in the message and the hash.
     *
     * @param addedAt when it entered the group
     * @return its ID
     */
    public String aggregating(String group, Instant addedAt) {
      group(group);
      write("aggregating");
      redis.commands().zadd(prefix() + "g:" + group, addedAt.getEpochSecond(), utf8(id));
      return id;
    }

    private String inZset(String state, long score) {
      write(state);
      redis.commands().zadd(prefix() + state, score, utf8(id));
      return id;
    }

    private void write(String state) {
      if (written) {
        throw new IllegalStateException("task " + id + " is already written");
      }
      written = true;
      msg.id = utf8(id);
      redis.commands().sadd("asynq:queues", utf8(queue));
      redis.commands().hset(taskKey(), "msg", msg.encode());
      redis.commands().hset(taskKey(), "state", utf8(state));
      if (!msg.groupKey.isEmpty()) {
        redis.commands().hset(taskKey(), "group", utf8(msg.groupKey));
        redis.commands().sadd(prefix() + "groups", utf8(msg.groupKey));
      }
    }

    private String prefix() {
      return "asynq:{" + queue + "}:";
    }

    private String taskKey() {
      return prefix() + "t:" + id;
    }
  }

  private static byte[] utf8(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }

  private static long nanos(Instant t) {
    return t.getEpochSecond() * 1_000_000_000L + t.getNano();
  }
}

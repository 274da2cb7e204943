package io.jasynq.internal.broker;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.LocalDate;
import java.util.HexFormat;

/**
 * The whole Redis key schema (wire-format §1), one method per key. Every per-queue key is built
 * here under {@code asynq:{<queue>}:}, so no caller can forget the Cluster hash tag.
 */
public final class Keys {
  private static final String ROOT = "asynq:";

  private Keys() {}

  /** SET of every queue name that was enqueued to. */
  public static String queues() {
    return ROOT + "queues";
  }

  /** ZSET of server-info key names, scored by the unix second each entry expires. */
  public static String servers() {
    return ROOT + "servers";
  }

  /** STRING holding one server's {@code ServerInfo}: {@code asynq:servers:{host:pid:sid}}. */
  public static String server(String host, int pid, String serverId) {
    return servers() + ":" + serverTag(host, pid, serverId);
  }

  /** ZSET of workers key names, scored by the unix second each entry expires. */
  public static String workers() {
    return ROOT + "workers";
  }

  /**
   * HASH of one server's running tasks, task ID to {@code WorkerInfo}: {@code
   * asynq:workers:{host:pid:sid}}. It shares its hash tag with {@link #server}, so one script may
   * write both on Cluster.
   */
  public static String workers(String host, int pid, String serverId) {
    return workers() + ":" + serverTag(host, pid, serverId);
  }

  /** ZSET of scheduler-entries key names, scored by the unix second each entry expires. */
  public static String schedulers() {
    return ROOT + "schedulers";
  }

  /**
   * LIST of one scheduler's {@code SchedulerEntry} messages: {@code asynq:schedulers:{<id>}}, where
   * the scheduler ID is {@code host:pid:uuid}.
   */
  public static String schedulerEntries(String schedulerId) {
    return schedulers() + ":{" + schedulerId + "}";
  }

  /** ZSET of one entry's {@code SchedulerEnqueueEvent}s, scored by enqueue unix second. */
  public static String schedulerHistory(String entryId) {
    return ROOT + "scheduler_history:" + entryId;
  }

  /**
   * jasynq's fire record of a periodic entry: the last tick (unix s) any scheduler enqueued for the
   * entry whose identity (a hash equal across schedulers) is {@code identity}. In the queue's slot,
   * so the enqueue script checks and sets it atomically with the task.
   */
  public static String fireRecord(String queue, String identity) {
    return queuePrefix(queue) + "cron:" + identity;
  }

  /**
   * jasynq's limits of a queue, a hash: field {@code concurrency} is the most tasks of the queue
   * active at once across the fleet (checked by the dequeue scripts against the active list);
   * {@code rate}, {@code per_ms} and {@code burst} its rate limit (tasks started per period, at
   * most burst saved up). In the queue's slot. Go Asynq neither reads nor writes it.
   */
  public static String limits(String queue) {
    return queuePrefix(queue) + "limits";
  }

  /**
   * jasynq's token bucket of a queue's rate limit, a hash: {@code tokens} left and {@code at_ms},
   * when that was (unix ms). Written by the dequeue scripts. In the queue's slot.
   */
  public static String rateBucket(String queue) {
    return queuePrefix(queue) + "rate";
  }

  /** The Pub/Sub channel whose messages are IDs of tasks to cancel. */
  public static String cancelChannel() {
    return ROOT + "cancel";
  }

  /** The per-queue prefix {@code asynq:{Q}:}. */
  public static String queuePrefix(String queue) {
    return ROOT + "{" + queue + "}:";
  }

  public static String pending(String queue) {
    return queuePrefix(queue) + "pending";
  }

  public static String active(String queue) {
    return queuePrefix(queue) + "active";
  }

  public static String lease(String queue) {
    return queuePrefix(queue) + "lease";
  }

  public static String scheduled(String queue) {
    return queuePrefix(queue) + "scheduled";
  }

  public static String retry(String queue) {
    return queuePrefix(queue) + "retry";
  }

  public static String archived(String queue) {
    return queuePrefix(queue) + "archived";
  }

  public static String completed(String queue) {
    return queuePrefix(queue) + "completed";
  }

  public static String paused(String queue) {
    return queuePrefix(queue) + "paused";
  }

  public static String processedTotal(String queue) {
    return queuePrefix(queue) + "processed";
  }

  public static String failedTotal(String queue) {
    return queuePrefix(queue) + "failed";
  }

  /** Daily counter; {@code day} is the UTC date. */
  public static String processed(String queue, LocalDate day) {
    return processedTotal(queue) + ":" + day;
  }

  /** Daily counter; {@code day} is the UTC date. */
  public static String failed(String queue, LocalDate day) {
    return failedTotal(queue) + ":" + day;
  }

  /** The task-hash prefix {@code asynq:{Q}:t:}. */
  public static String taskPrefix(String queue) {
    return queuePrefix(queue) + "t:";
  }

  public static String task(String queue, String id) {
    return taskPrefix(queue) + id;
  }

  /** The group-key prefix {@code asynq:{Q}:g:}. */
  public static String groupPrefix(String queue) {
    return queuePrefix(queue) + "g:";
  }

  public static String group(String queue, String group) {
    return groupPrefix(queue) + group;
  }

  public static String groups(String queue) {
    return queuePrefix(queue) + "groups";
  }

  public static String aggregationSets(String queue) {
    return queuePrefix(queue) + "aggregation_sets";
  }

  /**
   * ZSET of one aggregation set, the tasks taken from a group for one aggregation: {@code
   * asynq:{Q}:g:<group>:<setID>}, where the set ID is a UUID.
   */
  public static String aggregationSet(String queue, String group, String setId) {
    return group(queue, group) + ":" + setId;
  }

  /** The queue of a per-queue key {@code asynq:{Q}:...}, or null when {@code key} is not one. */
  public static String queueOf(String key) {
    String open = ROOT + "{";
    int end = key.indexOf("}:", open.length());
    return key.startsWith(open) && end > open.length() ? key.substring(open.length(), end) : null;
  }

  /**
   * The group of an {@linkplain #aggregationSet aggregation-set key} of {@code queue}, or null when
   * {@code key} is not one. Group names may contain ':'; set IDs do not.
   */
  public static String groupOfAggregationSet(String queue, String key) {
    String prefix = groupPrefix(queue);
    int colon = key.lastIndexOf(':');
    return key.startsWith(prefix) && colon > prefix.length()
        ? key.substring(prefix.length(), colon)
        : null;
  }

  /**
   * The unique lock key: {@code asynq:{Q}:unique:<type>:<md5 hex of payload>}. A {@code null}
   * payload ends right after the type's colon; an empty one hashes zero bytes (wire-format §1.2),
   * which is what Go callers passing {@code nil} and {@code []byte{}} produce.
   */
  public static String unique(String queue, String type, byte[] payload) {
    String prefix = queuePrefix(queue) + "unique:" + type + ":";
    return payload == null ? prefix : prefix + md5Hex(payload);
  }

  /**
   * jasynq's unique lock of a caller-chosen key: {@code asynq:{Q}:unique:key:<key>}. A lock key
   * like any other to Go, which releases it through the task's {@code unique_key}.
   */
  public static String uniqueByKey(String queue, String key) {
    return queuePrefix(queue) + "unique:key:" + key;
  }

  private static String md5Hex(byte[] bytes) {
    try {
      return HexFormat.of().formatHex(MessageDigest.getInstance("MD5").digest(bytes));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("MD5 is required of every Java platform", e);
    }
  }

  private static String serverTag(String host, int pid, String serverId) {
    return "{" + host + ":" + pid + ":" + serverId + "}";
  }

  /**
   * jasynq's wake-up channel: the enqueue, forward and requeue scripts publish a pending key here
   * when they make that list non-empty, so idle servers need not wait for their next poll.
   */
  public static String pendingChannel() {
    return "jasynq:pending";
  }

  static byte[] bytes(String key) {
    return key.getBytes(StandardCharsets.UTF_8);
  }
}

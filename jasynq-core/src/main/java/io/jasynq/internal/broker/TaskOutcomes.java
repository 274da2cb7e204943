package io.jasynq.internal.broker;

import static io.jasynq.internal.broker.Failures.unwrap;
import static io.jasynq.internal.broker.ScriptValues.ARCHIVE_MAX_SIZE;
import static io.jasynq.internal.broker.ScriptValues.STATS_TTL;
import static io.jasynq.internal.broker.ScriptValues.day;
import static io.jasynq.internal.broker.ScriptValues.number;
import static io.jasynq.internal.broker.ScriptValues.statsExpiry;
import static io.jasynq.internal.broker.ScriptValues.text;
import static io.jasynq.internal.broker.ScriptValues.unixNanos;

import io.jasynq.JasynqException;
import io.jasynq.internal.broker.proto.TaskMessage;
import io.lettuce.core.RedisException;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What becomes of an active task once its handler returned (wire-format §3.10–§3.14, §3.22): done,
 * completed with retention, requeued, retried, archived, and its result written. Each operation
 * builds keys and arguments, runs one script, and maps the reply; a task that is no longer active
 * fails it with {@link TaskNotActiveException}, with nothing written. Thread-safe.
 *
 * <p>A side key a task's progress does not wait for (a daily or total counter Redis cannot
 * increment, a unique lock that is not a string) is left as it is, the task goes on, and a WARN
 * names the key once.
 */
public final class TaskOutcomes {
  private static final Logger log = LoggerFactory.getLogger(TaskOutcomes.class);

  private final CommandRunner commands;

  /** The side keys a WARN was logged for (see {@link #warnSkipped}); bounded. */
  private final Set<String> warnedKeys = ConcurrentHashMap.newKeySet();

  TaskOutcomes(CommandRunner commands) {
    this.commands = commands;
  }

  /**
   * Removes a task that succeeded and keeps no result (wire-format §3.10; also the outcome of a
   * revoked task): out of active and lease, hash deleted, processed counted, its unique lock
   * released if it still holds it.
   *
   * @param msg the task's message (its queue, ID and unique key are used)
   * @param now the caller's clock (the daily counter's date and expiry)
   * @return completes when done; fails with {@link TaskNotActiveException} if the task is not
   *     active (nothing written)
   */
  public CompletableFuture<Void> done(TaskMessage msg, Instant now) {
    String q = msg.getQueue();
    List<String> keys = new ArrayList<>(6);
    keys.add(Keys.active(q));
    keys.add(Keys.lease(q));
    keys.add(Keys.task(q, msg.getId()));
    keys.add(Keys.processed(q, day(now)));
    keys.add(Keys.processedTotal(q));
    addUniqueKey(keys, msg);
    List<byte[]> args = List.of(Keys.bytes(msg.getId()), number(statsExpiry(now)));
    return finish("done", msg, Script.DONE, keys, args);
  }

  /**
   * {@link #done} for several tasks of one queue in one script call. Each task is finished or left
   * alone on its own: the reply says which were done (true) and which were not active (false,
   * nothing written for them).
   *
   * @param queue the queue every message belongs to
   */
  public CompletableFuture<List<Boolean>> doneMany(
      String queue, List<TaskMessage> msgs, Instant now) {
    int n = msgs.size();
    List<String> keys = new ArrayList<>(4 + 2 * n);
    keys.add(Keys.active(queue));
    keys.add(Keys.lease(queue));
    keys.add(Keys.processed(queue, day(now)));
    keys.add(Keys.processedTotal(queue));
    List<byte[]> args = new ArrayList<>(2 + 2 * n);
    args.add(number(n));
    args.add(number(statsExpiry(now)));
    for (TaskMessage m : msgs) {
      if (!m.getQueue().equals(queue)) {
        throw new IllegalArgumentException("task " + m.getId() + " is not in queue " + queue);
      }
      keys.add(Keys.task(queue, m.getId()));
      args.add(Keys.bytes(m.getId()));
    }
    for (int i = 0; i < n; i++) {
      String lock = msgs.get(i).getUniqueKey();
      if (!lock.isEmpty()) {
        keys.add(lock);
        args.add(number(i + 1));
      }
    }
    return commands
        .runScript("done", Script.DONE_MANY, keys, args, Commands::arrayReply)
        .thenApply(
            reply -> {
              warnSkipped(
                  "done",
                  "of " + n + " tasks of queue \"" + queue + "\"",
                  reply.subList(n, reply.size()));
              return reply.subList(0, n).stream().map(r -> Long.valueOf(1).equals(r)).toList();
            });
  }

  /**
   * Keeps a task that succeeded for its retention (wire-format §3.11): {@code completed_at} = now,
   * into {@code completed} scored now + retention, processed counted, unique lock released. The
   * stored {@code result} stays. Fields of {@code msg} this version does not know are kept.
   *
   * @param msg the task's message as dequeued
   * @param now the caller's clock
   * @return completes when done; fails with {@link TaskNotActiveException} if the task is not
   *     active (nothing written)
   */
  public CompletableFuture<Void> markComplete(TaskMessage msg, Instant now) {
    String q = msg.getQueue();
    long nowS = now.getEpochSecond();
    TaskMessage completed = msg.toBuilder().setCompletedAt(nowS).build();
    List<String> keys = new ArrayList<>(7);
    keys.add(Keys.active(q));
    keys.add(Keys.lease(q));
    keys.add(Keys.task(q, msg.getId()));
    keys.add(Keys.completed(q));
    keys.add(Keys.processed(q, day(now)));
    keys.add(Keys.processedTotal(q));
    addUniqueKey(keys, msg);
    List<byte[]> args =
        List.of(
            Keys.bytes(msg.getId()),
            number(statsExpiry(now)),
            number(nowS + msg.getRetention()),
            completed.toByteArray());
    return finish("markComplete", msg, Script.MARK_COMPLETE, keys, args);
  }

  /**
   * Puts a running task back at the tail of pending so it runs next (wire-format §3.12), with
   * {@code pending_since} = now (wire-format §9.9). No counter or retry count changes.
   *
   * @return completes when done; fails with {@link TaskNotActiveException} if the task is not
   *     active (nothing written)
   */
  public CompletableFuture<Void> requeue(TaskMessage msg, Instant now) {
    String q = msg.getQueue();
    List<String> keys =
        List.of(Keys.active(q), Keys.lease(q), Keys.task(q, msg.getId()), Keys.pending(q));
    List<byte[]> args = List.of(Keys.bytes(msg.getId()), number(unixNanos(now)));
    return finish("requeue", msg, Script.REQUEUE, keys, args);
  }

  /**
   * Moves a failed running task to the retry set (wire-format §3.13): {@code error_msg} and {@code
   * last_failed_at} = now are set; {@code retried} and the processed/failed counters move only for
   * a failure.
   *
   * @param msg the task's message as dequeued
   * @param now the caller's clock
   * @param retryAt when the task becomes due again
   * @param errorMessage the error text
   * @param isFailure whether the error counts as a failure
   * @return completes when done; fails with {@link TaskNotActiveException} if the task is not
   *     active (nothing written)
   */
  public CompletableFuture<Void> retry(
      TaskMessage msg, Instant now, Instant retryAt, String errorMessage, boolean isFailure) {
    String q = msg.getQueue();
    TaskMessage.Builder b =
        msg.toBuilder().setErrorMsg(errorMessage).setLastFailedAt(now.getEpochSecond());
    if (isFailure) {
      b.setRetried(msg.getRetried() + 1);
    }
    LocalDate day = day(now);
    List<String> keys =
        List.of(
            Keys.active(q),
            Keys.lease(q),
            Keys.task(q, msg.getId()),
            Keys.retry(q),
            Keys.processed(q, day),
            Keys.failed(q, day),
            Keys.processedTotal(q),
            Keys.failedTotal(q));
    List<byte[]> args =
        List.of(
            Keys.bytes(msg.getId()),
            b.build().toByteArray(),
            number(retryAt.getEpochSecond()),
            number(statsExpiry(now)),
            Keys.bytes(isFailure ? "1" : "0"));
    return finish("retry", msg, Script.RETRY, keys, args);
  }

  /**
   * Moves a running task that will not be retried to the archive (wire-format §3.14): {@code
   * error_msg} and {@code last_failed_at} = now are set, {@code retried} is unchanged, processed
   * and failed always count. The archive is then trimmed to tasks younger than 90 days and to the
   * newest {@value ScriptValues#ARCHIVE_MAX_SIZE}, deleting the trimmed tasks' hashes. The unique
   * lock is kept until its TTL.
   *
   * @return completes when done; fails with {@link TaskNotActiveException} if the task is not
   *     active (nothing written)
   */
  public CompletableFuture<Void> archive(TaskMessage msg, Instant now, String errorMessage) {
    TaskMessage archived =
        msg.toBuilder().setErrorMsg(errorMessage).setLastFailedAt(now.getEpochSecond()).build();
    return archive("archive", archived, null, now);
  }

  /**
   * Archives an active task whose stored message does not decode (wire-format §9.7). Its {@code
   * msg} is replaced by a valid message of type {@value MalformedTask#TYPE} carrying the reason, so
   * Go Inspectors can still list it; the original bytes are kept in the hash field {@code
   * malformed_msg}. Counted as processed and failed.
   *
   * @param queue the queue
   * @param id the task ID
   * @param rawMessage the undecodable bytes, or null if the hash had no {@code msg} field
   * @param reason why it did not decode
   * @param now the caller's clock
   * @return completes when done; fails with {@link TaskNotActiveException} if the task is not
   *     active (nothing written)
   */
  public CompletableFuture<Void> archiveMalformed(
      String queue, String id, byte[] rawMessage, String reason, Instant now) {
    return archive(
        "archiveMalformed", MalformedTask.replacement(queue, id, reason, now), rawMessage, now);
  }

  private CompletableFuture<Void> archive(
      String operation, TaskMessage msg, byte[] original, Instant now) {
    String q = msg.getQueue();
    String id = msg.getId();
    LocalDate day = day(now);
    List<String> keys =
        List.of(
            Keys.active(q),
            Keys.lease(q),
            Keys.task(q, id),
            Keys.archived(q),
            Keys.processed(q, day),
            Keys.failed(q, day),
            Keys.processedTotal(q),
            Keys.failedTotal(q));
    List<byte[]> args = new ArrayList<>(8);
    args.add(Keys.bytes(id));
    args.add(msg.toByteArray());
    args.add(number(now.getEpochSecond()));
    args.add(number(now.minus(STATS_TTL).getEpochSecond()));
    args.add(number(ARCHIVE_MAX_SIZE));
    args.add(number(statsExpiry(now)));
    args.add(Keys.bytes(Keys.taskPrefix(q)));
    if (original != null) {
      args.add(original);
    }
    return finish(operation, msg, Script.ARCHIVE, keys, args);
  }

  /**
   * Stores a handler's result in its task hash, only while the task is active (wire-format §3.22,
   * §9.12).
   *
   * @return true if written; false if the task is missing or not active (nothing written)
   */
  public CompletableFuture<Boolean> writeResult(String queue, String id, byte[] result) {
    return commands
        .runScript(
            "writeResult",
            Script.WRITE_RESULT,
            List.of(Keys.task(queue, id)),
            List.of(result.clone()),
            Commands::integerReply)
        .thenApply(reply -> reply == 1L);
  }

  /**
   * A completion write: NOT FOUND from the script becomes {@link TaskNotActiveException}. The
   * script replies {@code {1, skipped keys...}}: side keys (counters, locks) it left as they were.
   */
  private CompletableFuture<Void> finish(
      String operation, TaskMessage msg, Script script, List<String> keys, List<byte[]> args) {
    return commands
        .runScript(operation, script, keys, args, Commands::arrayReply)
        .handle(
            (reply, error) -> {
              if (error != null) {
                return CompletableFuture.<Void>failedFuture(notActive(operation, msg, error));
              }
              warnSkipped(
                  operation,
                  "task " + msg.getId() + " of queue \"" + msg.getQueue() + "\"",
                  reply.subList(1, reply.size()));
              return CompletableFuture.<Void>completedFuture(null);
            })
        .thenCompose(f -> f);
  }

  /**
   * Logs, once per key, the side keys a script left as they were because they hold another type or
   * a value Redis cannot count on (lib_keys.lua): the task went on without them.
   */
  void warnSkipped(String operation, String subject, List<?> keys) {
    for (Object k : keys) {
      String key = text(k);
      if (warnedKeys.size() > 10_000) {
        warnedKeys.clear(); // daily counter names change every day: keep the set bounded
      }
      if (warnedKeys.add(key)) {
        log.warn(
            "{}: key \"{}\" holds another type, or a value Redis cannot count on, and was left as"
                + " it is; the write {} went on without it (warned once per key)",
            operation,
            key,
            subject);
      }
    }
  }

  private static Throwable notActive(String operation, TaskMessage msg, Throwable error) {
    Throwable e = unwrap(error);
    Throwable cause = e instanceof JasynqException && e.getCause() != null ? e.getCause() : e;
    if (cause instanceof RedisException
        && cause.getMessage() != null
        && cause.getMessage().startsWith("NOT FOUND")) {
      return new TaskNotActiveException(operation, msg.getQueue(), msg.getId(), cause);
    }
    return e;
  }

  private static void addUniqueKey(List<String> keys, TaskMessage msg) {
    if (!msg.getUniqueKey().isEmpty()) {
      keys.add(msg.getUniqueKey()); // never an empty key: "" hashes to slot 0 on Cluster
    }
  }
}

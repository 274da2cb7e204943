package io.jasynq.internal.broker;

import static io.jasynq.internal.broker.Failures.translated;
import static io.jasynq.internal.broker.Failures.unwrap;
import static io.jasynq.internal.broker.Failures.wrongKeyType;
import static io.jasynq.internal.broker.ScriptValues.dangling;
import static io.jasynq.internal.broker.ScriptValues.isolated;
import static io.jasynq.internal.broker.ScriptValues.number;
import static io.jasynq.internal.broker.ScriptValues.text;
import static io.jasynq.internal.broker.ScriptValues.unixNanos;

import io.jasynq.JasynqException;
import io.jasynq.internal.broker.proto.TaskMessage;
import io.lettuce.core.protocol.AsyncCommand;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

/**
 * How tasks move between states without a handler's outcome (wire-format §3.9, §3.15–§3.18):
 * dequeue under a lease, lease extension and expiry, due scheduled/retry tasks forwarded to
 * pending, and expired completed tasks deleted. Each operation builds keys and arguments, runs one
 * script per queue (or batch), and maps the reply. Thread-safe.
 */
public final class TaskFlow {
  /** The most pending IDs one dequeue call looks at, skipping dangling ones. */
  static final int DEQUEUE_SCAN_LIMIT = 100;

  /** The most due IDs one forward call moves (wire-format §3.15). */
  static final int FORWARD_BATCH = 100;

  /** The most lease-expired tasks one {@link #listLeaseExpired} call returns. */
  public static final int LEASE_EXPIRED_LIMIT = 1000;

  private final CommandRunner commands;

  TaskFlow(CommandRunner commands) {
    this.commands = commands;
  }

  /**
   * Makes the oldest pending task active under a lease, trying {@code queues} in order with one
   * script call per queue (wire-format §3.9). A paused queue is skipped; pending IDs with no task
   * hash are dropped on the way, and IDs whose task key is not a hash are set aside (see {@link
   * #dequeue(List, Instant, Instant, int)}). A convenience for tests: what was set aside is not
   * reported.
   *
   * @param queues the queues to try, first preferred
   * @param now the caller's clock
   * @param leaseExpiry when the lease runs out; must be after {@code now}
   * @return the task, or null when every queue is empty, paused or unusable. A task whose message
   *     is unusable is still returned (and is active): archive it with {@link
   *     TaskOutcomes#archiveMalformed}
   */
  public CompletableFuture<Dequeued> dequeue(
      List<String> queues, Instant now, Instant leaseExpiry) {
    return dequeue(queues, now, leaseExpiry, 1)
        .thenApply(b -> b.tasks().isEmpty() ? null : b.tasks().get(0));
  }

  /**
   * Takes up to {@code max} tasks in one go: from the first queue of {@code queues} that has work,
   * then the next ones while fewer than {@code max} were found, one script call per queue tried.
   * One bad record never stops the others (issue 10): an ID whose task key is not a hash, or whose
   * task is held by the set of another state as well, is removed from pending and reported in
   * {@link DequeueBatch#isolated()} (its key is kept); a queue whose pending, active or lease key
   * has the wrong type is reported in {@link DequeueBatch#unusable()}, nothing is written to it,
   * and the next queue is tried.
   */
  public CompletableFuture<DequeueBatch> dequeue(
      List<String> queues, Instant now, Instant leaseExpiry, int max) {
    if (!leaseExpiry.isAfter(now)) {
      throw new IllegalArgumentException(
          "leaseExpiry must be after now, was " + leaseExpiry + " <= " + now);
    }
    if (max < 1) {
      throw new IllegalArgumentException("max must be >= 1, was " + max);
    }
    return dequeueFrom(
        List.copyOf(queues), 0, leaseExpiry.getEpochSecond(), max, new DequeueAccumulator(now));
  }

  /** What a dequeue call gathered so far; confined to the call's completion chain. */
  private static final class DequeueAccumulator {
    final long now;
    final List<Dequeued> tasks = new ArrayList<>();
    final List<Isolated> isolated = new ArrayList<>();
    final List<String> served = new ArrayList<>();
    final Map<String, String> unusable = new LinkedHashMap<>();
    final List<Isolated> dropped = new ArrayList<>();
    final List<String> limited = new ArrayList<>();
    final long nowMillis;
    long rateWaitMillis;

    DequeueAccumulator(Instant now) {
      this.now = now.getEpochSecond();
      this.nowMillis = now.toEpochMilli();
    }

    DequeueBatch batch() {
      return new DequeueBatch(tasks, isolated, dropped, served, unusable, limited, rateWaitMillis);
    }

    /** What dequeue.lua (or done_dequeue.lua's second half) took from queue {@code q}. */
    void add(
        String q,
        List<?> taken,
        List<?> isolatedIds,
        List<?> droppedIds,
        Object limitedFlag,
        Object waitMillis) {
      for (int k = 0; k + 2 < taken.size(); k += 3) {
        tasks.add(
            Dequeued.of(
                q, text(taken.get(k)), (byte[]) taken.get(k + 1), pendingSince(taken.get(k + 2))));
      }
      isolated.addAll(isolated(q, isolatedIds));
      dropped.addAll(dangling(q, droppedIds, "no task key behind it; dropped from pending"));
      served.add(q);
      if (Long.valueOf(1).equals(limitedFlag)) {
        limited.add(q);
      }
      if (waitMillis instanceof Long w && w > 0) {
        rateWaitMillis = rateWaitMillis == 0 ? w : Math.min(rateWaitMillis, w);
      }
    }
  }

  /**
   * What {@link #doneThenDequeue} did: {@code doneError} is null when the finished task left Redis,
   * a {@link TaskNotActiveException} when it was no longer active, or the {@link
   * WrongKeyTypeException} that refused it (nothing written for it then); {@code next} is what the
   * dequeue took, as {@link #dequeue(List, Instant, Instant, int)} reports it.
   */
  public record DoneThenNext(RuntimeException doneError, DequeueBatch next) {}

  /**
   * Finishes {@code done} as {@link TaskOutcomes#done} does and takes up to {@code max} tasks from
   * {@code queue} as {@link #dequeue(List, Instant, Instant, int)} does, in one script call
   * (done_dequeue.lua): a worker that finished a task fetches the next in the same round trip. On a
   * Redis Cluster both queues must hash to the same slot ({@link #chainable}).
   *
   * @param done the finished task's message (no retention: it leaves Redis)
   * @param outcomes where the skipped side keys of the first half are reported
   */
  public CompletableFuture<DoneThenNext> doneThenDequeue(
      TaskMessage done,
      TaskOutcomes outcomes,
      String queue,
      Instant now,
      Instant leaseExpiry,
      int max) {
    if (!leaseExpiry.isAfter(now)) {
      throw new IllegalArgumentException(
          "leaseExpiry must be after now, was " + leaseExpiry + " <= " + now);
    }
    String dq = done.getQueue();
    List<String> keys = new ArrayList<>(11);
    keys.add(Keys.pending(queue));
    keys.add(Keys.paused(queue));
    keys.add(Keys.active(queue));
    keys.add(Keys.lease(queue));
    keys.add(Keys.limits(queue));
    keys.add(Keys.rateBucket(queue));
    keys.add(Keys.active(dq));
    keys.add(Keys.lease(dq));
    keys.add(Keys.task(dq, done.getId()));
    keys.add(Keys.processed(dq, ScriptValues.day(now)));
    keys.add(Keys.processedTotal(dq));
    if (!done.getUniqueKey().isEmpty()) {
      keys.add(done.getUniqueKey());
    }
    List<byte[]> args =
        List.of(
            Keys.bytes(done.getId()),
            number(ScriptValues.statsExpiry(now)),
            number(leaseExpiry.getEpochSecond()),
            Keys.bytes(Keys.taskPrefix(queue)),
            number(DEQUEUE_SCAN_LIMIT),
            number(max),
            Keys.bytes(Keys.queuePrefix(queue)),
            Keys.bytes(Keys.groupPrefix(queue)),
            number(now.getEpochSecond()),
            number(now.toEpochMilli()));
    return commands
        .runScript("done", Script.DONE_DEQUEUE, keys, args, Commands::arrayReply)
        .thenApply(
            reply -> {
              List<?> first = (List<?>) reply.get(0);
              RuntimeException doneError = null;
              if (Long.valueOf(1).equals(first.get(0))) {
                outcomes.warnSkipped(
                    "done",
                    "task " + done.getId() + " of queue \"" + dq + "\"",
                    first.subList(1, first.size()));
              } else {
                String refusal = text(first.get(1));
                doneError =
                    refusal.startsWith("NOT FOUND")
                        ? new TaskNotActiveException("done", dq, done.getId(), null)
                        : refusal("done", refusal);
              }
              DequeueAccumulator acc = new DequeueAccumulator(now);
              Object refused = reply.get(4);
              if (refused instanceof byte[] b) {
                RuntimeException e = refusal("dequeue", text(b));
                acc.unusable.put(
                    queue, e instanceof WrongKeyTypeException w ? w.reason() : e.getMessage());
              } else {
                acc.add(
                    queue,
                    (List<?>) reply.get(1),
                    (List<?>) reply.get(2),
                    (List<?>) reply.get(3),
                    reply.get(5),
                    reply.get(6));
              }
              return new DoneThenNext(doneError, acc.batch());
            });
  }

  /** A script's refusal text as the exception the one-script call would have failed with. */
  private static RuntimeException refusal(String operation, String text) {
    WrongKeyTypeException wrong = WrongKeyTypeException.ofReply(operation, text, null);
    return wrong != null ? wrong : new JasynqException(operation + " failed: " + text);
  }

  /**
   * Whether {@link #doneThenDequeue} may finish a task of {@code doneQueue} and take from {@code
   * nextQueue}: always on one node; on a Redis Cluster only within one queue (one hash slot).
   */
  public boolean chainable(String doneQueue, String nextQueue) {
    return commands.cluster() == null || doneQueue.equals(nextQueue);
  }

  private CompletableFuture<DequeueBatch> dequeueFrom(
      List<String> queues, int i, long leaseExpiry, int max, DequeueAccumulator acc) {
    if (i == queues.size() || acc.tasks.size() >= max) {
      return CompletableFuture.completedFuture(acc.batch());
    }
    String q = queues.get(i);
    List<String> keys =
        List.of(
            Keys.pending(q),
            Keys.paused(q),
            Keys.active(q),
            Keys.lease(q),
            Keys.limits(q),
            Keys.rateBucket(q));
    List<byte[]> args =
        List.of(
            number(leaseExpiry),
            Keys.bytes(Keys.taskPrefix(q)),
            number(DEQUEUE_SCAN_LIMIT),
            number(max - acc.tasks.size()),
            Keys.bytes(Keys.queuePrefix(q)),
            Keys.bytes(Keys.groupPrefix(q)),
            number(acc.now),
            number(acc.nowMillis));
    return commands
        .runScript("dequeue", Script.DEQUEUE, keys, args, Commands::arrayReply)
        .handle(
            (reply, error) -> {
              if (error != null) {
                WrongKeyTypeException wrong = wrongKeyType("dequeue", error);
                if (wrong == null) {
                  return CompletableFuture.<DequeueBatch>failedFuture(unwrap(error));
                }
                acc.unusable.put(q, wrong.reason());
              } else {
                acc.add(
                    q,
                    (List<?>) reply.get(0),
                    (List<?>) reply.get(1),
                    (List<?>) reply.get(2),
                    reply.get(3),
                    reply.get(4));
              }
              return dequeueFrom(queues, i + 1, leaseExpiry, max, acc);
            })
        .thenCompose(f -> f);
  }

  /** A task's {@code pending_since} (unix nanoseconds), or null if absent or not a number. */
  private static Instant pendingSince(Object reply) {
    if (!(reply instanceof byte[] bytes)) {
      return null;
    }
    try {
      long nanos = Long.parseLong(new String(bytes, StandardCharsets.US_ASCII));
      return nanos <= 0
          ? null
          : Instant.ofEpochSecond(nanos / 1_000_000_000L, nanos % 1_000_000_000L);
    } catch (NumberFormatException e) {
      return null; // as Go reads it: a non-numeric pending_since is no information
    }
  }

  /**
   * Moves every due task of {@code scheduled} and then of {@code retry} to pending, or into its
   * group (wire-format §3.15), at most {@value #FORWARD_BATCH} per script call until none is due. A
   * task entering a group registers the group (wire-format §9.3); one entering pending gets {@code
   * pending_since} = now. IDs with no task hash are removed.
   *
   * <p>One bad record never stops the others (issue 10): an ID whose task key is not a hash, or
   * whose task is held in another state as well, is removed from its set and reported in {@link
   * Forwarded#isolated()} (its key is kept); an ID whose group key has the wrong type stays where
   * it is and is reported in {@link Forwarded#kept()}; a source set whose own keys have the wrong
   * type is reported in {@link Forwarded#unusable()} and the other source is still handled.
   */
  public CompletableFuture<Forwarded> forward(String queue, Instant now) {
    ForwardAccumulator acc = new ForwardAccumulator();
    return forwardFrom(queue, Keys.scheduled(queue), "scheduled", now, 0, acc)
        .thenCompose(v -> forwardFrom(queue, Keys.retry(queue), "retry", now, 0, acc))
        .thenApply(
            v -> new Forwarded(acc.moved, acc.isolated, acc.dropped, acc.kept, acc.unusable));
  }

  /** What a forward call gathered so far; confined to the call's completion chain. */
  private static final class ForwardAccumulator {
    int moved;
    final List<Isolated> isolated = new ArrayList<>();
    final List<Isolated> dropped = new ArrayList<>();
    final List<Isolated> kept = new ArrayList<>();
    final List<String> unusable = new ArrayList<>();
  }

  private CompletableFuture<Void> forwardFrom(
      String q, String source, String state, Instant now, int skip, ForwardAccumulator acc) {
    List<String> keys = List.of(source, Keys.pending(q), Keys.groups(q));
    List<byte[]> args =
        List.of(
            number(now.getEpochSecond()),
            Keys.bytes(Keys.taskPrefix(q)),
            number(unixNanos(now)),
            Keys.bytes(Keys.groupPrefix(q)),
            number(FORWARD_BATCH),
            Keys.bytes(state),
            Keys.bytes(Keys.queuePrefix(q)),
            number(skip));
    return commands
        .runScript("forward", Script.FORWARD, keys, args, Commands::arrayReply)
        .handle(
            (reply, error) -> {
              if (error != null) {
                WrongKeyTypeException wrong = wrongKeyType("forward", error);
                if (wrong == null) {
                  return CompletableFuture.<Void>failedFuture(unwrap(error));
                }
                acc.unusable.add(wrong.reason());
                return CompletableFuture.<Void>completedFuture(null);
              }
              long moved = (Long) reply.get(0);
              List<Isolated> dropped =
                  dangling(
                      q, (List<?>) reply.get(1), "no task key behind it; dropped from " + state);
              List<Isolated> isolated = isolated(q, (List<?>) reply.get(2));
              List<Isolated> kept = isolated(q, (List<?>) reply.get(3));
              acc.moved += (int) moved;
              acc.isolated.addAll(isolated);
              acc.dropped.addAll(dropped);
              acc.kept.addAll(kept);
              return moved + dropped.size() + isolated.size() + kept.size() == 0
                  ? CompletableFuture.<Void>completedFuture(null)
                  : forwardFrom(q, source, state, now, skip + kept.size(), acc);
            })
        .thenCompose(f -> f);
  }

  /**
   * Deletes one batch of completed tasks whose retention ended at or before {@code now}
   * (wire-format §3.16). Call again while it returns a positive count.
   *
   * @param batchSize the most tasks to delete, >= 1
   * @return how many were deleted
   */
  public CompletableFuture<Integer> deleteExpiredCompleted(
      String queue, Instant now, int batchSize) {
    if (batchSize < 1) {
      throw new IllegalArgumentException("batchSize must be >= 1, was " + batchSize);
    }
    List<String> keys = List.of(Keys.completed(queue));
    List<byte[]> args =
        List.of(
            number(now.getEpochSecond()), Keys.bytes(Keys.taskPrefix(queue)), number(batchSize));
    return commands
        .runScript(
            "deleteExpiredCompleted",
            Script.DELETE_EXPIRED_COMPLETED,
            keys,
            args,
            Commands::integerReply)
        .thenApply(Long::intValue);
  }

  /**
   * Active tasks whose lease score is at or before {@code cutoff}, oldest first, at most {@value
   * #LEASE_EXPIRED_LIMIT} (wire-format §3.17). Each message is decoded and checked against its key
   * on its own: an unusable one comes back with a {@code decodeError} and does not fail the call.
   * IDs with no task hash are removed from active and lease and left out; IDs whose task key is not
   * a hash, or whose task is in lease but in another state, are removed from lease and reported in
   * {@link ExpiredLeases#isolated()}.
   *
   * @return the expired leases; fails with {@link WrongKeyTypeException} when the queue's lease or
   *     active key has the wrong type (nothing written)
   */
  public CompletableFuture<ExpiredLeases> listLeaseExpired(String queue, Instant cutoff) {
    List<String> keys = List.of(Keys.lease(queue), Keys.active(queue));
    List<byte[]> args =
        List.of(
            number(cutoff.getEpochSecond()),
            Keys.bytes(Keys.taskPrefix(queue)),
            number(LEASE_EXPIRED_LIMIT));
    return commands
        .runScript("listLeaseExpired", Script.LIST_LEASE_EXPIRED, keys, args, Commands::arrayReply)
        .exceptionallyCompose(
            e -> CompletableFuture.failedFuture(translated("listLeaseExpired", e)))
        .thenApply(
            reply -> {
              List<?> listed = (List<?>) reply.get(0);
              List<Leased> leased = new ArrayList<>(listed.size() / 2);
              for (int i = 0; i + 1 < listed.size(); i += 2) {
                leased.add(Leased.of(queue, text(listed.get(i)), (byte[]) listed.get(i + 1)));
              }
              return new ExpiredLeases(leased, isolated(queue, (List<?>) reply.get(1)));
            });
  }

  /**
   * Sets the lease of each of {@code ids} that still has one to {@code expiry} (wire-format §3.18:
   * {@code ZADD XX}, so a task no longer leased is not given a lease again).
   */
  public CompletableFuture<Void> extendLease(String queue, List<String> ids, Instant expiry) {
    if (ids.isEmpty()) {
      return CompletableFuture.completedFuture(null);
    }
    AsyncCommand<byte[], byte[], Long> zadd =
        Commands.zaddExisting(Keys.lease(queue), expiry.getEpochSecond(), List.copyOf(ids));
    commands.dispatch(List.of(zadd));
    return commands.bounded("extendLease", zadd).thenApply(reply -> null);
  }
}

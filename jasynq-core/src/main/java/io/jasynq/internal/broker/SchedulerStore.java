package io.jasynq.internal.broker;

import io.jasynq.internal.broker.proto.SchedulerEnqueueEvent;
import io.jasynq.internal.broker.proto.SchedulerEntry;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * The scheduler's Redis reads and writes (spec §3.20): its entries, each entry's enqueue history,
 * and jasynq's fire records, which make a tick enqueued once across schedulers. Sends through the
 * {@link Broker}'s connection; thread-safe.
 */
public final class SchedulerStore {
  /** The most events an entry's history keeps (spec §3.20). */
  public static final int HISTORY_LIMIT = 1000;

  private final Broker broker;

  /** A store on {@code broker}'s connection; the broker stays the caller's to close. */
  public SchedulerStore(Broker broker) {
    this.broker = broker;
  }

  /**
   * Enqueues one tick of a periodic entry unless a scheduler already enqueued it: the fire record
   * {@link Keys#fireRecord} of {@code identity} in the task's queue is checked and set in the same
   * script as the enqueue (fire_once.lua).
   *
   * @param request the enqueue, built by {@link EnqueueRequests}
   * @param identity the entry's identity, equal for equal entries of every scheduler
   * @param tick the tick's fire time, unix seconds
   * @param gapSeconds the least distance to the last enqueued tick (1 for calendar specs)
   * @param recordTtl how long the record outlives its last tick
   * @return the outcome, or null when another scheduler enqueued this tick (nothing written)
   */
  public CompletableFuture<EnqueueOutcome> enqueueOnce(
      EnqueueRequest request, String identity, long tick, long gapSeconds, Duration recordTtl) {
    List<String> keys = new ArrayList<>(Broker.keysFor(request));
    keys.add(Keys.fireRecord(request.queue(), identity));
    List<byte[]> args = new ArrayList<>(Broker.argsFor(request));
    args.add(Broker.number(tick));
    args.add(Broker.number(gapSeconds));
    args.add(Broker.number(seconds(recordTtl)));
    return broker
        .enqueue(request, Broker.scriptFor(request).once(), keys, args)
        .thenApply(reply -> reply == -2 ? null : EnqueueOutcome.ofReply(reply));
  }

  /**
   * The last tick (unix s) any scheduler enqueued for {@code identity} in {@code queue}, or null.
   */
  public CompletableFuture<Long> lastFired(String queue, String identity) {
    return broker
        .send("lastFired", Commands.get(Keys.fireRecord(queue, identity)))
        .thenApply(v -> v == null ? null : Long.valueOf(new String(v, StandardCharsets.UTF_8)));
  }

  /**
   * Writes a scheduler's entries (spec §3.20): the registry {@code asynq:schedulers} scored now +
   * ttl, then the list rewritten with that TTL.
   */
  public CompletableFuture<Void> writeEntries(
      String schedulerId, List<SchedulerEntry> entries, Instant now, Duration ttl) {
    long ttlSeconds = seconds(ttl);
    String key = Keys.schedulerEntries(schedulerId);
    List<byte[]> args = new ArrayList<>(entries.size() + 1);
    args.add(Broker.number(ttlSeconds));
    for (SchedulerEntry e : entries) {
      args.add(e.toByteArray());
    }
    // A registry of another type fails the call before anything is written.
    return broker
        .requireTypes("writeSchedulerEntries", "zset", List.of(Keys.schedulers()))
        .thenCompose(
            checked -> {
              CompletableFuture<Long> registry =
                  broker.send(
                      "writeSchedulerEntries",
                      Commands.zadd(Keys.schedulers(), now.getEpochSecond() + ttlSeconds, key));
              // Entries of schedulers that died without clearing them: pruned here, not by
              // Inspectors.
              CompletableFuture<Long> prune =
                  broker.send(
                      "writeSchedulerEntries",
                      Commands.zremRangeByScore(
                          Keys.schedulers(), "-inf", "(" + now.getEpochSecond()));
              CompletableFuture<Long> list =
                  broker.runScript(
                      "writeSchedulerEntries",
                      Script.WRITE_SCHEDULER_ENTRIES,
                      List.of(key),
                      args,
                      Commands::integerReply);
              return CompletableFuture.allOf(registry, prune, list);
            });
  }

  /** Removes a scheduler's entries (spec §3.20 ClearSchedulerEntries). */
  public CompletableFuture<Void> clearEntries(String schedulerId) {
    String key = Keys.schedulerEntries(schedulerId);
    return CompletableFuture.allOf(
        broker.send("clearSchedulerEntries", Commands.zrem(Keys.schedulers(), key)),
        broker.send("clearSchedulerEntries", Commands.del(List.of(key))));
  }

  /**
   * Adds an event to an entry's history, keeping the newest {@value #HISTORY_LIMIT} (spec §3.20),
   * and lets the history expire {@code ttl} after its last event.
   */
  public CompletableFuture<Void> recordEvent(
      String entryId, SchedulerEnqueueEvent event, Duration ttl) {
    List<byte[]> args =
        List.of(
            Broker.number(event.getEnqueueTime().getSeconds()),
            event.toByteArray(),
            Broker.number(seconds(ttl)));
    return broker
        .runScript(
            "recordSchedulerEvent",
            Script.RECORD_SCHEDULER_EVENT,
            List.of(Keys.schedulerHistory(entryId)),
            args,
            Commands::integerReply)
        .thenApply(reply -> null);
  }

  /** Deletes the history of each entry (spec §3.20 ClearSchedulerHistory), one key a command. */
  public CompletableFuture<Void> clearHistory(Collection<String> entryIds) {
    return CompletableFuture.allOf(
        entryIds.stream() // one DEL a key: the keys are in different slots on Cluster
            .map(
                id ->
                    broker.send(
                        "clearSchedulerHistory", Commands.del(List.of(Keys.schedulerHistory(id)))))
            .toArray(CompletableFuture<?>[]::new));
  }

  /** Whole seconds, rounded up, at least 1: EXPIRE would delete at once on 0. */
  private static long seconds(Duration d) {
    long s = d.getSeconds() + (d.getNano() > 0 ? 1 : 0);
    return Math.max(1, s);
  }
}

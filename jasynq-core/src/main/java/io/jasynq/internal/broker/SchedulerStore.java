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
 * The scheduler's Redis reads and writes (wire-format §3.20): its entries, each entry's enqueue
 * history, and jasynq's fire records, which make a tick enqueued once across schedulers. Sends
 * through the {@link Broker}'s connection; thread-safe.
 */
public final class SchedulerStore {
  /** The most events an entry's history keeps (wire-format §3.20). */
  public static final int HISTORY_LIMIT = 1000;

  private final Broker broker;
  private final CommandRunner commands;

  /** A store on {@code broker}'s connection; the broker stays the caller's to close. */
  public SchedulerStore(Broker broker) {
    this.broker = broker;
    this.commands = broker.commands();
  }

  /**
   * Enqueues one tick of a periodic entry unless a scheduler already enqueued it: the fire record
   * {@link Keys#fireRecord} of {@code identity} in the task's queue is checked and set in the same
   * script as the enqueue (fire_once.lua).
   *
   * @param request the enqueue, built by {@code EnqueueRequests}
   * @param identity the entry's identity, equal for equal entries of every scheduler
   * @param tick the tick's fire time, unix seconds
   * @param gapSeconds the least distance to the last enqueued tick (1 for calendar specs)
   * @param recordTtl how long the record outlives its last tick
   * @return the outcome, or null when another scheduler enqueued this tick (nothing written)
   */
  public CompletableFuture<EnqueueOutcome> enqueueOnce(
      EnqueueRequest request, String identity, long tick, long gapSeconds, Duration recordTtl) {
    List<String> keys = new ArrayList<>(EnqueueScripts.keysFor(request));
    keys.add(Keys.fireRecord(request.queue(), identity));
    List<byte[]> args = new ArrayList<>(EnqueueScripts.argsFor(request));
    args.add(ScriptValues.number(tick));
    args.add(ScriptValues.number(gapSeconds));
    args.add(ScriptValues.number(seconds(recordTtl)));
    return broker
        .scriptEnqueuer()
        .run(request, EnqueueScripts.scriptFor(request).once(), keys, args, Commands::integerReply)
        .thenApply(reply -> reply == -2 ? null : EnqueueOutcome.ofReply(reply));
  }

  /**
   * The last tick (unix s) any scheduler enqueued for {@code identity} in {@code queue}, or null.
   */
  public CompletableFuture<Long> lastFired(String queue, String identity) {
    return commands
        .send("lastFired", Commands.get(Keys.fireRecord(queue, identity)))
        .thenApply(v -> v == null ? null : Long.valueOf(new String(v, StandardCharsets.UTF_8)));
  }

  /**
   * Writes a scheduler's entries (wire-format §3.20): the registry {@code asynq:schedulers} scored
   * now + ttl, then the list rewritten with that TTL.
   */
  public CompletableFuture<Void> writeEntries(
      String schedulerId, List<SchedulerEntry> entries, Instant now, Duration ttl) {
    long ttlSeconds = seconds(ttl);
    String key = Keys.schedulerEntries(schedulerId);
    List<byte[]> args = new ArrayList<>(entries.size() + 1);
    args.add(ScriptValues.number(ttlSeconds));
    for (SchedulerEntry e : entries) {
      args.add(e.toByteArray());
    }
    // A registry of another type fails the call before anything is written.
    return commands
        .requireTypes("writeSchedulerEntries", "zset", List.of(Keys.schedulers()))
        .thenCompose(
            checked -> {
              CompletableFuture<Long> registry =
                  commands.send(
                      "writeSchedulerEntries",
                      Commands.zadd(Keys.schedulers(), now.getEpochSecond() + ttlSeconds, key));
              // Entries of schedulers that died without clearing them: pruned here, not by
              // Inspectors.
              CompletableFuture<Long> prune =
                  commands.send(
                      "writeSchedulerEntries",
                      Commands.zremRangeByScore(
                          Keys.schedulers(), "-inf", "(" + now.getEpochSecond()));
              CompletableFuture<Long> list =
                  commands.runScript(
                      "writeSchedulerEntries",
                      Script.WRITE_SCHEDULER_ENTRIES,
                      List.of(key),
                      args,
                      Commands::integerReply);
              return CompletableFuture.allOf(registry, prune, list);
            });
  }

  /** Removes a scheduler's entries (wire-format §3.20 ClearSchedulerEntries). */
  public CompletableFuture<Void> clearEntries(String schedulerId) {
    String key = Keys.schedulerEntries(schedulerId);
    return CompletableFuture.allOf(
        commands.send("clearSchedulerEntries", Commands.zrem(Keys.schedulers(), key)),
        commands.send("clearSchedulerEntries", Commands.del(List.of(key))));
  }

  /**
   * Adds an event to an entry's history, keeping the newest {@value #HISTORY_LIMIT} (wire-format
   * §3.20), and lets the history expire {@code ttl} after its last event.
   */
  public CompletableFuture<Void> recordEvent(
      String entryId, SchedulerEnqueueEvent event, Duration ttl) {
    List<byte[]> args =
        List.of(
            ScriptValues.number(event.getEnqueueTime().getSeconds()),
            event.toByteArray(),
            ScriptValues.number(seconds(ttl)));
    return commands
        .runScript(
            "recordSchedulerEvent",
            Script.RECORD_SCHEDULER_EVENT,
            List.of(Keys.schedulerHistory(entryId)),
            args,
            Commands::integerReply)
        .thenApply(reply -> null);
  }

  /**
   * Deletes the history of each entry (wire-format §3.20 ClearSchedulerHistory), one key a command.
   */
  public CompletableFuture<Void> clearHistory(Collection<String> entryIds) {
    return CompletableFuture.allOf(
        entryIds.stream() // one DEL a key: the keys are in different slots on Cluster
            .map(
                id ->
                    commands.send(
                        "clearSchedulerHistory", Commands.del(List.of(Keys.schedulerHistory(id)))))
            .toArray(CompletableFuture<?>[]::new));
  }

  /** Whole seconds, rounded up, at least 1: EXPIRE would delete at once on 0. */
  private static long seconds(Duration d) {
    long s = d.getSeconds() + (d.getNano() > 0 ? 1 : 0);
    return Math.max(1, s);
  }
}

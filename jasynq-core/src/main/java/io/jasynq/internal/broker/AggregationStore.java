package io.jasynq.internal.broker;

import static io.jasynq.internal.broker.Failures.translated;
import static io.jasynq.internal.broker.ScriptValues.ARCHIVE_MAX_SIZE;
import static io.jasynq.internal.broker.ScriptValues.STATS_TTL;
import static io.jasynq.internal.broker.ScriptValues.number;
import static io.jasynq.internal.broker.ScriptValues.text;
import static io.jasynq.internal.broker.ScriptValues.wholeSeconds;

import io.jasynq.internal.broker.proto.TaskMessage;
import io.lettuce.core.protocol.AsyncCommand;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Task groups and their aggregation (wire-format §3.23): which groups wait, when one is ready, the
 * aggregation sets taken from them, and the repair of sets and registrations that went stale. Each
 * operation builds keys and arguments, runs one script, and maps the reply. Thread-safe.
 */
public final class AggregationStore {
  private static final Logger log = LoggerFactory.getLogger(AggregationStore.class);

  /** Minutes an aggregation set may take before the recoverer reclaims it (wire-format §3.23). */
  static final int AGGREGATION_SET_TTL_MINUTES = 2;

  /** How long an aggregation set may take before the recoverer reclaims it (wire-format §3.23). */
  public static final Duration AGGREGATION_SET_TTL =
      Duration.ofMinutes(AGGREGATION_SET_TTL_MINUTES);

  /** The most stale aggregation sets one reclaim script call handles. */
  static final int RECLAIM_BATCH = 100;

  /** How many of a group's oldest tasks {@link #registerGroups} looks at for its group field. */
  static final int REGISTER_GROUPS_LOOK = 10;

  private final CommandRunner commands;

  AggregationStore(CommandRunner commands) {
    this.commands = commands;
  }

  /**
   * The names of the groups of {@code queue} that have waiting tasks, sorted (wire-format §3.23).
   */
  public CompletableFuture<List<String>> listGroups(String queue) {
    AsyncCommand<byte[], byte[], List<Object>> smembers = Commands.smembers(Keys.groups(queue));
    commands.dispatch(List.of(smembers));
    return commands
        .bounded("listGroups", smembers)
        .thenApply(reply -> reply.stream().map(ScriptValues::text).sorted().toList());
  }

  /**
   * Moves the oldest tasks of a group that is ready into a new aggregation set (wire-format §3.23):
   * it is ready when it holds {@code maxSize} tasks, when its oldest task waited {@code maxDelay},
   * or when its newest waited {@code gracePeriod}. The set takes up to {@code maxSize} oldest tasks
   * (all with 0) with their group scores and is registered with deadline now + {@value
   * #AGGREGATION_SET_TTL_MINUTES} min. The group name is unregistered when the set takes the
   * group's last tasks (wire-format §9.7); a group found empty stays registered, since a grouped
   * task scheduled for later registers its group before it enters it (wire-format §9.2). Durations
   * count in whole seconds, a fraction rounded up.
   *
   * @param now the caller's clock
   * @param gracePeriod how long after the newest task the group waits; >= 0
   * @param maxDelay how long after the oldest task the group waits at most; zero for no limit
   * @param maxSize how many tasks make the group ready at once; 0 for no limit
   * @return the new set's key, or null when the group is not ready (or empty)
   */
  public CompletableFuture<String> aggregationCheck(
      String queue,
      String group,
      Instant now,
      Duration gracePeriod,
      Duration maxDelay,
      int maxSize) {
    if (gracePeriod.isNegative() || maxDelay.isNegative()) {
      throw new IllegalArgumentException(
          "gracePeriod and maxDelay must not be negative, were " + gracePeriod + ", " + maxDelay);
    }
    if (maxSize < 0) {
      throw new IllegalArgumentException("maxSize must be >= 0, was " + maxSize);
    }
    String setKey = Keys.aggregationSet(queue, group, UUID.randomUUID().toString());
    List<String> keys =
        List.of(Keys.group(queue, group), setKey, Keys.aggregationSets(queue), Keys.groups(queue));
    List<byte[]> args =
        List.of(
            number(maxSize),
            number(wholeSeconds(maxDelay)),
            number(wholeSeconds(gracePeriod)),
            number(now.plus(AGGREGATION_SET_TTL).getEpochSecond()),
            number(now.getEpochSecond()),
            Keys.bytes(group));
    return commands
        .runScript("aggregationCheck", Script.AGGREGATION_CHECK, keys, args, Commands::integerReply)
        .thenApply(reply -> reply == 1L ? setKey : null);
  }

  /**
   * Reads an aggregation set made by {@link #aggregationCheck} (wire-format §3.23), atomically: its
   * deadline and its members' messages, oldest first. A member that does not decode, or whose hash
   * is gone, is reported in {@link AggregationSet#unreadable()} instead of failing the read
   * (wire-format §9.7).
   *
   * @return the set, or null when it is no longer registered (deleted, or reclaimed by the
   *     recoverer)
   */
  public CompletableFuture<AggregationSet> readAggregationSet(String setKey) {
    String queue = Keys.queueOf(setKey);
    String group = queue == null ? null : Keys.groupOfAggregationSet(queue, setKey);
    if (group == null) {
      throw new IllegalArgumentException("not an aggregation set key: \"" + setKey + "\"");
    }
    List<String> keys = List.of(setKey, Keys.aggregationSets(queue));
    List<byte[]> args = List.of(Keys.bytes(Keys.taskPrefix(queue)));
    return commands
        .runScript(
            "readAggregationSet", Script.READ_AGGREGATION_SET, keys, args, Commands::arrayReply)
        .thenApply(reply -> reply.isEmpty() ? null : aggregationSet(queue, group, setKey, reply));
  }

  private static AggregationSet aggregationSet(
      String queue, String group, String setKey, List<Object> reply) {
    Instant deadline = Instant.ofEpochSecond((long) Double.parseDouble(text(reply.get(0))));
    List<TaskMessage> messages = new ArrayList<>();
    List<AggregationSet.Unreadable> unreadable = new ArrayList<>();
    for (int i = 1; i + 2 < reply.size(); i += 3) {
      String id = text(reply.get(i));
      byte[] raw = (byte[]) reply.get(i + 2);
      Object found = reply.get(i + 1);
      if (found instanceof byte[] type) { // the task key is not a hash: not ours to touch
        String reason =
            Keys.task(queue, id) + " is a " + text(type) + ", not a hash; dropped from the set";
        unreadable.add(new AggregationSet.Unreadable(id, null, reason, true));
        continue;
      }
      if ((Long) found == 0L) {
        unreadable.add(new AggregationSet.Unreadable(id, null, "the task hash is gone", true));
        continue;
      }
      MessageDecoding.Result r = MessageDecoding.decode(queue, id, raw);
      if (r.message() != null) {
        messages.add(r.message());
      } else {
        unreadable.add(new AggregationSet.Unreadable(id, raw, r.error(), false));
      }
    }
    return new AggregationSet(queue, group, setKey, deadline, messages, unreadable);
  }

  /**
   * Archives a member of an aggregation set whose message does not decode, so it no longer blocks
   * its group (wire-format §9.7): out of the set, into {@code archived} scored now, its {@code msg}
   * replaced by {@link MalformedTask#replacement} (original kept in {@code malformed_msg}). The
   * archive is trimmed; no counter moves, since the task never ran.
   *
   * @param rawMessage the undecodable bytes, or null if the hash had no {@code msg} field
   * @return true if archived, or if its task key holds another type than a hash: then the ID only
   *     leaves the set (that key is left as it is, and a WARN names it); false when the ID is no
   *     longer in the set or has no hash (nothing written)
   */
  public CompletableFuture<Boolean> archiveMalformedMember(
      String setKey, String id, byte[] rawMessage, String reason, Instant now) {
    String queue = Keys.queueOf(setKey);
    if (queue == null || Keys.groupOfAggregationSet(queue, setKey) == null) {
      throw new IllegalArgumentException("not an aggregation set key: \"" + setKey + "\"");
    }
    TaskMessage replacement = MalformedTask.replacement(queue, id, reason, now);
    List<String> keys = List.of(setKey, Keys.task(queue, id), Keys.archived(queue));
    List<byte[]> args = new ArrayList<>(7);
    args.add(Keys.bytes(id));
    args.add(replacement.toByteArray());
    args.add(number(now.getEpochSecond()));
    args.add(number(now.minus(STATS_TTL).getEpochSecond()));
    args.add(number(ARCHIVE_MAX_SIZE));
    args.add(Keys.bytes(Keys.taskPrefix(queue)));
    if (rawMessage != null) {
      args.add(rawMessage.clone());
    }
    return commands
        .runScript(
            "archiveMalformedMember",
            Script.ARCHIVE_AGGREGATING,
            keys,
            args,
            Commands::integerReply)
        .thenApply(
            reply -> {
              if (reply == 2L) {
                log.warn(
                    "task {} left aggregation set {}: its key \"{}\" is not a hash and was left"
                        + " as it is",
                    id,
                    setKey,
                    Keys.task(queue, id));
              }
              return reply == 1L || reply == 2L;
            });
  }

  /**
   * Deletes an aggregation set whose aggregated task was enqueued (wire-format §3.23): each
   * member's task hash, the set and its registration. Unlike Asynq, each member's unique lock is
   * released while it still names the member (wire-format §9.5). A set already deleted or reclaimed
   * is left alone.
   */
  public CompletableFuture<Void> deleteAggregationSet(String queue, String setKey) {
    if (Keys.groupOfAggregationSet(queue, setKey) == null) {
      throw new IllegalArgumentException(
          "not an aggregation set key of queue \"" + queue + "\": \"" + setKey + "\"");
    }
    List<String> keys = List.of(setKey, Keys.aggregationSets(queue));
    List<byte[]> args =
        List.of(Keys.bytes(Keys.taskPrefix(queue)), Keys.bytes(Keys.queuePrefix(queue)));
    return commands
        .runScript(
            "deleteAggregationSet",
            Script.DELETE_AGGREGATION_SET,
            keys,
            args,
            Commands::integerReply)
        .thenApply(deleted -> null);
  }

  /**
   * Gives the tasks of every aggregation set whose deadline is at or before {@code now} back to
   * their group with their original scores, registering the group again (wire-format §3.23, §9.3),
   * and deletes those sets. IDs with no task hash (or a task key of another type) are dropped; a
   * set whose group key is not a zset is kept, to be tried again {@link #AGGREGATION_SET_TTL}
   * later. Runs {@value #RECLAIM_BATCH} sets per script call until none is left.
   *
   * @return the number of sets reclaimed
   */
  public CompletableFuture<Integer> reclaimStaleAggregationSets(String queue, Instant now) {
    return reclaimFrom(queue, now, 0);
  }

  private CompletableFuture<Integer> reclaimFrom(String queue, Instant now, int soFar) {
    List<String> keys = List.of(Keys.aggregationSets(queue), Keys.groups(queue));
    List<byte[]> args =
        List.of(
            number(now.getEpochSecond()),
            Keys.bytes(Keys.taskPrefix(queue)),
            Keys.bytes(Keys.groupPrefix(queue)),
            number(RECLAIM_BATCH),
            number(now.plus(AGGREGATION_SET_TTL).getEpochSecond()));
    return commands
        .runScript(
            "reclaimStaleAggregationSets",
            Script.RECLAIM_STALE_AGGREGATION_SETS,
            keys,
            args,
            Commands::integerReply)
        .exceptionallyCompose(
            e -> CompletableFuture.failedFuture(translated("reclaimStaleAggregationSets", e)))
        .thenCompose(
            n ->
                n < RECLAIM_BATCH
                    ? CompletableFuture.completedFuture(soFar + n.intValue())
                    : reclaimFrom(queue, now, soFar + n.intValue()));
  }

  /**
   * Registers the groups among {@code groupKeys} (keys {@code asynq:{Q}:g:<group>} of {@code
   * queue}, found by a SCAN) that hold tasks of that group but are missing from the group registry,
   * as Go Asynq's forwarder and reclaim leave them (wire-format §9.3). Aggregation sets, empty or
   * foreign zsets and registered groups are left alone (register_groups.lua says how).
   *
   * @return the groups registered, with their sizes, in {@code groupKeys} order
   */
  public CompletableFuture<Map<String, Long>> registerGroups(
      String queue, Collection<String> groupKeys) {
    if (groupKeys.isEmpty()) {
      return CompletableFuture.completedFuture(Map.of());
    }
    List<String> keys = new ArrayList<>(groupKeys.size() + 2);
    keys.add(Keys.groups(queue));
    keys.add(Keys.aggregationSets(queue));
    keys.addAll(groupKeys);
    List<byte[]> args =
        List.of(
            Keys.bytes(Keys.groupPrefix(queue)),
            Keys.bytes(Keys.taskPrefix(queue)),
            number(REGISTER_GROUPS_LOOK));
    return commands
        .runScript("registerGroups", Script.REGISTER_GROUPS, keys, args, Commands::arrayReply)
        .thenApply(
            reply -> {
              Map<String, Long> registered = new LinkedHashMap<>();
              for (int i = 0; i + 1 < reply.size(); i += 2) {
                registered.put(text(reply.get(i)), (Long) reply.get(i + 1));
              }
              return registered;
            });
  }
}

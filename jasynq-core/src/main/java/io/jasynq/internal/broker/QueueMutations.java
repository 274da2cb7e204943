package io.jasynq.internal.broker;

import static io.jasynq.internal.broker.Inspection.stateKeys;
import static io.jasynq.internal.broker.ScriptValues.number;

import io.jasynq.QueueNotEmptyException;
import io.jasynq.QueueStateException;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;

/**
 * The Inspector's writes to queues (wire-format §3.24, §6.3): pause, unpause and delete.
 * Thread-safe; every call blocks until Redis answers.
 */
public final class QueueMutations {
  /** Tasks deleted per script call when a queue is deleted. */
  static final int DELETE_BATCH = 1000;

  /** Days of daily counters a deleted queue's keys are looked for (they live 90 days). */
  static final int DAILY_STATS_DAYS = 92;

  /** Keys asked for per SCAN step when a queue is deleted. */
  static final int DELETE_SCAN_COUNT = 500;

  private final Inspection inspection;
  private final CommandRunner commands;
  private final RedisNodes nodes;

  /** Sharing the connection and the logged problems of {@code reads}. */
  public QueueMutations(InspectQueries reads) {
    this(reads.inspection(), new RedisNodes(reads.inspection().broker()));
  }

  QueueMutations(Inspection inspection, RedisNodes nodes) {
    this.inspection = inspection;
    this.commands = inspection.commands();
    this.nodes = nodes;
  }

  /** Pauses {@code queue} (wire-format §3.24); no queue check, as in Asynq. */
  public void pause(String queue, Instant now) {
    String ok =
        commands.await(
            commands.send(
                "pauseQueue",
                Commands.setIfAbsent(Keys.paused(queue), Long.toString(now.getEpochSecond()))));
    if (ok == null) {
      throw new QueueStateException(queue, "queue \"" + queue + "\" is already paused");
    }
  }

  /** Unpauses {@code queue} (wire-format §3.24). */
  public void unpause(String queue) {
    Long deleted =
        commands.await(commands.send("unpauseQueue", Commands.del(List.of(Keys.paused(queue)))));
    if (deleted == 0L) {
      throw new QueueStateException(queue, "queue \"" + queue + "\" is not paused");
    }
  }

  /**
   * Deletes a queue (wire-format §6.3 with the fix of §9.18). After the check, every key of the
   * schema goes: tasks in every container (batches of {@value #DELETE_BATCH}, each with its unique
   * lock), groups, aggregation sets, counters, daily stats of the last {@value #DAILY_STATS_DAYS}
   * days and the pause flag. A SCAN over {@code asynq:{Q}:*} then sweeps whatever else carries the
   * queue's prefix (on Cluster, on the master owning the queue's slot). Last, the queue leaves
   * {@code asynq:queues}.
   */
  public void deleteQueue(String queue, boolean force, Instant now) {
    deleteQueue(queue, force, now, true);
  }

  /** {@link #deleteQueue(String, boolean, Instant)}, the SCAN sweep optional (for tests). */
  void deleteQueue(String queue, boolean force, Instant now, boolean sweep) {
    inspection.requireQueue(queue);
    List<String> keys = stateKeys(queue).subList(0, 5); // completed does not count, as in Asynq
    long r =
        commands.await(
            commands.runScript(
                "deleteQueue",
                Script.CHECK_QUEUE_DELETABLE,
                keys,
                List.of(Keys.bytes(force ? "1" : "0")),
                Commands::integerReply));
    if (r == -1) {
      throw new QueueNotEmptyException(queue);
    }
    if (r == -2) {
      throw new QueueStateException(
          queue, "cannot delete queue \"" + queue + "\" with active tasks");
    }
    List<String> containers =
        List.of(
            Keys.pending(queue),
            Keys.active(queue),
            Keys.lease(queue),
            Keys.scheduled(queue),
            Keys.retry(queue),
            Keys.archived(queue),
            Keys.completed(queue),
            Keys.groups(queue),
            Keys.aggregationSets(queue));
    List<byte[]> args = List.of(Keys.bytes(Keys.queuePrefix(queue)), number(DELETE_BATCH));
    while (commands.await(
            commands.runScript(
                "deleteQueue", Script.DELETE_QUEUE_TASKS, containers, args, Commands::integerReply))
        > 0) {
      // next batch
    }
    List<String> fixed = new ArrayList<>(containers);
    fixed.add(Keys.paused(queue));
    fixed.add(Keys.processedTotal(queue));
    fixed.add(Keys.failedTotal(queue));
    LocalDate today = ScriptValues.day(now);
    for (int i = -1; i <= DAILY_STATS_DAYS; i++) {
      fixed.add(Keys.processed(queue, today.minusDays(i)));
      fixed.add(Keys.failed(queue, today.minusDays(i)));
    }
    commands.await(commands.send("deleteQueue", Commands.del(fixed)));
    if (sweep) {
      nodes.deleteKeysWithPrefix("deleteQueue", Keys.queuePrefix(queue), DELETE_SCAN_COUNT);
    }
    commands.await(commands.send("deleteQueue", Commands.srem(Keys.queues(), queue)));
  }

  /** Escapes the characters SCAN's MATCH treats specially, so a queue name matches literally. */
  static String globEscape(String s) {
    return RedisNodes.globEscape(s);
  }
}

package io.jasynq.internal.broker;

import static io.jasynq.internal.broker.Broker.number;
import static io.jasynq.internal.broker.Broker.text;

import com.google.protobuf.ByteString;
import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.Timestamp;
import io.jasynq.DailyStats;
import io.jasynq.GroupInfo;
import io.jasynq.JasynqException;
import io.jasynq.QueueInfo;
import io.jasynq.QueueNotEmptyException;
import io.jasynq.QueueNotFoundException;
import io.jasynq.QueueStateException;
import io.jasynq.SchedulerEnqueueEvent;
import io.jasynq.SchedulerEntry;
import io.jasynq.ServerInfo;
import io.jasynq.TaskNotFoundException;
import io.jasynq.TaskState;
import io.jasynq.TaskStateException;
import io.jasynq.WorkerInfo;
import io.jasynq.internal.broker.proto.TaskMessage;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The Inspector's reads and writes (asynq-compat spec §6, §3.24), as Go Asynq's {@code inspect.go}
 * does them, with the fixes of spec §9. Every script touches the keys of one queue only (one slot
 * on Cluster); the global registries are read and written by single-key commands or scripts.
 * Thread-safe; every call blocks until Redis answers or the command timeout passes.
 */
public final class InspectQueries {
  /** IDs sampled per list, zset and group for the memory estimate (Asynq: 20). */
  static final int MEMORY_SAMPLE = 20;

  /** Groups sampled for the memory estimate (Asynq: 5). */
  static final int MEMORY_GROUP_SAMPLE = 5;

  /** Tasks deleted per script call when a queue is deleted. */
  static final int DELETE_BATCH = 1000;

  /** Days of daily counters a deleted queue's keys are looked for (they live 90 days). */
  static final int DAILY_STATS_DAYS = 92;

  /** Keys asked for per SCAN step when a queue is deleted. */
  static final int DELETE_SCAN_COUNT = 500;

  /** Go's zero {@code time.Time} as a protobuf Timestamp's seconds (spec §2.1): "none". */
  static final long GO_ZERO_TIME_SECONDS = -62135596800L;

  private static final Map<TaskState, String> STATE_KEYS =
      Map.of(
          TaskState.PENDING, "pending",
          TaskState.ACTIVE, "active",
          TaskState.SCHEDULED, "scheduled",
          TaskState.RETRY, "retry",
          TaskState.ARCHIVED, "archived",
          TaskState.COMPLETED, "completed");

  /**
   * A task as the Inspector reads it: its message, the state it was found in, when it is next due,
   * whether its lease has expired, and its result.
   *
   * @param message the decoded task message
   * @param state the state (of the container it was listed from, or of its hash)
   * @param nextProcessAt when it is next due, or null for none
   * @param orphaned whether it is active with an expired lease
   * @param result the stored result, or null
   */
  public record Found(
      TaskMessage message,
      TaskState state,
      Instant nextProcessAt,
      boolean orphaned,
      byte[] result) {}

  /** What a bulk or single-task write does. */
  public enum Action {
    DELETE,
    RUN,
    ARCHIVE
  }

  private final Broker broker;
  private final RedisNodes nodes;

  /** Queries over {@code broker}'s connection; the caller keeps owning the broker. */
  public InspectQueries(Broker broker) {
    this.broker = broker;
    this.nodes = new RedisNodes(broker);
  }

  // ----------------------------------------------------------------------------------------------
  // Reads

  /** Every registered queue, sorted. */
  public List<String> queues() {
    List<Object> members = broker.await(broker.send("queues", Commands.smembers(Keys.queues())));
    return members.stream().map(Broker::text).sorted().toList();
  }

  /** Throws {@link QueueNotFoundException} unless {@code queue} is in {@code asynq:queues}. */
  public void requireQueue(String queue) {
    Long member =
        broker.await(broker.send("queueExists", Commands.sismember(Keys.queues(), queue)));
    if (member == 0L) {
      throw new QueueNotFoundException(queue);
    }
  }

  /** QueueInfo (spec §6.2): the counts in one script, then the memory estimate in a second. */
  public QueueInfo queueInfo(String queue, Instant now) {
    requireQueue(queue);
    LocalDate today = Broker.day(now);
    List<String> keys = new ArrayList<>(stateKeys(queue));
    keys.add(Keys.processed(queue, today));
    keys.add(Keys.failed(queue, today));
    keys.add(Keys.processedTotal(queue));
    keys.add(Keys.failedTotal(queue));
    keys.add(Keys.paused(queue));
    keys.add(Keys.groups(queue));
    List<byte[]> args =
        List.of(Keys.bytes(Keys.taskPrefix(queue)), Keys.bytes(Keys.groupPrefix(queue)));
    List<Object> r = run("queueInfo", Script.QUEUE_INFO, keys, args);
    long[] n = new long[13];
    for (int i = 0; i < n.length; i++) {
      n[i] = (Long) r.get(i);
    }
    Duration latency = Duration.ZERO;
    if (r.size() > 13 && r.get(13) != null) {
      try {
        long since = Long.parseLong(text(r.get(13)));
        latency = Duration.ofNanos(Broker.unixNanos(now) - since);
      } catch (NumberFormatException e) {
        latency = Duration.ZERO; // as Go: a non-numeric pending_since reads as no latency
      }
    }
    long size = n[0] + n[1] + n[2] + n[3] + n[4] + n[5] + n[12];
    return new QueueInfo(
        queue,
        memoryUsage(queue),
        latency,
        size,
        (int) n[11],
        n[0],
        n[1],
        n[2],
        n[3],
        n[4],
        n[5],
        n[12],
        n[6],
        n[7],
        n[8],
        n[9],
        n[10] == 1L,
        now);
  }

  private long memoryUsage(String queue) {
    List<String> keys = new ArrayList<>(stateKeys(queue));
    keys.add(Keys.groups(queue));
    List<byte[]> args =
        List.of(
            Keys.bytes(Keys.taskPrefix(queue)),
            Keys.bytes(Keys.groupPrefix(queue)),
            number(MEMORY_SAMPLE),
            number(MEMORY_GROUP_SAMPLE));
    Long bytes =
        broker.await(
            broker.runScript(
                "memoryUsage", Script.MEMORY_USAGE, keys, args, Commands::integerReply));
    return Math.max(0, bytes);
  }

  /** Daily counters for today and the {@code days - 1} days before it, today first. */
  public List<DailyStats> history(String queue, int days, Instant now) {
    requireQueue(queue);
    LocalDate today = Broker.day(now);
    List<String> keys = new ArrayList<>(2 * days);
    for (int i = 0; i < days; i++) {
      LocalDate day = today.minusDays(i);
      keys.add(Keys.processed(queue, day));
      keys.add(Keys.failed(queue, day));
    }
    List<Object> r = run("history", Script.HISTORY, keys, List.of());
    List<DailyStats> stats = new ArrayList<>(days);
    for (int i = 0; i < days; i++) {
      stats.add(
          new DailyStats(queue, today.minusDays(i), (Long) r.get(2 * i), (Long) r.get(2 * i + 1)));
    }
    return stats;
  }

  /** The registered groups of {@code queue} with their sizes, sorted by name; no queue check. */
  public List<GroupInfo> groups(String queue) {
    List<Object> r =
        run(
            "groups",
            Script.GROUPS,
            List.of(Keys.groups(queue)),
            List.of(Keys.bytes(Keys.groupPrefix(queue))));
    List<GroupInfo> groups = new ArrayList<>(r.size() / 2);
    for (int i = 0; i + 1 < r.size(); i += 2) {
      groups.add(new GroupInfo(text(r.get(i)), (Long) r.get(i + 1)));
    }
    groups.sort(Comparator.comparing(GroupInfo::group));
    return groups;
  }

  /** One task with the state its hash records (spec §6.2 GetTaskInfo). */
  public Found taskInfo(String queue, String id, Instant now) {
    requireQueue(queue);
    List<String> keys = List.of(Keys.task(queue, id), Keys.scheduled(queue), Keys.retry(queue));
    List<Object> r = run("taskInfo", Script.TASK_INFO, keys, List.of(Keys.bytes(id)));
    if (r.isEmpty()) {
      throw new TaskNotFoundException(queue, id);
    }
    if (r.get(1) == null) {
      throw new JasynqException(
          "taskInfo failed: task " + id + " in queue \"" + queue + "\" has no state");
    }
    TaskState state;
    try {
      state = TaskState.fromWireName(text(r.get(1)));
    } catch (IllegalArgumentException e) {
      throw new JasynqException("taskInfo failed: " + e.getMessage(), e);
    }
    MessageDecoding.Result decoded = MessageDecoding.decode((byte[]) r.get(0));
    if (decoded.message() == null) {
      throw new JasynqException(
          "taskInfo failed: the message of task "
              + id
              + " in queue \""
              + queue
              + "\" does not decode: "
              + decoded.error());
    }
    Instant next =
        switch (state) {
          case PENDING -> Instant.ofEpochSecond(now.getEpochSecond());
          case SCHEDULED, RETRY -> r.get(3) == null ? null : score(r.get(3));
          default -> null;
        };
    return new Found(decoded.message(), state, next, false, (byte[]) r.get(2));
  }

  /**
   * One page of the tasks in {@code state} (not aggregating), oldest first (spec §6.1).
   *
   * @param start the 0-based rank of the first entry
   * @param stop the 0-based rank of the last entry, or -1 with start 0 for every entry
   */
  public List<Found> list(String queue, TaskState state, long start, long stop, Instant now) {
    String key = STATE_KEYS.get(state);
    if (key == null) {
      throw new IllegalArgumentException("cannot list " + state.wireName() + " tasks by state");
    }
    requireQueue(queue);
    boolean isList = state == TaskState.PENDING || state == TaskState.ACTIVE;
    return list(queue, Keys.queuePrefix(queue) + key, isList, state, start, stop, now);
  }

  /** One page of the tasks waiting in {@code group}, in the order they were added. */
  public List<Found> listGroup(String queue, String group, long start, long stop, Instant now) {
    requireQueue(queue);
    return list(queue, Keys.group(queue, group), false, TaskState.AGGREGATING, start, stop, now);
  }

  private List<Found> list(
      String queue,
      String container,
      boolean isList,
      TaskState state,
      long start,
      long stop,
      Instant now) {
    boolean active = state == TaskState.ACTIVE;
    List<byte[]> args =
        List.of(
            Keys.bytes(isList ? "list" : "zset"),
            number(start),
            number(stop),
            Keys.bytes(Keys.taskPrefix(queue)),
            Keys.bytes(active ? "1" : "0"));
    List<Object> r =
        run("listTasks", Script.LIST_TASKS, List.of(container, Keys.lease(queue)), args);
    List<Found> found = new ArrayList<>(r.size() / 4);
    for (int i = 0; i + 3 < r.size(); i += 4) {
      MessageDecoding.Result decoded = MessageDecoding.decode((byte[]) r.get(i + 1));
      if (decoded.message() == null) {
        continue; // as Go: an undecodable entry is left out of the page
      }
      Object score = r.get(i + 3);
      Instant next =
          switch (state) {
            case PENDING -> now;
            case SCHEDULED, RETRY -> score == null ? null : score(score);
            default -> null;
          };
      boolean orphaned = active && score != null && wholeSeconds(score) <= now.getEpochSecond();
      found.add(new Found(decoded.message(), state, next, orphaned, (byte[]) r.get(i + 2)));
    }
    return found;
  }

  /**
   * Servers whose heartbeat is current, with their workers (spec §6.2 Servers), sorted by host, PID
   * and ID. Expired registry entries are pruned; values that are missing or do not decode are
   * skipped.
   */
  public List<ServerInfo> servers(Instant now) {
    List<String> serverKeys = liveMembers(Keys.servers(), now);
    Set<String> workerKeys = Set.copyOf(liveMembers(Keys.workers(), now));
    List<ServerInfo> servers = new ArrayList<>(serverKeys.size());
    for (String serverKey : serverKeys) {
      String tag = serverKey.substring(Keys.servers().length() + 1);
      String workersKey = Keys.workers() + ":" + tag;
      List<Object> r =
          run("servers", Script.READ_SERVER, List.of(serverKey, workersKey), List.of());
      if (r.get(0) == null) {
        continue;
      }
      io.jasynq.internal.broker.proto.ServerInfo info;
      try {
        info = io.jasynq.internal.broker.proto.ServerInfo.parseFrom((byte[]) r.get(0));
      } catch (InvalidProtocolBufferException e) {
        continue;
      }
      List<WorkerInfo> workers = new ArrayList<>();
      if (workerKeys.contains(workersKey)) {
        for (Object raw : (List<?>) r.get(1)) {
          workerInfo((byte[]) raw, info.getServerId()).ifPresent(workers::add);
        }
      }
      workers.sort(Comparator.comparing(WorkerInfo::started).thenComparing(WorkerInfo::taskId));
      servers.add(
          new ServerInfo(
              info.getServerId(),
              info.getHost(),
              info.getPid(),
              info.getConcurrency(),
              new HashMap<>(info.getQueuesMap()),
              info.getStrictPriority(),
              info.getStatus(),
              instant(info.getStartTime()),
              info.getActiveWorkerCount(),
              workers));
    }
    servers.sort(
        Comparator.comparing(ServerInfo::host)
            .thenComparingInt(ServerInfo::pid)
            .thenComparing(ServerInfo::id));
    return servers;
  }

  private static Optional<WorkerInfo> workerInfo(byte[] raw, String serverId) {
    try {
      var w = io.jasynq.internal.broker.proto.WorkerInfo.parseFrom(raw);
      if (!w.getServerId().equals(serverId)) {
        return Optional.empty(); // as Go: workers are joined to their server by ID
      }
      return Optional.of(
          new WorkerInfo(
              w.getTaskId(),
              w.getTaskType(),
              w.getTaskPayload().toByteArray(),
              w.getQueue(),
              instant(w.getStartTime()),
              w.hasDeadline() ? optionalInstant(w.getDeadline()) : Optional.empty()));
    } catch (InvalidProtocolBufferException e) {
      return Optional.empty();
    }
  }

  /**
   * The entries of every scheduler whose heartbeat is current (spec §6.2 SchedulerEntries), sorted
   * by spec, task type and ID. Entries that do not decode and option strings without {@code (} are
   * skipped.
   */
  public List<SchedulerEntry> schedulerEntries(Instant now) {
    List<SchedulerEntry> entries = new ArrayList<>();
    for (String key : liveMembers(Keys.schedulers(), now)) {
      List<Object> raw = broker.await(broker.send("schedulerEntries", Commands.lrange(key, 0, -1)));
      for (Object bytes : raw) {
        try {
          var e = io.jasynq.internal.broker.proto.SchedulerEntry.parseFrom((byte[]) bytes);
          entries.add(
              new SchedulerEntry(
                  e.getId(),
                  e.getSpec(),
                  e.getTaskType(),
                  e.getTaskPayload().toByteArray(),
                  e.getEnqueueOptionsList().stream().filter(o -> o.indexOf('(') >= 0).toList(),
                  instant(e.getNextEnqueueTime()),
                  e.hasPrevEnqueueTime()
                      ? optionalInstant(e.getPrevEnqueueTime())
                      : Optional.empty()));
        } catch (InvalidProtocolBufferException ex) {
          // skipped, as Go skips it
        }
      }
    }
    entries.sort(
        Comparator.comparing(SchedulerEntry::spec)
            .thenComparing(SchedulerEntry::taskType)
            .thenComparing(SchedulerEntry::id));
    return entries;
  }

  /**
   * One page of an entry's enqueue history, newest first; events that do not decode are skipped.
   */
  public List<SchedulerEnqueueEvent> schedulerHistory(String entryId, long start, long stop) {
    List<Object> raw =
        broker.await(
            broker.send(
                "schedulerHistory",
                Commands.zrevrange(Keys.schedulerHistory(entryId), start, stop)));
    List<SchedulerEnqueueEvent> events = new ArrayList<>(raw.size());
    for (Object bytes : raw) {
      try {
        var e = io.jasynq.internal.broker.proto.SchedulerEnqueueEvent.parseFrom((byte[]) bytes);
        events.add(new SchedulerEnqueueEvent(e.getTaskId(), instant(e.getEnqueueTime())));
      } catch (InvalidProtocolBufferException ex) {
        // skipped: one bad event does not hide the rest (Go fails the whole call)
      }
    }
    return events;
  }

  /**
   * The members of a heartbeat registry scored at or after {@code now}. Read only, unlike Go's
   * Inspector, which prunes expired members: servers and schedulers prune them as they beat, so an
   * Inspector can run as a read-only Redis user.
   */
  private List<String> liveMembers(String registry, Instant now) {
    List<Object> r =
        broker.await(
            broker.send(
                "liveRegistry",
                Commands.zrangeByScore(registry, Long.toString(now.getEpochSecond()), "+inf")));
    return r.stream().map(Broker::text).toList();
  }

  // ----------------------------------------------------------------------------------------------
  // Writes

  /**
   * Deletes, runs or archives one task (spec §3.24).
   *
   * @throws TaskNotFoundException if the queue has no such task
   * @throws TaskStateException if its state does not allow {@code action}
   */
  public void manageOne(Action action, String queue, String id, Instant now) {
    requireQueue(queue);
    long r = manage(action, queue, Keys.task(queue, id), "one", Keys.bytes(id), "", now);
    if (r == 1) {
      return;
    }
    throw switch ((int) r) {
      case 0 -> new TaskNotFoundException(queue, id);
      case -1 ->
          new TaskStateException(
              queue,
              id,
              TaskState.ACTIVE,
              switch (action) {
                case DELETE -> "cannot delete task in active state; cancel it instead";
                case RUN -> "task is already running";
                case ARCHIVE -> "cannot archive task in active state; cancel it instead";
              });
      case -2 ->
          new TaskStateException(queue, id, TaskState.PENDING, "task is already in pending state");
      case -3 -> new TaskStateException(queue, id, TaskState.ARCHIVED, "task is already archived");
      default ->
          new JasynqException(
              action.name().toLowerCase(java.util.Locale.ROOT)
                  + "Task failed: task "
                  + id
                  + " in queue \""
                  + queue
                  + "\" is not in the list or set of its state");
    };
  }

  /**
   * Deletes, runs or archives every task of {@code state}, or of {@code group} when {@code state}
   * is aggregating (spec §3.24).
   *
   * @return how many tasks were handled
   */
  public long manageAll(Action action, String queue, TaskState state, String group, Instant now) {
    requireQueue(queue);
    String source =
        state == TaskState.AGGREGATING
            ? Keys.group(queue, group)
            : Keys.queuePrefix(queue) + STATE_KEYS.get(state);
    return manage(
        action,
        queue,
        source,
        "all",
        Keys.bytes(state.wireName()),
        state == TaskState.AGGREGATING ? group : "",
        now);
  }

  private long manage(
      Action action,
      String queue,
      String target,
      String mode,
      byte[] subject,
      String group,
      Instant now) {
    List<String> keys =
        List.of(Keys.pending(queue), Keys.archived(queue), Keys.groups(queue), target);
    List<byte[]> args =
        List.of(
            Keys.bytes(action.name().toLowerCase(java.util.Locale.ROOT)),
            Keys.bytes(mode),
            subject,
            Keys.bytes(group),
            Keys.bytes(Keys.queuePrefix(queue)),
            number(now.getEpochSecond()),
            number(Broker.unixNanos(now)),
            number(now.minus(Broker.STATS_TTL).getEpochSecond()),
            number(Broker.ARCHIVE_MAX_SIZE));
    return broker.await(
        broker.runScript("manageTasks", Script.MANAGE_TASKS, keys, args, Commands::integerReply));
  }

  /**
   * Replaces a scheduled task's payload, keeping every other field of its message (spec §3.24).
   *
   * @return the updated task
   */
  public Found updatePayload(String queue, String id, byte[] payload, Instant now) {
    for (int attempt = 0; attempt < 3; attempt++) {
      Found found = taskInfo(queue, id, now);
      if (found.state() != TaskState.SCHEDULED) {
        throw new TaskStateException(
            queue, id, found.state(), "cannot update task that is not in scheduled state");
      }
      TaskMessage updated =
          found.message().toBuilder().setPayload(ByteString.copyFrom(payload)).build();
      List<byte[]> args = List.of(found.message().toByteArray(), updated.toByteArray());
      long r =
          broker.await(
              broker.runScript(
                  "updateTaskPayload",
                  Script.REPLACE_SCHEDULED_MESSAGE,
                  List.of(Keys.task(queue, id)),
                  args,
                  Commands::integerReply));
      if (r == 1) {
        return new Found(
            updated, TaskState.SCHEDULED, found.nextProcessAt(), false, found.result());
      }
      // The task changed between the read and the write: read again, which reports what it is now.
    }
    throw new JasynqException(
        "updateTaskPayload failed: task " + id + " kept changing while being updated");
  }

  /** Pauses {@code queue} (spec §3.24); no queue check, as in Asynq. */
  public void pause(String queue, Instant now) {
    String ok =
        broker.await(
            broker.send(
                "pauseQueue",
                Commands.setIfAbsent(Keys.paused(queue), Long.toString(now.getEpochSecond()))));
    if (ok == null) {
      throw new QueueStateException(queue, "queue \"" + queue + "\" is already paused");
    }
  }

  /** Unpauses {@code queue} (spec §3.24). */
  public void unpause(String queue) {
    Long deleted =
        broker.await(broker.send("unpauseQueue", Commands.del(List.of(Keys.paused(queue)))));
    if (deleted == 0L) {
      throw new QueueStateException(queue, "queue \"" + queue + "\" is not paused");
    }
  }

  /**
   * Deletes a queue (spec §6.3 with the fix of §9.18). After the check, every key of the schema
   * goes: tasks in every container (batches of {@value #DELETE_BATCH}, each with its unique lock),
   * groups, aggregation sets, counters, daily stats of the last {@value #DAILY_STATS_DAYS} days and
   * the pause flag. A SCAN over {@code asynq:{Q}:*} then sweeps whatever else carries the queue's
   * prefix (on Cluster, on the master owning the queue's slot). Last, the queue leaves {@code
   * asynq:queues}.
   */
  public void deleteQueue(String queue, boolean force, Instant now) {
    deleteQueue(queue, force, now, true);
  }

  /** {@link #deleteQueue(String, boolean, Instant)}, the SCAN sweep optional (for tests). */
  void deleteQueue(String queue, boolean force, Instant now, boolean sweep) {
    requireQueue(queue);
    List<String> keys = stateKeys(queue).subList(0, 5); // completed does not count, as in Asynq
    long r =
        broker.await(
            broker.runScript(
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
    while (broker.await(
            broker.runScript(
                "deleteQueue", Script.DELETE_QUEUE_TASKS, containers, args, Commands::integerReply))
        > 0) {
      // next batch
    }
    List<String> fixed = new ArrayList<>(containers);
    fixed.add(Keys.paused(queue));
    fixed.add(Keys.processedTotal(queue));
    fixed.add(Keys.failedTotal(queue));
    LocalDate today = Broker.day(now);
    for (int i = -1; i <= DAILY_STATS_DAYS; i++) {
      fixed.add(Keys.processed(queue, today.minusDays(i)));
      fixed.add(Keys.failed(queue, today.minusDays(i)));
    }
    broker.await(broker.send("deleteQueue", Commands.del(fixed)));
    if (sweep) {
      nodes.deleteKeysWithPrefix("deleteQueue", Keys.queuePrefix(queue), DELETE_SCAN_COUNT);
    }
    broker.await(broker.send("deleteQueue", Commands.srem(Keys.queues(), queue)));
  }

  /** Escapes the characters SCAN's MATCH treats specially, so a queue name matches literally. */
  static String globEscape(String s) {
    return RedisNodes.globEscape(s);
  }

  // ----------------------------------------------------------------------------------------------

  /** The containers of a queue's states: pending, active, scheduled, retry, archived, completed. */
  private static List<String> stateKeys(String queue) {
    return List.of(
        Keys.pending(queue),
        Keys.active(queue),
        Keys.scheduled(queue),
        Keys.retry(queue),
        Keys.archived(queue),
        Keys.completed(queue));
  }

  private List<Object> run(String operation, Script script, List<String> keys, List<byte[]> args) {
    return broker.await(broker.runScript(operation, script, keys, args, Commands::arrayReply));
  }

  private static Instant score(Object score) {
    return Instant.ofEpochSecond(wholeSeconds(score));
  }

  /** A zset score (a bulk string; Asynq writes integers, a reader accepts floats), truncated. */
  private static long wholeSeconds(Object score) {
    return (long) Double.parseDouble(text(score));
  }

  private static Instant instant(Timestamp t) {
    return Instant.ofEpochSecond(t.getSeconds(), t.getNanos());
  }

  private static Optional<Instant> optionalInstant(Timestamp t) {
    return t.getSeconds() == GO_ZERO_TIME_SECONDS && t.getNanos() == 0
        ? Optional.empty()
        : Optional.of(instant(t));
  }
}
